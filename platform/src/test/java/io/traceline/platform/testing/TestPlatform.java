package io.traceline.platform.testing;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.Optional;

import io.traceline.platform.Platform;
import io.traceline.platform.config.ClusterConfig;
import io.traceline.platform.config.Config;
import io.traceline.platform.db.Database;
import io.traceline.platform.dev.KeycloakDevServer;
import io.traceline.tenants.JdbcSettings;
import io.traceline.tenants.FirstAdmin;
import io.traceline.tenants.IdentityDirectory;
import io.vertx.core.json.JsonObject;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;

/**
 * The platform under test: one instance per test JVM on a free port, against the test PostgreSQL and
 * Keycloak, plus fixtures that build tenants and users through the public API (and Keycloak's admin
 * API where a real deployment would use Keycloak's own screens).
 */
public final class TestPlatform {

  public static final String OPERATOR = "operator";
  public static final String OPERATOR_PASSWORD = "operator";
  public static final String USER_PASSWORD = "Chosen-by-the-user-1";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static TestPlatform instance;

  private final Platform platform;
  private final Api api;
  private final Tokens tokens;
  private final Keycloak keycloakAdmin;
  private final IdentityDirectory directory;

  private TestPlatform(Platform platform) {
    this.platform = platform;
    this.api = new Api("http://localhost:" + platform.httpPort());
    this.tokens = new Tokens(platform.config().keycloakUrl().orElseThrow());
    this.keycloakAdmin = KeycloakBuilder.builder()
        .serverUrl(platform.config().keycloakUrl().orElseThrow())
        .realm(TestKeycloak.REALM)
        .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
        .clientId(platform.config().keycloakAdminClientId())
        .clientSecret(platform.config().keycloakAdminClientSecret())
        .build();
    this.directory = new IdentityDirectory(keycloakAdmin, TestKeycloak.REALM);
  }

  public static synchronized TestPlatform get() {
    if (instance == null) {
      Platform platform = Platform.start(config(0));
      Runtime.getRuntime().addShutdownHook(new Thread(platform::close));
      instance = new TestPlatform(platform);
    }
    return instance;
  }

  /** The login role the platform under test runs as; the test database's own user owns the schemas. */
  public static final String RUNTIME_ROLE = "traceline_app";
  public static final String RUNTIME_PASSWORD = "traceline-app-test";

  /**
   * A configuration like production's (no dev mode, no demo) pointing at the test servers: migrations run as the
   * test database's user (the owner), the pool as {@link #RUNTIME_ROLE}, which lacks the privileges to rewrite
   * the audit trail.
   */
  public static Config config(int httpPort) {
    TestDatabase.Settings db = TestDatabase.get();
    Database.ensureRuntimeRole(new JdbcSettings(db.jdbcUrl(), db.user(), db.password()), RUNTIME_ROLE, RUNTIME_PASSWORD);
    return new Config(Config.Mode.PROD, "127.0.0.1", httpPort, 1_048_576,
        TestDatabase.TestWork.dir().resolve("platform"), Optional.of(db.url()), RUNTIME_ROLE, RUNTIME_PASSWORD, 8,
        Optional.of(TestKeycloak.url()), TestKeycloak.REALM, "traceline-api", "traceline-provisioner",
        Config.DEV_ADMIN_CLIENT_SECRET, 0, Duration.ofSeconds(5), false, 0,
        // The shared instance runs no jobs: job tests start clusters of their own, which must be alone
        // on the job tables to show exactly-once and whole-cluster restarts.
        ClusterConfig.loopback("traceline-shared-" + UUID.randomUUID(), freePort(), List.of(), false),
        Optional.of(db.user()), db.password(), "traceline-signing", Config.DEV_SIGNING_CLIENT_SECRET,
        DOCUMENT_MAX_BYTES, FANOUT_CHUNK);
  }

  /** People per fan-out chunk in tests: small, so ordinary tests run fan-outs of several chunks. */
  public static final int FANOUT_CHUNK = 200;

  /** The tests' limit on a controlled file's size: small, so a test can exceed it cheaply. */
  public static final long DOCUMENT_MAX_BYTES = 2 * 1024 * 1024;

  public Platform platform() {
    return platform;
  }

  public Api api() {
    return api;
  }

  public Tokens tokens() {
    return tokens;
  }

  public String operatorToken() {
    return tokens.password(OPERATOR, OPERATOR_PASSWORD);
  }

  public RealmResource realm() {
    return keycloakAdmin.realm(TestKeycloak.REALM);
  }

  /** A connection as the test database's user: the schemas' owner (a superuser on the embedded database). */
  public Connection jdbc() throws SQLException {
    TestDatabase.Settings db = TestDatabase.get();
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }

  /** The first column of the first row of a query run as the schemas' owner, as text (null when there is no row). */
  public String queryString(String sql) {
    try (Connection connection = jdbc(); java.sql.Statement statement = connection.createStatement();
         java.sql.ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The first column of the first row of a query run as the schemas' owner (counts, heads). */
  public long queryLong(String sql) {
    try (Connection connection = jdbc(); java.sql.Statement statement = connection.createStatement();
         java.sql.ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The database's clock: what audit events and signatures are stamped with. */
  public java.time.OffsetDateTime databaseNow() {
    try (Connection connection = jdbc(); java.sql.Statement statement = connection.createStatement();
         java.sql.ResultSet rows = statement.executeQuery("SELECT now()")) {
      rows.next();
      return rows.getObject(1, java.time.OffsetDateTime.class);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A connection as the platform's runtime role, with the privileges the platform itself has. */
  public Connection runtimeJdbc() throws SQLException {
    return DriverManager.getConnection(TestDatabase.get().jdbcUrl(), RUNTIME_ROLE, RUNTIME_PASSWORD);
  }

  /**
   * Keycloak's master-realm admin (the bootstrap admin of the test Keycloak; TEST_KEYCLOAK_ADMIN_USER and
   * _PASSWORD for an external one), for what the provisioning account may not do, such as creating clients.
   */
  public RealmResource masterAdminRealm() {
    String user = System.getenv().getOrDefault("TEST_KEYCLOAK_ADMIN_USER", KeycloakDevServer.BOOTSTRAP_ADMIN);
    String password = System.getenv().getOrDefault("TEST_KEYCLOAK_ADMIN_PASSWORD", KeycloakDevServer.BOOTSTRAP_ADMIN_PASSWORD);
    return KeycloakBuilder.builder().serverUrl(platform.config().keycloakUrl().orElseThrow()).realm("master")
        .clientId("admin-cli").username(user).password(password).build().realm(TestKeycloak.REALM);
  }

  public static String uniqueSlug(String prefix) {
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      suffix.append((char) ('a' + RANDOM.nextInt(26)));
    }
    return prefix + "_" + suffix;
  }

  /** The request body provisioning a tenant whose first admin is {@code adminEmail}. */
  public static JsonObject provisioning(String slug, String displayName, String adminEmail) {
    return new JsonObject().put("slug", slug).put("displayName", displayName)
        .put("firstAdmin", new JsonObject().put("email", adminEmail).put("givenName", "Ada").put("familyName", "Admin"));
  }

  /**
   * Provisions a tenant through the operator API, and signs its first admin in through Keycloak's login
   * pages, replacing the temporary password with {@link #USER_PASSWORD}.
   */
  public TenantFixture newTenant(String prefix) {
    String slug = uniqueSlug(prefix);
    String email = "admin@" + slug.replace('_', '-') + ".example";
    Api.Response response = api.post("/api/v1/operator/tenants", operatorToken(),
        provisioning(slug, "Tenant " + slug.toUpperCase(Locale.ROOT), email));
    if (response.status() != 201) {
      throw new IllegalStateException("Provisioning " + slug + " failed: " + response);
    }
    JsonObject tenant = response.json();
    tokens.browserLogin(email, tenant.getString("temporaryPassword"), USER_PASSWORD);
    return new TenantFixture(slug, tenant.getString("organizationId"), tenant.getJsonObject("firstAdmin").getString("userId"),
        email, this);
  }

  /** A login (username = e-mail) that belongs to the given tenants, with {@link #USER_PASSWORD}. */
  public String newUser(String email, String givenName, String familyName, TenantFixture... tenants) {
    String id = directory.ensureUser(new FirstAdmin(email, givenName, familyName)).id();
    directory.setPassword(id, USER_PASSWORD);
    for (TenantFixture tenant : tenants) {
      directory.ensureMember(tenant.organizationId(), id);
    }
    return id;
  }

  public static int freePort() {
    return TestKeycloak.freePort();
  }

  /**
   * A free port for a server that binds it later (a cluster member started after others): chosen below Linux's
   * ephemeral range (32768 and up), which {@link #freePort()} draws from and every outgoing connection too, so no
   * connection opened in between can take it (one did: "Port … is already in use" when a member bound).
   */
  public static int freePortOutsideEphemeralRange() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = random.nextInt(20_000, 32_000);
      try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1,
          java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (java.io.IOException taken) {
        // in use: try another
      }
    }
    throw new IllegalStateException("No free port between 20000 and 32000");
  }

  /** A member of the tenants with a login (username = e-mail) and {@link #USER_PASSWORD}. */
  public Person newMember(String given, String family, TenantFixture... tenants) {
    String username = (given + "." + family).toLowerCase(Locale.ROOT).replaceAll("[^a-z.]", "") + "."
        + uniqueSlug("u").substring(2) + "@people.example";
    return new Person(newUser(username, given, family, tenants), username, given + " " + family);
  }

  /** Grants the application role through the API as the tenant's first admin. */
  public void grantRole(TenantFixture tenant, String userId, String role) {
    Api.Response response = api.post(tenant.path("/role-grants"), tenant.adminToken(), new JsonObject()
        .put("userId", userId).put("role", role).put("reason", "Test fixture: " + role));
    if (response.status() != 201) {
      throw new IllegalStateException("Granting " + role + " failed: " + response);
    }
  }

  /** Someone with a login: subject, username and printed name. */
  public record Person(String id, String username, String name) {

    public String token(TestPlatform platform) {
      return platform.tokens().password(username, USER_PASSWORD);
    }
  }

  public static Path workDir() {
    return TestDatabase.TestWork.dir();
  }

  /** A provisioned tenant and its first admin (who chose {@link #USER_PASSWORD}). */
  public record TenantFixture(String slug, String organizationId, String adminUserId, String adminUsername,
                              TestPlatform platform) {

    public String adminToken() {
      return platform.tokens().password(adminUsername, USER_PASSWORD);
    }

    public String path(String rest) {
      return "/api/v1/t/" + slug + rest;
    }
  }
}
