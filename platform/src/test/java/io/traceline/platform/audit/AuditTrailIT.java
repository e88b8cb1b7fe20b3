package io.traceline.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The audit trail records every change, cannot be altered, and shows any tampering (P11-1, P11-2, Annex 11 §9, §12)")
class AuditTrailIT {

  private static final String EVENTS = "/audit-trail/events";
  private static TestPlatform platform;
  private static Api api;
  private static TenantFixture tenant;
  private static Person auditor;
  private static String auditorToken;

  @BeforeAll
  static void tenant() {
    platform = TestPlatform.get();
    api = platform.api();
    tenant = platform.newTenant("audit");
    auditor = platform.newMember("Aldo", "Auditor", tenant);
    platform.grantRole(tenant, auditor.id(), "auditor");
    auditorToken = auditor.token(platform);
  }

  @Test
  @DisplayName("a grant and its revocation are audited in the same transaction: actor, database time, values before and after, reason, client, address and trace id; a client's clock is ignored")
  void grantsAndRevocations() throws SQLException {
    Person reviewer = platform.newMember("Quentin", "Reviewer", tenant);
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    OffsetDateTime before = platform.databaseNow();
    Api.Response granted = api.send("POST", tenant.path("/role-grants"), tenant.adminToken(), new JsonObject()
            .put("userId", reviewer.id()).put("role", "reviewer").put("reason", "Joins the SOP review board").encode(),
        "application/json", Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01",
            "Date", "Mon, 01 Jan 2001 00:00:00 GMT", "X-Forwarded-For", "203.0.113.7"));
    assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
    String grantId = granted.json().getString("id");

    JsonObject grantEvent = single(events("?entityType=role-grant&entityId=" + grantId + "&action=role.granted"));
    assertThat(grantEvent.getJsonObject("actor")).isEqualTo(new JsonObject().put("id", tenant.adminUserId())
        .put("name", "Ada Admin"));
    assertThat(grantEvent.getJsonObject("entity").getString("type")).isEqualTo("role-grant");
    assertThat(grantEvent.getValue("before")).isNull();
    assertThat(grantEvent.getJsonObject("after").getString("role")).isEqualTo("reviewer");
    assertThat(grantEvent.getJsonObject("after").getString("userId")).isEqualTo(reviewer.id());
    assertThat(grantEvent.getString("reason")).isEqualTo("Joins the SOP review board");
    JsonObject source = grantEvent.getJsonObject("source");
    assertThat(source.getString("clientId")).isEqualTo("traceline-portal");
    assertThat(source.getString("ip")).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(source.getString("forwardedFor")).isEqualTo("203.0.113.7");
    assertThat(source.getString("traceId")).isEqualTo(traceId);
    OffsetDateTime at = OffsetDateTime.parse(grantEvent.getString("occurredAt"));
    assertThat(grantEvent.getString("occurredAt")).endsWith("Z");
    assertThat(at).isAfterOrEqualTo(before).isBeforeOrEqualTo(platform.databaseNow());

    Api.Response revoked = api.post(tenant.path("/role-grants/" + grantId + "/revocation"), tenant.adminToken(),
        new JsonObject().put("reason", "Left the review board"));
    assertThat(revoked.status()).isEqualTo(200);
    JsonObject revokeEvent = single(events("?entityType=role-grant&entityId=" + grantId + "&action=role.revoked"));
    assertThat(revokeEvent.getJsonObject("before").getBoolean("active")).isTrue();
    assertThat(revokeEvent.getJsonObject("after").getBoolean("active")).isFalse();
    assertThat(revokeEvent.getString("reason")).isEqualTo("Left the review board");
    assertThat(revokeEvent.getLong("seq")).isGreaterThan(grantEvent.getLong("seq"));
  }

  @Test
  @DisplayName("a refused change writes no audit event (the change and its event commit together or not at all)")
  void refusedChangesLeaveNoEvent() {
    long head = headSeq(tenant);
    Api.Response conflict = api.post(tenant.path("/role-grants"), tenant.adminToken(), new JsonObject()
        .put("userId", tenant.adminUserId()).put("role", "tenant-admin").put("reason", "Already holds it"));
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(headSeq(tenant)).isEqualTo(head);
  }

  @Test
  @DisplayName("the first admin's grant at provisioning opens the tenant's trail, attributed to the operator who provisioned it")
  void provisioningIsAudited() {
    JsonObject first = events("?limit=1").getJsonArray("items").getJsonObject(0);
    assertThat(first.getLong("seq")).isEqualTo(1);
    assertThat(first.getString("action")).isEqualTo("role.granted");
    assertThat(first.getJsonObject("after").getString("userId")).isEqualTo(tenant.adminUserId());
    assertThat(first.getJsonObject("after").getString("role")).isEqualTo("tenant-admin");
    assertThat(first.getString("prevHash")).isEqualTo("0".repeat(64));
  }

  @Test
  @DisplayName("the trail is searched by entity, actor, action and time, page by page in either order")
  void search() {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Person person = platform.newMember("Paged" + (char) ('a' + i), "Person", tenant);
      users.add(person.id());
      platform.grantRole(tenant, person.id(), "employee");
    }
    JsonArray byActor = events("?actorId=" + tenant.adminUserId() + "&action=role.granted&limit=200").getJsonArray("items");
    assertThat(byActor.stream().map(e -> ((JsonObject) e).getJsonObject("after").getString("userId"))).containsAll(users);

    List<Long> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = events("?action=role.granted&limit=2" + (cursor == null ? "" : "&after=" + cursor));
      assertThat(page.getJsonArray("items").size()).isLessThanOrEqualTo(2);
      page.getJsonArray("items").forEach(e -> seen.add(((JsonObject) e).getLong("seq")));
      cursor = page.getString("next");
    } while (cursor != null);
    assertThat(seen).isSorted().doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(4);

    JsonArray newestFirst = events("?action=role.granted&order=desc&limit=2").getJsonArray("items");
    assertThat(newestFirst.getJsonObject(0).getLong("seq")).isEqualTo(seen.get(seen.size() - 1));

    String from = events("?action=role.granted&order=desc&limit=1").getJsonArray("items").getJsonObject(0)
        .getString("occurredAt");
    JsonArray sinceLast = events("?action=role.granted&from=" + from).getJsonArray("items");
    assertThat(sinceLast).hasSize(1);
    assertThat(events("?action=role.granted&to=" + from).getJsonArray("items").size()).isEqualTo(seen.size() - 1);
    assertThat(api.get(tenant.path(EVENTS + "?from=yesterday"), auditorToken).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("auditors, quality managers and tenant admins read the trail; others get 403; reading writes nothing but the record of an auditor's reads")
  void readers() {
    Person employee = platform.newMember("Erin", "Employee", tenant);
    platform.grantRole(tenant, employee.id(), "employee");
    String employeeToken = employee.token(platform);
    long head = headSeq(tenant);

    for (String path : List.of(EVENTS, "/audit-trail/export", "/audit-trail/verification")) {
      assertThat(api.get(tenant.path(path), employeeToken).status()).as(path).isEqualTo(403);
      assertThat(api.get(tenant.path(path), auditorToken).status()).as(path).isEqualTo(200);
      assertThat(api.get(tenant.path(path), tenant.adminToken()).status()).as(path).isEqualTo(200);
    }
    // Reading writes nothing, except the record of each auditor read (AuditorAccessLog): three reads, three events.
    assertThat(headSeq(tenant)).isEqualTo(head + 3);
    assertThat(platform.queryLong("SELECT count(*) FROM t_" + tenant.slug() + ".audit_event WHERE seq > " + head
        + " AND action = '" + AuditorAccessLog.ACTION + "'")).isEqualTo(3);
  }

  @Test
  @DisplayName("the trail exports as a PDF extract (format=pdf or Accept): tenant, generated-at, page numbers, filters, the chain head, each event with who, action, entity, reason and its values; too many events is a 422; readers only; tenant walls")
  void pdfExport() throws java.io.IOException {
    Person person = platform.newMember("Petra", "Pdf", tenant);
    Api.Response granted = api.post(tenant.path("/role-grants"), tenant.adminToken(), new JsonObject()
        .put("userId", person.id()).put("role", "trainer").put("reason", "Qualified trainer for the PDF test"));
    assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
    String grantId = granted.json().getString("id");
    var response = api.getBytes(tenant.path("/audit-trail/export?entityType=role-grant&entityId=" + grantId),
        auditorToken, "application/pdf");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/pdf");
    String text;
    try (org.apache.pdfbox.pdmodel.PDDocument pdf = org.apache.pdfbox.Loader.loadPDF(response.body())) {
      text = new org.apache.pdfbox.text.PDFTextStripper().getText(pdf).replaceAll("\\s+", " ");
    }
    assertThat(text).contains("Audit trail extract").contains("Page 1 of ")
        .containsPattern("Generated \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
    assertThat(text).contains("entity type role-grant; entity " + grantId).contains("Events 1, sequence ");
    assertThat(text.replace(" ", "")).contains("role.granted").contains("QualifiedtrainerforthePDFtest")
        .contains("\"role\":\"trainer\"");
    assertThat(text).contains("Chain head when read");

    var byParameter = api.getBytes(tenant.path("/audit-trail/export?format=pdf&action=role.granted"),
        tenant.adminToken(), "*/*");
    assertThat(byParameter.statusCode()).isEqualTo(200);
    Person employee = platform.newMember("Evan", "Employee", tenant);
    platform.grantRole(tenant, employee.id(), "employee");
    assertThat(api.getBytes(tenant.path("/audit-trail/export?format=pdf"), employee.token(platform), "*/*")
        .statusCode()).isEqualTo(403);
    assertThat(api.getBytes(tenant.path("/audit-trail/export?format=pdf"), platform.newTenant("auditpdfx").adminToken(),
        "*/*").statusCode()).isEqualTo(404);
    assertThat(api.get(tenant.path("/audit-trail/export?format=xml"), auditorToken).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("the trail exports as CSV with a header, one line per event and its hashes; commas, quotes and formulas are escaped")
  void csvExport() {
    Person person = platform.newMember("Carla", "Csv", tenant);
    api.post(tenant.path("/role-grants"), tenant.adminToken(), new JsonObject().put("userId", person.id())
        .put("role", "trainer").put("reason", "=cmd, \"quoted\" reason"));
    Api.Response export = api.get(tenant.path("/audit-trail/export?format=csv"), auditorToken);

    assertThat(export.status()).isEqualTo(200);
    assertThat(export.contentType()).startsWith("text/csv");
    String[] lines = export.body().split("\r\n");
    assertThat(lines[0]).startsWith("seq,occurred_at,actor_id,actor_name,action,entity_type,entity_id").endsWith("prev_hash,hash");
    assertThat(lines.length - 1L).isEqualTo(headSeq(tenant));
    assertThat(export.body()).contains("\"'=cmd, \"\"quoted\"\" reason\"");
    assertThat(lines[1]).startsWith("1,");
  }

  @Test
  @DisplayName("the database refuses UPDATE, DELETE and TRUNCATE of the trail: the platform's role lacks the privilege, and even the owner is stopped by the trigger")
  void databaseRefusesChanges() throws SQLException {
    String table = "t_" + tenant.slug() + ".audit_event";
    long head = headSeq(tenant);
    try (Connection runtime = platform.runtimeJdbc(); Statement statement = runtime.createStatement()) {
      for (String sql : List.of("UPDATE " + table + " SET reason = 'rewritten' WHERE seq = 1", "DELETE FROM " + table,
          "TRUNCATE " + table, "UPDATE t_" + tenant.slug() + ".audit_chain_head SET seq = 0, last_hash = repeat('0', 64)",
          "INSERT INTO " + table + " SELECT * FROM " + table + " WHERE seq = 1")) {
        assertThatThrownBy(() -> statement.execute(sql)).as(sql).isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql).isEqualTo("42501"));
      }
    }
    try (Connection owner = platform.jdbc(); Statement statement = owner.createStatement()) {
      assertThatThrownBy(() -> statement.execute("UPDATE " + table + " SET reason = 'rewritten' WHERE seq = 1"))
          .hasMessageContaining("append-only");
      assertThatThrownBy(() -> statement.execute("DELETE FROM " + table + " WHERE seq = 1")).hasMessageContaining("append-only");
      assertThatThrownBy(() -> statement.execute("TRUNCATE " + table)).hasMessageContaining("append-only");
      assertThatThrownBy(() -> statement.execute("INSERT INTO " + table + " SELECT * FROM " + table + " WHERE seq = 1"))
          .as("a second event 1: a fork").isInstanceOf(SQLException.class);
    }
    assertThat(headSeq(tenant)).isEqualTo(head);
    assertThat(verification(tenant).getBoolean("intact")).isTrue();
  }

  @Test
  @DisplayName("a row changed behind the database's back (superuser, trigger disabled) is named by the verification as the first broken link")
  void tamperingIsDetected() throws SQLException {
    TenantFixture victim = platform.newTenant("tamper");
    Person person = platform.newMember("Tess", "Target", victim);
    for (String role : List.of("employee", "trainer", "supervisor")) {
      platform.grantRole(victim, person.id(), role);
    }
    assertThat(verification(victim).getBoolean("intact")).isTrue();
    long target = headSeq(victim) - 1;
    String schema = "t_" + victim.slug();
    try (Connection owner = platform.jdbc(); Statement statement = owner.createStatement()) {
      statement.execute("ALTER TABLE " + schema + ".audit_event DISABLE TRIGGER audit_event_append_only");
      statement.execute("UPDATE " + schema + ".audit_event SET reason = 'Nothing to see here' WHERE seq = " + target);
      statement.execute("ALTER TABLE " + schema + ".audit_event ENABLE TRIGGER audit_event_append_only");
    }

    JsonObject report = verification(victim);
    assertThat(report.getBoolean("intact")).isFalse();
    JsonObject broken = report.getJsonObject("auditTrail").getJsonObject("firstBrokenLink");
    assertThat(broken.getLong("seq")).isEqualTo(target);
    assertThat(broken.getString("problem")).isEqualTo("hash-mismatch");
    assertThat(report.getJsonObject("records").getBoolean("intact")).isTrue();

    // The same with a record version: its content no longer matches its hash.
    assertThat(api.get(victim.path("/settings"), victim.adminToken()).status()).isEqualTo(200);
    try (Connection owner = platform.jdbc(); Statement statement = owner.createStatement()) {
      statement.execute("ALTER TABLE " + schema + ".record_version DISABLE TRIGGER record_version_append_only");
      statement.execute("UPDATE " + schema + ".record_version SET content = jsonb_set(content, '{recordRetentionYears}', '1') "
          + "WHERE record_type = 'tenant-settings'");
      statement.execute("ALTER TABLE " + schema + ".record_version ENABLE TRIGGER record_version_append_only");
    }
    JsonArray altered = verification(victim).getJsonObject("records").getJsonArray("altered");
    assertThat(altered).hasSize(1);
    assertThat(altered.getJsonObject(0).getString("recordType")).isEqualTo("tenant-settings");
  }

  @Test
  @DisplayName("many writers at once: the chain stays linear (1, 2, 3… each linked to the one before) and verifies")
  void parallelWriters() throws Exception {
    int writers = 24;
    List<Person> people = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      people.add(platform.newMember("Parallel" + (char) ('a' + i), "Writer", tenant));
    }
    long before = headSeq(tenant);
    String adminToken = tenant.adminToken();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Integer>> grants = new ArrayList<>();
      people.forEach(person -> grants.add(pool.submit(() -> api.post(tenant.path("/role-grants"), adminToken,
          new JsonObject().put("userId", person.id()).put("role", "employee").put("reason", "Parallel onboarding"))
          .status())));
      for (Future<Integer> grant : grants) {
        assertThat(grant.get()).isEqualTo(201);
      }
      List<Future<Integer>> deactivations = new ArrayList<>();
      people.forEach(person -> deactivations.add(pool.submit(() -> api.post(tenant.path("/users/" + person.id()
          + "/deactivation"), adminToken, new JsonObject().put("reason", "Parallel offboarding")).status())));
      for (Future<Integer> deactivation : deactivations) {
        assertThat(deactivation.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdown();
    }

    assertThat(headSeq(tenant)).isEqualTo(before + 2L * writers);
    try (Connection owner = platform.jdbc(); Statement statement = owner.createStatement();
         ResultSet rows = statement.executeQuery("SELECT count(*), min(seq), max(seq), count(*) FILTER (WHERE broken) "
             + "FROM (SELECT seq, (seq > 1 AND prev_hash IS DISTINCT FROM lag(hash) OVER (ORDER BY seq)) "
             // the link recomputed by SQL alone, from the stored content hash
             + "OR hash <> encode(sha256(convert_to(format('{\"contentHash\":\"%s\",\"occurredAt\":\"%s\",\"prevHash\":\"%s\","
             + "\"seq\":%s}', content_hash, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
             + "prev_hash, seq), 'UTF8')), 'hex') AS broken FROM t_" + tenant.slug() + ".audit_event) chain")) {
      rows.next();
      assertThat(rows.getLong(2)).isEqualTo(1);
      assertThat(rows.getLong(1)).as("no gap").isEqualTo(rows.getLong(3));
      assertThat(rows.getLong(4)).as("links to the previous event's hash").isZero();
    }
    JsonObject report = verification(tenant);
    assertThat(report.getJsonObject("auditTrail").getBoolean("intact")).isTrue();
    assertThat(report.getJsonObject("auditTrail").getLong("events")).isEqualTo(headSeq(tenant));
  }

  private static JsonObject single(JsonObject page) {
    assertThat(page.getJsonArray("items")).hasSize(1);
    return page.getJsonArray("items").getJsonObject(0);
  }

  private static JsonObject events(String query) {
    Api.Response response = api.get(tenant.path(EVENTS + query), auditorToken);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private static JsonObject verification(TenantFixture fixture) {
    Api.Response response = api.get(fixture.path("/audit-trail/verification"), fixture.adminToken());
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private static long headSeq(TenantFixture fixture) {
    return platform.queryLong("SELECT seq FROM t_" + fixture.slug() + ".audit_chain_head");
  }



}
