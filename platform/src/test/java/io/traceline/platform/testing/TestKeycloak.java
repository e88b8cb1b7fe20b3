package io.traceline.platform.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import io.traceline.platform.dev.KeycloakDevServer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.MountableFile;

/**
 * One real Keycloak per test run with the Traceline realm imported: {@code TEST_KEYCLOAK_URL} when set
 * (a Keycloak that already has the realm), a Testcontainers Keycloak when Docker answers, otherwise the
 * server distribution from Maven Central started as a process on a free port with fresh data.
 */
public final class TestKeycloak {

  public static final String REALM = "traceline";
  private static final String IMAGE = "quay.io/keycloak/keycloak:26.4.7";
  private static String url;

  private TestKeycloak() {
  }

  public static synchronized String url() {
    if (url == null) {
      url = start();
    }
    return url;
  }

  private static String start() {
    String external = System.getenv("TEST_KEYCLOAK_URL");
    if (external != null && !external.isBlank()) {
      return external;
    }
    if (TestDatabase.dockerAnswers()) {
      GenericContainer<?> container = new GenericContainer<>(IMAGE)
          .withExposedPorts(8080)
          .withEnv("KC_BOOTSTRAP_ADMIN_USERNAME", KeycloakDevServer.BOOTSTRAP_ADMIN)
          .withEnv("KC_BOOTSTRAP_ADMIN_PASSWORD", KeycloakDevServer.BOOTSTRAP_ADMIN_PASSWORD)
          .withCopyFileToContainer(MountableFile.forClasspathResource(KeycloakDevServer.REALM_RESOURCE),
              "/opt/keycloak/data/import/traceline-realm.json")
          .withCommand("start-dev", "--import-realm", KeycloakDevServer.ALLOW_CONCURRENT_LOGINS)
          .waitingFor(Wait.forHttp("/realms/" + REALM + "/.well-known/openid-configuration")
              .withStartupTimeout(Duration.ofMinutes(4)));
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      return "http://" + container.getHost() + ":" + container.getMappedPort(8080);
    }
    KeycloakDevServer server = KeycloakDevServer.start(KeycloakDevServer.locateDistribution(),
        TestDatabase.TestWork.dir().resolve("keycloak"), freePort(), true, REALM);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    return server.url();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
