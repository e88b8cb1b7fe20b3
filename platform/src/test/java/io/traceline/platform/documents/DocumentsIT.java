package io.traceline.platform.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
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

@DisplayName("Controlled documents: numbered by the server, versioned through draft → in-review → approved → effective → superseded / obsolete, one effective version at a time (DOC-1, DOC-2, DOC-3, DOC-4)")
class DocumentsIT {

  private static TestPlatform platform;
  private static Api api;
  private static TenantFixture tenant;
  private static String author;
  private static String approver;
  private static String authorApprover;
  private static String employee;

  @BeforeAll
  static void tenant() {
    platform = TestPlatform.get();
    api = platform.api();
    tenant = platform.newTenant("docs");
    author = member("Aoife", "Author", "document-author");
    approver = member("Aaron", "Approver", "approver");
    Person both = platform.newMember("Bea", "Both", tenant);
    platform.grantRole(tenant, both.id(), "document-author");
    platform.grantRole(tenant, both.id(), "approver");
    authorApprover = both.token(platform);
    employee = member("Ed", "Employee", "employee");
  }

  private static String member(String given, String family, String role) {
    Person person = platform.newMember(given, family, tenant);
    platform.grantRole(tenant, person.id(), role);
    return person.token(platform);
  }

  private static JsonObject newDocument(String type, String department, String title) {
    Api.Response response = api.post(tenant.path("/documents"), author, new JsonObject().put("title", title)
        .put("type", type).put("ownerId", tenant.adminUserId()).put("department", department).put("riskClass", "high")
        .put("sponsorProgram", "Program X").put("reviewIntervalMonths", 24));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  private static JsonObject newVersion(JsonObject document, String token, String revision) {
    Api.Response response = api.post(tenant.path("/documents/" + document.getString("id") + "/versions"), token,
        new JsonObject().put("revision", revision).put("changeSummary", "Rewritten section 4")
            .put("trainingImpact", "read-and-acknowledge"));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  private static Api.Response act(JsonObject version, String token, String action, String reason) {
    JsonObject body = new JsonObject().put("action", action);
    if (reason != null) {
      body.put("reason", reason);
    }
    return api.post(tenant.path("/documents/" + version.getString("documentId") + "/versions/" + version.getString("id")
        + "/transitions"), token, body);
  }

  private static JsonObject effective(JsonObject document, String revision) {
    JsonObject version = newVersion(document, author, revision);
    assertThat(act(version, author, "submit", null).status()).isEqualTo(200);
    Api.Response approved = act(version, approver, "approve", null);
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    return approved.json();
  }

  @Test
  @DisplayName("the server numbers documents per type and department (SOP-QA-001, SOP-QA-002, WI-QA-001), unique in the tenant")
  void numbering() {
    String department = "D" + UUID.randomUUID().toString().replace("-", "").substring(0, 6).toUpperCase();
    JsonObject first = newDocument("sop", department, "Cleaning of line 1");
    JsonObject second = newDocument("sop", department, "Cleaning of line 2");
    JsonObject instruction = newDocument("work-instruction", department, "Label printer");
    assertThat(first.getString("number")).isEqualTo("SOP-" + department + "-001");
    assertThat(second.getString("number")).isEqualTo("SOP-" + department + "-002");
    assertThat(instruction.getString("number")).isEqualTo("WI-" + department + "-001");
    assertThat(first.getString("status")).isEqualTo("draft");
    assertThat(first.getString("riskClass")).isEqualTo("high");
    assertThat(first.getString("sponsorProgram")).isEqualTo("Program X");
    Api.Response got = api.get(tenant.path("/documents/" + first.getString("id")), employee);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.header("ETag")).isEqualTo("\"1\"");
    assertThat(got.json().getString("number")).isEqualTo(first.getString("number"));
  }

  @Test
  @DisplayName("the list filters by type, department, owner, status and text, in number order with cursor pages")
  void list() {
    String department = "L" + UUID.randomUUID().toString().replace("-", "").substring(0, 6).toUpperCase();
    newDocument("sop", department, "Gowning");
    newDocument("sop", department, "Hand washing");
    newDocument("policy", department, "Quality policy");
    Api.Response page1 = api.get(tenant.path("/documents?department=" + department + "&limit=2"), employee);
    assertThat(page1.status()).as(page1.toString()).isEqualTo(200);
    JsonArray items = page1.json().getJsonArray("items");
    assertThat(items).hasSize(2);
    assertThat(items.getJsonObject(0).getString("number")).isEqualTo("POL-" + department + "-001");
    String next = page1.json().getString("next");
    assertThat(next).isEqualTo("SOP-" + department + "-001");
    Api.Response page2 = api.get(tenant.path("/documents?department=" + department + "&limit=2&after=" + next), employee);
    assertThat(page2.json().getJsonArray("items")).hasSize(1);
    assertThat(page2.json().getString("next")).isNull();
    assertThat(api.get(tenant.path("/documents?department=" + department + "&type=sop"), employee).json()
        .getJsonArray("items")).hasSize(2);
    assertThat(api.get(tenant.path("/documents?department=" + department + "&q=WASH"), employee).json()
        .getJsonArray("items")).hasSize(1);
    assertThat(api.get(tenant.path("/documents?department=" + department + "&status=draft&ownerId="
        + tenant.adminUserId()), employee).json().getJsonArray("items")).hasSize(3);
    assertThat(api.get(tenant.path("/documents?department=" + department + "&status=effective"), employee).json()
        .getJsonArray("items")).isEmpty();
    assertThat(api.get(tenant.path("/documents?type=memo"), employee).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("bad input is a 400 problem and writes nothing; only authors, quality managers and admins create documents")
  void badInput() {
    long before = platform.queryLong("SELECT count(*) FROM t_" + tenant.slug() + ".document");
    Api.Response noDepartment = api.post(tenant.path("/documents"), author, new JsonObject().put("title", "X")
        .put("type", "sop").put("ownerId", "u").put("riskClass", "high").put("reviewIntervalMonths", 12));
    assertThat(noDepartment.status()).isEqualTo(400);
    assertThat(noDepartment.isProblem()).isTrue();
    Api.Response badRisk = api.post(tenant.path("/documents"), author, new JsonObject().put("title", "X")
        .put("type", "sop").put("ownerId", "u").put("department", "QA").put("riskClass", "extreme")
        .put("reviewIntervalMonths", 12));
    assertThat(badRisk.status()).isEqualTo(400);
    Api.Response byEmployee = api.post(tenant.path("/documents"), employee, new JsonObject().put("title", "X")
        .put("type", "sop").put("ownerId", "u").put("department", "QA").put("riskClass", "low")
        .put("reviewIntervalMonths", 12));
    assertThat(byEmployee.status()).isEqualTo(403);
    assertThat(platform.queryLong("SELECT count(*) FROM t_" + tenant.slug() + ".document")).isEqualTo(before);
    assertThat(api.get(tenant.path("/documents/" + UUID.randomUUID()), employee).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a metadata change needs If-Match (428) that is current (412) and a reason (422), and is audited with before and after")
  void update() {
    JsonObject document = newDocument("form", "QA", "Deviation form");
    String path = tenant.path("/documents/" + document.getString("id"));
    JsonObject change = new JsonObject().put("title", "Deviation report form").put("reason", "Clearer title");
    assertThat(patch(path, change, null).status()).isEqualTo(428);
    assertThat(patch(path, change, "\"7\"").status()).isEqualTo(412);
    assertThat(patch(path, new JsonObject().put("title", "Y"), "\"1\"").status()).isEqualTo(422);
    Api.Response changed = patch(path, change, "\"1\"");
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    assertThat(changed.header("ETag")).isEqualTo("\"2\"");
    assertThat(changed.json().getString("title")).isEqualTo("Deviation report form");
    assertThat(changed.json().getString("number")).isEqualTo(document.getString("number"));
    assertThat(patch(path, change, "\"1\"").status()).isEqualTo(412);
    assertThat(platform.queryLong("SELECT count(*) FROM t_" + tenant.slug() + ".audit_event WHERE action = "
        + "'document.updated' AND entity_id = '" + document.getString("id") + "' AND reason = 'Clearer title' "
        + "AND before_value->>'title' = 'Deviation form' AND after_value->>'title' = 'Deviation report form'"))
        .isEqualTo(1);
  }

  private static Api.Response patch(String path, JsonObject body, String ifMatch) {
    return api.send("PATCH", path, author, body.encode(), "application/json",
        ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
  }

  @Test
  @DisplayName("a version goes draft → in-review → effective on approval; the next one supersedes it; current never returns a superseded version")
  void lifecycle() {
    JsonObject document = newDocument("sop", "QA", "Change control");
    String current = tenant.path("/documents/" + document.getString("id") + "/current");
    assertThat(api.get(current, employee).status()).isEqualTo(404);

    JsonObject v1 = newVersion(document, author, "major");
    assertThat(v1.getString("version")).isEqualTo("1.0");
    assertThat(v1.getString("state")).isEqualTo("draft");
    Api.Response submitted = act(v1, author, "submit", null);
    assertThat(submitted.status()).isEqualTo(200);
    assertThat(submitted.json().getString("state")).isEqualTo("in-review");
    Api.Response approved = act(v1, approver, "approve", null);
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    assertThat(approved.json().getString("state")).isEqualTo("effective");
    assertThat(approved.json().getString("effectiveAt")).isNotNull();
    assertThat(api.get(current, employee).json().getString("id")).isEqualTo(v1.getString("id"));
    assertThat(api.get(tenant.path("/documents/" + document.getString("id")), employee).json().getString("status"))
        .isEqualTo("effective");

    JsonObject v11 = newVersion(document, author, "minor");
    assertThat(v11.getString("version")).isEqualTo("1.1");
    // While 1.1 is in progress, 1.0 stays current.
    assertThat(act(v11, author, "submit", null).status()).isEqualTo(200);
    assertThat(api.get(current, employee).json().getString("id")).isEqualTo(v1.getString("id"));
    assertThat(act(v11, approver, "approve", null).status()).isEqualTo(200);
    JsonObject now = api.get(current, employee).json();
    assertThat(now.getString("id")).isEqualTo(v11.getString("id"));
    assertThat(now.getString("state")).isEqualTo("effective");
    JsonObject old = api.get(tenant.path("/documents/" + document.getString("id") + "/versions/" + v1.getString("id")),
        employee).json();
    assertThat(old.getString("state")).isEqualTo("superseded");
    assertThat(old.getString("supersededAt")).isNotNull();

    JsonObject v2 = newVersion(document, author, "major");
    assertThat(v2.getString("version")).isEqualTo("2.0");
    JsonArray versions = api.get(tenant.path("/documents/" + document.getString("id") + "/versions"), employee).json()
        .getJsonArray("items");
    assertThat(versions.stream().map(v -> ((JsonObject) v).getString("state")).toList())
        .containsExactly("superseded", "effective", "draft");
    assertThat(platform.queryLong("SELECT count(*) FROM t_" + tenant.slug() + ".audit_event WHERE entity_type = "
        + "'document-version' AND entity_id = '" + v1.getString("id") + "'")).isEqualTo(3);
  }

  @Test
  @DisplayName("every action its state does not allow is a 409 that changes nothing")
  void illegalTransitions() {
    JsonObject document = newDocument("sop", "QA", "Illegal moves");
    JsonObject draft = newVersion(document, author, "major");
    assertThat(act(draft, approver, "approve", null).status()).isEqualTo(409);
    assertThat(act(draft, approver, "reject", "Not like this").status()).isEqualTo(409);
    assertThat(act(draft, approver, "obsolete", "Gone").status()).isEqualTo(409);
    assertThat(act(draft, author, "submit", null).status()).isEqualTo(200);
    Api.Response again = act(draft, author, "submit", null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.isProblem()).isTrue();
    assertThat(act(draft, approver, "obsolete", "Gone").status()).isEqualTo(409);
    assertThat(act(draft, approver, "approve", null).status()).isEqualTo(200);
    JsonObject effective = draft;
    assertThat(act(effective, author, "submit", null).status()).isEqualTo(409);
    assertThat(act(effective, approver, "approve", null).status()).isEqualTo(409);
    assertThat(act(effective, approver, "reject", "Late").status()).isEqualTo(409);
    assertThat(act(effective, author, "withdraw", "Late").status()).isEqualTo(409);
    JsonObject next = effective(document, "minor");
    // The first version is now superseded: nothing more happens to it.
    for (String action : List.of("submit", "approve", "reject", "withdraw", "obsolete")) {
      assertThat(act(effective, "submit".equals(action) ? author : approver, action, "Any reason").status()).as(action).isEqualTo(409);
    }
    assertThat(act(next, approver, "obsolete", "Process discontinued").status()).isEqualTo(200);
    for (String action : List.of("submit", "approve", "reject", "withdraw", "obsolete")) {
      assertThat(act(next, "submit".equals(action) ? author : approver, action, "Any reason").status()).as(action).isEqualTo(409);
    }
    assertThat(api.get(tenant.path("/documents/" + document.getString("id") + "/current"), employee).status())
        .isEqualTo(404);
    assertThat(api.get(tenant.path("/documents/" + document.getString("id")), employee).json().getString("status"))
        .isEqualTo("obsolete");
    Api.Response newAfterObsolete = api.post(tenant.path("/documents/" + document.getString("id") + "/versions"), author,
        new JsonObject().put("revision", "major").put("changeSummary", "Revive").put("trainingImpact", "full-retraining"));
    assertThat(newAfterObsolete.status()).isEqualTo(409);
  }

  @Test
  @DisplayName("rejection returns a version to draft with the review comments; withdrawal and obsolescence need a reason")
  void rejectAndWithdraw() {
    JsonObject document = newDocument("specification", "QA", "Raw material spec");
    JsonObject version = newVersion(document, author, "major");
    assertThat(act(version, author, "submit", null).status()).isEqualTo(200);
    assertThat(act(version, approver, "reject", null).status()).isEqualTo(422);
    Api.Response rejected = act(version, approver, "reject", "Section 3 lacks limits");
    assertThat(rejected.status()).isEqualTo(200);
    assertThat(rejected.json().getString("state")).isEqualTo("draft");
    assertThat(rejected.json().getString("reviewComments")).isEqualTo("Section 3 lacks limits");
    assertThat(act(version, author, "withdraw", null).status()).isEqualTo(422);
    Api.Response withdrawn = act(version, author, "withdraw", "Superseded by a new plan");
    assertThat(withdrawn.status()).isEqualTo(200);
    assertThat(withdrawn.json().getString("state")).isEqualTo("withdrawn");
    assertThat(withdrawn.json().getString("endReason")).isEqualTo("Superseded by a new plan");
    // The withdrawn revision no longer blocks a new one.
    JsonObject next = newVersion(document, author, "major");
    assertThat(next.getString("version")).isEqualTo("2.0");
  }

  @Test
  @DisplayName("the author cannot approve their own version (403), approval needs the approver role (403), and one revision is in progress at a time (409)")
  void separationOfDuties() {
    JsonObject document = newDocument("policy", "QA", "Data integrity policy");
    JsonObject own = newVersion(document, authorApprover, "major");
    assertThat(act(own, authorApprover, "submit", null).status()).isEqualTo(200);
    Api.Response self = act(own, authorApprover, "approve", null);
    assertThat(self.status()).isEqualTo(403);
    assertThat(self.json().getString("detail")).contains("author");
    assertThat(act(own, author, "approve", null).status()).isEqualTo(403);
    assertThat(act(own, employee, "reject", "Not acceptable").status()).isEqualTo(403);
    Api.Response second = api.post(tenant.path("/documents/" + document.getString("id") + "/versions"), author,
        new JsonObject().put("revision", "minor").put("changeSummary", "Typo").put("trainingImpact", "none")
            .put("impactJustification", "Editorial"));
    assertThat(second.status()).isEqualTo(409);
    assertThat(act(own, approver, "approve", null).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a revision records major or minor and its training impact; 'none' without a justification is a 422")
  void trainingImpact() {
    JsonObject document = newDocument("sop", "QA", "Training impact");
    Api.Response noJustification = api.post(tenant.path("/documents/" + document.getString("id") + "/versions"), author,
        new JsonObject().put("revision", "minor").put("changeSummary", "Typo").put("trainingImpact", "none"));
    assertThat(noJustification.status()).isEqualTo(422);
    Api.Response justified = api.post(tenant.path("/documents/" + document.getString("id") + "/versions"), author,
        new JsonObject().put("revision", "minor").put("changeSummary", "Typo").put("trainingImpact", "none")
            .put("impactJustification", "Editorial change only"));
    assertThat(justified.status()).isEqualTo(201);
    assertThat(justified.json().getString("version")).isEqualTo("0.1");
    assertThat(justified.json().getString("revision")).isEqualTo("minor");
    assertThat(justified.json().getString("trainingImpact")).isEqualTo("none");
    assertThat(justified.json().getString("impactJustification")).isEqualTo("Editorial change only");
    assertThat(api.post(tenant.path("/documents/" + document.getString("id") + "/versions"), employee,
        new JsonObject().put("revision", "minor").put("changeSummary", "X").put("trainingImpact", "full-retraining"))
        .status()).isEqualTo(403);
  }

  @Test
  @DisplayName("concurrent approvals of the same version: one succeeds, the others get 409, and exactly one version is effective")
  void concurrentApprovals() throws Exception {
    JsonObject document = newDocument("sop", "QA", "Concurrency");
    effective(document, "major");
    JsonObject version = newVersion(document, author, "minor");
    assertThat(act(version, author, "submit", null).status()).isEqualTo(200);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        tasks.add(() -> act(version, approver, "approve", null).status());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> result : pool.invokeAll(tasks)) {
        statuses.add(result.get());
      }
      assertThat(statuses).containsOnlyOnce(200).containsOnly(200, 409);
    } finally {
      pool.shutdown();
    }
    assertThat(platform.queryLong("SELECT count(*) FROM t_" + tenant.slug() + ".document_version WHERE document_id = '"
        + document.getString("id") + "' AND state = 'effective'")).isEqualTo(1);
  }

  @Test
  @DisplayName("the database itself refuses a second effective version of a document and any delete by the runtime role")
  void databaseGuards() throws Exception {
    JsonObject document = newDocument("sop", "QA", "Guards");
    JsonObject first = effective(document, "major");
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO t_" + tenant.slug() + ".document_version (id, "
          + "document_id, major, minor, revision_kind, change_summary, training_impact, state, author_id, author_name) "
          + "VALUES (gen_random_uuid(), '" + document.getString("id") + "', 9, 0, 'major', 'x', 'read-and-acknowledge', "
          + "'effective', 'a', 'b')")).isInstanceOf(SQLException.class).hasMessageContaining("document_version_one_effective");
    }
    try (Connection connection = platform.runtimeJdbc(); Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM t_" + tenant.slug() + ".document_version WHERE id = '"
          + first.getString("id") + "'")).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
      assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM t_" + tenant.slug() + ".document WHERE id = '"
          + document.getString("id") + "'")).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
    }
  }
}
