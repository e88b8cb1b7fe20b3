package io.traceline.platform.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Tenants are walls (TEN-2). The endpoints are read from the OpenAPI contract, so an endpoint added
 * later is covered without touching this test.
 */
@DisplayName("Tenant wall: one tenant's token never reads or changes another tenant (TEN-2)")
class TenantWallIT {

  private static TestPlatform platform;
  private static Api api;
  private static TenantFixture tenantA;
  private static TenantFixture tenantB;

  @BeforeAll
  static void tenants() {
    platform = TestPlatform.get();
    api = platform.api();
    tenantA = platform.newTenant("walla");
    tenantB = platform.newTenant("wallb");
  }

  @Test
  @DisplayName("every tenant endpoint answers tenant A's token on tenant B exactly as for a tenant that does not exist, and B is unchanged")
  void everyEndpointRefusesOtherTenants() throws Exception {
    String tokenA = tenantA.adminToken();
    String grantOfB = firstGrantId(tenantB);
    String stateOfB = roleGrantState(tenantB);
    long auditHeadOfB = auditHead(tenantB);
    List<String[]> operations = tenantOperations();
    assertThat(operations).extracting(op -> op[0] + " " + op[1]).contains(
        "GET /t/{tenant}/me", "GET /t/{tenant}/role-grants", "POST /t/{tenant}/role-grants",
        "GET /t/{tenant}/role-grants/{grantId}", "POST /t/{tenant}/role-grants/{grantId}/revocation",
        "GET /t/{tenant}/audit-trail/events", "GET /t/{tenant}/audit-trail/export", "GET /t/{tenant}/audit-trail/verification",
        "GET /t/{tenant}/settings", "PUT /t/{tenant}/settings", "POST /t/{tenant}/signatures",
        "POST /t/{tenant}/users/{userId}/deactivation", "GET /t/{tenant}/sites", "PATCH /t/{tenant}/departments/{departmentId}",
        "POST /t/{tenant}/job-roles", "GET /t/{tenant}/people", "POST /t/{tenant}/people/bulk",
        "PATCH /t/{tenant}/people/{personId}", "POST /t/{tenant}/people/{personId}/status-changes",
        "POST /t/{tenant}/people/{personId}/job-roles/{holdingId}/ending", "GET /t/{tenant}/programs",
        "PATCH /t/{tenant}/programs/{programId}", "POST /t/{tenant}/people/{personId}/programs",
        "POST /t/{tenant}/people/{personId}/programs/{membershipId}/ending");

    for (String[] operation : operations) {
      String method = operation[0];
      // Path parameters name B's own records where there are some (its grant, its first admin), anything else a UUID.
      String path = operation[1].replace("{grantId}", grantOfB).replace("{userId}", tenantB.adminUserId())
          .replaceAll("\\{(?!tenant\\})[^}]+}", UUID.randomUUID().toString());
      String body = !method.equals("GET") ? new JsonObject().put("userId", tenantA.adminUserId()).put("role", "auditor")
          .put("reason", "Attempt across the wall").encode() : null;

      Api.Response onB = api.send(method, "/api/v1" + path.replace("{tenant}", tenantB.slug()), tokenA, body,
          body == null ? null : "application/json");
      Api.Response onNobody = api.send(method, "/api/v1" + path.replace("{tenant}", "no_such_tenant"), tokenA, body,
          body == null ? null : "application/json");

      assertThat(onB.status()).as(method + " " + path).isEqualTo(404);
      assertThat(onB.isProblem()).isTrue();
      assertThat(onB.json().getString("type")).isEqualTo(onNobody.json().getString("type"));
      assertThat(onB.json().getString("title")).isEqualTo(onNobody.json().getString("title"));
      assertThat(onB.json().getString("detail").replace(tenantB.slug(), "X"))
          .isEqualTo(onNobody.json().getString("detail").replace("no_such_tenant", "X"));
      JsonObject withoutEcho = onB.json().copy();
      withoutEcho.remove("instance"); // the caller's own request path, echoed
      assertThat(withoutEcho.encode()).doesNotContain(tenantB.adminUserId()).doesNotContain(grantOfB);
    }
    assertThat(roleGrantState(tenantB)).isEqualTo(stateOfB);
    assertThat(auditHead(tenantB)).isEqualTo(auditHeadOfB);
  }

  private static long auditHead(TenantFixture tenant) throws Exception {
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT seq FROM t_" + tenant.slug() + ".audit_chain_head")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  @Test
  @DisplayName("a user who belongs to two tenants uses both with one login, with separate roles in each")
  void oneLoginTwoTenants() {
    String consultant = platform.newUser("consultant-" + UUID.randomUUID().toString().substring(0, 8) + "@audit.example",
        "Corinne", "Consultant", tenantA, tenantB);
    String username = platform.realm().users().get(consultant).toRepresentation().getUsername();
    Api.Response grant = api.post(tenantB.path("/role-grants"), tenantB.adminToken(), new JsonObject()
        .put("userId", consultant).put("role", "auditor").put("reason", "Supplier audit of Q4"));
    assertThat(grant.status()).as(grant.toString()).isEqualTo(201);

    String token = platform.tokens().password(username, TestPlatform.USER_PASSWORD);
    Api.Response inA = api.get(tenantA.path("/me"), token);
    Api.Response inB = api.get(tenantB.path("/me"), token);

    assertThat(inA.status()).isEqualTo(200);
    assertThat(inA.json().getString("tenant")).isEqualTo(tenantA.slug());
    assertThat(inA.json().getJsonArray("roles").getList()).isEmpty();
    assertThat(inB.status()).isEqualTo(200);
    assertThat(inB.json().getJsonArray("roles").getList()).containsExactly("auditor");
    // B's auditor role does not open A's grants.
    assertThat(api.get(tenantA.path("/role-grants"), token).status()).isEqualTo(403);
    assertThat(api.get(tenantB.path("/role-grants"), token).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a tenant admin cannot grant roles in their tenant to a user of another tenant")
  void noGrantsToStrangers() {
    Api.Response response = api.post(tenantA.path("/role-grants"), tenantA.adminToken(), new JsonObject()
        .put("userId", tenantB.adminUserId()).put("role", "auditor").put("reason", "Trying to pull in a stranger"));
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/userId");
  }

  /** (method, path) of every operation under /t/{tenant} in the contract. */
  @SuppressWarnings("unchecked")
  private static List<String[]> tenantOperations() throws Exception {
    try (InputStream in = TenantWallIT.class.getClassLoader().getResourceAsStream("openapi/traceline.yaml")) {
      Map<String, Object> contract = new Yaml().load(in);
      Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) contract.get("paths");
      List<String[]> operations = new ArrayList<>();
      paths.forEach((path, item) -> {
        if (path.startsWith("/t/{tenant}")) {
          item.keySet().stream().filter(key -> List.of("get", "post", "put", "patch", "delete").contains(key))
              .forEach(method -> operations.add(new String[] {method.toUpperCase(), path}));
        }
      });
      return operations;
    }
  }

  private static String firstGrantId(TenantFixture tenant) throws Exception {
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT id FROM t_" + tenant.slug() + ".role_grant ORDER BY id LIMIT 1")) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static String roleGrantState(TenantFixture tenant) throws Exception {
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT string_agg(id || role || user_id || coalesce(revoked_at::text, ''), ',' "
             + "ORDER BY id) FROM t_" + tenant.slug() + ".role_grant")) {
      rows.next();
      return rows.getString(1);
    }
  }
}
