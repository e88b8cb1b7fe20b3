package io.traceline.platform.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL started from a Maven artifact, for dev runs and tests without an external database.
 * The data directory survives restarts unless the caller asks for a fresh one.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  public static final String DATABASE = "traceline";
  /** The login role the platform's pool uses on the embedded database (created at start; local only). */
  public static final String RUNTIME_ROLE = "traceline_app";
  public static final String RUNTIME_PASSWORD = "traceline-app-dev";
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL on a free port with its data in {@code dataDirectory}; {@code fresh} wipes it first.
   */
  public static EmbeddedPostgresServer start(Path dataDirectory, boolean fresh) {
    return start(dataDirectory, fresh, 0);
  }

  /** As {@link #start(Path, boolean)}, on {@code port} (0 picks a free one). */
  public static EmbeddedPostgresServer start(Path dataDirectory, boolean fresh, int port) {
    try {
      Files.createDirectories(dataDirectory.getParent());
      if (fresh) {
        // zonky only cleans the directory when the server closes; a killed run leaves it behind and initdb
        // refuses a non-empty directory.
        Directories.deleteRecursively(dataDirectory);
      }
      long started = System.nanoTime();
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres postgres = builder
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(fresh)
          // zonky turns synchronous_commit off by default; a system of record keeps commits durable.
          .setServerConfig("synchronous_commit", "on")
          // zonky also starts PostgreSQL with fsync off (-F). A dev run keeps its data between runs, so it
          // gets durable commits; a fresh (test) database keeps the faster default.
          .setServerConfig("fsync", fresh ? "off" : "on")
          .setServerConfig("max_connections", "200")
          .start();
      EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres);
      server.createDatabase();
      LOG.info("Embedded PostgreSQL ready on port {} with data in {} ({} ms)", postgres.getPort(), dataDirectory,
          (System.nanoTime() - started) / 1_000_000);
      return server;
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("Could not start embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage(), e);
    }
  }

  private void createDatabase() throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
         Statement statement = connection.createStatement()) {
      try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (exists.next()) {
          return;
        }
      }
      statement.execute("CREATE DATABASE " + DATABASE);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  /** The URL in the form {@code TRACELINE_DB_URL} takes. */
  public String url() {
    return "postgresql://localhost:" + port() + "/" + DATABASE;
  }

  public String user() {
    return "postgres";
  }

  public String password() {
    return "";
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }
}
