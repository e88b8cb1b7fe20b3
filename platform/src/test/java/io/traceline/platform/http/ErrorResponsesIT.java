package io.traceline.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every class of error the API can answer, seen from a client: an RFC 9457 problem with a trace id that
 * matches the response header and the log, no internals, and nothing written by a refused write.
 */
@DisplayName("Error responses are RFC 9457 problems without internals, and refused writes write nothing (DESIGN §6)")
class ErrorResponsesIT {

  private static final String GRANTS = "/role-grants";
  private static TestPlatform platform;
  private static Api api;
  private static TenantFixture tenant;

  @BeforeAll
  static void start() {
    platform = TestPlatform.get();
    api = platform.api();
    tenant = platform.newTenant("errors");
  }

  @Test
  @DisplayName("an unknown route is a 404 problem, outside the API and inside it with a valid token")
  void unknownRoutes() {
    assertProblem(api.get("/no-such-page", null), 404);
    assertProblem(api.get("/api/v1/no-such-resource", platform.operatorToken()), 404);
    assertProblem(api.get("/api/v1/operator/no-such-resource", platform.operatorToken()), 404);
    Api.Response insideTenant = api.get(tenant.path("/no-such-resource"), tenant.adminToken());
    assertProblem(insideTenant, 404);
    assertThat(insideTenant.json().getString("instance")).isEqualTo(tenant.path("/no-such-resource"));
  }

  @Test
  @DisplayName("a method a path does not support is a 405 problem whose Allow header lists the path's methods")
  void wrongMethod() throws SQLException {
    Api.Response tenants = api.send("DELETE", "/api/v1/operator/tenants", platform.operatorToken(), null, null);
    assertProblem(tenants, 405);
    assertThat(methods(tenants.allow())).containsExactlyInAnyOrder("GET", "POST");

    long before = grantCount();
    Api.Response grant = api.send("PUT", tenant.path(GRANTS + "/" + UUID.randomUUID()), tenant.adminToken(),
        new JsonObject().put("reason", "Trying to replace a grant").encode(), "application/json");
    assertProblem(grant, 405);
    assertThat(methods(grant.allow())).containsExactly("GET");
    assertThat(grantCount()).isEqualTo(before);

    Api.Response revocation = api.send("GET", tenant.path(GRANTS + "/" + UUID.randomUUID() + "/revocation"),
        tenant.adminToken(), null, null);
    assertProblem(revocation, 405);
    assertThat(methods(revocation.allow())).containsExactly("POST");

    Api.Response probe = api.send("POST", "/health/live", null, "{}", "application/json");
    assertProblem(probe, 405);
    assertThat(methods(probe.allow())).containsExactly("GET");
  }

  @Test
  @DisplayName("a body that is not JSON on a JSON operation is a 415 problem, and nothing is provisioned")
  void unsupportedMediaType() throws SQLException {
    String slug = TestPlatform.uniqueSlug("plain");
    Api.Response response = api.send("POST", "/api/v1/operator/tenants", platform.operatorToken(),
        TestPlatform.provisioning(slug, "Plain Text Inc", "admin@plain.example").encode(), "text/plain");
    assertProblem(response, 415);
    assertThat(tenantRows(slug)).isZero();

    long before = grantCount();
    assertProblem(api.send("POST", tenant.path(GRANTS), tenant.adminToken(), "role=auditor", "text/plain"), 415);
    assertThat(grantCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("malformed JSON is a 400 problem, and nothing is written")
  void malformedJson() throws SQLException {
    String slug = TestPlatform.uniqueSlug("broken");
    Api.Response response = api.send("POST", "/api/v1/operator/tenants", platform.operatorToken(),
        "{\"slug\": \"" + slug + "\", \"displayName\": ", "application/json");
    assertProblem(response, 400);
    assertThat(response.json().getString("type")).isEqualTo(Problem.TYPE_BASE + "malformed-json");
    assertThat(tenantRows(slug)).isZero();

    long before = grantCount();
    Api.Response grant = api.send("POST", tenant.path(GRANTS), tenant.adminToken(),
        "{\"userId\": \"" + tenant.adminUserId() + "\", \"role\": \"auditor\", \"reason\": \"unterminated", "application/json");
    assertProblem(grant, 400);
    assertThat(grant.json().getString("type")).isEqualTo(Problem.TYPE_BASE + "malformed-json");
    assertThat(grantCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("a body over the size limit is a 413 problem, and nothing is provisioned")
  void bodyTooLarge() throws SQLException {
    String slug = TestPlatform.uniqueSlug("huge");
    JsonObject request = TestPlatform.provisioning(slug, "x".repeat(2 * 1024 * 1024), "admin@huge.example");
    Api.Response response = api.post("/api/v1/operator/tenants", platform.operatorToken(), request);
    assertProblem(response, 413);
    assertThat(tenantRows(slug)).isZero();
  }

  @Test
  @DisplayName("a body breaking the contract is a 400 problem pointing at each bad field, nested ones included")
  void schemaViolation() throws SQLException {
    String slug = "Not A Slug!";
    JsonObject request = TestPlatform.provisioning(slug, "", "admin@valid.example").put("extra", true);
    request.getJsonObject("firstAdmin").put("email", "not-an-email");
    Api.Response response = api.post("/api/v1/operator/tenants", platform.operatorToken(), request);

    assertProblem(response, 400);
    assertThat(response.json().getString("type")).isEqualTo(Problem.TYPE_BASE + "validation");
    assertThat(pointers(response).stream().distinct())
        .containsExactlyInAnyOrder("/slug", "/displayName", "/extra", "/firstAdmin/email");
    response.json().getJsonArray("errors").forEach(error ->
        assertThat(((JsonObject) error).getString("message")).as(error.toString()).isNotBlank());
    assertThat(tenantRows(slug)).isZero();

    long before = grantCount();
    Api.Response grant = api.post(tenant.path(GRANTS), tenant.adminToken(),
        new JsonObject().put("userId", tenant.adminUserId()).put("role", "emperor").put("reason", "no"));
    assertProblem(grant, 400);
    assertThat(pointers(grant).stream().distinct()).containsExactlyInAnyOrder("/role", "/reason");
    assertThat(grantCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("a request without a token is a 401 problem that asks for a bearer token, and nothing is written")
  void noToken() throws SQLException {
    String slug = TestPlatform.uniqueSlug("anon");
    Api.Response response = api.post("/api/v1/operator/tenants", null,
        TestPlatform.provisioning(slug, "Anonymous Inc", "admin@anon.example"));
    assertProblem(response, 401);
    assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(tenantRows(slug)).isZero();

    long before = grantCount();
    Api.Response grant = api.post(tenant.path(GRANTS), null, grantRequest(tenant.adminUserId(), "auditor"));
    assertProblem(grant, 401);
    assertThat(grant.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(grantCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("a garbage token, a token with a tampered signature and a token for another client are each a 401 problem")
  void invalidTokens() throws SQLException {
    String valid = tenant.adminToken();
    assertThat(api.get(tenant.path("/me"), valid).status()).isEqualTo(200); // the same request with a good token works

    String[] parts = valid.split("\\.");
    assertThat(parts).hasSize(3);
    char last = parts[2].charAt(10);
    String tampered = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A')
        + parts[2].substring(11);
    String adminCli = platform.tokens().password("admin-cli", tenant.adminUsername(), TestPlatform.USER_PASSWORD, "openid");

    long before = grantCount();
    Map<String, String> tokens = Map.of("garbage", "garbage", "not a JWT", "not.a.jwt", "tampered signature", tampered,
        "admin-cli token (no traceline-api audience)", adminCli);
    tokens.forEach((kind, token) -> {
      Api.Response me = api.get(tenant.path("/me"), token);
      assertThat(me.status()).as(kind + ": " + me).isEqualTo(401);
      assertProblem(me, 401);
      assertThat(me.header("WWW-Authenticate")).as(kind).startsWith("Bearer");
      Api.Response grant = api.post(tenant.path(GRANTS), token, grantRequest(tenant.adminUserId(), "auditor"));
      assertThat(grant.status()).as(kind + ": " + grant).isEqualTo(401);
      assertProblem(grant, 401);
    });
    assertThat(grantCount()).isEqualTo(before);
    String slug = TestPlatform.uniqueSlug("forged");
    assertProblem(api.post("/api/v1/operator/tenants", tampered,
        TestPlatform.provisioning(slug, "Forged Inc", "admin@forged.example")), 401);
    assertThat(tenantRows(slug)).isZero();
  }

  @Test
  @DisplayName("a member of the tenant without an application role gets a 403 problem, and writes nothing")
  void forbidden() throws SQLException {
    String username = "norole." + TestPlatform.uniqueSlug("u").replace('_', '.') + "@users.example";
    String userId = platform.newUser(username, "Nora", "Role", tenant);
    String token = platform.tokens().password(username, TestPlatform.USER_PASSWORD);
    assertThat(api.get(tenant.path("/me"), token).status()).isEqualTo(200); // a member: the tenant admits them

    assertProblem(api.get(tenant.path(GRANTS), token), 403);
    long before = grantCount();
    assertProblem(api.post(tenant.path(GRANTS), token, grantRequest(userId, "tenant-admin")), 403);
    assertThat(grantCount()).isEqualTo(before);
    assertThat(activeGrants(userId)).isZero();
  }

  @Test
  @DisplayName("granting a role the user already holds is a 409 problem, and adds no grant")
  void conflict() throws SQLException {
    long before = grantCount();
    Api.Response response = api.post(tenant.path(GRANTS), tenant.adminToken(),
        grantRequest(tenant.adminUserId(), "tenant-admin"));
    assertProblem(response, 409);
    assertThat(grantCount()).isEqualTo(before);
    assertThat(activeGrants(tenant.adminUserId())).isEqualTo(1);
  }

  @Test
  @DisplayName("granting a role to someone who is not a member of the tenant is a 422 problem pointing at /userId")
  void unprocessable() throws SQLException {
    TenantFixture other = platform.newTenant("elsewhere");
    String outsider = platform.newUser("outsider." + TestPlatform.uniqueSlug("u").replace('_', '.') + "@users.example", "Otto", "Side", other);
    long before = grantCount();
    for (String userId : List.of(UUID.randomUUID().toString(), outsider)) {
      Api.Response response = api.post(tenant.path(GRANTS), tenant.adminToken(), grantRequest(userId, "auditor"));
      assertProblem(response, 422);
      assertThat(pointers(response)).containsExactly("/userId");
    }
    assertThat(grantCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("a W3C traceparent's trace id is echoed in X-Trace-Id and in the problem; without one each request gets its own")
  void traceparent() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    Api.Response response = api.send("GET", "/api/v1/no-such-resource", null, null, null,
        Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
    assertProblem(response, 404);
    assertThat(response.traceId()).isEqualTo(traceId);
    assertThat(response.json().getString("traceId")).isEqualTo(traceId);

    Api.Response ok = api.send("GET", "/health/live", null, null, null, Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
    assertThat(ok.traceId()).isEqualTo(traceId);

    Api.Response malformed = api.send("GET", "/api/v1/no-such-resource", null, null, null,
        Map.of("traceparent", "00-not-a-trace-01"));
    assertProblem(malformed, 404);
    String first = api.get("/no-such-page", null).traceId();
    assertThat(malformed.traceId()).isNotEqualTo(traceId).isNotEqualTo(first);
  }

  /** The shape every problem has, whatever its status. */
  private static void assertProblem(Api.Response response, int status) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.isProblem()).as(response.toString()).isTrue();
    assertThat(response.traceId()).as("X-Trace-Id of " + response).matches("[0-9a-f]{32}");
    JsonObject problem = response.json();
    assertThat(problem.getString("type")).as(response.toString()).startsWith(Problem.TYPE_BASE);
    assertThat(problem.getString("title")).as(response.toString()).isNotBlank();
    assertThat(problem.getInteger("status")).as(response.toString()).isEqualTo(status);
    assertThat(problem.getString("instance")).as(response.toString()).startsWith("/");
    assertThat(problem.getString("traceId")).as(response.toString()).isEqualTo(response.traceId());
    assertThat(response.body()).as("no internals in " + response)
        .doesNotContain("Exception", "\tat ", "at io.", "at java.", "io.vertx", "io.traceline", "java.lang", "java.util",
            "org.postgresql", "org.keycloak",
            "SQLSTATE", "sqlstate", "ERROR:", "23505", "23503", "PgException", "NullPointer", "Caused by");
  }

  private static List<String> pointers(Api.Response response) {
    JsonArray errors = response.json().getJsonArray("errors");
    assertThat(errors).as(response.toString()).isNotNull();
    return errors.stream().map(error -> ((JsonObject) error).getString("pointer")).toList();
  }

  private static List<String> methods(String allow) {
    assertThat(allow).as("Allow header").isNotNull();
    return List.of(allow.split("\\s*,\\s*"));
  }

  private static JsonObject grantRequest(String userId, String role) {
    return new JsonObject().put("userId", userId).put("role", role).put("reason", "Needed for the audit");
  }

  private static long grantCount() throws SQLException {
    return count("SELECT count(*) FROM t_" + tenant.slug() + ".role_grant");
  }

  private static long activeGrants(String userId) throws SQLException {
    return count("SELECT count(*) FROM t_" + tenant.slug() + ".role_grant WHERE user_id = '" + userId
        + "' AND revoked_at IS NULL");
  }

  private static long tenantRows(String slug) throws SQLException {
    return count("SELECT count(*) FROM control.tenant WHERE slug = '" + slug.replace("'", "''") + "'");
  }

  private static long count(String sql) throws SQLException {
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
