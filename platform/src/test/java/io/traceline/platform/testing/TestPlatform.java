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

  /** A configuration like production's (no dev mode, no demo) pointing at the test servers. */
  public static Config config(int httpPort) {
    TestDatabase.Settings db = TestDatabase.get();
    return new Config(Config.Mode.PROD, "127.0.0.1", httpPort, 1_048_576,
        TestDatabase.TestWork.dir().resolve("platform"), Optional.of(db.url()), db.user(), db.password(), 8,
        Optional.of(TestKeycloak.url()), TestKeycloak.REALM, "traceline-api", "traceline-provisioner",
        Config.DEV_ADMIN_CLIENT_SECRET, 0, Duration.ofSeconds(5), false, 0,
        // The shared instance runs no jobs: job tests start clusters of their own, which must be alone
        // on the job tables to show exactly-once and whole-cluster restarts.
        ClusterConfig.loopback("traceline-shared-" + UUID.randomUUID(), freePort(), List.of(), false));
  }

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

  public Connection jdbc() throws SQLException {
    TestDatabase.Settings db = TestDatabase.get();
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
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
