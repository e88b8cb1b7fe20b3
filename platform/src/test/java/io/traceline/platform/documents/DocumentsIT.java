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
import io.traceline.platform.testing.DocumentFlow;
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
  private static DocumentFlow flow;
  private static Person authorPerson;
  private static Person approverPerson;
  private static Person bothPerson;
  private static Person employeePerson;
  private static String author;
  private static String approver;
  private static String employee;

  @BeforeAll
  static void tenant() {
    platform = TestPlatform.get();
    api = platform.api();
    tenant = platform.newTenant("docs");
    flow = new DocumentFlow(platform, tenant);
    authorPerson = flow.member("Aoife", "Author", "document-author");
    approverPerson = flow.signer("Aaron", "Approver", "approver");
    bothPerson = flow.signer("Bea", "Both", "document-author", "approver");
    employeePerson = flow.member("Ed", "Employee", "employee");
    author = authorPerson.token(platform);
    approver = approverPerson.token(platform);
    employee = employeePerson.token(platform);
    Api.Response program = api.post(tenant.path("/programs"), tenant.adminToken(), new JsonObject().put("code", "PRG-X")
        .put("name", "Program X").put("sponsorName", "Sponsor X"));
    assertThat(program.status()).as(program.toString()).isEqualTo(201);
  }

  private static JsonObject newDocument(String type, String department, String title) {
    Api.Response response = api.post(tenant.path("/documents"), author, new JsonObject().put("title", title)
        .put("type", type).put("ownerId", tenant.adminUserId()).put("department", department).put("riskClass", "high")
        .put("programCode", "PRG-X").put("reviewIntervalMonths", 24));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  /** A draft with its file, ready to submit. */
  private static JsonObject newVersion(JsonObject document, Person author, String revision) {
    return flow.withFile(flow.draft(document, author, revision, "read-and-acknowledge"), author);
  }

  private static Api.Response act(JsonObject version, Person actor, String action, String reason) {
    return flow.act(version, actor, action, reason);
  }

  private static Api.Response submit(JsonObject version, Person approver) {
    return flow.submit(version, authorPerson, DocumentFlow.route("sequential", List.of(), List.of(approver)), null);
  }

  private static Api.Response approve(JsonObject version, Person approver) {
    return flow.sign(version, approver, "approved", null);
  }

  private static JsonObject effective(JsonObject document, String revision) {
    return flow.effective(document, authorPerson, approverPerson, revision, "read-and-acknowledge");
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
    assertThat(first.getJsonObject("program").getString("code")).isEqualTo("PRG-X");
    assertThat(first.getJsonObject("program").getString("sponsorName")).isEqualTo("Sponsor X");
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
  @DisplayName("a version goes draft → in-review → effective on its approval signature; the next one supersedes it; current never returns a superseded version")
  void lifecycle() {
    JsonObject document = newDocument("sop", "QA", "Change control");
    String current = tenant.path("/documents/" + document.getString("id") + "/current");
    assertThat(api.get(current, employee).status()).isEqualTo(404);

    JsonObject v1 = newVersion(document, authorPerson, "major");
    assertThat(v1.getString("version")).isEqualTo("1.0");
    assertThat(v1.getString("state")).isEqualTo("draft");
    Api.Response submitted = submit(v1, approverPerson);
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(200);
    assertThat(submitted.json().getString("state")).isEqualTo("in-review");
    assertThat(submitted.json().getInteger("recordVersion")).isEqualTo(1);
    Api.Response approved = approve(v1, approverPerson);
    assertThat(approved.status()).as(approved.toString()).isEqualTo(201);
    assertThat(approved.json().getJsonObject("version").getString("state")).isEqualTo("effective");
    assertThat(approved.json().getJsonObject("version").getString("effectiveAt")).isNotNull();
    assertThat(api.get(current, employee).json().getString("id")).isEqualTo(v1.getString("id"));
    JsonObject effectiveDocument = api.get(tenant.path("/documents/" + document.getString("id")), employee).json();
    assertThat(effectiveDocument.getString("status")).isEqualTo("effective");
    assertThat(effectiveDocument.getString("nextReviewAt")).isNotNull();
    assertThat(effectiveDocument.getBoolean("reviewOverdue")).isFalse();

    JsonObject v11 = newVersion(document, authorPerson, "minor");
    assertThat(v11.getString("version")).isEqualTo("1.1");
    // While 1.1 is in progress, 1.0 stays current.
    assertThat(submit(v11, approverPerson).status()).isEqualTo(200);
    assertThat(api.get(current, employee).json().getString("id")).isEqualTo(v1.getString("id"));
    assertThat(approve(v11, approverPerson).status()).isEqualTo(201);
    JsonObject now = api.get(current, employee).json();
    assertThat(now.getString("id")).isEqualTo(v11.getString("id"));
    assertThat(now.getString("state")).isEqualTo("effective");
    JsonObject old = api.get(tenant.path("/documents/" + document.getString("id") + "/versions/" + v1.getString("id")),
        employee).json();
    assertThat(old.getString("state")).isEqualTo("superseded");
    assertThat(old.getString("supersededAt")).isNotNull();

    JsonObject v2 = newVersion(document, authorPerson, "major");
    assertThat(v2.getString("version")).isEqualTo("2.0");
    JsonArray versions = api.get(tenant.path("/documents/" + document.getString("id") + "/versions"), employee).json()
        .getJsonArray("items");
    assertThat(versions.stream().map(v -> ((JsonObject) v).getString("state")).toList())
        .containsExactly("superseded", "effective", "draft");
    assertThat(platform.queryLong("SELECT count(*) FROM t_" + tenant.slug() + ".audit_event WHERE entity_type = "
        + "'document-version' AND entity_id = '" + v1.getString("id") + "' AND action IN ('document-version.created', "
        + "'document-version.content-uploaded', 'document-version.submit', 'signature.applied', "
        + "'document-version.approve')")).isEqualTo(5);
  }

  @Test
  @DisplayName("every action its state does not allow is a 409 that changes nothing; 'approve' is not an action but a signature")
  void illegalTransitions() {
    JsonObject document = newDocument("sop", "QA", "Illegal moves");
    JsonObject draft = newVersion(document, authorPerson, "major");
    assertThat(act(draft, approverPerson, "approve", null).status()).isEqualTo(400);
    assertThat(approve(draft, approverPerson).status()).isEqualTo(409);
    assertThat(act(draft, approverPerson, "reject", "Not like this").status()).isEqualTo(409);
    assertThat(act(draft, approverPerson, "obsolete", "Gone").status()).isEqualTo(409);
    assertThat(submit(draft, approverPerson).status()).isEqualTo(200);
    Api.Response again = submit(draft, approverPerson);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.isProblem()).isTrue();
    assertThat(act(draft, approverPerson, "obsolete", "Gone").status()).isEqualTo(409);
    assertThat(approve(draft, approverPerson).status()).isEqualTo(201);
    JsonObject effective = draft;
    assertThat(submit(effective, approverPerson).status()).isEqualTo(409);
    assertThat(approve(effective, approverPerson).status()).isEqualTo(409);
    assertThat(act(effective, approverPerson, "reject", "Late").status()).isEqualTo(409);
    assertThat(act(effective, authorPerson, "withdraw", "Late").status()).isEqualTo(409);
    JsonObject next = effective(document, "minor");
    // The first version is now superseded: nothing more happens to it.
    for (String action : List.of("reject", "withdraw", "obsolete")) {
      assertThat(act(effective, approverPerson, action, "Any reason").status()).as(action).isEqualTo(409);
    }
    assertThat(submit(effective, approverPerson).status()).isEqualTo(409);
    assertThat(approve(effective, approverPerson).status()).isEqualTo(409);
    assertThat(act(next, approverPerson, "obsolete", "Process discontinued").status()).isEqualTo(200);
    for (String action : List.of("reject", "withdraw", "obsolete")) {
      assertThat(act(next, approverPerson, action, "Any reason").status()).as(action).isEqualTo(409);
    }
    assertThat(submit(next, approverPerson).status()).isEqualTo(409);
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
    JsonObject version = newVersion(document, authorPerson, "major");
    assertThat(submit(version, approverPerson).status()).isEqualTo(200);
    assertThat(act(version, approverPerson, "reject", null).status()).isEqualTo(422);
    Api.Response rejected = act(version, approverPerson, "reject", "Section 3 lacks limits");
    assertThat(rejected.status()).isEqualTo(200);
    assertThat(rejected.json().getString("state")).isEqualTo("draft");
    assertThat(rejected.json().getString("reviewComments")).isEqualTo("Section 3 lacks limits");
    assertThat(act(version, authorPerson, "withdraw", null).status()).isEqualTo(422);
    Api.Response withdrawn = act(version, authorPerson, "withdraw", "Superseded by a new plan");
    assertThat(withdrawn.status()).isEqualTo(200);
    assertThat(withdrawn.json().getString("state")).isEqualTo("withdrawn");
    assertThat(withdrawn.json().getString("endReason")).isEqualTo("Superseded by a new plan");
    // The withdrawn revision no longer blocks a new one.
    JsonObject next = newVersion(document, authorPerson, "major");
    assertThat(next.getString("version")).isEqualTo("2.0");
  }

  @Test
  @DisplayName("the author cannot be on their own version's route (422), approval needs the approver role (422 on the route, 403 off it), and one revision is in progress at a time (409)")
  void separationOfDuties() {
    JsonObject document = newDocument("policy", "QA", "Data integrity policy");
    JsonObject own = newVersion(document, bothPerson, "major");
    Api.Response self = flow.submit(own, bothPerson, DocumentFlow.route("parallel", List.of(), List.of(bothPerson)), null);
    assertThat(self.status()).isEqualTo(422);
    assertThat(self.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/route/approvers/0");
    assertThat(self.json().getString("detail")).contains("author");
    Api.Response notApprover = flow.submit(own, bothPerson, DocumentFlow.route("parallel", List.of(), List.of(authorPerson)),
        null);
    assertThat(notApprover.status()).isEqualTo(422);
    assertThat(notApprover.json().getJsonArray("errors").getJsonObject(0).getString("message")).contains("approver");
    assertThat(flow.version(own, bothPerson).getString("state")).isEqualTo("draft");
    assertThat(flow.submit(own, bothPerson, DocumentFlow.route("parallel", List.of(), List.of(approverPerson)), null)
        .status()).isEqualTo(200);
    Api.Response offRoute = approve(own, bothPerson);
    assertThat(offRoute.status()).isEqualTo(403);
    assertThat(act(own, employeePerson, "reject", "Not acceptable").status()).isEqualTo(403);
    Api.Response second = api.post(tenant.path("/documents/" + document.getString("id") + "/versions"), author,
        new JsonObject().put("revision", "minor").put("changeSummary", "Typo").put("trainingImpact", "none")
            .put("impactJustification", "Editorial"));
    assertThat(second.status()).isEqualTo(409);
    assertThat(approve(own, approverPerson).status()).isEqualTo(201);
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
  @DisplayName("the same approval sent four times at once: one signature, the others 409, exactly one effective version")
  void concurrentApprovals() throws Exception {
    JsonObject document = newDocument("sop", "QA", "Concurrency");
    effective(document, "major");
    JsonObject version = newVersion(document, authorPerson, "minor");
    assertThat(submit(version, approverPerson).status()).isEqualTo(200);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        tasks.add(() -> flow.sign(version, approverPerson, approver, "approved", null).status());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> result : pool.invokeAll(tasks)) {
        statuses.add(result.get());
      }
      assertThat(statuses).containsOnlyOnce(201).containsOnly(201, 409);
    } finally {
      pool.shutdown();
    }
    assertThat(platform.queryLong("SELECT count(*) FROM t_" + tenant.slug() + ".document_version WHERE document_id = '"
        + document.getString("id") + "' AND state = 'effective'")).isEqualTo(1);
    assertThat(platform.queryLong("SELECT count(*) FROM t_" + tenant.slug() + ".signature WHERE record_id = '"
        + version.getString("id") + "'")).isEqualTo(1);
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
      // Even the schema's owner cannot swap the file of an approved version or move it back through the lifecycle.
      String version = "t_" + tenant.slug() + ".document_version";
      assertThatThrownBy(() -> statement.executeUpdate("UPDATE " + version + " SET content_sha256 = repeat('0', 64) "
          + "WHERE id = '" + first.getString("id") + "'")).isInstanceOf(SQLException.class).hasMessageContaining("cannot change");
      assertThatThrownBy(() -> statement.executeUpdate("UPDATE " + version + " SET state = 'draft' WHERE id = '"
          + first.getString("id") + "'")).isInstanceOf(SQLException.class).hasMessageContaining("cannot move from effective to draft");
      assertThatThrownBy(() -> statement.executeUpdate("UPDATE " + version + " SET record_version = 7 WHERE id = '"
          + first.getString("id") + "'")).isInstanceOf(SQLException.class).hasMessageContaining("frozen");
    }
    try (Connection connection = platform.runtimeJdbc(); Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM t_" + tenant.slug() + ".document_version WHERE id = '"
          + first.getString("id") + "'")).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
      assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM t_" + tenant.slug() + ".document WHERE id = '"
          + document.getString("id") + "'")).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
    }
  }
}
