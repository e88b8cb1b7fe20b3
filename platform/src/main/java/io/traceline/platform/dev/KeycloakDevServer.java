package io.traceline.platform.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Keycloak for dev runs and tests, started from the {@code keycloak-quarkus-dist} zip that
 * Maven resolves from Central (never committed). The realm in {@code dev/traceline-realm.json} is
 * imported at start; Keycloak skips the import when the realm already exists, so restarts keep users, and
 * an existing realm is brought up to date instead: clients and roles it lacks are added (existing ones are
 * left alone) and the brute-force settings are set, through the admin API as the bootstrap admin.
 */
public final class KeycloakDevServer implements AutoCloseable {

  public static final String REALM_RESOURCE = "/dev/traceline-realm.json";
  /**
   * Keycloak 26 blocks concurrent logins of one user while brute-force detection is on (the second gets "invalid
   * credentials"): a signer who double-clicks, or two tabs, would look like a wrong password. Failed attempts still
   * count toward the lockout. Production Keycloaks need the same option (README, Operations).
   */
  public static final String ALLOW_CONCURRENT_LOGINS =
      "--spi-brute-force-protector--default-brute-force-detector--allow-concurrent-requests=true";
  public static final String BOOTSTRAP_ADMIN = "admin";
  public static final String BOOTSTRAP_ADMIN_PASSWORD = "admin";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
  private static final Logger LOG = LoggerFactory.getLogger(KeycloakDevServer.class);

  private final Process process;
  private final String url;
  private String realm;

  private KeycloakDevServer(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  private String realmOf() {
    return realm;
  }

  /**
   * Unpacks the distribution into {@code workDir} (once), and starts it on {@code port} with the
   * Traceline realm. {@code freshData} wipes Keycloak's database first (tests); otherwise it persists.
   */
  public static KeycloakDevServer start(Path distributionZip, Path workDir, int port, boolean freshData, String realm) {
    String url = "http://localhost:" + port;
    if (answers(url, realm)) {
      throw new IllegalStateException("Something already answers on port " + port + " (another dev run?). "
          + "Stop it or set TRACELINE_KEYCLOAK_DEV_PORT / TRACELINE_KEYCLOAK_URL.");
    }
    try {
      Path home = unpack(distributionZip, workDir);
      if (freshData) {
        Directories.deleteRecursively(home.resolve("data"));
      }
      Path importDir = Files.createDirectories(home.resolve("data").resolve("import"));
      try (InputStream realmJson = KeycloakDevServer.class.getResourceAsStream(REALM_RESOURCE)) {
        Files.copy(realmJson, importDir.resolve("traceline-realm.json"), StandardCopyOption.REPLACE_EXISTING);
      }
      Path log = workDir.resolve("keycloak.log");
      List<String> command = new ArrayList<>(List.of(home.resolve("bin").resolve("kc.sh").toString(), "start-dev",
          "--http-port=" + port, "--http-host=127.0.0.1", "--hostname=" + url, "--import-realm",
          "--health-enabled=false", "--metrics-enabled=false", ALLOW_CONCURRENT_LOGINS));
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(home.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      Map<String, String> env = builder.environment();
      env.put("KC_BOOTSTRAP_ADMIN_USERNAME", BOOTSTRAP_ADMIN);
      env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", BOOTSTRAP_ADMIN_PASSWORD);
      // Keycloak sizes its heap from the machine (70 % of RAM); a dev server needs far less.
      env.putIfAbsent("JAVA_OPTS_KC_HEAP", "-Xms128m -Xmx1g");
      long started = System.nanoTime();
      LOG.info("Starting Keycloak {} on {} (log: {})", home.getFileName(), url, log);
      Process process = builder.start();
      KeycloakDevServer server = new KeycloakDevServer(process, url);
      server.awaitRealm(realm, started);
      if (!freshData) {
        server.updateExistingRealm(realm);
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start Keycloak from " + distributionZip, e);
    }
  }

  /** The zip the build copied next to the platform's jar, or where {@code traceline.keycloak.dist} points. */
  public static Path locateDistribution() {
    String explicit = System.getProperty("traceline.keycloak.dist", System.getenv("TRACELINE_KEYCLOAK_DIST"));
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String version = buildProperty("keycloak.version");
    List<Path> candidates = new ArrayList<>();
    try {
      Path codeSource = Path.of(KeycloakDevServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // platform/target/traceline.jar or platform/target/classes → platform/target/keycloak/
      candidates.add(codeSource.getParent().resolve("keycloak").resolve("keycloak-" + version + ".zip"));
    } catch (Exception e) {
      LOG.debug("No code source location: {}", e.toString());
    }
    candidates.add(Path.of("platform", "target", "keycloak", "keycloak-" + version + ".zip"));
    candidates.add(Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "keycloak",
        "keycloak-quarkus-dist", version, "keycloak-quarkus-dist-" + version + ".zip"));
    return candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() -> new IllegalStateException(
        "Keycloak distribution " + version + " not found (looked at " + candidates + "). Build with "
            + "'mvn -DskipTests package' first, or set TRACELINE_KEYCLOAK_URL to a running Keycloak."));
  }

  static String buildProperty(String name) {
    try (InputStream in = KeycloakDevServer.class.getResourceAsStream("/traceline-build.properties")) {
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty(name);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("traceline-build.properties missing from the classpath", e);
    }
  }

  public String url() {
    return url;
  }

  private void awaitRealm(String realm, long startedNanos) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited with code " + process.exitValue() + " during start");
      }
      if (answers(url, realm)) {
        LOG.info("Keycloak ready at {} in {} s", url, (System.nanoTime() - startedNanos) / 1_000_000_000);
        return;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
      }
    }
    close();
    throw new IllegalStateException("Keycloak did not answer within " + START_TIMEOUT);
  }

  /** Realm settings an existing dev realm is brought to at every start (the import only covers new realms). */
  private static final List<String> REALM_SETTINGS = List.of("bruteForceProtected", "permanentLockout", "failureFactor",
      "waitIncrementSeconds", "maxFailureWaitSeconds", "organizationsEnabled");

  /**
   * Adds the clients and roles of {@code dev/traceline-realm.json} that the running realm lacks (e.g. a dev
   * database made before the signing client existed) and applies the realm file's brute-force settings.
   * Dev mode only; a failure is logged, not fatal.
   */
  void updateExistingRealm(String realm) {
    this.realm = realm;
    try (InputStream in = KeycloakDevServer.class.getResourceAsStream(REALM_RESOURCE)) {
      io.vertx.core.json.JsonObject file = new io.vertx.core.json.JsonObject(new String(in.readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8));
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> tokenResponse = client.send(HttpRequest.newBuilder(URI.create(url
              + "/realms/master/protocol/openid-connect/token"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=" + BOOTSTRAP_ADMIN
              + "&password=" + BOOTSTRAP_ADMIN_PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
      String token = new io.vertx.core.json.JsonObject(tokenResponse.body()).getString("access_token");
      if (token == null) {
        LOG.warn("Could not sign in to Keycloak as the bootstrap admin to update the dev realm: HTTP {}",
            tokenResponse.statusCode());
        return;
      }
      io.vertx.core.json.JsonObject partial = new io.vertx.core.json.JsonObject().put("ifResourceExists", "SKIP")
          .put("clients", file.getJsonArray("clients")).put("roles", file.getJsonObject("roles"));
      HttpResponse<String> imported = client.send(adminRequest(token, "/partialImport")
          .POST(HttpRequest.BodyPublishers.ofString(partial.encode())).build(), HttpResponse.BodyHandlers.ofString());
      io.vertx.core.json.JsonObject settings = new io.vertx.core.json.JsonObject();
      REALM_SETTINGS.forEach(key -> settings.put(key, file.getValue(key)));
      HttpResponse<String> updated = client.send(adminRequest(token, "")
          .PUT(HttpRequest.BodyPublishers.ofString(settings.encode())).build(), HttpResponse.BodyHandlers.ofString());
      if (imported.statusCode() != 200 || updated.statusCode() >= 300) {
        LOG.warn("Updating the dev realm answered HTTP {} (import) and {} (settings): {} {}", imported.statusCode(),
            updated.statusCode(), imported.body(), updated.body());
      } else {
        LOG.info("Dev realm {} brought up to date: {} added", realm,
            new io.vertx.core.json.JsonObject(imported.body()).getInteger("added", 0));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not bring the dev realm {} up to date: {}", realm, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpRequest.Builder adminRequest(String token, String path) {
    return HttpRequest.newBuilder(URI.create(url + "/admin/realms/" + realmOf() + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30));
  }

  static boolean answers(String url, String realm) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/realms/" + realm + "/.well-known/openid-configuration"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Path unpack(Path zip, Path workDir) throws IOException {
    Files.createDirectories(workDir);
    Path marker = workDir.resolve(zip.getFileName() + ".unpacked");
    String topLevel;
    if (Files.exists(marker)) {
      topLevel = Files.readString(marker).trim();
      if (Files.isDirectory(workDir.resolve(topLevel))) {
        return workDir.resolve(topLevel);
      }
    }
    long started = System.nanoTime();
    topLevel = null;
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        Path target = workDir.resolve(entry.getName()).normalize();
        if (!target.startsWith(workDir)) {
          throw new IOException("Zip entry outside the target directory: " + entry.getName());
        }
        if (topLevel == null) {
          topLevel = Path.of(entry.getName()).getName(0).toString();
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          if (target.toString().endsWith(".sh")) {
            target.toFile().setExecutable(true);
          }
        }
      }
    }
    Path home = workDir.resolve(topLevel);
    // A distribution may ship with a dev database; a clean realm starts without it.
    Directories.deleteRecursively(home.resolve("data"));
    Files.writeString(marker, topLevel);
    LOG.info("Unpacked {} into {} in {} ms", zip.getFileName(), home, (System.nanoTime() - started) / 1_000_000);
    return home;
  }

  @Override
  public void close() {
    // kc.sh may run Keycloak's JVM as a child (after an automatic re-build): stop the children too.
    process.descendants().forEach(ProcessHandle::destroy);
    process.descendants().forEach(child -> child.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join());
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
