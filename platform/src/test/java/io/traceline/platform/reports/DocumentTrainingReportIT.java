package io.traceline.platform.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.JobCluster;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The fixture: one document required of operators, with version 1.0 and then 2.0 (full retraining) made effective through
 * the signed route. Seven people, hired in 2024:
 * <ul>
 *   <li>R-CUR trained on 1.0 and 2.0 — current;</li>
 *   <li>R-OLD trained on 1.0 only — not current;</li>
 *   <li>R-LATE never trained, 2.0 due two days ago — overdue;</li>
 *   <li>R-LEAVE trained on 1.0, 2.0 due two days ago, on leave since today — not current (leave pauses it), on leave;</li>
 *   <li>R-EX trained on 1.0, no longer an operator since today — not required (their training shown for the record);</li>
 *   <li>R-TERM trained on 1.0, terminated today — not required, terminated;</li>
 *   <li>R-PLAN a planner who never trained — not in the report at all.</li>
 * </ul>
 */
@DisplayName("The auditor's question: everyone a document concerns, their latest completion and a verdict — now, as of a past instant, for a chosen version; JSON, CSV, PDF; audited; read-only auditors; tenant walls (RPT-1, RPT-4, P11-6)")
class DocumentTrainingReportIT {

  private static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();

  private static final TestPlatform platform = TestPlatform.get();
  private static final Api api = platform.api();
  private static TenantFixture tenant;
  private static String schema;
  private static DocumentFlow flow;
  private static JobCluster cluster;
  private static Person author;
  private static Person approver;
  private static Person trainingAdmin;
  private static Person auditor;
  private static Person employee;
  private static final Map<String, Person> learners = new HashMap<>();
  private static JsonObject document;
  private static JsonObject v1;
  private static JsonObject v2;
  private static OffsetDateTime betweenVersions;

  @BeforeAll
  static void organisation() throws Exception {
    tenant = platform.newTenant("reports");
    schema = "t_" + tenant.slug();
    flow = new DocumentFlow(platform, tenant);
    cluster = new JobCluster(1);
    cluster.startInJvm(0);
    author = flow.member("Adam", "Author", "document-author");
    approver = flow.signer("Alba", "Approver", "approver");
    trainingAdmin = flow.member("Tara", "Trainer", "training-admin");
    auditor = flow.member("Aude", "Auditor", "auditor");
    employee = flow.member("Emil", "Employee", "employee");
    JsonObject boston = created("/sites", new JsonObject().put("code", "BOS").put("name", "Boston").put("country", "US")
        .put("timezone", "America/New_York"));
    created("/departments", new JsonObject().put("siteId", boston.getString("id")).put("code", "QA")
        .put("name", "Quality assurance"));
    created("/job-roles", new JsonObject().put("code", "OPERATOR").put("name", "Line operator"));
    created("/job-roles", new JsonObject().put("code", "PLANNER").put("name", "Planner"));
    for (String who : List.of("Cur", "Old", "Leave", "Ex", "Term")) {
      learners.put("R-" + who.toUpperCase(), flow.signer(who, "Learner", "employee"));
    }
    JsonArray people = new JsonArray();
    for (String number : List.of("R-CUR", "R-OLD", "R-LATE", "R-LEAVE", "R-EX", "R-TERM", "R-PLAN")) {
      JsonObject person = new JsonObject().put("employeeNumber", number).put("givenName", "Emp")
          .put("familyName", number).put("siteCode", "BOS").put("departmentCode", "QA").put("status", "active")
          .put("hiredOn", "2024-01-08").put("jobRoleCodes", new JsonArray().add(number.equals("R-PLAN") ? "PLANNER"
              : "OPERATOR"));
      if (learners.containsKey(number)) {
        person.put("userId", learners.get(number).id());
      }
      people.add(person);
    }
    Api.Response hired = api.post(tenant.path("/people/bulk"), admin(), new JsonObject().put("people", people)
        .put("reason", "HR feed"));
    assertThat(hired.status()).as(hired.toString()).isEqualTo(200);
    settle();

    document = flow.document(author, "sop", "QA", "Line clearance", "medium");
    Api.Response requirement = api.post(tenant.path("/training-requirements"), admin(), new JsonObject()
        .put("documentId", document.getString("id")).put("jobRoleId", jobRoleId("OPERATOR"))
        .put("method", "read-and-acknowledge").put("reason", "Operators work under it"));
    assertThat(requirement.status()).as(requirement.toString()).isEqualTo(201);
    // The matrix was set up a month ago (the schema's owner back-dates the row): yesterday it already applied.
    platform.queryLong("WITH moved AS (UPDATE " + schema + ".training_requirement SET created_at = created_at - "
        + "interval '30 days' WHERE document_id = '" + document.getString("id") + "' RETURNING 1) SELECT count(*) FROM moved");

    v1 = effective("major");
    for (String number : List.of("R-CUR", "R-OLD", "R-LEAVE", "R-EX", "R-TERM")) {
      acknowledge(learners.get(number), v1);
    }
    betweenVersions = platform.databaseNow();
    v2 = effective("major");
    acknowledge(learners.get("R-CUR"), v2);
    // 2.0 was due two days ago for R-LATE and R-LEAVE (the schema's owner moves the due dates).
    platform.queryLong("WITH moved AS (UPDATE " + schema + ".training_assignment SET due_at = now() - interval '2 days' "
        + "WHERE version_id = '" + v2.getString("id") + "' AND status = 'open' AND person_id IN ('" + personId("R-LATE")
        + "', '" + personId("R-LEAVE") + "') RETURNING 1) SELECT count(*) FROM moved");
    assertThat(api.post(tenant.path("/people/" + personId("R-LEAVE") + "/status-changes"), admin(), new JsonObject()
        .put("action", "leave").put("effectiveOn", TODAY).put("reason", "Parental leave")).status()).isEqualTo(200);
    assertThat(api.post(tenant.path("/people/" + personId("R-TERM") + "/status-changes"), admin(), new JsonObject()
        .put("action", "terminate").put("effectiveOn", TODAY).put("reason", "Resigned")).status()).isEqualTo(200);
    String holding = api.get(tenant.path("/people/" + personId("R-EX") + "/job-roles"), admin()).json()
        .getJsonArray("items").getJsonObject(0).getString("id");
    Api.Response ended = api.post(tenant.path("/people/" + personId("R-EX") + "/job-roles/" + holding + "/ending"), admin(),
        new JsonObject().put("validTo", TODAY).put("reason", "Moved to the warehouse"));
    assertThat(ended.status()).as(ended.toString()).isEqualTo(200);
    settle();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @DisplayName("now: current, not current (older version), overdue, not current while on leave, not required after losing the role or being terminated; a planner who never trained is not listed; totals; each line names the completion that counts and its signature")
  void verdictsNow() {
    JsonObject report = report(admin(), "document=" + document.getString("number"));
    assertThat(report.getString("report")).isEqualTo("document-training");
    assertThat(report.getJsonObject("version").getString("version")).isEqualTo("2.0");
    assertThat(report.getBoolean("versionChosen")).isFalse();
    Map<String, JsonObject> lines = byEmployee(report);
    assertThat(lines.keySet()).containsExactlyInAnyOrder("R-CUR", "R-OLD", "R-LATE", "R-LEAVE", "R-EX", "R-TERM");

    JsonObject cur = lines.get("R-CUR");
    assertThat(cur.getString("verdict")).isEqualTo("current");
    assertThat(cur.getString("status")).isEqualTo("qualified");
    assertThat(cur.getJsonArray("jobRoles")).containsExactly("Line operator");
    assertThat(cur.getJsonObject("site").getString("code")).isEqualTo("BOS");
    assertThat(cur.getJsonObject("department").getString("name")).isEqualTo("Quality assurance");
    JsonObject completion = cur.getJsonObject("latestCompletion");
    assertThat(completion.getJsonObject("version").getString("version")).isEqualTo("2.0");
    assertThat(completion.getString("method")).isEqualTo("read-and-acknowledge");
    assertThat(completion.getString("result")).isEqualTo("acknowledged");
    assertThat(cur.getBoolean("coversVersion")).isTrue();
    JsonObject signature = completion.getJsonObject("signature");
    assertThat(signature.getString("meaning")).isEqualTo("read-and-understood");
    assertThat(signature.getJsonObject("signer").getString("id")).isEqualTo(learners.get("R-CUR").id());
    assertThat(signature.getString("manifestation")).startsWith("Signed by Cur Learner").contains(" UTC, meaning: "
        + "read-and-understood");

    JsonObject old = lines.get("R-OLD");
    assertThat(old.getString("verdict")).isEqualTo("not-current");
    assertThat(old.getString("reason")).isEqualTo("trained-on-older-version");
    assertThat(old.getJsonObject("latestCompletion").getJsonObject("version").getString("version")).isEqualTo("1.0");
    assertThat(old.getBoolean("coversVersion")).isFalse();

    JsonObject late = lines.get("R-LATE");
    assertThat(late.getString("verdict")).isEqualTo("overdue");
    assertThat(late.getString("status")).isEqualTo("not-current");
    assertThat(late.getValue("latestCompletion")).isNull();
    assertThat(Instant.parse(late.getString("openTrainingDueAt"))).isBefore(Instant.now());

    JsonObject leave = lines.get("R-LEAVE");
    assertThat(leave.getJsonObject("person").getString("status")).isEqualTo("on_leave");
    assertThat(leave.getString("verdict")).as("leave pauses the due date").isEqualTo("not-current");
    assertThat(leave.getString("reason")).isEqualTo("person-on-leave");

    JsonObject ex = lines.get("R-EX");
    assertThat(ex.getString("verdict")).isEqualTo("not-required");
    assertThat(ex.getBoolean("required")).isFalse();
    assertThat(ex.getJsonArray("jobRoles")).isEmpty();
    assertThat(ex.getJsonObject("latestCompletion").getJsonObject("version").getString("version")).isEqualTo("1.0");

    JsonObject term = lines.get("R-TERM");
    assertThat(term.getString("verdict")).isEqualTo("not-required");
    assertThat(term.getJsonObject("person").getString("status")).isEqualTo("terminated");

    assertThat(report.getJsonObject("totals")).isEqualTo(new JsonObject().put("people", 6).put("current", 1)
        .put("notCurrent", 2).put("overdue", 1).put("notRequired", 2));
  }

  @Test
  @DisplayName("as of an instant between 1.0 and 2.0: version 1.0 was in force and everyone trained on it was current; now they are not; the day before 1.0 nothing was in force, the leaver was active and the ex-operator still required")
  void asOfAcrossTheRevision() {
    JsonObject then = report(admin(), "document=" + document.getString("id") + "&asOf=" + encode(betweenVersions));
    assertThat(then.getJsonObject("version").getString("version")).isEqualTo("1.0");
    assertThat(then.getString("asOf")).isEqualTo(betweenVersions.toInstant().toString());
    Map<String, JsonObject> lines = byEmployee(then);
    for (String number : List.of("R-CUR", "R-OLD", "R-LEAVE")) {
      assertThat(lines.get(number).getString("verdict")).as(number).isEqualTo("current");
      assertThat(lines.get(number).getJsonObject("latestCompletion").getJsonObject("version").getString("version"))
          .as(number).isEqualTo("1.0");
    }
    // R-CUR's 2.0 completion came later: as of then, the completion that counts is 1.0's.
    assertThat(lines.get("R-LATE").getString("verdict")).as("1.0 was not yet due").isEqualTo("not-current");
    // Role and status changes take effect by day: today's leave, termination and role end already apply.
    assertThat(lines.get("R-TERM").getString("verdict")).isEqualTo("not-required");
    assertThat(lines.get("R-LEAVE").getJsonObject("person").getString("status")).isEqualTo("on_leave");

    JsonObject now = report(admin(), "document=" + document.getString("id"));
    assertThat(byEmployee(now).get("R-OLD").getString("verdict")).isEqualTo("not-current");

    // Yesterday (before any version): nothing in force, the matrix applied, everyone then in the role was required.
    OffsetDateTime yesterday = LocalDate.now(ZoneOffset.UTC).atStartOfDay().atOffset(ZoneOffset.UTC).minusSeconds(1);
    JsonObject before = report(admin(), "document=" + document.getString("id") + "&asOf=" + encode(yesterday));
    assertThat(before.getValue("version")).isNull();
    Map<String, JsonObject> early = byEmployee(before);
    assertThat(early.keySet()).containsExactlyInAnyOrder("R-CUR", "R-OLD", "R-LATE", "R-LEAVE", "R-EX", "R-TERM");
    assertThat(early.get("R-TERM").getJsonObject("person").getString("status")).isEqualTo("active");
    assertThat(early.get("R-EX").getBoolean("required")).isTrue();
    early.values().forEach(line -> {
      assertThat(line.getString("verdict")).isEqualTo("not-current");
      assertThat(line.getString("reason")).isIn("document-not-effective", "person-on-leave", "person-terminated");
      assertThat(line.getValue("latestCompletion")).isNull();
    });
  }

  @Test
  @DisplayName("a chosen version: asked about 1.0, the people trained on 1.0 (or later) are current; a version not yet effective at the instant is a 422")
  void chosenVersion() {
    JsonObject report = report(admin(), "document=" + document.getString("number") + "&version=" + v1.getString("id"));
    assertThat(report.getBoolean("versionChosen")).isTrue();
    assertThat(report.getJsonObject("version").getString("version")).isEqualTo("1.0");
    Map<String, JsonObject> lines = byEmployee(report);
    assertThat(lines.get("R-OLD").getString("verdict")).isEqualTo("current");
    assertThat(lines.get("R-OLD").getBoolean("coversVersion")).isTrue();
    assertThat(lines.get("R-CUR").getString("verdict")).isEqualTo("current");
    assertThat(lines.get("R-CUR").getJsonObject("latestCompletion").getJsonObject("version").getString("version"))
        .isEqualTo("2.0");

    Api.Response early = api.get(tenant.path("/reports/document-training?document=" + document.getString("number")
        + "&version=" + v2.getString("id") + "&asOf=" + encode(betweenVersions)), admin());
    assertThat(early.status()).as(early.toString()).isEqualTo(422);
    assertThat(early.isProblem()).isTrue();
  }

  @Test
  @DisplayName("CSV: streamed as text/csv with a header line and one line per person repeating document, version and instant, with the verdict and the signature's manifestation")
  void csv() {
    Api.Response response = api.get(tenant.path("/reports/document-training?document=" + document.getString("number")
        + "&format=csv"), admin());
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("text/csv");
    assertThat(response.header("Content-Disposition")).contains("attachment").contains(".csv");
    String[] lines = response.body().split("\r\n");
    assertThat(lines).hasSize(7);
    List<String> header = Arrays.asList(lines[0].split(","));
    assertThat(header).startsWith("document", "report_version", "as_of", "employee_number");
    assertThat(header).contains("verdict", "trained_version", "signature_manifestation", "trainer", "score");
    String cur = Arrays.stream(lines).filter(line -> line.contains(",R-CUR,")).findFirst().orElseThrow();
    List<String> cells = Arrays.asList(cur.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1));
    assertThat(cells).hasSize(header.size());
    assertThat(cells.get(header.indexOf("document"))).isEqualTo(document.getString("number"));
    assertThat(cells.get(header.indexOf("report_version"))).isEqualTo("2.0");
    assertThat(cells.get(header.indexOf("verdict"))).isEqualTo("current");
    assertThat(cells.get(header.indexOf("trained_version"))).isEqualTo("2.0");
    assertThat(cells.get(header.indexOf("signature_meaning"))).isEqualTo("read-and-understood");
    assertThat(cells.get(header.indexOf("signature_manifestation"))).startsWith("\"Signed by Cur Learner");
    String late = Arrays.stream(lines).filter(line -> line.contains(",R-LATE,")).findFirst().orElseThrow();
    assertThat(late).contains(",overdue,");
    // The Accept header asks for CSV just as well.
    assertThat(new String(api.getBytes(tenant.path("/reports/document-training?document=" + document.getString("number")),
        admin(), "text/csv").body(), StandardCharsets.UTF_8)).startsWith("document,report_version,as_of,");
  }

  @Test
  @DisplayName("PDF: the tenant, generated-at, page numbers, the document and version, the totals, each person with their verdict, and the signature manifestation (printed name, date and time with zone, meaning)")
  void pdf() throws IOException {
    var response = api.getBytes(tenant.path("/reports/document-training?document=" + document.getString("number")),
        auditor.token(platform), "application/pdf");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/pdf");
    String text = text(response.body());
    assertThat(text).contains("Tenant " + tenant.slug().toUpperCase(java.util.Locale.ROOT));
    assertThat(text).containsPattern("Generated \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
    assertThat(text).contains("Page 1 of ");
    assertThat(text).contains(document.getString("number")).contains("Line clearance").contains("Version in force")
        .contains("2.0");
    assertThat(text).contains("6: 1 current, 2 not current, 1 overdue, 2 not required");
    assertThat(text).contains("Emp R-CUR (R-CUR)").contains("Emp R-LATE (R-LATE)").contains("overdue");
    assertThat(text).containsPattern("Signed by Cur Learner \\(\\S+\\) on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC, "
        + "meaning: read-and-understood");
    assertThat(text).doesNotContain("R-PLAN");
  }

  @Test
  @DisplayName("every report request is audited — who, which report, its parameters; the auditor reads reports but writes nothing (403)")
  void auditedAndReadOnly() {
    String token = auditor.token(platform);
    long before = auditEvents(auditor);
    report(token, "document=" + document.getString("number") + "&asOf=" + encode(betweenVersions));
    assertThat(auditEvents(auditor)).isEqualTo(before + 1);
    JsonObject event = new JsonObject(platform.queryString("SELECT after_value::text FROM " + schema + ".audit_event "
        + "WHERE actor_id = '" + auditor.id() + "' AND action = 'report.generated' ORDER BY seq DESC LIMIT 1"));
    assertThat(event.getString("report")).isEqualTo("document-training");
    assertThat(event.getString("documentId")).isEqualTo(document.getString("id"));
    assertThat(event.getString("asOf")).isEqualTo(betweenVersions.toInstant().toString());
    assertThat(event.getString("format")).isEqualTo("json");
    assertThat(platform.queryString("SELECT entity_type || '/' || entity_id FROM " + schema + ".audit_event "
        + "WHERE actor_id = '" + auditor.id() + "' ORDER BY seq DESC LIMIT 1")).isEqualTo("report/document-training");

    Api.Response write = api.post(tenant.path("/training-requirements"), token, new JsonObject()
        .put("documentId", document.getString("id")).put("jobRoleId", jobRoleId("PLANNER"))
        .put("method", "read-and-acknowledge").put("reason", "An auditor tries to write"));
    assertThat(write.status()).as(write.toString()).isEqualTo(403);
    Api.Response create = api.post(tenant.path("/documents"), token, new JsonObject().put("title", "Audit notes")
        .put("type", "sop").put("ownerId", auditor.id()).put("department", "QA").put("riskClass", "low")
        .put("reviewIntervalMonths", 24));
    assertThat(create.status()).as(create.toString()).isEqualTo(403);
    // Someone without a reader role gets 403, and their request is not a report access.
    long employeeEvents = auditEvents(employee);
    Api.Response refused = api.get(tenant.path("/reports/document-training?document=" + document.getString("number")),
        employee.token(platform));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(auditEvents(employee)).isEqualTo(employeeEvents);
  }

  @Test
  @DisplayName("bad input: unknown document or version 404, a version of another document 404, malformed asOf 400, asOf in the future 422, missing document 400 — problems, and nothing audited")
  void badInput() {
    String token = admin();
    long before = auditEvents(trainingAdmin);
    JsonObject other = flow.document(author, "sop", "QA", "Another procedure", "low");
    JsonObject otherV1 = flow.effective(other, author, approver, "major", "full-retraining");
    String base = "/reports/document-training?document=";
    for (String query : List.of("SOP-QA-999", UUID.randomUUID().toString(),
        document.getString("number") + "&version=" + UUID.randomUUID(),
        document.getString("number") + "&version=" + otherV1.getString("id"))) {
      Api.Response response = api.get(tenant.path(base + query), token);
      assertThat(response.status()).as(query + ": " + response).isEqualTo(404);
      assertThat(response.isProblem()).isTrue();
    }
    Api.Response malformed = api.get(tenant.path(base + document.getString("number") + "&asOf=yesterday"), token);
    assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
    assertThat(malformed.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).contains("asOf");
    Api.Response future = api.get(tenant.path(base + document.getString("number") + "&asOf="
        + encode(OffsetDateTime.now(ZoneOffset.UTC).plusDays(1))), token);
    assertThat(future.status()).as(future.toString()).isEqualTo(422);
    assertThat(future.isProblem()).isTrue();
    assertThat(api.get(tenant.path("/reports/document-training"), token).status()).isEqualTo(400);
    assertThat(api.get(tenant.path(base + document.getString("number") + "&version=not-a-uuid"), token).status())
        .isEqualTo(400);
    assertThat(api.get(tenant.path(base + document.getString("number") + "&format=xlsx"), token).status())
        .isEqualTo(400);
    assertThat(auditEvents(trainingAdmin)).isEqualTo(before);
  }

  @Test
  @DisplayName("tenants are walls: another tenant's admin and auditor get 404 for this tenant's report, and their own tenant knows no such document")
  void crossTenant() {
    TenantFixture other = platform.newTenant("reportwall");
    Person otherAuditor = platform.newMember("Other", "Auditor", other);
    platform.grantRole(other, otherAuditor.id(), "auditor");
    for (String token : List.of(other.adminToken(), otherAuditor.token(platform))) {
      for (String format : List.of("json", "csv", "pdf")) {
        Api.Response here = api.get(tenant.path("/reports/document-training?document=" + document.getString("id")
            + "&format=" + format), token);
        assertThat(here.status()).as(here.toString()).isEqualTo(404);
      }
      Api.Response there = api.get(other.path("/reports/document-training?document=" + document.getString("id")), token);
      assertThat(there.status()).as(there.toString()).isEqualTo(404);
      Api.Response byNumber = api.get(other.path("/reports/document-training?document=" + document.getString("number")),
          token);
      assertThat(byNumber.status()).as(byNumber.toString()).isEqualTo(404);
    }
  }

  // --- helpers ---

  private static JsonObject report(String token, String query) {
    Api.Response response = api.get(tenant.path("/reports/document-training?" + query), token);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    return response.json();
  }

  private static Map<String, JsonObject> byEmployee(JsonObject report) {
    Map<String, JsonObject> lines = new HashMap<>();
    report.getJsonArray("items").forEach(item -> {
      JsonObject line = (JsonObject) item;
      lines.put(line.getJsonObject("person").getString("employeeNumber"), line);
    });
    assertThat(lines).hasSize(report.getJsonArray("items").size());
    return lines;
  }

  private static long auditEvents(Person actor) {
    return platform.queryLong("SELECT count(*) FROM " + schema + ".audit_event WHERE actor_id = '" + actor.id() + "'");
  }

  private static String text(byte[] pdf) throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
    }
  }

  private static String admin() {
    return trainingAdmin.token(platform);
  }

  private static JsonObject created(String collection, JsonObject body) {
    Api.Response response = api.post(tenant.path(collection), admin(), body.put("reason", "Set up for report tests"));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  private static String personId(String employeeNumber) {
    return platform.queryString("SELECT id::text FROM " + schema + ".person WHERE employee_number = '" + employeeNumber + "'");
  }

  private static String jobRoleId(String code) {
    return platform.queryString("SELECT id::text FROM " + schema + ".job_role WHERE code = '" + code + "'");
  }

  private static JsonObject effective(String revision) throws InterruptedException {
    JsonObject version = flow.effective(document, author, approver, revision, "full-retraining");
    settle();
    return version;
  }

  /** Completes the learner's open read-and-acknowledge of the version by opening it and signing, as the learner does. */
  private static void acknowledge(Person learner, JsonObject version) {
    String token = learner.token(platform);
    JsonObject assignment = api.get(tenant.path("/me/training?status=open&limit=200"), token).json().getJsonArray("items")
        .stream().map(JsonObject.class::cast)
        .filter(a -> a.getJsonObject("version").getString("id").equals(version.getString("id")))
        .findFirst().orElseThrow(() -> new AssertionError("No open assignment of version " + version.getString("id")));
    assertThat(api.getBytes(tenant.path("/me/training/" + assignment.getString("id") + "/content"), token).statusCode())
        .isEqualTo(200);
    Api.Response done = api.post(tenant.path("/me/training/" + assignment.getString("id") + "/acknowledgement"), token,
        new JsonObject().put("reauthentication", DocumentFlow.password(learner)));
    assertThat(done.status()).as(done.toString()).isEqualTo(201);
  }

  private static String encode(OffsetDateTime time) {
    return URLEncoder.encode(time.toInstant().toString(), StandardCharsets.UTF_8);
  }

  private static void settle() throws InterruptedException {
    await("training jobs", () -> platform.queryLong("SELECT count(*) FROM control.job WHERE tenant = '" + tenant.slug()
        + "' AND kind LIKE 'training.%' AND state IN ('scheduled', 'running') AND run_at < now() + interval '1 day'") == 0);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
      Thread.sleep(100);
    }
  }
}
