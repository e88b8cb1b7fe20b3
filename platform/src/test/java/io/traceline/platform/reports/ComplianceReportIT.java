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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The fixture: sites BOS and CRK; departments BOS/FIL, BOS/QA and CRK/QA; job roles OPERATOR and QC; program P1. Three
 * documents, each made effective through the signed route:
 * <ul>
 *   <li>A (gowning, tenant-wide) required of operators;</li>
 *   <li>B (sponsor batch record, program P1) required of operators and QC in P1;</li>
 *   <li>C (laboratory SOP, tenant-wide) required of QC;</li>
 *   <li>D (a draft nobody can work under yet) required of operators — never in a view.</li>
 * </ul>
 * People: O1 (BOS/FIL, operator, P1) acknowledges A and B; O2 (BOS/FIL, operator) never trains and A is overdue;
 * O3 (CRK/QA, operator and QC, P1) acknowledges A only (after the instant {@code afterFirst}); Q1 (BOS/QA, QC)
 * acknowledges C; L1 (BOS/QA, QC) on leave, never trained. So: A — O1 current, O2 overdue, O3 current; B — O1 current,
 * O3 not current; C — O3 not current, Q1 current, L1 not current (on leave). Eight required trainings of five people,
 * four current.
 */
@DisplayName("Compliance views: required trainings counted by site, department, job role, program and document, filtered, now and as of a past instant, with the auditor's question's verdicts; JSON, CSV, PDF; audited; tenant walls (RPT-2, RPT-4)")
class ComplianceReportIT {

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
  private static final Map<String, JsonObject> documents = new LinkedHashMap<>();
  private static OffsetDateTime afterFirst;

  @BeforeAll
  static void organisation() throws Exception {
    tenant = platform.newTenant("compliance");
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
    JsonObject cork = created("/sites", new JsonObject().put("code", "CRK").put("name", "Cork").put("country", "IE")
        .put("timezone", "Europe/Dublin"));
    created("/departments", new JsonObject().put("siteId", boston.getString("id")).put("code", "FIL")
        .put("name", "Fill and finish"));
    created("/departments", new JsonObject().put("siteId", boston.getString("id")).put("code", "QA")
        .put("name", "Quality assurance"));
    created("/departments", new JsonObject().put("siteId", cork.getString("id")).put("code", "QA")
        .put("name", "Quality assurance Cork"));
    JsonObject operator = created("/job-roles", new JsonObject().put("code", "OPERATOR").put("name", "Line operator"));
    JsonObject qc = created("/job-roles", new JsonObject().put("code", "QC").put("name", "QC analyst"));
    JsonObject p1 = created("/programs", new JsonObject().put("code", "P1").put("name", "P1 antibody")
        .put("sponsorName", "Northstar Therapeutics"));
    for (String who : List.of("O1", "O3", "Q1")) {
      learners.put(who, flow.signer(who, "Learner", "employee"));
    }
    JsonArray people = new JsonArray()
        .add(person("O1", "BOS", "FIL", List.of("OPERATOR"), List.of("P1")))
        .add(person("O2", "BOS", "FIL", List.of("OPERATOR"), List.of()))
        .add(person("O3", "CRK", "QA", List.of("OPERATOR", "QC"), List.of("P1")))
        .add(person("Q1", "BOS", "QA", List.of("QC"), List.of()))
        .add(person("L1", "BOS", "QA", List.of("QC"), List.of()));
    Api.Response hired = api.post(tenant.path("/people/bulk"), admin(), new JsonObject().put("people", people)
        .put("reason", "HR feed"));
    assertThat(hired.status()).as(hired.toString()).isEqualTo(200);

    documents.put("A", document("Gowning", null, List.of(operator), null));
    documents.put("B", document("Sponsor batch record", "P1", List.of(operator, qc), p1));
    documents.put("C", document("Laboratory notebook", null, List.of(qc), null));
    documents.put("D", document("Draft procedure", null, List.of(operator), null));

    JsonObject a1 = effective("A");
    acknowledge("O1", a1);
    // A was due two days ago for O2 (the schema's owner moves the due date).
    platform.queryLong("WITH moved AS (UPDATE " + schema + ".training_assignment SET due_at = now() - interval '2 days' "
        + "WHERE version_id = '" + a1.getString("id") + "' AND person_id = '" + personId("O2")
        + "' RETURNING 1) SELECT count(*) FROM moved");
    afterFirst = platform.databaseNow();
    acknowledge("O3", a1);
    JsonObject b1 = effective("B");
    acknowledge("O1", b1);
    JsonObject c1 = effective("C");
    acknowledge("Q1", c1);
    assertThat(api.post(tenant.path("/people/" + personId("L1") + "/status-changes"), admin(), new JsonObject()
        .put("action", "leave").put("effectiveOn", TODAY).put("reason", "Parental leave")).status()).isEqualTo(200);
    settle();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @DisplayName("by site, department, job role, program and document: the counts per group and the totals; a draft document is not covered; a training required through two roles counts in both role groups and once in the totals")
  void groupsNow() {
    JsonObject bySite = view(admin(), "by=site");
    assertThat(bySite.getString("report")).isEqualTo("compliance");
    assertThat(bySite.getInteger("documents")).as("A, B and C; the draft D is not covered").isEqualTo(3);
    JsonObject totals = bySite.getJsonObject("totals");
    assertThat(counts(totals)).isEqualTo("people=5 required=8 current=4 notCurrent=3 overdue=1 onLeave=1");
    assertThat(totals.getDouble("complianceRate")).isEqualTo(0.5);
    Map<String, JsonObject> sites = groups(bySite);
    assertThat(sites.keySet()).containsExactly("BOS", "CRK");
    assertThat(counts(sites.get("BOS"))).isEqualTo("people=4 required=5 current=3 notCurrent=1 overdue=1 onLeave=1");
    assertThat(sites.get("BOS").getString("name")).isEqualTo("Boston");
    assertThat(counts(sites.get("CRK"))).isEqualTo("people=1 required=3 current=1 notCurrent=2 overdue=0 onLeave=0");
    assertThat(sites.get("CRK").getDouble("complianceRate")).isEqualTo(0.3333);

    Map<String, JsonObject> departments = groups(view(admin(), "by=department"));
    assertThat(departments.keySet()).containsExactly("BOS/FIL", "BOS/QA", "CRK/QA");
    assertThat(counts(departments.get("BOS/FIL"))).isEqualTo("people=2 required=3 current=2 notCurrent=0 overdue=1 onLeave=0");
    assertThat(counts(departments.get("BOS/QA"))).isEqualTo("people=2 required=2 current=1 notCurrent=1 overdue=0 onLeave=1");
    assertThat(counts(departments.get("CRK/QA"))).isEqualTo("people=1 required=3 current=1 notCurrent=2 overdue=0 onLeave=0");
    assertThat(departments.get("CRK/QA").getString("name")).isEqualTo("Quality assurance Cork");

    JsonObject byRole = view(admin(), "by=role");
    Map<String, JsonObject> roles = groups(byRole);
    assertThat(roles.keySet()).containsExactly("OPERATOR", "QC");
    assertThat(counts(roles.get("OPERATOR"))).isEqualTo("people=3 required=5 current=3 notCurrent=1 overdue=1 onLeave=0");
    assertThat(roles.get("OPERATOR").getString("name")).isEqualTo("Line operator");
    assertThat(counts(roles.get("QC"))).isEqualTo("people=3 required=4 current=1 notCurrent=3 overdue=0 onLeave=1");
    assertThat(byRole.getJsonObject("totals").getInteger("required")).as("O3's B once").isEqualTo(8);

    JsonArray programs = view(admin(), "by=program").getJsonArray("groups");
    assertThat(programs).hasSize(2);
    assertThat(programs.getJsonObject(0).getString("code")).isEqualTo("P1");
    assertThat(counts(programs.getJsonObject(0))).isEqualTo("people=2 required=2 current=1 notCurrent=1 overdue=0 onLeave=0");
    assertThat(programs.getJsonObject(1).getValue("code")).isNull();
    assertThat(programs.getJsonObject(1).getString("name")).startsWith("No program");
    assertThat(counts(programs.getJsonObject(1))).isEqualTo("people=5 required=6 current=3 notCurrent=2 overdue=1 onLeave=1");

    Map<String, JsonObject> byDocument = groups(view(admin(), "by=document"));
    assertThat(byDocument.keySet()).containsExactly(number("A"), number("B"), number("C"));
    assertThat(counts(byDocument.get(number("A")))).isEqualTo("people=3 required=3 current=2 notCurrent=0 overdue=1 onLeave=0");
    assertThat(byDocument.get(number("A")).getString("name")).isEqualTo("Gowning");
    assertThat(counts(byDocument.get(number("B")))).isEqualTo("people=2 required=2 current=1 notCurrent=1 overdue=0 onLeave=0");
    assertThat(counts(byDocument.get(number("C")))).isEqualTo("people=3 required=3 current=1 notCurrent=2 overdue=0 onLeave=1");
  }

  @Test
  @DisplayName("a document's group is exactly its own auditor's question: the same verdicts counted")
  void agreesWithTheAuditorsQuestion() {
    Map<String, JsonObject> byDocument = groups(view(admin(), "by=document"));
    for (String key : List.of("A", "B", "C")) {
      Api.Response report = api.get(tenant.path("/reports/document-training?document=" + number(key)), admin());
      assertThat(report.status()).as(report.toString()).isEqualTo(200);
      JsonObject reportTotals = report.json().getJsonObject("totals");
      JsonObject group = byDocument.get(number(key));
      assertThat(group.getLong("current")).isEqualTo(reportTotals.getLong("current"));
      assertThat(group.getLong("overdue")).isEqualTo(reportTotals.getLong("overdue"));
      assertThat(group.getLong("notCurrent")).isEqualTo(reportTotals.getLong("notCurrent"));
      assertThat(group.getLong("required")).isEqualTo(reportTotals.getLong("people") - reportTotals.getLong("notRequired"));
    }
  }

  @Test
  @DisplayName("filters: a site, a department (across sites or at one), a role (only trainings it required), a program, a document")
  void filters() {
    Map<String, JsonObject> cork = groups(view(admin(), "by=document&site=CRK"));
    assertThat(cork.keySet()).containsExactly(number("A"), number("B"), number("C"));
    assertThat(counts(cork.get(number("A")))).isEqualTo("people=1 required=1 current=1 notCurrent=0 overdue=0 onLeave=0");
    assertThat(counts(cork.get(number("C")))).isEqualTo("people=1 required=1 current=0 notCurrent=1 overdue=0 onLeave=0");

    JsonObject qa = view(admin(), "by=site&department=QA");
    assertThat(groups(qa).keySet()).containsExactly("BOS", "CRK");
    assertThat(counts(qa.getJsonObject("totals"))).isEqualTo("people=3 required=5 current=2 notCurrent=3 overdue=0 onLeave=1");
    assertThat(groups(view(admin(), "by=site&department=QA&site=CRK")).keySet()).containsExactly("CRK");

    JsonObject qcOnly = view(admin(), "by=site&role=QC");
    assertThat(counts(groups(qcOnly).get("BOS"))).isEqualTo("people=2 required=2 current=1 notCurrent=1 overdue=0 onLeave=1");
    assertThat(counts(groups(qcOnly).get("CRK"))).as("O3's A (an operator's) is not QC's")
        .isEqualTo("people=1 required=2 current=0 notCurrent=2 overdue=0 onLeave=0");
    assertThat(groups(view(admin(), "by=role&role=QC")).keySet()).containsExactly("QC");

    JsonObject p1 = view(admin(), "by=role&program=P1");
    assertThat(p1.getInteger("documents")).isEqualTo(1);
    assertThat(counts(groups(p1).get("OPERATOR"))).isEqualTo("people=2 required=2 current=1 notCurrent=1 overdue=0 onLeave=0");
    assertThat(counts(groups(p1).get("QC"))).isEqualTo("people=1 required=1 current=0 notCurrent=1 overdue=0 onLeave=0");

    JsonObject one = view(admin(), "by=department&document=" + documents.get("C").getString("id"));
    assertThat(one.getInteger("documents")).isEqualTo(1);
    assertThat(counts(one.getJsonObject("totals"))).isEqualTo("people=3 required=3 current=1 notCurrent=2 overdue=0 onLeave=1");
    assertThat(one.getJsonObject("filters").getString("document")).isEqualTo(documents.get("C").getString("id"));
  }

  @Test
  @DisplayName("as of a past instant: only what was in force then — A alone, O1 current, O2 overdue, O3 not yet trained")
  void asOf() {
    JsonObject then = view(auditor.token(platform), "by=document&asOf=" + encode(afterFirst));
    assertThat(then.getBoolean("asOfAsked")).isTrue();
    assertThat(then.getString("asOf")).isEqualTo(afterFirst.toInstant().toString());
    assertThat(then.getInteger("documents")).isEqualTo(1);
    assertThat(groups(then).keySet()).containsExactly(number("A"));
    assertThat(counts(then.getJsonObject("totals"))).isEqualTo("people=3 required=3 current=1 notCurrent=1 overdue=1 onLeave=0");
  }

  @Test
  @DisplayName("CSV: one line per group and a total line, each repeating the instant and filters; the Accept header works too")
  void csv() {
    Api.Response response = api.get(tenant.path("/reports/compliance?by=department&format=csv"), admin());
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("text/csv");
    assertThat(response.header("Content-Disposition")).contains("attachment").contains("compliance-by-department");
    String[] lines = response.body().split("\r\n");
    assertThat(lines).hasSize(5);
    List<String> header = Arrays.asList(lines[0].split(","));
    assertThat(header).startsWith("by", "site", "code", "name", "people", "required", "current", "not_current", "overdue");
    List<String> fil = Arrays.asList(lines[1].split(",", -1));
    assertThat(fil).hasSize(header.size());
    assertThat(fil.subList(0, 9)).containsExactly("department", "BOS", "FIL", "Fill and finish", "2", "3", "2", "0", "1");
    assertThat(fil.get(header.indexOf("compliance_rate"))).isEqualTo("0.6667");
    assertThat(lines[4]).startsWith("total,,,,5,8,4,3,1,");
    assertThat(new String(api.getBytes(tenant.path("/reports/compliance?by=site&role=QC"), admin(), "text/csv").body(),
        StandardCharsets.UTF_8)).startsWith("by,site,code,").contains(",role=QC");
  }

  @Test
  @DisplayName("PDF: tenant, generated-at, page numbers, the dimension, filters, instant, totals and every group")
  void pdf() throws IOException {
    var response = api.getBytes(tenant.path("/reports/compliance?by=role&site=BOS"), auditor.token(platform),
        "application/pdf");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/pdf");
    String text = text(response.body());
    assertThat(text).contains("Training compliance by role").contains("Tenant " + tenant.slug().toUpperCase(
        java.util.Locale.ROOT)).contains("Page 1 of ").contains("site=BOS");
    assertThat(text).containsPattern("Generated \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
    assertThat(text).contains("5 required trainings of 4 people: 3 current, 1 not current, 1 overdue (60.0 % compliant)");
    assertThat(text).contains("OPERATOR").contains("Line operator").contains("QC analyst");
  }

  @Test
  @DisplayName("audited with its parameters; readers only (an employee 403, not audited); bad input is a problem and audits nothing")
  void auditedReadersAndBadInput() {
    long before = auditEvents(auditor);
    view(auditor.token(platform), "by=program&site=BOS&format=json");
    assertThat(auditEvents(auditor)).isEqualTo(before + 1);
    JsonObject event = new JsonObject(platform.queryString("SELECT after_value::text FROM " + schema + ".audit_event "
        + "WHERE actor_id = '" + auditor.id() + "' AND action = 'report.generated' ORDER BY seq DESC LIMIT 1"));
    assertThat(event.getString("report")).isEqualTo("compliance");
    assertThat(event.getString("by")).isEqualTo("program");
    assertThat(event.getJsonObject("filters").getString("site")).isEqualTo("BOS");
    assertThat(event.getString("format")).isEqualTo("json");

    long employeeEvents = auditEvents(employee);
    assertThat(api.get(tenant.path("/reports/compliance?by=site"), employee.token(platform)).status()).isEqualTo(403);
    assertThat(auditEvents(employee)).isEqualTo(employeeEvents);

    long adminEvents = auditEvents(trainingAdmin);
    for (String query : List.of("", "by=person", "by=site&asOf=yesterday", "by=site&format=xlsx")) {
      Api.Response response = api.get(tenant.path("/reports/compliance?" + query), admin());
      assertThat(response.status()).as(query + ": " + response).isEqualTo(400);
      assertThat(response.isProblem()).isTrue();
    }
    for (String[] unknown : List.of(new String[] {"site=ZRH", "site"}, new String[] {"department=LAB", "department"},
        new String[] {"site=CRK&department=FIL", "department"}, new String[] {"role=PILOT", "role"},
        new String[] {"program=P9", "program"}, new String[] {"document=SOP-XX-999", "document"},
        new String[] {"asOf=" + encode(OffsetDateTime.now(ZoneOffset.UTC).plusDays(1)), "asOf"})) {
      Api.Response response = api.get(tenant.path("/reports/compliance?by=site&" + unknown[0]), admin());
      assertThat(response.status()).as(unknown[0] + ": " + response).isEqualTo(422);
      assertThat(response.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo(unknown[1]);
    }
    assertThat(auditEvents(trainingAdmin)).isEqualTo(adminEvents);
  }

  @Test
  @DisplayName("tenants are walls: another tenant's admin and auditor get 404 here, and their own tenant's view knows none of these documents")
  void crossTenant() {
    TenantFixture other = platform.newTenant("compliancewall");
    Person otherAuditor = platform.newMember("Other", "Auditor", other);
    platform.grantRole(other, otherAuditor.id(), "auditor");
    for (String token : List.of(other.adminToken(), otherAuditor.token(platform))) {
      for (String format : List.of("json", "csv", "pdf")) {
        Api.Response here = api.get(tenant.path("/reports/compliance?by=site&format=" + format), token);
        assertThat(here.status()).as(here.toString()).isEqualTo(404);
      }
      Api.Response there = api.get(other.path("/reports/compliance?by=document"), token);
      assertThat(there.status()).as(there.toString()).isEqualTo(200);
      assertThat(there.json().getJsonArray("groups")).isEmpty();
      assertThat(there.json().getJsonObject("totals").getInteger("required")).isZero();
      Api.Response byId = api.get(other.path("/reports/compliance?by=site&document=" + documents.get("A").getString("id")),
          token);
      assertThat(byId.status()).as(byId.toString()).isEqualTo(422);
    }
  }

  // --- helpers ---

  private static JsonObject view(String token, String query) {
    Api.Response response = api.get(tenant.path("/reports/compliance?" + query), token);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    return response.json();
  }

  /** Groups by code (a department's as site/code), in the answer's order. */
  private static Map<String, JsonObject> groups(JsonObject view) {
    Map<String, JsonObject> groups = new LinkedHashMap<>();
    view.getJsonArray("groups").forEach(item -> {
      JsonObject group = (JsonObject) item;
      groups.put(group.getString("site") == null ? group.getString("code")
          : group.getString("site") + "/" + group.getString("code"), group);
    });
    return groups;
  }

  private static String counts(JsonObject group) {
    return "people=" + group.getLong("people") + " required=" + group.getLong("required") + " current="
        + group.getLong("current") + " notCurrent=" + group.getLong("notCurrent") + " overdue=" + group.getLong("overdue")
        + " onLeave=" + group.getLong("onLeave");
  }

  private static JsonObject person(String number, String site, String department, List<String> roles,
                                   List<String> programs) {
    JsonObject person = new JsonObject().put("employeeNumber", number).put("givenName", "Emp").put("familyName", number)
        .put("siteCode", site).put("departmentCode", department).put("status", "active").put("hiredOn", "2024-01-08")
        .put("jobRoleCodes", new JsonArray(List.copyOf(roles))).put("programCodes", new JsonArray(List.copyOf(programs)));
    if (learners.containsKey(number)) {
      person.put("userId", learners.get(number).id());
    }
    return person;
  }

  /** A document with its requirements (scoped to {@code program} when given); effective later, or never for D. */
  private static JsonObject document(String title, String programCode, List<JsonObject> roles, JsonObject program) {
    JsonObject body = new JsonObject().put("title", title).put("type", "sop").put("ownerId", author.id())
        .put("department", "QA").put("riskClass", "medium").put("reviewIntervalMonths", 24);
    if (programCode != null) {
      body.put("programCode", programCode);
    }
    Api.Response created = api.post(tenant.path("/documents"), author.token(platform), body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    for (JsonObject role : roles) {
      JsonObject requirement = new JsonObject().put("documentId", created.json().getString("id"))
          .put("jobRoleId", role.getString("id")).put("method", "read-and-acknowledge").put("reason", "Matrix");
      if (program != null) {
        requirement.put("programId", program.getString("id"));
      }
      Api.Response required = api.post(tenant.path("/training-requirements"), admin(), requirement);
      assertThat(required.status()).as(required.toString()).isEqualTo(201);
    }
    // The matrix was set up a month ago (the schema's owner back-dates the rows), so it applies at every instant asked.
    platform.queryLong("WITH moved AS (UPDATE " + schema + ".training_requirement SET created_at = created_at - "
        + "interval '30 days' WHERE document_id = '" + created.json().getString("id") + "' RETURNING 1) "
        + "SELECT count(*) FROM moved");
    return created.json();
  }

  private static String number(String key) {
    return documents.get(key).getString("number");
  }

  private static JsonObject effective(String key) throws InterruptedException {
    JsonObject version = flow.effective(documents.get(key), author, approver, "major", "full-retraining");
    settle();
    return version;
  }

  private static void acknowledge(String who, JsonObject version) {
    Person learner = learners.get(who);
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
    Api.Response response = api.post(tenant.path(collection), admin(), body.put("reason", "Set up for compliance tests"));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  private static String personId(String employeeNumber) {
    return platform.queryString("SELECT id::text FROM " + schema + ".person WHERE employee_number = '" + employeeNumber
        + "'");
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
