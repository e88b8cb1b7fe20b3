package io.traceline.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.traceline.platform.Platform;
import io.traceline.platform.config.Config;
import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.JobCluster;
import io.traceline.platform.testing.TestPlatform;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The demo tenant: a realistic CDMO, seeded once, whose users sign in with the documented password")
class DemoTenantIT {

  @Test
  @DisplayName("two starts with the demo on seed the same organisation once, and every application role has a user")
  void seedsOnceWithEveryRole() throws SQLException {
    TestPlatform shared = TestPlatform.get();
    Map<String, Long> afterFirst;
    try (Platform first = Platform.start(withDemo())) {
      afterFirst = counts(shared);
    }
    try (Platform second = Platform.start(withDemo())) {
      assertThat(counts(shared)).isEqualTo(afterFirst);

      assertThat(afterFirst.get("site")).isEqualTo(3);
      assertThat(afterFirst.get("job_role")).isBetween(14L, 16L);
      assertThat(afterFirst.get("person")).isGreaterThanOrEqualTo(300);
      assertThat(afterFirst.get("department")).isGreaterThanOrEqualTo(15);

      Api api = new Api("http://localhost:" + second.httpPort());
      String token = shared.tokens().password(DemoTenantSeeder.ADMIN_EMAIL, DemoTenantSeeder.PASSWORD);
      Api.Response me = api.get("/api/v1/t/" + DemoTenantSeeder.SLUG + "/me", token);
      assertThat(me.status()).as(me.toString()).isEqualTo(200);
      assertThat(me.json().getJsonArray("roles").getList()).containsExactly("tenant-admin");
      assertThat(me.json().getJsonObject("person").getString("department")).isEqualTo("Quality Assurance");

      Api.Response grants = api.get("/api/v1/t/" + DemoTenantSeeder.SLUG + "/role-grants?active=true&limit=200", token);
      assertThat(grants.json().getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("role"))
          .collect(Collectors.toSet())).containsExactlyInAnyOrder("tenant-admin", "quality-manager", "document-author",
          "reviewer", "approver", "training-admin", "trainer", "supervisor", "employee", "auditor", "sponsor-viewer");
    }
  }

  @Test
  @DisplayName("the people have statuses, contractors, managers and job roles held over time, like a real site")
  void realisticPeople() throws SQLException {
    try (Platform ignored = Platform.start(withDemo()); Connection connection = TestPlatform.get().jdbc();
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT count(*) FILTER (WHERE status = 'on_leave'), "
             + "count(*) FILTER (WHERE status = 'terminated'), count(*) FILTER (WHERE contractor), "
             + "count(*) FILTER (WHERE manager_id IS NOT NULL), "
             + "(SELECT count(DISTINCT person_id) FROM t_meridian.person_job_role) FROM t_meridian.person")) {
      rows.next();
      assertThat(rows.getLong(1)).as("on leave").isPositive();
      assertThat(rows.getLong(2)).as("terminated").isPositive();
      assertThat(rows.getLong(3)).as("contractors").isPositive();
      assertThat(rows.getLong(4)).as("with a manager").isGreaterThan(250);
      assertThat(rows.getLong(5)).as("holding a job role").isGreaterThan(250);
    }
  }

  @Test
  @DisplayName("the demo's quality records: a closed deviation and its signed, closed CAPA; an open CAPA for a training deficiency whose training action is half done, the demo employee's part still open; an open change control and nonconformance")
  void qualityRecords() throws SQLException {
    TestPlatform shared = TestPlatform.get();
    try (Platform platform = Platform.start(withDemo())) {
      Api api = new Api("http://localhost:" + platform.httpPort());
      String path = "/api/v1/t/" + DemoTenantSeeder.SLUG;
      String qm = shared.tokens().password("qm@meridian-bio.example", DemoTenantSeeder.PASSWORD);
      Api.Response events = api.get(path + "/quality-events?limit=50", qm);
      assertThat(events.status()).as(events.toString()).isEqualTo(200);
      assertThat(events.json().getJsonArray("items").stream().map(e -> ((JsonObject) e).getString("number")
          + ":" + ((JsonObject) e).getString("status")).toList())
          .contains("DEV-0001:closed", "DEV-0002:investigating", "CC-0001:open", "NC-0001:open");
      JsonObject closed = api.get(path + "/capas?status=closed", qm).json().getJsonArray("items").getJsonObject(0);
      JsonObject closedCapa = api.get(path + "/capas/" + closed.getString("id"), qm).json();
      assertThat(closedCapa.getJsonObject("closure").getJsonObject("signature").getString("meaning")).isEqualTo("closed");
      assertThat(closedCapa.getJsonObject("effectiveness").getString("state")).isEqualTo("scheduled");
      JsonObject open = api.get(path + "/capas?status=open&rootCauseCategory=training-deficiency", qm).json()
          .getJsonArray("items").getJsonObject(0);
      JsonObject action = api.get(path + "/capas/" + open.getString("id"), qm).json().getJsonArray("actions")
          .getJsonObject(0);
      JsonObject counts = action.getJsonObject("training").getJsonObject("assignments");
      assertThat(counts.getInteger("total")).isEqualTo(4);
      assertThat(counts.getInteger("completed")).isEqualTo(2);
      assertThat(counts.getInteger("open")).isEqualTo(2);
      // Closing it now is refused: its training is open.
      Api.Response early = api.post(path + "/capas/" + open.getString("id") + "/closure", qm, new JsonObject()
          .put("summary", "Too early").put("reauthentication", new JsonObject().put("method", "password")
              .put("username", "qm@meridian-bio.example").put("password", DemoTenantSeeder.PASSWORD)));
      assertThat(early.status()).as(early.toString()).isEqualTo(409);
      String employee = shared.tokens().password("employee@meridian-bio.example", DemoTenantSeeder.PASSWORD);
      Api.Response mine = api.get(path + "/me/training?limit=200", employee);
      assertThat(mine.json().getJsonArray("items").stream().map(JsonObject.class::cast)
          .filter(a -> "capa-action".equals(a.getString("cause"))).map(a -> a.getString("status")).toList())
          .containsExactly("open");
    }
  }

  private static Config withDemo() {
    Config base = TestPlatform.config(0);
    return new Config(base.mode(), base.httpHost(), base.httpPort(), base.httpBodyLimit(), base.dataDir(), base.dbUrl(),
        base.dbUser(), base.dbPassword(), base.dbPoolSize(), base.keycloakUrl(), base.keycloakRealm(),
        base.keycloakAudience(), base.keycloakAdminClientId(), base.keycloakAdminClientSecret(), base.keycloakDevPort(),
        base.shutdownGrace(), true, base.embeddedDbPort(), base.cluster(), base.dbMigrationUser(),
        base.dbMigrationPassword(), base.signingClientId(), base.signingClientSecret(), base.documentMaxBytes(), base.trainingFanOutChunk());
  }

  @Test
  @DisplayName("about 150 controlled documents across departments with signed version histories that verify, some past their review date, one waiting for the demo reviewer")
  void realisticDocuments() throws SQLException {
    TestPlatform shared = TestPlatform.get();
    try (Platform platform = Platform.start(withDemo())) {
      Api api = new Api("http://localhost:" + platform.httpPort());
      String auditor = shared.tokens().password("auditor@meridian-bio.example", DemoTenantSeeder.PASSWORD);
      String path = "/api/v1/t/" + DemoTenantSeeder.SLUG;
      try (Connection connection = shared.jdbc(); Statement statement = connection.createStatement();
           ResultSet rows = statement.executeQuery("SELECT count(*), count(DISTINCT department), "
               + "count(*) FILTER (WHERE status = 'effective' AND next_review_at < now()), "
               + "count(*) FILTER (WHERE status = 'obsolete'), "
               + "(SELECT count(DISTINCT document_id) FROM t_meridian.document_version WHERE state = 'superseded'), "
               + "(SELECT count(*) FROM t_meridian.document_version WHERE state = 'in-review'), "
               + "(SELECT count(*) FROM t_meridian.document_version WHERE state = 'draft') "
               + "FROM t_meridian.document")) {
        rows.next();
        assertThat(rows.getLong(1)).as("documents").isBetween(140L, 160L);
        assertThat(rows.getLong(2)).as("departments").isGreaterThanOrEqualTo(6);
        assertThat(rows.getLong(3)).as("past their review date").isPositive();
        assertThat(rows.getLong(4)).as("obsolete").isPositive();
        assertThat(rows.getLong(5)).as("with superseded versions").isGreaterThan(30);
        assertThat(rows.getLong(6)).as("in review").isPositive();
        assertThat(rows.getLong(7)).as("drafts").isPositive();
      }
      // The imported signatures, record versions and audit trail verify like any others.
      Api.Response verification = api.get(path + "/audit-trail/verification", auditor);
      assertThat(verification.status()).as(verification.toString()).isEqualTo(200);
      assertThat(verification.json().getBoolean("intact")).as(verification.toString()).isTrue();
      Api.Response overdue = api.get(path + "/documents?reviewDueBefore=" + java.time.Instant.now() + "&limit=5", auditor);
      assertThat(overdue.json().getJsonArray("items")).isNotEmpty();
      assertThat(overdue.json().getJsonArray("items").getJsonObject(0).getBoolean("reviewOverdue")).isTrue();
      // Every version's file downloads, and the demo reviewer has a pending step to sign.
      JsonObject document = api.get(path + "/documents?q=SOP-QA-002", auditor).json().getJsonArray("items")
          .getJsonObject(0);
      JsonObject current = api.get(path + "/documents/" + document.getString("id") + "/current", auditor).json();
      assertThat(api.getBytes(path + "/documents/" + document.getString("id") + "/versions/" + current.getString("id")
          + "/content", auditor).statusCode()).isEqualTo(200);
      try (Connection connection = shared.jdbc(); Statement statement = connection.createStatement();
           ResultSet rows = statement.executeQuery("SELECT count(*) FROM t_meridian.document_route_step s JOIN "
               + "t_meridian.role_grant g ON g.user_id = s.assignee_id AND g.role = 'reviewer' WHERE s.state = 'pending'")) {
        rows.next();
        assertThat(rows.getLong(1)).isPositive();
      }
    }
  }

  @Test
  @DisplayName("the demo's training matrix maps the documents to the roles that work under them, and its fan-outs assign the current versions to the people holding those roles")
  void trainingMatrix() throws Exception {
    TestPlatform shared = TestPlatform.get();
    try (Platform ignored = Platform.start(withDemo()); JobCluster cluster = new JobCluster(1)) {
      cluster.startInJvm(0);
      long jobs = shared.queryLong("SELECT count(*) FROM control.job WHERE tenant = 'meridian' AND dedupe_key LIKE 'demo-matrix:%'");
      assertThat(jobs).as("fan-out jobs of the demo matrix").isGreaterThan(100);
      java.time.Instant deadline = java.time.Instant.now().plusSeconds(120);
      while (shared.queryLong("SELECT count(*) FROM control.job WHERE tenant = 'meridian' AND dedupe_key LIKE 'demo-matrix:%' "
          + "AND state = 'succeeded'") < jobs) {
        assertThat(java.time.Instant.now()).as("the demo's fan-outs").isBefore(deadline);
        Thread.sleep(250);
      }
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.training_requirement WHERE active")).isGreaterThan(300);
      assertThat(shared.queryLong("SELECT count(DISTINCT method) FROM t_meridian.training_requirement")).isEqualTo(4);
      // Every active person holding a mapped role (a member of its program, for a program's documents) has the current
      // version of each of its documents, once.
      String member = "EXISTS (SELECT 1 FROM t_meridian.person_program m WHERE m.person_id = p.id "
          + "AND m.program_id = r.program_id AND m.valid_from <= current_date "
          + "AND (m.valid_to IS NULL OR m.valid_to > current_date))";
      String mapped = "FROM t_meridian.training_requirement r "
          + "JOIN t_meridian.person_job_role h ON h.job_role_id = r.job_role_id AND h.valid_from <= current_date "
          + "AND (h.valid_to IS NULL OR h.valid_to > current_date) "
          + "JOIN t_meridian.person p ON p.id = h.person_id AND p.status = 'active' "
          + "JOIN t_meridian.document_version v ON v.document_id = r.document_id AND v.state = 'effective' ";
      assertThat(shared.queryLong("SELECT count(*) " + mapped + "WHERE (r.program_id IS NULL OR " + member + ") "
          + "AND NOT EXISTS (SELECT 1 FROM t_meridian.training_assignment a WHERE a.person_id = p.id "
          + "AND a.requirement_id = r.id AND a.version_id = v.id)")).isZero();
      // A CDMO: sponsor programs own some documents, whose requirements are scoped to the program; the role's people
      // outside the program are assigned none of them, its members all.
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.program WHERE active")).isGreaterThanOrEqualTo(2);
      assertThat(shared.queryLong("SELECT count(DISTINCT program_id) FROM t_meridian.training_requirement "
          + "WHERE active AND program_id IS NOT NULL")).isGreaterThanOrEqualTo(2);
      assertThat(shared.queryLong("SELECT count(*) " + mapped + "WHERE r.program_id IS NOT NULL AND " + member))
          .isGreaterThan(20);
      assertThat(shared.queryLong("SELECT count(*) " + mapped + "WHERE r.program_id IS NOT NULL AND NOT " + member))
          .as("role holders outside the program").isPositive();
      assertThat(shared.queryLong("SELECT count(*) " + mapped + "WHERE r.program_id IS NOT NULL AND NOT " + member
          + " AND EXISTS (SELECT 1 FROM t_meridian.training_assignment a WHERE a.person_id = p.id "
          + "AND a.requirement_id = r.id)")).isZero();
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.training_assignment")).isGreaterThan(2000);
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.training_assignment a JOIN t_meridian.person p "
          + "ON p.id = a.person_id WHERE p.status <> 'active'")).isZero();
      // The demo employee has training to do.
      String employee = shared.tokens().password("employee@meridian-bio.example", DemoTenantSeeder.PASSWORD);
      Api api = new Api("http://localhost:" + ignored.httpPort());
      Api.Response mine = api.get("/api/v1/t/meridian/me/training?limit=200", employee);
      assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
      // Every document trained by assessment has a question bank on its effective version, so the demo's learners
      // can take it: the employee starts an attempt on one of theirs and gets questions without the key.
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.training_requirement r JOIN t_meridian.document_version v "
          + "ON v.document_id = r.document_id AND v.state = 'effective' WHERE r.active AND r.method = 'assessment' "
          + "AND (SELECT count(*) FROM t_meridian.assessment_question q WHERE q.version_id = v.id AND q.active) < 4"))
          .isZero();
      io.vertx.core.json.JsonObject assessment = mine.json().getJsonArray("items").stream()
          .map(io.vertx.core.json.JsonObject.class::cast).filter(a -> "assessment".equals(a.getString("method"))
              && "open".equals(a.getString("status")))
          .findFirst().orElseThrow(() -> new AssertionError("the demo employee has no assessment to take"));
      Api.Response attempt = api.post("/api/v1/t/meridian/me/training/" + assessment.getString("id") + "/attempts",
          employee, new io.vertx.core.json.JsonObject());
      assertThat(attempt.status()).as(attempt.toString()).isEqualTo(201);
      assertThat(attempt.json().getJsonArray("questions")).hasSizeGreaterThanOrEqualTo(4);
      assertThat(attempt.body()).doesNotContain("\"correct\"");
    }
  }

  @Test
  @DisplayName("half a year of training history: the auditor's report on a revised document shows current, not-current and overdue people with the version each trained on and the coordinator's signature; every method has signed completions; yearly recertifications fall due and expire; the compliance view and the metrics have something to say; the audit trail, records and signatures still verify")
  void trainingHistory() throws Exception {
    TestPlatform shared = TestPlatform.get();
    try (Platform platform = Platform.start(withDemo()); JobCluster cluster = new JobCluster(1)) {
      cluster.startInJvm(0);
      java.time.Instant deadline = java.time.Instant.now().plusSeconds(120);
      while (shared.queryLong("SELECT count(*) FROM control.job WHERE tenant = 'meridian' AND state IN ('scheduled', "
          + "'running') AND run_at <= now()") > 0) {
        assertThat(java.time.Instant.now()).as("the demo's jobs due now").isBefore(deadline);
        Thread.sleep(250);
      }
      Api api = new Api("http://localhost:" + platform.httpPort());
      String auditor = shared.tokens().password("auditor@meridian-bio.example", DemoTenantSeeder.PASSWORD);
      String base = "/api/v1/t/" + DemoTenantSeeder.SLUG;

      // The revised document with the most retraining: its report has every verdict an auditor looks for.
      String number = shared.queryString("SELECT d.number FROM t_meridian.document d JOIN t_meridian.document_version v "
          + "ON v.document_id = d.id AND v.state = 'effective' AND v.effective_at > now() - interval '150 days' "
          + "AND v.training_impact <> 'none' JOIN t_meridian.training_assignment a ON a.version_id = v.id "
          + "GROUP BY d.number ORDER BY count(*) DESC, d.number LIMIT 1");
      Api.Response answered = api.get(base + "/reports/document-training?document=" + number, auditor);
      assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
      JsonObject report = answered.json();
      JsonObject totals = report.getJsonObject("totals");
      assertThat(totals.getLong("current")).as(totals.encode()).isPositive();
      assertThat(totals.getLong("notCurrent") + totals.getLong("overdue")).as(totals.encode()).isPositive();
      String inForce = report.getJsonObject("version").getString("version");
      java.util.List<JsonObject> lines = report.getJsonArray("items").stream().map(JsonObject.class::cast).toList();
      assertThat(lines).anySatisfy(line -> {
        assertThat(line.getString("verdict")).isIn("not-current", "overdue");
        assertThat(line.getValue("latestCompletion")).isNotNull();
        assertThat(line.getJsonObject("latestCompletion").getJsonObject("version").getString("version"))
            .isNotEqualTo(inForce);
      });
      assertThat(lines).anySatisfy(line -> {
        assertThat(line.getString("verdict")).isEqualTo("current");
        assertThat(line.getJsonObject("latestCompletion").getValue("signature")).isNotNull();
        JsonObject signature = line.getJsonObject("latestCompletion").getJsonObject("signature");
        assertThat(signature.getString("meaning")).isEqualTo("recorded");
        assertThat(signature.getString("manifestation")).startsWith("Signed by Priya Raman");
      });

      // Every method has signed completions; the coordinator signed them when they were recorded, not late.
      assertThat(shared.queryLong("SELECT count(DISTINCT c.method) FROM t_meridian.training_completion c "
          + "JOIN t_meridian.signature s ON s.id = c.signature_id AND s.record_id = c.assignment_id::text")).isEqualTo(4);
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.training_completion "
          + "WHERE reason = 'Transcribed from the signed paper training record'")).isGreaterThan(1000);
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.training_completion "
          + "WHERE late AND reason = 'Transcribed from the signed paper training record'")).isZero();
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.training_completion "
          + "WHERE trained_at < now() - interval '150 days'")).isGreaterThan(500);

      // Yearly recertification: some expired (its next cycle assigned), some falling due.
      JsonObject compliance = api.get(base + "/reports/compliance?by=department", auditor).json();
      JsonObject all = compliance.getJsonObject("totals");
      assertThat(all.getLong("expired")).as(all.encode()).isPositive();
      assertThat(all.getLong("overdue")).as(all.encode()).isPositive();
      assertThat(all.getLong("current")).as(all.encode()).isGreaterThan(all.getLong("required") / 2);
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.training_assignment WHERE cause = 'recertification'"))
          .isPositive();
      assertThat(shared.queryLong("SELECT count(*) FROM control.job WHERE tenant = 'meridian' AND kind = "
          + "'training.recertification' AND state = 'scheduled' AND run_at < now() + interval '60 days'")).isPositive();

      // The metrics: training done on time and late, and revisions retrained.
      JsonObject completion = api.get(base + "/reports/metrics/completion-rate", auditor).json().getJsonObject("totals");
      assertThat(completion.getLong("onTime")).as(completion.encode()).isPositive();
      assertThat(completion.getLong("late")).as(completion.encode()).isPositive();
      assertThat(api.get(base + "/reports/metrics/retraining-latency", auditor).json().getJsonArray("revisions").stream()
          .map(JsonObject.class::cast).filter(r -> r.getLong("completed") > 0).count()).isPositive();

      // The most recent training was done through the API with re-authenticated signatures: the demo employee failed an
      // assessment and passed it at the second attempt, exhausted the attempts of another (blocked, supervisor told);
      // the trainer observed the employee's practical and both signed; the trainer's classroom session is signed.
      String employeePerson = "(SELECT id FROM t_meridian.person WHERE employee_number = 'MB-90009')";
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.assessment_attempt WHERE person_id = " + employeePerson
          + " AND state = 'failed'")).isGreaterThanOrEqualTo(4);
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.assessment_attempt t WHERE t.person_id = "
          + employeePerson + " AND t.state = 'passed' AND t.attempt_no = 2")).isEqualTo(1);
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.training_assignment WHERE person_id = " + employeePerson
          + " AND blocked_at IS NOT NULL AND status = 'open'")).isEqualTo(1);
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.training_event WHERE kind = "
          + "'assessment-attempts-exhausted'")).isPositive();
      assertThat(shared.queryLong("SELECT count(DISTINCT s.meaning) FROM t_meridian.signature s "
          + "WHERE s.record_type = 'on-the-job-observation' AND s.meaning IN ('verified', 'trained')")).isEqualTo(2);
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.signature WHERE record_type = 'classroom-session'"))
          .isPositive();
      assertThat(shared.queryLong("SELECT count(*) FROM t_meridian.training_completion c JOIN t_meridian.person t "
          + "ON t.id = c.trainer_id AND t.employee_number = 'MB-90007' WHERE c.method IN ('on-the-job', 'classroom') "
          + "AND c.recorded_at > now() - interval '1 day'")).isGreaterThanOrEqualTo(2);
      String employee = shared.tokens().password("employee@meridian-bio.example", DemoTenantSeeder.PASSWORD);
      JsonObject file = api.get(base + "/me/training-file", employee).json();
      assertThat(file.encode()).contains("\"on-the-job\"").contains("\"assessment\"");

      // And all of it still verifies: the audit chain, every record version, every signature.
      String admin = shared.tokens().password(DemoTenantSeeder.ADMIN_EMAIL, DemoTenantSeeder.PASSWORD);
      JsonObject verification = api.get(base + "/audit-trail/verification", admin).json();
      assertThat(verification.getBoolean("intact")).as(verification.encode()).isTrue();
    }
  }

  private static Map<String, Long> counts(TestPlatform platform) throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement()) {
      for (String table : new String[] {"site", "department", "job_role", "person", "person_job_role", "role_grant",
          "document", "document_version", "signature", "record_version", "content_blob", "audit_event",
          "training_requirement", "program", "person_program"}) {
        try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM t_meridian." + table)) {
          rows.next();
          counts.put(table, rows.getLong(1));
        }
      }
    }
    counts.put("keycloak users", (long) platform.realm().users().searchByEmail("@meridian-bio.example", false).size());
    return counts;
  }
}
