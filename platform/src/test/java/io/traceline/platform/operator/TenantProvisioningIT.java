package io.traceline.platform.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.tenants.IdentityDirectory;
import io.traceline.tenants.JdbcSettings;
import io.traceline.tenants.SchemaMigrator;
import io.traceline.tenants.TenantSlug;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.OAuth2Constants;

@DisplayName("Provisioning tenants through the operator API (TEN-1)")
class TenantProvisioningIT {

  private static TestPlatform platform;
  private static Api api;

  @BeforeAll
  static void start() {
    platform = TestPlatform.get();
    api = platform.api();
  }

  @Test
  @DisplayName("a provisioned tenant has a migrated schema, an organization and a first admin who signs in and is tenant admin")
  void provisionsEverything() throws SQLException {
    String slug = TestPlatform.uniqueSlug("prov");
    String email = "qa.lead@" + slug.replace('_', '-') + ".example";
    Api.Response created = api.post("/api/v1/operator/tenants", platform.operatorToken(),
        TestPlatform.provisioning(slug, "Northwind Sterile Products", email));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.location()).isEqualTo("/api/v1/operator/tenants/" + slug);
    JsonObject tenant = created.json();
    assertThat(tenant.getString("state")).isEqualTo("ready");
    assertThat(tenant.getString("step")).isEqualTo("admin_granted");
    assertThat(tenant.getString("temporaryPassword")).hasSizeGreaterThanOrEqualTo(16);

    assertThat(tablesOf("t_" + slug)).contains("role_grant", "site", "department", "job_role", "person",
        "person_job_role", "databasechangelog");
    assertThat(platform.realm().organizations().get(tenant.getString("organizationId")).toRepresentation().getAlias())
        .isEqualTo(slug);

    // The temporary password only opens Keycloak's "choose a password" page; then the admin is in.
    String token = platform.tokens().browserLogin(email, tenant.getString("temporaryPassword"), TestPlatform.USER_PASSWORD);
    Api.Response me = api.get("/api/v1/t/" + slug + "/me", token);
    assertThat(me.status()).as(me.toString()).isEqualTo(200);
    assertThat(me.json().getJsonArray("roles").getList()).containsExactly("tenant-admin");
    assertThat(me.json().getJsonObject("user").getString("username")).isEqualTo(email);
  }

  @Test
  @DisplayName("provisioning the same tenant again returns it unchanged, without a new password or duplicates")
  void idempotent() throws SQLException {
    String slug = TestPlatform.uniqueSlug("idem");
    JsonObject request = TestPlatform.provisioning(slug, "Idempotent Labs", "admin@" + slug.replace('_', '-') + ".example");
    Api.Response first = api.post("/api/v1/operator/tenants", platform.operatorToken(), request);
    Api.Response second = api.post("/api/v1/operator/tenants", platform.operatorToken(), request);

    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).as(second.toString()).isEqualTo(200);
    assertThat(second.json().containsKey("temporaryPassword")).isFalse();
    assertThat(second.json().getString("organizationId")).isEqualTo(first.json().getString("organizationId"));
    assertThat(platform.realm().organizations().getAll().stream().filter(org -> slug.equals(org.getAlias()))).hasSize(1);
    assertThat(count("SELECT count(*) FROM t_" + slug + ".role_grant")).isEqualTo(1);
  }

  @Test
  @DisplayName("a slug taken by a tenant with other parameters is a 409 conflict and changes nothing")
  void takenSlug() throws SQLException {
    String slug = TestPlatform.uniqueSlug("taken");
    api.post("/api/v1/operator/tenants", platform.operatorToken(),
        TestPlatform.provisioning(slug, "First Owner", "admin@first-" + slug.replace('_', '-') + ".example"));

    Api.Response conflict = api.post("/api/v1/operator/tenants", platform.operatorToken(),
        TestPlatform.provisioning(slug, "Second Owner", "admin@second-" + slug.replace('_', '-') + ".example"));

    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.isProblem()).isTrue();
    assertThat(api.get("/api/v1/operator/tenants/" + slug, platform.operatorToken()).json().getString("displayName"))
        .isEqualTo("First Owner");
  }

  @Test
  @DisplayName("a bad slug is a 400 problem pointing at /slug, and nothing is registered or created")
  void badSlug() throws SQLException {
    for (String bad : List.of("Acme", "1acme", "ab", "acme-pharma", "a".repeat(41), "drop table")) {
      Api.Response response = api.post("/api/v1/operator/tenants", platform.operatorToken(),
          TestPlatform.provisioning(bad, "Bad", "admin@bad.example"));
      assertThat(response.status()).as(bad).isEqualTo(400);
      assertThat(response.isProblem()).isTrue();
      assertThat(response.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("pointer")))
          .as(bad).contains("/slug");
      assertThat(count("SELECT count(*) FROM control.tenant WHERE slug = '" + bad.replace("'", "''") + "'")).isZero();
    }
  }

  @Test
  @DisplayName("a provisioning that crashed after creating the organization resumes to ready, reusing what exists")
  void resumesAfterCrash() throws Exception {
    String slug = TestPlatform.uniqueSlug("crash");
    String email = "admin@" + slug.replace('_', '-') + ".example";
    simulateCrashAfterOrganization(slug, "Crashed Midway Inc", email);

    Api.Response tenant = api.get("/api/v1/operator/tenants/" + slug, platform.operatorToken());
    assertThat(tenant.json().getString("state")).isEqualTo("provisioning");
    assertThat(tenant.json().getString("step")).isEqualTo("schema_migrated");

    Api.Response resumed = api.post("/api/v1/operator/tenants", platform.operatorToken(),
        TestPlatform.provisioning(slug, "Crashed Midway Inc", email));

    assertThat(resumed.status()).as(resumed.toString()).isEqualTo(200);
    assertThat(resumed.json().getString("state")).isEqualTo("ready");
    assertThat(platform.realm().organizations().getAll().stream().filter(org -> slug.equals(org.getAlias()))).hasSize(1);
    String token = platform.tokens().browserLogin(email, resumed.json().getString("temporaryPassword"), TestPlatform.USER_PASSWORD);
    assertThat(api.get("/api/v1/t/" + slug + "/me", token).json().getJsonArray("roles").getList()).containsExactly("tenant-admin");
  }

  @Test
  @DisplayName("operators list tenants page by page and read one tenant's state; unknown tenants are 404")
  void listsAndReads() {
    List<String> slugs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String slug = TestPlatform.uniqueSlug("list");
      slugs.add(slug);
      api.post("/api/v1/operator/tenants", platform.operatorToken(),
          TestPlatform.provisioning(slug, "List " + i, "admin@" + slug.replace('_', '-') + ".example"));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Api.Response page = api.get("/api/v1/operator/tenants?limit=2" + (cursor == null ? "" : "&after=" + cursor),
          platform.operatorToken());
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.json().getJsonArray("items").size()).isLessThanOrEqualTo(2);
      page.json().getJsonArray("items").forEach(item -> seen.add(((JsonObject) item).getString("slug")));
      cursor = page.json().getString("next");
    } while (cursor != null);
    assertThat(seen).containsAll(slugs).doesNotHaveDuplicates().isSorted();

    assertThat(api.get("/api/v1/operator/tenants/" + slugs.get(0), platform.operatorToken()).json().getString("state"))
        .isEqualTo("ready");
    assertThat(api.get("/api/v1/operator/tenants/no_such_tenant", platform.operatorToken()).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("the operator API refuses callers without a token (401) and tenant users without the operator role (403)")
  void operatorOnly() {
    TestPlatform.TenantFixture tenant = platform.newTenant("opgate");
    String slug = TestPlatform.uniqueSlug("never");
    JsonObject request = TestPlatform.provisioning(slug, "Never", "admin@never.example");

    assertThat(api.post("/api/v1/operator/tenants", null, request).status()).isEqualTo(401);
    assertThat(api.post("/api/v1/operator/tenants", tenant.adminToken(), request).status()).isEqualTo(403);
    assertThat(api.get("/api/v1/operator/tenants", tenant.adminToken()).status()).isEqualTo(403);
    assertThat(api.get("/api/v1/operator/tenants/" + tenant.slug(), tenant.adminToken()).status()).isEqualTo(403);
    assertThat(api.get("/api/v1/operator/tenants/" + slug, platform.operatorToken()).status()).isEqualTo(404);
  }

  /** What a crash leaves: registered, schema migrated and recorded, organization created but not recorded. */
  private static void simulateCrashAfterOrganization(String slug, String displayName, String email) throws Exception {
    var config = platform.platform().config();
    TenantSlug tenantSlug = new TenantSlug(slug);
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO control.tenant (slug, schema_name, display_name, admin_email, admin_given_name, "
          + "admin_family_name, state, step, requested_by) VALUES ('" + slug + "', '" + tenantSlug.schemaName() + "', '"
          + displayName + "', '" + email + "', 'Ada', 'Admin', 'provisioning', 'registered', 'test')");
    }
    var db = io.traceline.platform.testing.TestDatabase.get();
    // Migrated as the platform migrates: as the owner, granting the runtime role its privileges.
    SchemaMigrator migrator = new SchemaMigrator(new JdbcSettings(db.jdbcUrl(), db.user(), db.password()),
        TestPlatform.RUNTIME_ROLE);
    String version = migrator.migrateTenant(tenantSlug);
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement()) {
      statement.execute("UPDATE control.tenant SET step = 'schema_migrated', changelog_version = '" + version
          + "' WHERE slug = '" + slug + "'");
    }
    Keycloak keycloak = KeycloakBuilder.builder().serverUrl(config.keycloakUrl().orElseThrow()).realm(config.keycloakRealm())
        .grantType(OAuth2Constants.CLIENT_CREDENTIALS).clientId(config.keycloakAdminClientId())
        .clientSecret(config.keycloakAdminClientSecret()).build();
    try (IdentityDirectory directory = new IdentityDirectory(keycloak, config.keycloakRealm())) {
      directory.ensureOrganization(tenantSlug, displayName);
    }
  }

  private static List<String> tablesOf(String schema) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
             + schema + "'")) {
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
    }
    return tables;
  }

  private static long count(String sql) throws SQLException {
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
