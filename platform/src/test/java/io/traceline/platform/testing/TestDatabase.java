package io.traceline.platform.testing;

import java.nio.file.Path;

import io.traceline.platform.dev.EmbeddedPostgresServer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one entry point tests use for PostgreSQL (DESIGN.md §7): an external database when
 * {@code TEST_DATABASE_URL} is set, a Testcontainers PostgreSQL when Docker answers, and otherwise an
 * embedded PostgreSQL started from a Maven artifact. Never skipped: one of the three always runs.
 * Started once per test JVM.
 */
public final class TestDatabase {

  /** Connection settings in the platform's form (TRACELINE_DB_URL, user, password). */
  public record Settings(String url, String user, String password, String source) {

    public String jdbcUrl() {
      return "jdbc:" + url;
    }
  }

  private static Settings settings;

  private TestDatabase() {
  }

  public static synchronized Settings get() {
    if (settings == null) {
      settings = start();
    }
    return settings;
  }

  private static Settings start() {
    String external = System.getenv("TEST_DATABASE_URL");
    if (external != null && !external.isBlank()) {
      return new Settings(external, env("TEST_DATABASE_USER", "postgres"), env("TEST_DATABASE_PASSWORD", ""), "external");
    }
    if (dockerAnswers()) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine")
          .withCommand("postgres", "-c", "max_connections=300", "-c", "synchronous_commit=on");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      return new Settings(container.getJdbcUrl().substring("jdbc:".length()), container.getUsername(),
          container.getPassword(), "testcontainers");
    }
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(TestWork.dir().resolve("postgres"), true);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    return new Settings(server.url(), server.user(), server.password(), "embedded");
  }

  static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  /** Where tests keep their servers' files (target/it-work, fresh per run). */
  static final class TestWork {
    static Path dir() {
      return Path.of(System.getProperty("traceline.test.work", "target/it-work")).toAbsolutePath();
    }
  }
}
