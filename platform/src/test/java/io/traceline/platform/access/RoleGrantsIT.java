package io.traceline.platform.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Application roles are granted and revoked by tenant admins, with reasons kept as history (TEN-3)")
class RoleGrantsIT {

  private static TestPlatform platform;
  private static Api api;
  private static TenantFixture tenant;

  @BeforeAll
  static void tenant() {
    platform = TestPlatform.get();
    api = platform.api();
    tenant = platform.newTenant("grants");
  }

  @Test
  @DisplayName("a granted role shows in the user's own view at once, and a revoked one disappears, both with who and why")
  void grantAndRevoke() {
    String userId = member("Quentin", "Reviewer");
    Api.Response granted = grant(tenant.adminToken(), userId, "reviewer", "Joins the SOP review board");

    assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
    JsonObject grant = granted.json();
    assertThat(granted.location()).isEqualTo(tenant.path("/role-grants/" + grant.getString("id")));
    assertThat(grant.getString("userName")).isEqualTo("Quentin Reviewer");
    assertThat(grant.getJsonObject("grantedBy").getString("id")).isEqualTo(tenant.adminUserId());
    assertThat(grant.getString("reason")).isEqualTo("Joins the SOP review board");
    assertThat(roles(userId)).containsExactly("reviewer");

    Api.Response revoked = api.post(tenant.path("/role-grants/" + grant.getString("id") + "/revocation"), tenant.adminToken(),
        new JsonObject().put("reason", "Left the review board"));

    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    assertThat(revoked.json().getBoolean("active")).isFalse();
    assertThat(revoked.json().getString("revokeReason")).isEqualTo("Left the review board");
    assertThat(revoked.json().getJsonObject("revokedBy").getString("id")).isEqualTo(tenant.adminUserId());
    assertThat(roles(userId)).isEmpty();
    Api.Response history = api.get(tenant.path("/role-grants?userId=" + userId), tenant.adminToken());
    assertThat(history.json().getJsonArray("items")).hasSize(1);
    assertThat(api.get(tenant.path("/role-grants/" + grant.getString("id")), tenant.adminToken()).json().getBoolean("active"))
        .isFalse();
  }

  @Test
  @DisplayName("only tenant admins grant and revoke; auditors read grants; others get 403 and nothing changes")
  void onlyAdminsChangeGrants() throws SQLException {
    String employee = member("Erin", "Employee");
    String auditor = member("Aldo", "Auditor");
    grant(tenant.adminToken(), employee, "employee", "New starter");
    grant(tenant.adminToken(), auditor, "auditor", "Internal audit programme 2026");
    String employeeToken = token(employee);
    String auditorToken = token(auditor);
    long before = grantCount();

    assertThat(grant(employeeToken, employee, "tenant-admin", "Promoting myself").status()).isEqualTo(403);
    assertThat(grant(auditorToken, auditor, "approver", "Auditors must not change data").status()).isEqualTo(403);
    assertThat(api.get(tenant.path("/role-grants"), employeeToken).status()).isEqualTo(403);
    assertThat(api.get(tenant.path("/role-grants"), auditorToken).status()).isEqualTo(200);
    String someGrant = api.get(tenant.path("/role-grants"), auditorToken).json().getJsonArray("items").getJsonObject(0)
        .getString("id");
    assertThat(api.post(tenant.path("/role-grants/" + someGrant + "/revocation"), auditorToken,
        new JsonObject().put("reason", "Auditors must not change data")).status()).isEqualTo(403);
    assertThat(grantCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("granting a role the user holds is a 409; revoking twice is a 409; the last tenant admin cannot be revoked")
  void conflicts() throws SQLException {
    String userId = member("Tara", "Trainer");
    String grantId = grant(tenant.adminToken(), userId, "trainer", "Qualified trainer for aseptic gowning").json().getString("id");
    assertThat(grant(tenant.adminToken(), userId, "trainer", "Again").status()).isEqualTo(409);

    String revocation = tenant.path("/role-grants/" + grantId + "/revocation");
    assertThat(api.post(revocation, tenant.adminToken(), new JsonObject().put("reason", "Qualification lapsed")).status())
        .isEqualTo(200);
    assertThat(api.post(revocation, tenant.adminToken(), new JsonObject().put("reason", "Twice")).status()).isEqualTo(409);

    TenantFixture lonely = platform.newTenant("lonely");
    String adminGrant = api.get(lonely.path("/role-grants?role=tenant-admin&active=true"), lonely.adminToken())
        .json().getJsonArray("items").getJsonObject(0).getString("id");
    Api.Response last = api.post(lonely.path("/role-grants/" + adminGrant + "/revocation"), lonely.adminToken(),
        new JsonObject().put("reason", "Leaving the company"));
    assertThat(last.status()).isEqualTo(409);
    assertThat(last.json().getString("detail")).contains("last tenant-admin");
  }

  @Test
  @DisplayName("a grant without a reason, with an unknown role or a malformed id is a 400 naming the field")
  void validation() throws SQLException {
    String userId = member("Vera", "Validator");
    long before = grantCount();
    Api.Response noReason = api.post(tenant.path("/role-grants"), tenant.adminToken(),
        new JsonObject().put("userId", userId).put("role", "approver"));
    Api.Response badRole = grant(tenant.adminToken(), userId, "superuser", "Because");
    Api.Response badId = api.get(tenant.path("/role-grants/not-a-uuid"), tenant.adminToken());

    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.body()).contains("reason");
    assertThat(badRole.status()).isEqualTo(400);
    assertThat(badRole.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/role");
    assertThat(badId.status()).isEqualTo(400);
    assertThat(grantCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("grants are listed oldest first, page by page, filtered by role and state")
  void pagination() {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String userId = member("Page" + i, "Reader");
      users.add(userId);
      grant(tenant.adminToken(), userId, "employee", "Cohort " + i);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Api.Response page = api.get(tenant.path("/role-grants?role=employee&active=true&limit=2"
          + (cursor == null ? "" : "&after=" + cursor)), tenant.adminToken());
      assertThat(page.status()).isEqualTo(200);
      page.json().getJsonArray("items").forEach(item -> {
        assertThat(((JsonObject) item).getString("role")).isEqualTo("employee");
        seen.add(((JsonObject) item).getString("userId"));
      });
      cursor = page.json().getString("next");
    } while (cursor != null);
    assertThat(seen).containsAll(users).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("the database itself refuses to delete a grant or to rewrite one (no hard delete, history kept)")
  void databaseGuardsHistory() throws SQLException {
    String userId = member("Della", "Deleted");
    String grantId = grant(tenant.adminToken(), userId, "supervisor", "Line supervisor, fill line 2").json().getString("id");
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute("DELETE FROM t_" + tenant.slug() + ".role_grant WHERE id = '" + grantId + "'"))
          .hasMessageContaining("never deleted");
      assertThatThrownBy(() -> statement.execute("UPDATE t_" + tenant.slug() + ".role_grant SET role = 'tenant-admin' WHERE id = '"
          + grantId + "'")).hasMessageContaining("only be revoked");
    }
    assertThat(roles(userId)).containsExactly("supervisor");
  }

  private Api.Response grant(String token, String userId, String role, String reason) {
    return api.post(tenant.path("/role-grants"), token, new JsonObject().put("userId", userId).put("role", role).put("reason", reason));
  }

  private String member(String given, String family) {
    return platform.newUser(given.toLowerCase() + "." + UUID.randomUUID().toString().substring(0, 8) + "@" + tenant.slug().replace('_', '-')
        + ".example", given, family, tenant);
  }

  private String token(String userId) {
    return platform.tokens().password(platform.realm().users().get(userId).toRepresentation().getUsername(),
        TestPlatform.USER_PASSWORD);
  }

  private List<Object> roles(String userId) {
    Api.Response me = api.get(tenant.path("/me"), token(userId));
    assertThat(me.status()).isEqualTo(200);
    return me.json().getJsonArray("roles").getList();
  }

  private long grantCount() throws SQLException {
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT count(*) FROM t_" + tenant.slug() + ".role_grant")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
