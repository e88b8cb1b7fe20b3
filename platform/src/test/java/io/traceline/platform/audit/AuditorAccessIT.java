package io.traceline.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every read of an auditor is in the audit trail before it is answered; other people's reads are not (issue 9 item 7). */
@DisplayName("Auditors: every read recorded in the audit trail (what, by whom, when, from where) before it is answered, refused reads too; reports record themselves once; other roles' reads are not recorded; a grant or revocation takes effect at the next request")
class AuditorAccessIT {

  private static final TestPlatform platform = TestPlatform.get();
  private static final Api api = platform.api();
  private static TenantFixture tenant;
  private static String schema;
  private static Person author;
  private static Person auditor;
  private static JsonObject document;

  @BeforeAll
  static void organisation() {
    tenant = platform.newTenant("auditoraccess");
    schema = "t_" + tenant.slug();
    DocumentFlow flow = new DocumentFlow(platform, tenant);
    author = flow.member("Adam", "Author", "document-author");
    auditor = flow.member("Aude", "Auditor", "auditor");
    document = flow.document(author, "sop", "QA", "Line clearance", "medium");
  }

  @Test
  @DisplayName("an auditor's reads — a document, its export, a list with a query, the audit trail itself — are each one record.accessed event with the operation, the path with its ids, the query and the format asked for")
  void readsAreRecorded() {
    String token = auditor.token(platform);
    long before = accessEvents(auditor);
    String id = document.getString("id");
    assertThat(api.get(tenant.path("/documents/" + id), token).status()).isEqualTo(200);
    assertThat(api.get(tenant.path("/documents/" + id + "/export"), token).status()).isEqualTo(200);
    assertThat(api.get(tenant.path("/documents?status=draft&limit=5"), token).status()).isEqualTo(200);
    assertThat(api.get(tenant.path("/audit-trail/events?actorId=" + author.id()), token).status()).isEqualTo(200);
    assertThat(accessEvents(auditor)).isEqualTo(before + 4);

    JsonObject export = lastAccess(auditor);
    assertThat(export.getString("operation")).isEqualTo("listAuditEvents");
    assertThat(export.getString("path")).isEqualTo("/audit-trail/events");
    assertThat(export.getString("query")).isEqualTo("actorId=" + author.id());
    JsonObject recorded = api.get(tenant.path("/audit-trail/events?actorId=" + auditor.id() + "&action="
        + AuditorAccessLog.ACTION + "&entityId=/documents/" + id + "/export"), tenant.adminToken()).json();
    assertThat(recorded.getJsonArray("items")).hasSize(1);
    JsonObject event = recorded.getJsonArray("items").getJsonObject(0);
    assertThat(event.getJsonObject("entity").getString("type")).isEqualTo(AuditorAccessLog.ENTITY_TYPE);
    assertThat(event.getJsonObject("after").getString("operation")).isEqualTo("exportDocument");
    assertThat(event.getJsonObject("actor").getString("id")).isEqualTo(auditor.id());
    assertThat(event.getJsonObject("source").getString("ip")).isNotBlank();
    assertThat(verification().getBoolean("intact")).isTrue();
  }

  @Test
  @DisplayName("a read the handler refuses (an unknown document, 404) stays recorded as the attempt; a write is refused (403) and records no read")
  void attemptsAndWrites() {
    String token = auditor.token(platform);
    long before = accessEvents(auditor);
    String unknown = "/documents/01930000-0000-7000-8000-000000000000";
    assertThat(api.get(tenant.path(unknown), token).status()).isEqualTo(404);
    assertThat(accessEvents(auditor)).isEqualTo(before + 1);
    assertThat(lastAccess(auditor).getString("path")).isEqualTo(unknown);
    Api.Response write = api.post(tenant.path("/documents"), token, new JsonObject().put("title", "Audit notes")
        .put("type", "sop").put("ownerId", auditor.id()).put("department", "QA").put("riskClass", "low")
        .put("reviewIntervalMonths", 24));
    assertThat(write.status()).as(write.toString()).isEqualTo(403);
    assertThat(accessEvents(auditor)).isEqualTo(before + 1);
  }

  @Test
  @DisplayName("a report records itself (report.generated with its parameters), not a second time as a read")
  void reportsOnce() {
    String token = auditor.token(platform);
    long reads = accessEvents(auditor);
    long reports = platform.queryLong("SELECT count(*) FROM " + schema + ".audit_event WHERE actor_id = '" + auditor.id()
        + "' AND action = 'report.generated'");
    assertThat(api.get(tenant.path("/reports/compliance?by=site"), token).status()).isEqualTo(200);
    assertThat(accessEvents(auditor)).isEqualTo(reads);
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".audit_event WHERE actor_id = '" + auditor.id()
        + "' AND action = 'report.generated'")).isEqualTo(reports + 1);
  }

  @Test
  @DisplayName("other roles' reads are not recorded; someone granted the auditor role is recorded from their next request, and no longer once it is revoked")
  void onlyAuditors() {
    long authorBefore = accessEvents(author);
    assertThat(api.get(tenant.path("/documents/" + document.getString("id")), author.token(platform)).status())
        .isEqualTo(200);
    assertThat(api.get(tenant.path("/documents"), tenant.adminToken()).status()).isEqualTo(200);
    assertThat(accessEvents(author)).isEqualTo(authorBefore);

    Person inspector = platform.newMember("Ines", "Inspector", tenant);
    String token = inspector.token(platform);
    assertThat(api.get(tenant.path("/documents"), token).status()).isEqualTo(200);
    assertThat(accessEvents(inspector)).isZero();
    Api.Response granted = api.post(tenant.path("/role-grants"), tenant.adminToken(), new JsonObject()
        .put("userId", inspector.id()).put("role", "auditor").put("reason", "FDA inspection this week"));
    assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
    assertThat(api.get(tenant.path("/documents"), token).status()).isEqualTo(200);
    assertThat(accessEvents(inspector)).isEqualTo(1);
    Api.Response revoked = api.post(tenant.path("/role-grants/" + granted.json().getString("id") + "/revocation"),
        tenant.adminToken(), new JsonObject().put("reason", "Inspection closed"));
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    assertThat(api.get(tenant.path("/documents"), token).status()).isEqualTo(200);
    assertThat(accessEvents(inspector)).isEqualTo(1);
  }

  @Test
  @DisplayName("tenants are walls: an auditor of another tenant reading here is refused (404) and leaves no event in either tenant")
  void crossTenant() {
    TenantFixture other = platform.newTenant("auditorwall");
    Person outsider = platform.newMember("Olga", "Outsider", other);
    platform.grantRole(other, outsider.id(), "auditor");
    for (String path : List.of("/documents/" + document.getString("id"), "/documents/" + document.getString("id")
        + "/export", "/audit-trail/events")) {
      assertThat(api.get(tenant.path(path), outsider.token(platform)).status()).isEqualTo(404);
    }
    assertThat(accessEvents(outsider)).isZero();
    assertThat(platform.queryLong("SELECT count(*) FROM t_" + other.slug() + ".audit_event WHERE actor_id = '"
        + outsider.id() + "' AND action = '" + AuditorAccessLog.ACTION + "'")).isZero();
  }

  private static long accessEvents(Person actor) {
    return platform.queryLong("SELECT count(*) FROM " + schema + ".audit_event WHERE actor_id = '" + actor.id()
        + "' AND action = '" + AuditorAccessLog.ACTION + "'");
  }

  private static JsonObject lastAccess(Person actor) {
    return new JsonObject(platform.queryString("SELECT after_value::text FROM " + schema + ".audit_event WHERE actor_id = '"
        + actor.id() + "' AND action = '" + AuditorAccessLog.ACTION + "' ORDER BY seq DESC LIMIT 1"));
  }

  private static JsonObject verification() {
    Api.Response response = api.get(tenant.path("/audit-trail/verification"), tenant.adminToken());
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }
}
