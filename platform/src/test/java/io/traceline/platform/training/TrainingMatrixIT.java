package io.traceline.platform.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The training matrix: revisions, hires, role changes, leave, returns and terminations create and close assignments by themselves, exactly once (TRN-1, TRN-2, TRN-3, PPL-2, PPL-3)")
class TrainingMatrixIT {

  private static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();

  private static TestPlatform platform;
  private static Api api;
  private static TenantFixture tenant;
  private static String schema;
  private static DocumentFlow flow;
  private static JobCluster cluster;
  private static Person author;
  private static Person approver;
  private static Person trainingAdmin;
  private static String admin;
  private static JsonObject boston;
  private static JsonObject bostonFill;
  private static JsonObject cork;
  private static JsonObject corkFill;
  private static JsonObject operator;
  private static JsonObject supervisorRole;

  @BeforeAll
  static void organisation() {
    platform = TestPlatform.get();
    api = platform.api();
    tenant = platform.newTenant("matrix");
    schema = "t_" + tenant.slug();
    flow = new DocumentFlow(platform, tenant);
    author = flow.member("Adam", "Author", "document-author");
    approver = flow.signer("Alba", "Approver", "approver");
    trainingAdmin = flow.member("Tara", "Trainer", "training-admin");
    admin = trainingAdmin.token(platform);
    boston = created("/sites", new JsonObject().put("code", "BOS").put("name", "Boston").put("country", "US")
        .put("timezone", "America/New_York"));
    cork = created("/sites", new JsonObject().put("code", "CRK").put("name", "Cork").put("country", "IE")
        .put("timezone", "Europe/Dublin"));
    bostonFill = created("/departments", new JsonObject().put("siteId", boston.getString("id")).put("code", "FIL")
        .put("name", "Fill and finish"));
    corkFill = created("/departments", new JsonObject().put("siteId", cork.getString("id")).put("code", "FIL")
        .put("name", "Fill and finish"));
    operator = created("/job-roles", new JsonObject().put("code", "ASEPTIC-OP").put("name", "Aseptic Operator"));
    supervisorRole = created("/job-roles", new JsonObject().put("code", "PROD-SUP").put("name", "Production Supervisor"));
    cluster = new JobCluster(1);
    cluster.startInJvm(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static JsonObject created(String collection, JsonObject body) {
    Api.Response response = api.post(tenant.path(collection), admin, body.put("reason", "Set up for the matrix test"));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  /** Hires or updates people through the bulk API: {employee number, site, department, status, roles...}. */
  private static void upsert(List<Object[]> rows) {
    JsonArray people = new JsonArray();
    for (Object[] row : rows) {
      JsonObject person = new JsonObject().put("employeeNumber", row[0]).put("givenName", "Emp").put("familyName", (String) row[0])
          .put("siteCode", row[1]).put("departmentCode", "FIL").put("status", row[2]).put("hiredOn", "2024-01-08")
          .put("jobRoleCodes", new JsonArray(List.of((Object[]) row[3])));
      people.add(person);
    }
    Api.Response response = api.post(tenant.path("/people/bulk"), admin, new JsonObject().put("people", people)
        .put("reason", "HR feed"));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
  }

  private static JsonObject requirement(JsonObject document, JsonObject jobRole, JsonObject site, String method) {
    JsonObject body = new JsonObject().put("documentId", document.getString("id")).put("jobRoleId", jobRole.getString("id"))
        .put("method", method).put("dueDays", 21).put("reason", "Operators perform this procedure");
    if (site != null) {
      body.put("siteId", site.getString("id"));
    }
    if ("assessment".equals(method)) {
      body.put("passScore", 80);
    }
    Api.Response response = api.post(tenant.path("/training-requirements"), admin, body);
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  private static long count(String where) {
    return platform.queryLong("SELECT count(*) FROM " + schema + ".training_assignment a JOIN " + schema
        + ".person p ON p.id = a.person_id WHERE " + where);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
      Thread.sleep(100);
    }
  }

  /** Waits until every training job of the tenant has finished. */
  private static void settle() throws InterruptedException {
    await("training jobs", () -> platform.queryLong("SELECT count(*) FROM control.job WHERE tenant = '" + tenant.slug()
        + "' AND kind LIKE 'training.%' AND state IN ('scheduled', 'running')") == 0);
  }

  @Test
  @DisplayName("a revision assigns everyone holding a mapped role (active, in scope), due after its window, by one audited job; the next revision supersedes the open ones; a minor one asks for a read-and-acknowledge; impact 'none' assigns nothing")
  void revisionFanOut() throws Exception {
    List<Object[]> people = new java.util.ArrayList<>();
    for (int i = 0; i < 450; i++) {
      people.add(new Object[] {String.format("RV-%04d", i), i < 400 ? "BOS" : "CRK", i % 50 == 7 ? "on_leave" : "active",
          new String[] {"ASEPTIC-OP"}});
    }
    people.add(new Object[] {"RV-T1", "BOS", "terminated", new String[0]});
    people.add(new Object[] {"RV-S1", "BOS", "active", new String[] {"PROD-SUP"}});
    upsert(people);
    settle();
    JsonObject document = flow.document(author, "sop", "FIL", "Aseptic gowning", "high");
    requirement(document, operator, boston, "assessment");
    JsonObject v1 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();

    // 400 Boston operators, minus the 8 on leave; Cork is out of scope, the terminated and the supervisor unmapped.
    String ofV1 = "a.version_id = '" + v1.getString("id") + "'";
    assertThat(count(ofV1)).isEqualTo(392);
    assertThat(count(ofV1 + " AND p.site_id <> '" + boston.getString("id") + "'")).isZero();
    assertThat(count(ofV1 + " AND (p.status <> 'active')")).isZero();
    assertThat(count(ofV1 + " AND a.method = 'assessment' AND a.cause = 'revision-effective' AND a.status = 'open' "
        + "AND a.due_at = '" + v1.getString("effectiveAt") + "'::timestamptz + interval '21 days'")).isEqualTo(392);
    // One job, of several chunks, audited once with its counts; every assignment names it.
    String jobId = platform.queryString("SELECT id::text FROM control.job WHERE tenant = '" + tenant.slug()
        + "' AND dedupe_key = 'revision:" + v1.getString("id") + "'");
    assertThat(count(ofV1 + " AND a.job_id = '" + jobId + "'")).isEqualTo(392);
    assertThat(platform.queryLong("SELECT chunks_total FROM control.job WHERE id = '" + jobId + "'")).isGreaterThan(1);
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".audit_event WHERE action = 'training.fan-out' "
        + "AND entity_id = '" + v1.getString("id") + "' AND after_value->>'jobId' = '" + jobId + "'")).isEqualTo(1);
    Api.Response progress = api.get(tenant.path("/training-jobs/" + jobId), admin);
    assertThat(progress.status()).as(progress.toString()).isEqualTo(200);
    assertThat(progress.json().getString("state")).isEqualTo("succeeded");
    assertThat(progress.json().getJsonObject("progress").getLong("rowsAffected")).isEqualTo(392);

    // A major revision: the open v1 assignments are superseded, v2 assigned to the same people.
    JsonObject v2 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();
    assertThat(count(ofV1 + " AND a.status = 'superseded' AND a.close_reason = 'Superseded by version 2.0'"))
        .isEqualTo(392);
    // The first version's fan-out was told there was nothing older (its statement leaves the supersession out), v2's
    // that there was.
    assertThat(platform.queryString("SELECT string_agg(payload->>'earlierVersions', ',' ORDER BY created_at) FROM "
        + "control.job WHERE dedupe_key IN ('revision:" + v1.getString("id") + "', 'revision:" + v2.getString("id") + "')"))
        .isEqualTo("false,true");
    assertThat(count("a.version_id = '" + v2.getString("id") + "' AND a.status = 'open' AND a.method = 'assessment'"))
        .isEqualTo(392);
    // A minor revision with read-and-acknowledge impact asks for just that.
    JsonObject v21 = flow.effective(document, author, approver, "minor", "read-and-acknowledge");
    settle();
    assertThat(count("a.version_id = '" + v21.getString("id") + "' AND a.method = 'read-and-acknowledge'")).isEqualTo(392);
    // Impact "none" keeps qualifications current: no job, no assignment, v2.1's stay open.
    JsonObject v22 = flow.effective(document, author, approver, "minor", "none");
    settle();
    assertThat(count("a.version_id = '" + v22.getString("id") + "'")).isZero();
    assertThat(count("a.version_id = '" + v21.getString("id") + "' AND a.status = 'open'")).isEqualTo(392);
    assertThat(platform.queryLong("SELECT count(*) FROM control.job WHERE dedupe_key = 'revision:" + v22.getString("id")
        + "'")).isZero();
  }

  @Test
  @DisplayName("a fan-out fired twice, or a chunk re-run after a failover, never duplicates an assignment; an outdated version's fan-out run late changes nothing")
  void firingTwice() throws Exception {
    upsert(List.<Object[]>of(new Object[] {"FT-1", "CRK", "active", new String[] {"ASEPTIC-OP"}},
        new Object[] {"FT-2", "CRK", "active", new String[] {"ASEPTIC-OP"}}));
    settle();
    JsonObject document = flow.document(author, "sop", "FIL", "Vial inspection", "medium");
    requirement(document, operator, cork, "read-and-acknowledge");
    JsonObject v1 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();
    String ofV1 = "a.version_id = '" + v1.getString("id") + "'";
    long assigned = count(ofV1);
    assertThat(assigned).isGreaterThanOrEqualTo(2);
    String job = platform.queryString("SELECT id::text FROM control.job WHERE dedupe_key = 'revision:" + v1.getString("id") + "'");
    // Every chunk runs again, as after a failover that lost their done marks: nothing new.
    runAgain(job);
    assertThat(count(ofV1)).isEqualTo(assigned);
    assertThat(platform.queryLong("SELECT count(*) FROM (SELECT person_id FROM " + schema + ".training_assignment "
        + "WHERE version_id = '" + v1.getString("id") + "' GROUP BY person_id, requirement_id, cycle HAVING count(*) > 1) d"))
        .isZero();
    // v1's fan-out run again after v2 became effective (a backlog, a failover) does nothing: it neither supersedes v2's
    // open assignments nor reopens v1 for anyone.
    JsonObject v2 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();
    String ofV2 = "a.version_id = '" + v2.getString("id") + "'";
    assertThat(count(ofV2 + " AND a.status = 'open'")).isEqualTo(assigned);
    assertThat(count(ofV1 + " AND a.status = 'superseded'")).isEqualTo(assigned);
    runAgain(job);
    assertThat(count(ofV2 + " AND a.status = 'open'")).isEqualTo(assigned);
    assertThat(count(ofV1 + " AND a.status = 'open'")).isZero();
    assertThat(count(ofV1)).isEqualTo(assigned);
    // The same requirement again is a conflict, not a second fan-out.
    Api.Response twice = api.post(tenant.path("/training-requirements"), admin, new JsonObject()
        .put("documentId", document.getString("id")).put("jobRoleId", operator.getString("id"))
        .put("siteId", cork.getString("id")).put("method", "read-and-acknowledge"));
    assertThat(twice.status()).isEqualTo(409);
  }

  /** Puts every chunk of {@code job} back to pending, as after a failover that lost their done marks, and waits. */
  private static void runAgain(String job) throws InterruptedException {
    platform.queryLong("WITH again AS (UPDATE control.job_chunk SET state = 'pending', next_attempt_at = now() "
        + "WHERE job_id = '" + job + "' RETURNING 1), running AS (UPDATE control.job SET state = 'running', "
        + "finished_at = NULL WHERE id = '" + job + "' RETURNING 1) SELECT count(*) FROM again");
    settle();
  }

  @Test
  @DisplayName("people changes reconcile their training: a hire or a new role gets the current versions, a lost role cancels with the reason, leave pauses and a return resumes with the due date moved and what changed meanwhile, termination cancels everything")
  void peopleTriggers() throws Exception {
    JsonObject document = flow.document(author, "sop", "FIL", "Line clearance", "high");
    requirement(document, supervisorRole, null, "on-the-job");
    JsonObject v1 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();
    // A hire with the role (bulk) and a transfer into it (holding API) are assigned v1.
    upsert(List.<Object[]>of(new Object[] {"PT-1", "BOS", "active", new String[] {"PROD-SUP"}},
        new Object[] {"PT-2", "BOS", "active", new String[] {"ASEPTIC-OP"}}));
    settle();
    String mine = "a.version_id = '" + v1.getString("id") + "' AND p.employee_number = ";
    assertThat(count(mine + "'PT-1' AND a.cause = 'hired' AND a.status = 'open' AND a.method = 'on-the-job'")).isEqualTo(1);
    assertThat(count(mine + "'PT-2'")).isZero();
    String pt2 = platform.queryString("SELECT id::text FROM " + schema + ".person WHERE employee_number = 'PT-2'");
    Api.Response promoted = api.post(tenant.path("/people/" + pt2 + "/job-roles"), admin, new JsonObject()
        .put("jobRoleId", supervisorRole.getString("id")).put("validFrom", TODAY).put("reason", "Promoted to supervisor"));
    assertThat(promoted.status()).as(promoted.toString()).isEqualTo(201);
    settle();
    assertThat(count(mine + "'PT-2' AND a.cause = 'role-gained' AND a.status = 'open'")).isEqualTo(1);

    // The role ends: the open assignment is cancelled, saying why.
    Api.Response ended = api.post(tenant.path("/people/" + pt2 + "/job-roles/" + promoted.json().getString("id") + "/ending"),
        admin, new JsonObject().put("validTo", TODAY).put("reason", "Back to operator"));
    assertThat(ended.status()).as(ended.toString()).isEqualTo(200);
    settle();
    assertThat(count(mine + "'PT-2' AND a.status = 'cancelled' AND a.close_reason LIKE 'No longer required: job role PROD-SUP%'"))
        .isEqualTo(1);
    // Regained: a new cycle, the cancellation stays in the history.
    assertThat(api.post(tenant.path("/people/" + pt2 + "/job-roles"), admin, new JsonObject()
        .put("jobRoleId", supervisorRole.getString("id")).put("validFrom", TODAY).put("reason", "Promoted again"))
        .status()).isEqualTo(201);
    settle();
    assertThat(count(mine + "'PT-2' AND a.status = 'open' AND a.cycle = 2")).isEqualTo(1);

    // Leave pauses the due date; a revision while away assigns nothing; the return resumes (due date moved by the
    // time away) and assigns what changed meanwhile.
    String pt1 = platform.queryString("SELECT id::text FROM " + schema + ".person WHERE employee_number = 'PT-1'");
    assertThat(status(pt1, "leave", "Parental leave").status()).isEqualTo(200);
    settle();
    assertThat(count(mine + "'PT-1' AND a.paused_since IS NOT NULL")).isEqualTo(1);
    JsonObject v2 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();
    assertThat(count("a.version_id = '" + v2.getString("id") + "' AND p.employee_number = 'PT-1'")).isZero();
    assertThat(count(mine + "'PT-1' AND a.status = 'superseded'")).isEqualTo(1);
    Thread.sleep(1200);
    assertThat(status(pt1, "return", "Back from leave").status()).isEqualTo(200);
    settle();
    assertThat(count("a.version_id = '" + v2.getString("id") + "' AND p.employee_number = 'PT-1' AND a.cause = 'returned' "
        + "AND a.status = 'open'")).isEqualTo(1);
    assertThat(count("p.employee_number = 'PT-1' AND a.paused_since IS NOT NULL")).isZero();

    // Termination cancels every open assignment; a later revision assigns the leaver nothing.
    assertThat(status(pt2, "terminate", "Resigned").status()).isEqualTo(200);
    settle();
    assertThat(count("p.employee_number = 'PT-2' AND a.status = 'open'")).isZero();
    assertThat(count("p.employee_number = 'PT-2' AND a.status = 'cancelled' AND a.close_reason = 'The person was terminated'"))
        .isPositive();
    JsonObject v3 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();
    assertThat(count("a.version_id = '" + v3.getString("id") + "' AND p.employee_number = 'PT-2'")).isZero();
    assertThat(count("a.version_id = '" + v3.getString("id") + "' AND p.employee_number = 'PT-1'")).isEqualTo(1);
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".person_event WHERE consumed_at IS NULL")).isZero();
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".audit_event WHERE action = 'training.people-reconciled'"))
        .isPositive();
  }

  private static Api.Response status(String personId, String action, String reason) {
    return api.post(tenant.path("/people/" + personId + "/status-changes"), admin, new JsonObject().put("action", action)
        .put("effectiveOn", TODAY).put("reason", reason));
  }

  @Test
  @DisplayName("a requirement added to a role assigns the effective version to the role's people at once; retiring it cancels them with the reason")
  void requirementAddedAndRetired() throws Exception {
    upsert(List.<Object[]>of(new Object[] {"RQ-1", "CRK", "active", new String[] {"ASEPTIC-OP"}},
        new Object[] {"RQ-2", "CRK", "active", new String[] {"ASEPTIC-OP"}}));
    settle();
    JsonObject document = flow.document(author, "work-instruction", "FIL", "Stopper bowl loading", "low");
    JsonObject v1 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();
    assertThat(count("a.document_id = '" + document.getString("id") + "'")).isZero();
    JsonObject requirement = requirement(document, operator, cork, "classroom");
    assertThat(requirement.getString("fanOutJobId")).isNotNull();
    assertThat(requirement.getInteger("dueDays")).isEqualTo(21);
    settle();
    long assigned = count("a.version_id = '" + v1.getString("id") + "' AND a.cause = 'requirement-added'");
    assertThat(assigned).isGreaterThanOrEqualTo(2);
    assertThat(count("a.version_id = '" + v1.getString("id") + "' AND p.site_id <> '" + cork.getString("id") + "'")).isZero();

    Api.Response noReason = api.post(tenant.path("/training-requirements/" + requirement.getString("id") + "/retirement"),
        admin, new JsonObject());
    assertThat(noReason.status()).isEqualTo(422);
    Api.Response retired = api.post(tenant.path("/training-requirements/" + requirement.getString("id") + "/retirement"),
        admin, new JsonObject().put("reason", "Stopper bowls replaced by a feeder"));
    assertThat(retired.status()).as(retired.toString()).isEqualTo(200);
    assertThat(retired.json().getLong("assignmentsCancelled")).isEqualTo(assigned);
    assertThat(count("a.version_id = '" + v1.getString("id") + "' AND a.status = 'cancelled' AND a.close_reason = "
        + "'Requirement retired: Stopper bowls replaced by a feeder'")).isEqualTo(assigned);
    assertThat(api.post(tenant.path("/training-requirements/" + requirement.getString("id") + "/retirement"), admin,
        new JsonObject().put("reason", "Again")).status()).isEqualTo(409);
  }

  @Test
  @DisplayName("requirements: default window by risk, If-Match and a reason to change, a pass score only for assessments, bad references 422, writers only")
  void requirementRules() {
    JsonObject document = flow.document(author, "sop", "FIL", "Environmental monitoring", "high");
    Api.Response noScore = api.post(tenant.path("/training-requirements"), admin, new JsonObject()
        .put("documentId", document.getString("id")).put("jobRoleId", operator.getString("id")).put("method", "assessment"));
    assertThat(noScore.status()).isEqualTo(422);
    Api.Response unknown = api.post(tenant.path("/training-requirements"), admin, new JsonObject()
        .put("documentId", java.util.UUID.randomUUID().toString()).put("jobRoleId", java.util.UUID.randomUUID().toString())
        .put("method", "classroom"));
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().getJsonArray("errors")).hasSize(2);
    Api.Response byAuthor = api.post(tenant.path("/training-requirements"), author.token(platform), new JsonObject()
        .put("documentId", document.getString("id")).put("jobRoleId", operator.getString("id")).put("method", "classroom"));
    assertThat(byAuthor.status()).isEqualTo(403);
    Api.Response created = api.post(tenant.path("/training-requirements"), admin, new JsonObject()
        .put("documentId", document.getString("id")).put("jobRoleId", operator.getString("id")).put("method", "classroom"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().getInteger("dueDays")).isEqualTo(14);
    assertThat(created.json().getValue("fanOutJobId")).isNull();
    String path = tenant.path("/training-requirements/" + created.json().getString("id"));
    JsonObject change = new JsonObject().put("method", "assessment").put("passScore", 85).put("reason", "High risk: test it");
    assertThat(api.send("PATCH", path, admin, change.encode(), "application/json").status()).isEqualTo(428);
    assertThat(api.send("PATCH", path, admin, change.encode(), "application/json", Map.of("If-Match", "\"9\"")).status())
        .isEqualTo(412);
    Api.Response changed = api.send("PATCH", path, admin, change.encode(), "application/json", Map.of("If-Match", "\"1\""));
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    assertThat(changed.json().getString("method")).isEqualTo("assessment");
    assertThat(changed.json().getInteger("passScore")).isEqualTo(85);
    assertThat(changed.header("ETag")).isEqualTo("\"2\"");
    assertThat(api.get(tenant.path("/training-requirements?documentId=" + document.getString("id")), author.token(platform))
        .json().getJsonArray("items")).hasSize(1);
  }

  @Test
  @DisplayName("lists: my training, my team's, everyone on one version with cursor pages; employees see only their own")
  void lists() throws Exception {
    Person supervisor = flow.member("Sam", "Supervisor", "supervisor");
    Person worker = flow.member("Wim", "Worker", "employee");
    upsert(List.<Object[]>of(new Object[] {"LS-SUP", "CRK", "active", new String[] {"PROD-SUP"}}));
    JsonArray rows = new JsonArray()
        .add(new JsonObject().put("employeeNumber", "LS-SUP").put("givenName", "Sam").put("familyName", "Supervisor")
            .put("siteCode", "CRK").put("departmentCode", "FIL").put("status", "active").put("hiredOn", "2024-01-08")
            .put("userId", supervisor.id()))
        .add(new JsonObject().put("employeeNumber", "LS-W").put("givenName", "Wim").put("familyName", "Worker")
            .put("siteCode", "CRK").put("departmentCode", "FIL").put("status", "active").put("hiredOn", "2024-01-08")
            .put("userId", worker.id()).put("managerEmployeeNumber", "LS-SUP").put("jobRoleCodes", new JsonArray().add("ASEPTIC-OP")));
    assertThat(api.post(tenant.path("/people/bulk"), admin, new JsonObject().put("people", rows).put("reason", "Logins"))
        .status()).isEqualTo(200);
    settle();
    JsonObject document = flow.document(author, "sop", "FIL", "Glove changes", "medium");
    requirement(document, operator, cork, "read-and-acknowledge");
    JsonObject v1 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();

    Api.Response mine = api.get(tenant.path("/me/training"), worker.token(platform));
    assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
    assertThat(mine.json().getJsonArray("items").stream().map(a -> ((JsonObject) a).getJsonObject("document")
        .getString("number"))).contains(document.getString("number"));
    assertThat(mine.json().getJsonArray("items").getJsonObject(0).getJsonObject("person").getString("employeeNumber"))
        .isEqualTo("LS-W");
    Api.Response team = api.get(tenant.path("/me/team/training"), supervisor.token(platform));
    assertThat(team.status()).as(team.toString()).isEqualTo(200);
    assertThat(team.json().getJsonArray("items").stream().map(a -> ((JsonObject) a).getJsonObject("person")
        .getString("employeeNumber")).distinct().toList()).containsExactly("LS-W");
    assertThat(api.get(tenant.path("/me/team/training"), worker.token(platform)).status()).isEqualTo(403);
    assertThat(api.get(tenant.path("/training-assignments"), worker.token(platform)).status()).isEqualTo(403);
    assertThat(api.get(tenant.path("/me/training"), author.token(platform)).status()).isEqualTo(404);

    String onVersion = tenant.path("/documents/" + document.getString("id") + "/versions/" + v1.getString("id")
        + "/assignments?limit=2");
    Api.Response page1 = api.get(onVersion, admin);
    assertThat(page1.status()).as(page1.toString()).isEqualTo(200);
    assertThat(page1.json().getJsonArray("items")).hasSize(2);
    Api.Response page2 = api.get(onVersion + "&after=" + page1.json().getString("next"), admin);
    assertThat(page2.json().getJsonArray("items").getJsonObject(0).getString("id"))
        .isGreaterThan(page1.json().getJsonArray("items").getJsonObject(1).getString("id"));
    assertThat(api.get(tenant.path("/training-assignments?status=overdue&documentId=" + document.getString("id")), admin)
        .json().getJsonArray("items")).isEmpty();
  }

  @Test
  @DisplayName("read-and-acknowledge completes by the learner's signature bound to the version; a recertifying requirement then sets a timer that assigns the next cycle; completing v1 never satisfies v2")
  void acknowledgementAndRecertification() throws Exception {
    Person learner = flow.signer("Lena", "Learner", "employee");
    JsonArray rows = new JsonArray().add(new JsonObject().put("employeeNumber", "RC-1").put("givenName", "Lena")
        .put("familyName", "Learner").put("siteCode", "CRK").put("departmentCode", "FIL").put("status", "active")
        .put("hiredOn", "2024-01-08").put("userId", learner.id()).put("jobRoleCodes", new JsonArray().add("ASEPTIC-OP")));
    assertThat(api.post(tenant.path("/people/bulk"), admin, new JsonObject().put("people", rows).put("reason", "Hire"))
        .status()).isEqualTo(200);
    settle();
    JsonObject document = flow.document(author, "policy", "FIL", "Cleanroom behaviour", "low");
    assertThat(api.post(tenant.path("/training-requirements"), admin, new JsonObject()
        .put("documentId", document.getString("id")).put("jobRoleId", operator.getString("id"))
        .put("siteId", cork.getString("id")).put("method", "read-and-acknowledge").put("dueDays", 21)
        .put("recertifyMonths", 12)).status()).isEqualTo(201);
    JsonObject v1 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();
    String token = learner.token(platform);
    JsonObject mine = api.get(tenant.path("/me/training?status=open"), token).json().getJsonArray("items").stream()
        .map(JsonObject.class::cast).filter(a -> a.getJsonObject("version").getString("id").equals(v1.getString("id")))
        .findFirst().orElseThrow();
    String path = tenant.path("/me/training/" + mine.getString("id") + "/acknowledgement");
    JsonObject body = new JsonObject().put("reauthentication", DocumentFlow.password(learner));
    // The learner opens the version first (a read-and-acknowledge needs it).
    assertThat(api.getBytes(tenant.path("/me/training/" + mine.getString("id") + "/content"), token).statusCode())
        .isEqualTo(200);
    // Someone else cannot sign it (it is not theirs: 404), a wrong password is a 401 that completes nothing.
    assertThat(api.post(path, author.token(platform), body).status()).isEqualTo(404);
    assertThat(api.post(path, token, new JsonObject().put("reauthentication", DocumentFlow.password(learner)
        .put("password", "wrong-password"))).status()).isEqualTo(401);
    Api.Response done = api.post(path, token, body);
    assertThat(done.status()).as(done.toString()).isEqualTo(201);
    assertThat(done.json().getJsonObject("assignment").getString("status")).isEqualTo("completed");
    assertThat(done.json().getJsonObject("signature").getString("meaning")).isEqualTo("read-and-understood");
    assertThat(done.json().getJsonObject("signature").getString("manifestation")).contains("Lena Learner");
    assertThat(api.post(path, token, body).status()).isEqualTo(409);
    // The signed record names the version's submission hash and file, so it cannot count for another version.
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".record_version WHERE record_type = "
        + "'training-assignment' AND record_id = '" + mine.getString("id") + "' AND content->'version'->>'recordHash' = '"
        + v1.getString("recordHash") + "'")).isEqualTo(1);

    // The recertification timer: one due window before the qualification expires.
    String timer = "dedupe_key = 'recertification:" + mine.getString("id") + "'";
    assertThat(platform.queryLong("SELECT count(*) FROM control.job WHERE " + timer + " AND run_at BETWEEN "
        + "now() + interval '12 months' - interval '22 days' AND now() + interval '12 months' - interval '20 days'"))
        .isEqualTo(1);
    platform.queryLong("WITH due AS (UPDATE control.job SET run_at = now() WHERE " + timer + " RETURNING 1) "
        + "SELECT count(*) FROM due");
    settle();
    assertThat(count("a.person_id = (SELECT id FROM " + schema + ".person WHERE employee_number = 'RC-1') "
        + "AND a.version_id = '" + v1.getString("id") + "' AND a.cycle = 2 AND a.cause = 'recertification' "
        + "AND a.status = 'open' AND a.due_at = (SELECT completed_at + interval '12 months' FROM " + schema
        + ".training_assignment WHERE id = '" + mine.getString("id") + "')")).isEqualTo(1);

    // A new version: the completed v1 stays completed and does not satisfy v2, which is assigned.
    JsonObject v2 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();
    assertThat(count("a.id = '" + mine.getString("id") + "' AND a.status = 'completed'")).isEqualTo(1);
    assertThat(count("p.employee_number = 'RC-1' AND a.version_id = '" + v2.getString("id") + "' AND a.status = 'open'"))
        .isEqualTo(1);
  }
}
