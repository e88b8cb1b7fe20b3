package io.traceline.platform.qualifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.JobCluster;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The point-of-use check: may this person do the work of this document now — qualified, not current, expired, pending effectiveness, impact 'none', on leave, terminated, not required (TRN-6)")
class QualificationCheckIT {

  private static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();

  private static QualificationFixture fx;
  private static JobCluster cluster;
  private static Person lena;
  private static Person otto;
  private static Person mes;
  private static JsonObject qualifiedDoc;
  private static JsonObject olderDoc;
  private static JsonObject olderV2;
  private static JsonObject expiringDoc;
  private static JsonObject highRiskDoc;
  private static JsonObject assessedDoc;
  private static JsonObject impactNoneDoc;

  @BeforeAll
  static void organisation() throws Exception {
    fx = new QualificationFixture("qualcheck", "OPERATOR", "PLANNER");
    cluster = new JobCluster(1);
    cluster.startInJvm(0);
    lena = fx.flow.signer("Lena", "Learner", "employee");
    otto = fx.flow.signer("Otto", "Operator", "employee");
    // A shop-floor system's login: it holds qualification-check and nothing else.
    mes = fx.flow.member("Mes", "Line", "qualification-check");
    fx.hire(List.<Object[]>of(new Object[] {"QC-LENA", lena.id(), new String[] {"OPERATOR"}},
        new Object[] {"QC-OTTO", otto.id(), new String[] {"OPERATOR"}},
        new Object[] {"QC-NEW", null, new String[] {"OPERATOR"}},
        new Object[] {"QC-PLAN", null, new String[] {"PLANNER"}}));
    fx.settle();

    qualifiedDoc = document("Line clearance", "medium", "read-and-acknowledge", null);
    JsonObject qualifiedV1 = effective(qualifiedDoc, "major", "full-retraining");
    olderDoc = document("Batch record review", "medium", "read-and-acknowledge", null);
    JsonObject olderV1 = effective(olderDoc, "major", "full-retraining");
    expiringDoc = document("Gowning qualification", "low", "read-and-acknowledge", 1);
    JsonObject expiringV1 = effective(expiringDoc, "major", "full-retraining");
    // High risk, but the matrix asks only for a read: the read leaves people pending effectiveness.
    highRiskDoc = document("Aseptic connections", "high", "read-and-acknowledge", null);
    JsonObject highRiskV1 = effective(highRiskDoc, "major", "full-retraining");
    assessedDoc = document("Sterility testing", "high", "assessment", null);
    JsonObject assessedV1 = effective(assessedDoc, "major", "full-retraining");
    impactNoneDoc = document("Label reconciliation", "medium", "read-and-acknowledge", null);
    JsonObject impactNoneV1 = effective(impactNoneDoc, "major", "full-retraining");

    for (JsonObject version : List.of(qualifiedV1, olderV1, expiringV1, highRiskV1, impactNoneV1)) {
      fx.acknowledge(lena, version);
    }
    fx.acknowledge(otto, qualifiedV1);
    fx.passAssessment("QC-LENA", assessedV1);
    olderV2 = effective(olderDoc, "major", "full-retraining");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static JsonObject document(String title, String risk, String method, Integer recertifyMonths) {
    JsonObject document = fx.flow.document(fx.author, "sop", "QA", title, risk);
    fx.requirement(document, "OPERATOR", method, recertifyMonths);
    return document;
  }

  private static JsonObject effective(JsonObject document, String revision, String impact) throws InterruptedException {
    JsonObject version = fx.flow.effective(document, fx.author, fx.approver, revision, impact);
    fx.settle();
    return version;
  }

  private static JsonObject check(String person, JsonObject document) {
    return fx.allowedCheck(mes.token(fx.platform), person, document.getString("number"));
  }

  @Test
  @DisplayName("trained on the current version: qualified and allowed, by employee number and document number or by ids, with both versions named")
  void qualified() {
    JsonObject answer = check("QC-LENA", qualifiedDoc);
    assertThat(answer.getBoolean("allowed")).isTrue();
    assertThat(answer.getString("status")).isEqualTo("qualified");
    assertThat(answer.getString("reason")).isEqualTo("trained-on-current-version");
    assertThat(answer.getBoolean("required")).isTrue();
    assertThat(answer.getJsonObject("trainedVersion").getString("version")).isEqualTo("1.0");
    assertThat(answer.getJsonObject("trainedVersion").getString("method")).isEqualTo("read-and-acknowledge");
    assertThat(answer.getJsonObject("currentVersion").getString("version")).isEqualTo("1.0");
    assertThat(answer.getValue("expiresAt")).isNull();
    assertThat(answer.getJsonObject("person").getString("employeeNumber")).isEqualTo("QC-LENA");
    assertThat(answer.getJsonObject("document").getString("number")).isEqualTo(qualifiedDoc.getString("number"));
    // The same question by ids.
    JsonObject byIds = fx.allowedCheck(mes.token(fx.platform), fx.personId("QC-LENA"), qualifiedDoc.getString("id"));
    assertThat(byIds.getString("status")).isEqualTo("qualified");
    assertThat(byIds.getJsonObject("person").getString("id")).isEqualTo(fx.personId("QC-LENA"));
  }

  @Test
  @DisplayName("trained on v1 while v2 is effective: not current and refused — completing v1 never satisfies v2; someone required but never trained is not current too")
  void notCurrent() {
    JsonObject answer = check("QC-LENA", olderDoc);
    assertThat(answer.getBoolean("allowed")).isFalse();
    assertThat(answer.getString("status")).isEqualTo("not-current");
    assertThat(answer.getString("reason")).isEqualTo("trained-on-older-version");
    assertThat(answer.getJsonObject("trainedVersion").getString("version")).isEqualTo("1.0");
    assertThat(answer.getJsonObject("currentVersion").getString("version")).isEqualTo("2.0");
    assertThat(answer.getJsonObject("currentVersion").getString("id")).isEqualTo(olderV2.getString("id"));
    // The v2 assignment exists and is open: the fan-out asked for it.
    assertThat(fx.platform.queryLong("SELECT count(*) FROM " + fx.schema + ".training_assignment WHERE version_id = '"
        + olderV2.getString("id") + "' AND person_id = '" + fx.personId("QC-LENA") + "' AND status = 'open'")).isEqualTo(1);

    JsonObject untrained = check("QC-NEW", qualifiedDoc);
    assertThat(untrained.getBoolean("allowed")).isFalse();
    assertThat(untrained.getString("status")).isEqualTo("not-current");
    assertThat(untrained.getString("reason")).isEqualTo("not-trained");
    assertThat(untrained.getValue("trainedVersion")).isNull();
  }

  @Test
  @DisplayName("a completion older than the requirement's recertification interval (1 month; back-dated 2 months in SQL by the schema owner) is expired, with the date it ran out")
  void expired() {
    JsonObject fresh = check("QC-LENA", expiringDoc);
    assertThat(fresh.getString("status")).isEqualTo("qualified");
    Instant freshExpiry = Instant.parse(fresh.getString("expiresAt"));
    Instant completed = Instant.parse(fresh.getJsonObject("trainedVersion").getString("completedAt"));
    assertThat(freshExpiry).isAfter(completed.plus(27, ChronoUnit.DAYS)).isBefore(completed.plus(32, ChronoUnit.DAYS));

    fx.platform.queryLong("WITH moved AS (UPDATE " + fx.schema + ".training_assignment SET completed_at = completed_at - "
        + "interval '2 months', closed_at = closed_at - interval '2 months' WHERE document_id = '"
        + expiringDoc.getString("id") + "' AND person_id = '" + fx.personId("QC-LENA") + "' AND status = 'completed' "
        + "RETURNING 1) SELECT count(*) FROM moved");
    JsonObject answer = check("QC-LENA", expiringDoc);
    assertThat(answer.getBoolean("allowed")).isFalse();
    assertThat(answer.getString("status")).isEqualTo("expired");
    assertThat(answer.getString("reason")).isEqualTo("recertification-overdue");
    assertThat(Instant.parse(answer.getString("expiresAt"))).isBefore(Instant.now());
    assertThat(answer.getString("detail")).contains("ran out on");
  }

  @Test
  @DisplayName("a high-risk document completed by read-and-acknowledge leaves the person pending effectiveness; an assessment qualifies them, and a later minor revision acknowledged by reading keeps it")
  void pendingEffectiveness() throws Exception {
    JsonObject answer = check("QC-LENA", highRiskDoc);
    assertThat(answer.getBoolean("allowed")).isFalse();
    assertThat(answer.getString("status")).isEqualTo("pending-effectiveness");
    assertThat(answer.getString("reason")).isEqualTo("effectiveness-not-verified");
    assertThat(answer.getJsonObject("trainedVersion").getString("version")).isEqualTo("1.0");

    JsonObject assessed = check("QC-LENA", assessedDoc);
    assertThat(assessed.getString("status")).as(assessed.encode()).isEqualTo("qualified");
    assertThat(assessed.getJsonObject("trainedVersion").getString("method")).isEqualTo("assessment");
    assertThat(assessed.getJsonObject("document").getString("riskClass")).isEqualTo("high");
    // A minor revision that asks for a read: until it is read, not current; once read, qualified (effectiveness
    // verified on 1.0 carries over within the major revision).
    JsonObject v11 = effective(assessedDoc, "minor", "read-and-acknowledge");
    assertThat(check("QC-LENA", assessedDoc).getString("status")).isEqualTo("not-current");
    fx.acknowledge(lena, v11);
    JsonObject read = check("QC-LENA", assessedDoc);
    assertThat(read.getString("status")).as(read.encode()).isEqualTo("qualified");
    assertThat(read.getJsonObject("trainedVersion").getString("version")).isEqualTo("1.1");
    assertThat(read.getJsonObject("trainedVersion").getString("method")).isEqualTo("read-and-acknowledge");
  }

  @Test
  @DisplayName("a revision with training impact 'none' keeps a completion of the earlier version current; the next revision that asks for training does not")
  void impactNoneKeepsQualified() throws Exception {
    JsonObject v11 = effective(impactNoneDoc, "minor", "none");
    assertThat(fx.platform.queryLong("SELECT count(*) FROM " + fx.schema + ".training_assignment WHERE version_id = '"
        + v11.getString("id") + "'")).isZero();
    JsonObject answer = check("QC-LENA", impactNoneDoc);
    assertThat(answer.getBoolean("allowed")).isTrue();
    assertThat(answer.getString("status")).isEqualTo("qualified");
    assertThat(answer.getString("reason")).isEqualTo("no-training-needed-since");
    assertThat(answer.getJsonObject("trainedVersion").getString("version")).isEqualTo("1.0");
    assertThat(answer.getJsonObject("currentVersion").getString("version")).isEqualTo("1.1");

    effective(impactNoneDoc, "minor", "read-and-acknowledge");
    JsonObject after = check("QC-LENA", impactNoneDoc);
    assertThat(after.getBoolean("allowed")).isFalse();
    assertThat(after.getString("status")).isEqualTo("not-current");
    assertThat(after.getJsonObject("currentVersion").getString("version")).isEqualTo("1.2");
  }

  @Test
  @DisplayName("a document outside the person's matrix they never trained on is not required, and not allowed")
  void notRequired() {
    JsonObject answer = check("QC-PLAN", qualifiedDoc);
    assertThat(answer.getBoolean("allowed")).isFalse();
    assertThat(answer.getString("status")).isEqualTo("not-required");
    assertThat(answer.getBoolean("required")).isFalse();
  }

  @Test
  @DisplayName("a qualified person on leave is refused with the reason, allowed again on return, and refused for good once terminated")
  void leaveAndTermination() {
    String otto = fx.personId("QC-OTTO");
    assertThat(check("QC-OTTO", qualifiedDoc).getBoolean("allowed")).isTrue();
    assertThat(statusChange(otto, "leave", "Parental leave").status()).isEqualTo(200);
    JsonObject onLeave = check("QC-OTTO", qualifiedDoc);
    assertThat(onLeave.getBoolean("allowed")).isFalse();
    assertThat(onLeave.getString("reason")).isEqualTo("person-on-leave");
    assertThat(onLeave.getString("status")).isEqualTo("qualified");
    assertThat(onLeave.getJsonObject("person").getString("status")).isEqualTo("on_leave");
    assertThat(statusChange(otto, "return", "Back from leave").status()).isEqualTo(200);
    assertThat(check("QC-OTTO", qualifiedDoc).getBoolean("allowed")).isTrue();
    assertThat(statusChange(otto, "terminate", "Resigned").status()).isEqualTo(200);
    JsonObject terminated = check("QC-OTTO", qualifiedDoc);
    assertThat(terminated.getBoolean("allowed")).isFalse();
    assertThat(terminated.getString("reason")).isEqualTo("person-terminated");
    assertThat(terminated.getString("detail")).contains("terminated");
  }

  private static Api.Response statusChange(String personId, String action, String reason) {
    return fx.api.post(fx.tenant.path("/people/" + personId + "/status-changes"), fx.admin(), new JsonObject()
        .put("action", action).put("effectiveOn", TODAY).put("reason", reason));
  }

  @Test
  @DisplayName("unknown people and documents are 404 problems, missing or empty keys 400, and nothing is written")
  void unknownAndMalformed() {
    String token = mes.token(fx.platform);
    long events = auditEvents();
    for (Api.Response response : List.of(fx.check(token, "NOPE-404", qualifiedDoc.getString("number")),
        fx.check(token, "QC-LENA", "SOP-QA-999"), fx.check(token, UUID.randomUUID().toString(),
            qualifiedDoc.getString("id")), fx.check(token, "QC-LENA", UUID.randomUUID().toString()))) {
      assertThat(response.status()).as(response.toString()).isEqualTo(404);
      assertThat(response.isProblem()).isTrue();
    }
    Api.Response empty = fx.api.get(fx.tenant.path("/qualification-checks?person=&document=SOP-QA-001"), token);
    assertThat(empty.status()).as(empty.toString()).isEqualTo(400);
    Api.Response missing = fx.api.get(fx.tenant.path("/qualification-checks?person=QC-LENA"), token);
    assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
    assertThat(missing.isProblem()).isTrue();
    assertThat(auditEvents()).isEqualTo(events);
  }

  @Test
  @DisplayName("the check is a read: no audit event per call, counted by outcome in traceline_qualification_checks_total")
  void countedNotAudited() {
    String token = mes.token(fx.platform);
    double allowedBefore = metric("allowed");
    double refusedBefore = metric("refused");
    long events = auditEvents();
    fx.allowedCheck(token, "QC-LENA", qualifiedDoc.getString("number"));
    fx.allowedCheck(token, "QC-LENA", qualifiedDoc.getString("number"));
    fx.allowedCheck(token, "QC-PLAN", qualifiedDoc.getString("number"));
    assertThat(auditEvents()).isEqualTo(events);
    assertThat(metric("allowed")).isGreaterThanOrEqualTo(allowedBefore + 2);
    assertThat(metric("refused")).isGreaterThanOrEqualTo(refusedBefore + 1);
  }

  /**
   * The audit events the machine login is the actor of: a check, if audited, would be one. Background jobs of other
   * tests (people reconciliation after a status change) append system events meanwhile, so the whole trail is no measure.
   */
  private static long auditEvents() {
    return fx.platform.queryLong("SELECT count(*) FROM " + fx.schema + ".audit_event WHERE actor_id = '" + mes.id() + "'");
  }

  private static double metric(String outcome) {
    String scrape = fx.api.get("/metrics", null).body();
    Matcher matcher = Pattern.compile("^traceline_qualification_checks_total\\{[^}]*outcome=\"" + outcome
        + "\"[^}]*\\} (\\S+)$", Pattern.MULTILINE).matcher(scrape);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }

  @Test
  @DisplayName("who may ask: qualification-check, people readers; an employee may not, and the machine role reads nothing else")
  void roles() {
    assertThat(fx.check(lena.token(fx.platform), "QC-LENA", qualifiedDoc.getString("number")).status()).isEqualTo(403);
    assertThat(fx.check(fx.admin(), "QC-LENA", qualifiedDoc.getString("number")).status()).isEqualTo(200);
    String token = mes.token(fx.platform);
    assertThat(fx.api.get(fx.tenant.path("/people"), token).status()).isEqualTo(403);
    assertThat(fx.api.get(fx.tenant.path("/people/" + fx.personId("QC-LENA") + "/qualifications"), token).status())
        .isEqualTo(403);
    assertThat(fx.api.get(fx.tenant.path("/documents/" + qualifiedDoc.getString("id") + "/qualifications"), token)
        .status()).isEqualTo(403);
  }

  @Test
  @DisplayName("the check decides the caller's admission in its own statement: a login the tenant never saw is registered by its first check (and refused without a role), a deactivated one is refused at its next check and admitted again once reactivated (TEN-4)")
  void admission() {
    // A member without a role (a grant would register them): their first check registers them, then is refused.
    Person newcomer = fx.platform.newMember("Kiosk", "One", fx.tenant);
    String users = "SELECT count(*) FROM t_" + fx.tenant.slug() + ".app_user WHERE user_id = '" + newcomer.id() + "'";
    assertThat(fx.platform.queryLong(users)).isZero();
    Api.Response first = fx.check(newcomer.token(fx.platform), "QC-LENA", qualifiedDoc.getString("number"));
    assertThat(first.status()).as(first.toString()).isEqualTo(403);
    assertThat(first.json().getString("type")).endsWith("/forbidden");
    assertThat(fx.platform.queryLong(users)).isEqualTo(1);

    Person kiosk = fx.platform.newMember("Kiosk", "Two", fx.tenant);
    fx.platform.grantRole(fx.tenant, kiosk.id(), "qualification-check");
    String token = kiosk.token(fx.platform);
    assertThat(fx.check(token, "QC-LENA", qualifiedDoc.getString("number")).status()).isEqualTo(200);

    Api.Response deactivated = fx.api.post(fx.tenant.path("/users/" + kiosk.id() + "/deactivation"),
        fx.tenant.adminToken(), new JsonObject().put("reason", "Kiosk retired from line 2"));
    assertThat(deactivated.status()).as(deactivated.toString()).isEqualTo(200);
    Api.Response refused = fx.check(token, "QC-LENA", qualifiedDoc.getString("number"));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(refused.json().getString("type")).endsWith("/user-deactivated");
    // Refused before anything about the person or document is told.
    assertThat(fx.check(token, "NOBODY", qualifiedDoc.getString("number")).status()).isEqualTo(403);

    assertThat(fx.api.post(fx.tenant.path("/users/" + kiosk.id() + "/reactivation"), fx.tenant.adminToken(),
        new JsonObject().put("reason", "Kiosk back in service")).status()).isEqualTo(200);
    assertThat(fx.check(token, "QC-LENA", qualifiedDoc.getString("number")).status()).isEqualTo(200);

    Person never = fx.platform.newMember("Kiosk", "Three", fx.tenant);
    fx.platform.grantRole(fx.tenant, never.id(), "qualification-check");
    assertThat(fx.api.post(fx.tenant.path("/users/" + never.id() + "/deactivation"), fx.tenant.adminToken(),
        new JsonObject().put("reason", "Never commissioned")).status()).isEqualTo(200);
    assertThat(fx.check(never.token(fx.platform), "QC-LENA", qualifiedDoc.getString("number")).status())
        .isEqualTo(403);
  }

  @Test
  @DisplayName("tenants are walls: another tenant's token gets 404 here, and its own tenant knows none of these people")
  void crossTenant() {
    TenantFixture other = fx.platform.newTenant("qualwall");
    Person otherMes = fx.platform.newMember("Other", "Mes", other);
    fx.platform.grantRole(other, otherMes.id(), "qualification-check");
    String stranger = otherMes.token(fx.platform);
    Api.Response here = fx.check(stranger, "QC-LENA", qualifiedDoc.getString("number"));
    assertThat(here.status()).as(here.toString()).isEqualTo(404);
    assertThat(fx.check(other.adminToken(), fx.personId("QC-LENA"), qualifiedDoc.getString("id")).status())
        .isEqualTo(404);
    Api.Response there = fx.api.get(other.path("/qualification-checks?person=QC-LENA&document="
        + qualifiedDoc.getString("number")), stranger);
    assertThat(there.status()).as(there.toString()).isEqualTo(404);
    Api.Response byId = fx.api.get(other.path("/qualification-checks?person=" + fx.personId("QC-LENA") + "&document="
        + qualifiedDoc.getString("id")), stranger);
    assertThat(byId.status()).isEqualTo(404);
  }
}
