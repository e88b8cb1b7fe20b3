package io.traceline.platform.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.traceline.platform.training.TrainingWorld;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@DisplayName("Quality events and CAPA close the loop: training actions assign, complete themselves from the learners' completions, block the CAPA's closure until done, and the signed closure lists the evidence (QE-1 to QE-5)")
// The loop runs first: its training action for the operator role then reaches exactly its two learners.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QualityLoopIT {

  private static TrainingWorld world;
  private static Api api;
  private static TenantFixture tenant;
  private static Person quality;
  private static String qm;

  @BeforeAll
  static void plant() {
    world = new TrainingWorld("quality");
    api = world.api;
    tenant = world.tenant;
    quality = world.flow.signer("Quinn", "Quality", "quality-manager");
    qm = quality.token(world.platform);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  // ---- helpers

  private static Api.Response post(String path, JsonObject body) {
    return api.post(tenant.path(path), qm, body);
  }

  private static JsonObject ok(Api.Response response, int status) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    return response.json();
  }

  private static JsonObject deviation(String title, JsonObject document, String rootCause, String process) {
    JsonObject body = new JsonObject().put("kind", "deviation").put("title", title)
        .put("description", "Observed during the batch record review").put("severity", "major")
        .put("occurredOn", LocalDate.now().minusDays(2).toString()).put("dueOn", LocalDate.now().plusDays(30).toString())
        .put("ownerId", quality.id()).put("documentIds", new JsonArray().add(document.getString("id")))
        .put("jobRoleIds", new JsonArray().add(world.operatorRole.getString("id")));
    if (rootCause != null) {
      body.put("rootCauseCategory", rootCause);
    }
    if (process != null) {
      body.put("process", process);
    }
    return ok(post("/quality-events", body), 201);
  }

  private static JsonObject capa(JsonObject event, String rootCause) {
    JsonObject body = new JsonObject().put("title", "Retrain on " + event.getString("title"))
        .put("sourceEventIds", new JsonArray().add(event.getString("id"))).put("ownerId", quality.id())
        .put("dueOn", LocalDate.now().plusDays(60).toString());
    if (rootCause != null) {
      body.put("rootCauseCategory", rootCause).put("rootCauseDescription", "Operators were never assessed on step 7");
    }
    return ok(post("/capas", body), 201);
  }

  private static JsonObject trainingAction(JsonObject capa, JsonObject version, String method, Integer passScore,
                                           JsonArray personIds, JsonArray jobRoleIds) {
    JsonObject training = new JsonObject().put("versionId", version.getString("id")).put("method", method)
        .put("dueOn", LocalDate.now().plusDays(14).toString());
    if (passScore != null) {
      training.put("passScore", passScore);
    }
    if (personIds != null) {
      training.put("personIds", personIds);
    }
    if (jobRoleIds != null) {
      training.put("jobRoleIds", jobRoleIds);
    }
    return ok(post("/capas/" + capa.getString("id") + "/actions", new JsonObject().put("kind", "corrective")
        .put("type", "training").put("title", "Assess operators on the revised step").put("ownerId", quality.id())
        .put("dueOn", LocalDate.now().plusDays(30).toString()).put("training", training)), 201);
  }

  private static JsonObject getCapa(JsonObject capa) {
    return ok(api.get(tenant.path("/capas/" + capa.getString("id")), qm), 200);
  }

  /** The learner's assignments on a version, keyed by cause. */
  private static Map<String, JsonObject> assignments(Person learner, JsonObject version) {
    Api.Response mine = api.get(tenant.path("/me/training?limit=200"), learner.token(world.platform));
    assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
    Map<String, JsonObject> found = new HashMap<>();
    mine.json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(a -> a.getJsonObject("version").getString("id").equals(version.getString("id")))
        .forEach(a -> found.put(a.getString("cause"), a));
    return found;
  }

  private static Map<String, JsonObject> bank(JsonObject version) {
    Map<String, JsonObject> bank = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      JsonArray options = new JsonArray().add(new JsonObject().put("text", "Right " + i).put("correct", true))
          .add(new JsonObject().put("text", "Wrong " + i).put("correct", false));
      JsonObject q = ok(api.post(world.flow.versionPath(version) + "/questions", world.author.token(world.platform),
          new JsonObject().put("kind", "single-choice").put("prompt", "Step 7, question " + i).put("options", options)), 201);
      bank.put(q.getString("id"), q);
    }
    return bank;
  }

  /** Starts an attempt and submits it with the right (or wrong) answers; the submission's answer. */
  private static JsonObject attempt(Person learner, JsonObject assignment, Map<String, JsonObject> bank, boolean right) {
    JsonObject started = ok(api.post(world.mePath(assignment, "/attempts"), learner.token(world.platform), null), 201);
    JsonArray answers = new JsonArray();
    for (Object item : started.getJsonArray("questions")) {
      String questionId = ((JsonObject) item).getString("questionId");
      String chosen = bank.get(questionId).getJsonArray("options").stream().map(JsonObject.class::cast)
          .filter(o -> o.getBoolean("correct") == right).findFirst().orElseThrow().getString("id");
      answers.add(new JsonObject().put("questionId", questionId).put("optionIds", new JsonArray().add(chosen)));
    }
    return ok(api.post(world.mePath(assignment, "/attempts/" + started.getString("id") + "/submission"),
        learner.token(world.platform), new JsonObject().put("answers", answers)
            .put("reauthentication", DocumentFlow.password(learner))), 201);
  }

  private static void settleQuality() {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (world.platform.queryLong("SELECT count(*) FROM control.job WHERE tenant = '" + tenant.slug()
        + "' AND (kind LIKE 'quality.%' OR kind LIKE 'training.%') AND state IN ('scheduled', 'running') "
        + "AND run_at <= now()") > 0) {
      assertThat(Instant.now()).as("waiting for jobs").isBefore(deadline);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static JsonObject signed(String path, JsonObject body) {
    return ok(post(path, body.put("reauthentication", DocumentFlow.password(quality))), 201);
  }

  // ---- the loop

  @Test
  @Order(1)
  @DisplayName("deviation → CAPA (training deficiency) → training action for a role → assignments (an open one linked, a completed one retrained) → closing early is 409 → one learner fails then passes, the other passes → the action completes itself → the CAPA closes with a signature listing who, which version, score and when; the effectiveness check falls due and is signed")
  void fullLoop() {
    Person ann = world.learner("Ann", "Already");
    Person bob = world.learner("Bob", "Pending");
    JsonObject document = world.document("Aseptic connections", "assessment", 80, 3, null);
    JsonObject version = world.effective(document);
    Map<String, JsonObject> bank = bank(version);
    // Ann completed her matrix training before the deviation; Bob's is still open.
    JsonObject annMatrix = assignments(ann, version).get("revision-effective");
    assertThat(attempt(ann, annMatrix, bank, true).getJsonObject("assignment").getString("status")).isEqualTo("completed");
    JsonObject bobMatrix = assignments(bob, version).get("revision-effective");

    JsonObject event = deviation("Unsterile connection during fill", document, null, "aseptic filling");
    assertThat(event.getString("number")).matches("DEV-\\d{4}");
    assertThat(event.getString("status")).isEqualTo("open");
    assertThat(event.getJsonArray("documents").getJsonObject(0).getString("number")).isEqualTo(document.getString("number"));
    event = ok(post("/quality-events/" + event.getString("id") + "/transitions", new JsonObject().put("action", "investigate")
        .put("reason", "Batch on hold, investigation opened")), 200);
    assertThat(event.getString("status")).isEqualTo("investigating");

    JsonObject capa = capa(event, "training-deficiency");
    assertThat(capa.getString("number")).matches("CAPA-\\d{4}");
    assertThat(capa.getJsonObject("rootCause").getString("category")).isEqualTo("training-deficiency");
    JsonObject action = trainingAction(capa, version, "assessment", 80, null,
        new JsonArray().add(world.operatorRole.getString("id")));
    assertThat(action.getString("status")).isEqualTo("open");
    JsonObject assigned = action.getJsonObject("assigned");
    // The role's holders: the supervisor does not hold it; Ann and Bob (and learners of other tests) do.
    assertThat(assigned.getLong("linked")).isGreaterThanOrEqualTo(1);
    assertThat(action.getJsonObject("training").getJsonObject("assignments").getInteger("total"))
        .isEqualTo(assigned.getInteger("people"));

    // Bob's open assignment on the version is linked, not duplicated; Ann is retrained with a capa-action assignment.
    Map<String, JsonObject> bobs = assignments(bob, version);
    assertThat(bobs).containsOnlyKeys("revision-effective");
    Map<String, JsonObject> anns = assignments(ann, version);
    JsonObject annCapa = anns.get("capa-action");
    assertThat(annCapa).isNotNull();
    assertThat(annCapa.getString("capaActionId")).isEqualTo(action.getString("id"));
    assertThat(annCapa.getString("requirementId")).isNull();
    assertThat(annCapa.getString("status")).isEqualTo("open");
    assertThat(world.count("${schema}.capa_action_assignment WHERE action_id = '" + action.getString("id")
        + "' AND assignment_id = '" + bobMatrix.getString("id") + "' AND link = 'linked'")).isEqualTo(1);

    // Closing early: 409 before any password is checked, nothing closed.
    String closure = "/capas/" + capa.getString("id") + "/closure";
    Api.Response early = post(closure, new JsonObject().put("summary", "All retrained")
        .put("reauthentication", DocumentFlow.password(quality)));
    assertThat(early.status()).as(early.toString()).isEqualTo(409);
    assertThat(early.json().getString("type")).endsWith("/training-open");
    assertThat(world.count("${schema}.signature WHERE record_type = 'capa'")).isZero();

    // Ann fails first, then passes; Bob passes. Other holders of the role (learners of other tests) complete too.
    JsonObject failed = attempt(ann, annCapa, bank, false);
    assertThat(failed.getJsonObject("attempt").getString("state")).isEqualTo("failed");
    assertThat(getCapa(capa).getJsonArray("actions").getJsonObject(0).getString("status")).isEqualTo("open");
    attempt(ann, annCapa, bank, true);
    assertThat(getCapa(capa).getJsonArray("actions").getJsonObject(0).getString("status")).isEqualTo("open");
    attempt(bob, bobMatrix, bank, true);
    JsonObject afterAll = getCapa(capa);
    JsonObject selfCompleted = afterAll.getJsonArray("actions").getJsonObject(0);
    long stillOpen = selfCompleted.getJsonObject("training").getJsonObject("assignments").getLong("open");
    assertThat(stillOpen).as("only Ann and Bob hold the role in this test's plant").isZero();
    assertThat(selfCompleted.getString("status")).isEqualTo("completed");
    assertThat(selfCompleted.getJsonObject("closedBy").getString("id")).isEqualTo("system:traceline");
    assertThat(world.count("${schema}.audit_event WHERE action = 'capa-action.completed' AND entity_id = '"
        + action.getString("id") + "'")).isEqualTo(1);

    // Wrong password: 401, nothing closed; then the signed closure lists the evidence.
    Api.Response wrong = post(closure, new JsonObject().put("summary", "All retrained and assessed")
        .put("reauthentication", DocumentFlow.password(quality).put("password", "not-it")));
    assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
    assertThat(getCapa(capa).getString("status")).isEqualTo("open");
    JsonObject closed = signed(closure, new JsonObject().put("summary", "All retrained and assessed")
        .put("effectivenessCheckDays", 0));
    JsonObject signature = closed.getJsonObject("signature");
    assertThat(signature.getString("meaning")).isEqualTo("closed");
    assertThat(signature.getJsonObject("record").getString("type")).isEqualTo("capa");
    JsonObject closedCapa = closed.getJsonObject("capa");
    assertThat(closedCapa.getString("status")).isEqualTo("closed");
    JsonArray evidence = closedCapa.getJsonObject("closure").getJsonArray("evidence");
    assertThat(evidence).hasSize(2);
    for (Object item : evidence) {
      JsonObject e = (JsonObject) item;
      assertThat(e.getString("status")).isEqualTo("completed");
      assertThat(e.getJsonObject("version").getString("id")).isEqualTo(version.getString("id"));
      JsonObject completion = e.getJsonObject("completion");
      assertThat(completion.getInteger("score")).isEqualTo(100);
      assertThat(completion.getInteger("passScore")).isEqualTo(80);
      assertThat(completion.getString("trainedAt")).isNotNull();
      assertThat(completion.getString("signatureId")).isNotNull();
    }
    assertThat(evidence.stream().map(e -> ((JsonObject) e).getJsonObject("person").getString("name")).toList())
        .containsExactlyInAnyOrder("Ann Already", "Bob Pending");
    // The signature is bound to the record version that holds exactly this evidence.
    assertThat(world.count("${schema}.record_version WHERE record_type = 'capa' AND record_id = '" + capa.getString("id")
        + "' AND version = " + signature.getJsonObject("record").getInteger("version") + " AND content_hash = '"
        + signature.getJsonObject("record").getString("hash") + "' AND jsonb_array_length(content->'evidence') = 2"))
        .isEqualTo(1);
    // Closed: no more actions.
    assertThat(post("/capas/" + capa.getString("id") + "/actions", new JsonObject().put("kind", "preventive")
        .put("type", "other").put("title", "Late idea").put("ownerId", quality.id())
        .put("dueOn", LocalDate.now().plusDays(5).toString())).status()).isEqualTo(409);

    // Ann's qualification counts her CAPA retraining.
    JsonObject check = ok(api.get(tenant.path("/qualification-checks?person=" + annCapa.getJsonObject("person")
        .getString("id") + "&document=" + document.getString("id")), world.admin), 200);
    assertThat(check.getString("status")).isEqualTo("qualified");

    // The effectiveness check falls due on the job runtime, then is signed.
    settleQuality();
    JsonObject due = getCapa(capa);
    assertThat(due.getJsonObject("effectiveness").getString("state")).isEqualTo("due");
    JsonObject verified = signed("/capas/" + capa.getString("id") + "/effectiveness-check",
        new JsonObject().put("result", "effective").put("comment", "No recurrence in 10 batches"));
    assertThat(verified.getJsonObject("capa").getJsonObject("effectiveness").getString("state")).isEqualTo("effective");
    assertThat(verified.getJsonObject("signature").getString("meaning")).isEqualTo("verified");
    assertThat(world.count("${schema}.audit_event WHERE entity_type = 'capa' AND entity_id = '" + capa.getString("id")
        + "' AND action IN ('capa.created', 'capa.closed', 'capa.effectiveness-check-due', 'capa.effectiveness-checked')"))
        .isEqualTo(4);

    // Recurrence: a new deviation on the same document with the same root-cause category is a repeat of this CAPA;
    // one on another process and document is not.
    JsonObject repeat = deviation("Connection touched again", document, "training-deficiency", null);
    assertThat(repeat.getJsonObject("repeatOf").getString("id")).isEqualTo(capa.getString("id"));
    assertThat(world.count("${schema}.audit_event WHERE action = 'quality-event.repeat-flagged' AND entity_id = '"
        + repeat.getString("id") + "'")).isEqualTo(1);
    JsonObject other = world.document("Warehouse labels", "read-and-acknowledge", null, null, null);
    JsonObject unrelated = deviation("Label misprint", other, "training-deficiency", "labelling");
    assertThat(unrelated.getValue("repeatOf")).isNull();
    // The same process (any case) counts too, found at the investigation that names the cause.
    JsonObject sameProcess = deviation("Glove breach", other, null, "Aseptic Filling");
    JsonObject investigated = ok(post("/quality-events/" + sameProcess.getString("id") + "/transitions", new JsonObject()
        .put("action", "investigate").put("rootCauseCategory", "training-deficiency").put("reason", "Operator interview")), 200);
    assertThat(investigated.getJsonObject("repeatOf").getString("number")).isEqualTo(capa.getString("number"));
    Api.Response repeats = api.get(tenant.path("/quality-events?repeat=true"), qm);
    assertThat(repeats.json().getJsonArray("items").stream().map(e -> ((JsonObject) e).getString("id")).toList())
        .contains(repeat.getString("id"), sameProcess.getString("id")).doesNotContain(unrelated.getString("id"));

    // The metrics (RPT-3) count the loop: one CAPA closed for a training deficiency, its effectiveness verified, its
    // training verified competence (an assessment), two repeats flagged since; and the assessment attempts of the loop.
    JsonObject capas = ok(api.get(tenant.path("/reports/metrics/capa-effectiveness"), qm), 200);
    assertThat(capas.getJsonObject("totals")).isEqualTo(new JsonObject().put("closed", 1).put("effective", 1)
        .put("notEffective", 0).put("awaitingCheck", 0).put("effectiveRate", 1.0).put("withTrainingActions", 1)
        .put("competenceVerified", 1).put("repeats", 2));
    JsonObject byCause = capas.getJsonArray("byRootCause").getJsonObject(0);
    assertThat(byCause.getString("rootCause")).isEqualTo("training-deficiency");
    assertThat(byCause.getLong("repeats")).isEqualTo(2);
    JsonObject passRate = ok(api.get(tenant.path("/reports/metrics/assessment-pass-rate"), qm), 200);
    JsonObject attempts = passRate.getJsonObject("totals");
    long failedAttempts = world.count("${schema}.assessment_attempt WHERE state = 'failed'");
    long passedAttempts = world.count("${schema}.assessment_attempt WHERE state = 'passed'");
    assertThat(failedAttempts).isPositive();
    assertThat(attempts.getLong("failed")).isEqualTo(failedAttempts);
    assertThat(attempts.getLong("passed")).isEqualTo(passedAttempts);
    assertThat(attempts.getLong("attempts")).isEqualTo(failedAttempts + passedAttempts);
    assertThat(attempts.getDouble("passRate")).isEqualTo(Math.round(passedAttempts * 10_000.0
        / (failedAttempts + passedAttempts)) / 10_000.0);
    assertThat(passRate.getJsonArray("documents").getJsonObject(0).getJsonObject("document").getString("number"))
        .isEqualTo(document.getString("number"));
  }

  @Test
  @Order(2)
  @DisplayName("a training action for more people than one fan-out chunk is made by the job runtime: pending (the CAPA cannot close) until the job has assigned everyone once, audited with its job")
  void largeActionRunsAsJob() {
    JsonObject role = world.created("/job-roles", new JsonObject().put("code", "LARGE-OP").put("name", "Large line operator"));
    int people = TestPlatform.FANOUT_CHUNK + 25;
    JsonArray rows = new JsonArray();
    for (int n = 1; n <= people; n++) {
      rows.add(new JsonObject().put("employeeNumber", String.format("LG-%04d", n)).put("givenName", "Line")
          .put("familyName", "Operator " + n).put("siteCode", "CRK").put("departmentCode", "FIL").put("status", "active")
          .put("hiredOn", "2024-01-08").put("jobRoleCodes", new JsonArray().add("LARGE-OP")));
    }
    ok(api.post(tenant.path("/people/bulk"), world.admin, new JsonObject().put("people", rows).put("reason", "HR feed")),
        200);
    JsonObject document = world.document("Line clearance after a jam", "read-and-acknowledge", null, null, null);
    JsonObject version = world.effective(document);
    JsonObject event = deviation("Line not cleared after a jam", document, null, "line clearance");
    JsonObject capa = capa(event, "training-deficiency");
    JsonObject action = trainingAction(capa, version, "read-and-acknowledge", null, null,
        new JsonArray().add(role.getString("id")));
    assertThat(action.getJsonObject("training").getString("assignmentState")).as(action.encode()).isEqualTo("pending");
    String jobId = action.getJsonObject("assigned").getString("jobId");
    assertThat(jobId).isNotNull();
    assertThat(action.getJsonObject("assigned").getInteger("people")).isEqualTo(people);

    settleQuality();
    JsonObject after = getCapa(capa).getJsonArray("actions").getJsonObject(0);
    assertThat(after.getJsonObject("training").getString("assignmentState")).isEqualTo("assigned");
    assertThat(after.getJsonObject("training").getJsonObject("assignments").getInteger("total")).isEqualTo(people);
    // The role is in no requirement: every holder got one capa-action assignment, made by the job, exactly once.
    assertThat(world.count("${schema}.training_assignment WHERE capa_action_id = '" + action.getString("id")
        + "' AND cause = 'capa-action' AND job_id = '" + jobId + "'")).isEqualTo(people);
    assertThat(world.count("${schema}.audit_event WHERE action = 'capa-action.assigned' AND entity_id = '"
        + action.getString("id") + "'")).isEqualTo(1);
    Api.Response early = post("/capas/" + capa.getString("id") + "/closure", new JsonObject().put("summary", "Done")
        .put("reauthentication", DocumentFlow.password(quality)));
    assertThat(early.status()).as(early.toString()).isEqualTo(409);
  }

  @Test
  @DisplayName("change control → approved (signed) → a revision linked → effective → retraining, traceable from the event, the version and the assignments; a CAPA document-change action completes when its revision becomes effective")
  void changeControlDrivesRetraining() {
    Person cara = world.learner("Cara", "Changed");
    JsonObject document = world.document("Line clearance", "read-and-acknowledge", null, null, null);
    JsonObject v1 = world.effective(document);
    JsonObject cc = ok(post("/quality-events", new JsonObject().put("kind", "change-control")
        .put("title", "New line clearance checklist").put("description", "Add the second-person check")
        .put("severity", "minor").put("occurredOn", LocalDate.now().toString())
        .put("dueOn", LocalDate.now().plusDays(20).toString()).put("ownerId", quality.id())
        .put("documentIds", new JsonArray().add(document.getString("id")))), 201);
    String ccPath = "/quality-events/" + cc.getString("id");
    // Closing before approval and implementation: 409 without a password check.
    assertThat(post(ccPath + "/signatures", new JsonObject().put("meaning", "closed").put("reason", "Done")
        .put("reauthentication", DocumentFlow.password(quality))).status()).isEqualTo(409);
    JsonObject approved = signed(ccPath + "/signatures", new JsonObject().put("meaning", "approved"));
    assertThat(approved.getJsonObject("event").getString("status")).isEqualTo("approved");

    JsonObject v2 = world.flow.withFile(world.flow.draft(document, world.author, "major", "full-retraining"), world.author);
    // The effective version cannot be "driven"; the draft can.
    assertThat(post(ccPath + "/revisions", new JsonObject().put("versionId", v1.getString("id")).put("reason", "x-x"))
        .status()).isEqualTo(422);
    JsonObject linked = ok(post(ccPath + "/revisions", new JsonObject().put("versionId", v2.getString("id"))
        .put("reason", "The checklist revision")), 201);
    assertThat(linked.getJsonArray("revisions").getJsonObject(0).getValue("retraining")).isNull();
    JsonObject caused = ok(api.get(world.flow.versionPath(v2), world.admin), 200);
    assertThat(caused.getJsonArray("causedBy").getJsonObject(0).getString("eventId")).isEqualTo(cc.getString("id"));
    assertThat(caused.getJsonArray("causedBy").getJsonObject(0).getString("number")).isEqualTo(cc.getString("number"));

    // A CAPA's document-change action can drive the same revision (say, from a deviation on the document).
    JsonObject dev = deviation("Clearance step skipped", document, null, null);
    JsonObject capa = capa(dev, "procedure");
    JsonObject docChange = ok(post("/capas/" + capa.getString("id") + "/actions", new JsonObject().put("kind", "preventive")
        .put("type", "document-change").put("title", "Revise the checklist").put("ownerId", quality.id())
        .put("dueOn", LocalDate.now().plusDays(30).toString())
        .put("revision", new JsonObject().put("versionId", v2.getString("id")))), 201);
    assertThat(post("/capas/" + capa.getString("id") + "/actions/" + docChange.getString("id") + "/completion",
        new JsonObject().put("reason", "Done early")).status()).isEqualTo(409);

    // The revision becomes effective: its fan-out retrains; the document-change action completes with it.
    assertThat(world.flow.submit(v2, world.author, DocumentFlow.route("sequential", List.of(), List.of(world.approver)),
        null).status()).isEqualTo(200);
    assertThat(world.flow.sign(v2, world.approver, "approved", null).status()).isEqualTo(201);
    world.settle();
    JsonObject caraV2 = assignments(cara, v2).get("revision-effective");
    assertThat(caraV2).isNotNull();
    JsonObject event = ok(api.get(tenant.path(ccPath), qm), 200);
    JsonObject retraining = event.getJsonArray("revisions").getJsonObject(0).getJsonObject("retraining");
    assertThat(retraining.getInteger("total")).isGreaterThanOrEqualTo(1);
    assertThat(retraining.getInteger("total")).isEqualTo((int) world.count("${schema}.training_assignment WHERE version_id = '"
        + v2.getString("id") + "' AND cause IN ('revision-effective', 'previously-trained')"));
    assertThat(retraining.getJsonArray("jobIds")).contains(caraV2.getString("jobId"));
    JsonObject capaAfter = getCapa(capa);
    assertThat(capaAfter.getJsonArray("actions").getJsonObject(0).getString("status")).isEqualTo("completed");
    assertThat(capaAfter.getJsonArray("revisions").getJsonObject(0).getJsonObject("version").getString("state"))
        .isEqualTo("effective");
    assertThat(capaAfter.getJsonArray("revisions").getJsonObject(0).getJsonObject("retraining").getInteger("total"))
        .isEqualTo(retraining.getInteger("total"));
    JsonObject bothCauses = ok(api.get(world.flow.versionPath(v2), world.admin), 200);
    assertThat(bothCauses.getJsonArray("causedBy")).hasSize(2);

    // Implemented, then closed with a signature.
    ok(post(ccPath + "/transitions", new JsonObject().put("action", "implement").put("reason", "Checklist in use")), 200);
    JsonObject closed = signed(ccPath + "/signatures", new JsonObject().put("meaning", "closed")
        .put("reason", "Revision effective, operators retraining"));
    assertThat(closed.getJsonObject("event").getString("status")).isEqualTo("closed");
    assertThat(closed.getJsonObject("event").getString("closureSignatureId"))
        .isEqualTo(closed.getJsonObject("signature").getString("id"));
    // Lists filter by document, status and kind.
    Api.Response byDocument = api.get(tenant.path("/quality-events?documentId=" + document.getString("id")
        + "&kind=change-control&status=closed"), qm);
    assertThat(byDocument.json().getJsonArray("items").stream().map(e -> ((JsonObject) e).getString("id")).toList())
        .containsExactly(cc.getString("id"));
    Api.Response capasByDocument = api.get(tenant.path("/capas?documentId=" + document.getString("id")), qm);
    assertThat(capasByDocument.json().getJsonArray("items").stream().map(e -> ((JsonObject) e).getString("id")).toList())
        .containsExactly(capa.getString("id"));
  }

  @Test
  @DisplayName("bad input is a 4xx problem and writes nothing; only quality managers write, auditors read, employees see nothing")
  void badInputAndRoles() {
    JsonObject document = world.document("Filter integrity", "read-and-acknowledge", null, null, null);
    JsonObject version = world.effective(document);
    long events = world.count("${schema}.quality_event");
    long audits = world.count("${schema}.audit_event");
    JsonObject valid = new JsonObject().put("kind", "deviation").put("title", "T").put("description", "D")
        .put("severity", "minor").put("occurredOn", LocalDate.now().toString())
        .put("dueOn", LocalDate.now().plusDays(3).toString()).put("ownerId", quality.id());
    Api.Response missing = post("/quality-events", valid.copy().put("kind", "incident"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.isProblem()).isTrue();
    Api.Response unknownDocument = post("/quality-events", valid.copy()
        .put("documentIds", new JsonArray().add(document.getString("id")).add(UUID.randomUUID().toString())));
    assertThat(unknownDocument.status()).isEqualTo(422);
    assertThat(unknownDocument.json().getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/documentIds/1");
    assertThat(post("/quality-events", valid.copy().put("auditSource", "internal")).status()).isEqualTo(422);
    assertThat(post("/quality-events", valid.copy().put("dueOn", LocalDate.now().minusDays(5).toString())).status())
        .isEqualTo(422);
    assertThat(post("/quality-events", valid.copy().put("ownerId", "nobody")).status()).isEqualTo(422);
    assertThat(world.count("${schema}.quality_event")).isEqualTo(events);
    assertThat(world.count("${schema}.audit_event")).isEqualTo(audits);

    JsonObject event = ok(post("/quality-events", valid), 201);
    JsonObject capa = capa(event, null);
    long assignments = world.count("${schema}.training_assignment");
    long actions = world.count("${schema}.capa_action");
    String actionsPath = "/capas/" + capa.getString("id") + "/actions";
    JsonObject training = new JsonObject().put("versionId", version.getString("id")).put("method", "assessment")
        .put("dueOn", LocalDate.now().plusDays(5).toString()).put("personIds", new JsonArray().add(UUID.randomUUID().toString()));
    JsonObject action = new JsonObject().put("kind", "corrective").put("type", "training").put("title", "Retrain")
        .put("ownerId", quality.id()).put("dueOn", LocalDate.now().plusDays(5).toString());
    Api.Response noPassScore = post(actionsPath, action.copy().put("training", training));
    assertThat(noPassScore.status()).isEqualTo(422);
    assertThat(noPassScore.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/training/passScore");
    Api.Response unknownPerson = post(actionsPath, action.copy().put("training", training.copy().put("passScore", 80)));
    assertThat(unknownPerson.status()).isEqualTo(422);
    assertThat(unknownPerson.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/training/personIds/0");
    JsonObject draft = world.flow.draft(document, world.author, "minor", "read-and-acknowledge");
    Api.Response notEffective = post(actionsPath, action.copy().put("training", training.copy().put("method",
        "read-and-acknowledge").put("versionId", draft.getString("id")).put("personIds", new JsonArray())
        .put("jobRoleIds", new JsonArray().add(world.operatorRole.getString("id")))));
    assertThat(notEffective.status()).isEqualTo(422);
    assertThat(post(actionsPath, action.copy()).status()).isEqualTo(422);
    assertThat(post(actionsPath, action.copy().put("type", "sideways")).status()).isEqualTo(400);
    assertThat(world.count("${schema}.training_assignment")).isEqualTo(assignments);
    assertThat(world.count("${schema}.capa_action")).isEqualTo(actions);
    // A transition without its reason; a move the status does not take.
    assertThat(post("/quality-events/" + event.getString("id") + "/transitions", new JsonObject().put("action", "cancel"))
        .status()).isEqualTo(422);
    assertThat(post("/quality-events/" + event.getString("id") + "/transitions", new JsonObject().put("action", "implement")
        .put("reason", "Not a change control")).status()).isEqualTo(409);
    // Closing the CAPA without actions or root cause: 409, no signature.
    Api.Response closeEmpty = post("/capas/" + capa.getString("id") + "/closure", new JsonObject().put("summary", "Nothing")
        .put("reauthentication", DocumentFlow.password(quality)));
    assertThat(closeEmpty.status()).isEqualTo(409);
    assertThat(closeEmpty.json().getString("type")).endsWith("/root-cause-missing");

    // Roles: an auditor reads, cannot write; an employee sees nothing.
    Person auditor = world.flow.member("Audrey", "Auditor", "auditor");
    assertThat(api.get(tenant.path("/quality-events/" + event.getString("id")), auditor.token(world.platform)).status())
        .isEqualTo(200);
    assertThat(api.get(tenant.path("/capas"), auditor.token(world.platform)).status()).isEqualTo(200);
    assertThat(api.post(tenant.path("/quality-events"), auditor.token(world.platform), valid).status()).isEqualTo(403);
    Person employee = world.learner("Eve", "Employee");
    assertThat(api.get(tenant.path("/quality-events"), employee.token(world.platform)).status()).isEqualTo(403);
    assertThat(api.get(tenant.path("/capas/" + capa.getString("id")), employee.token(world.platform)).status())
        .isEqualTo(403);
  }

  @Test
  @DisplayName("another tenant's quality manager can neither read nor change any quality event or CAPA endpoint (404, nothing written)")
  void crossTenantRefusal() {
    JsonObject document = world.document("Cleaning validation", "read-and-acknowledge", null, null, null);
    JsonObject version = world.effective(document);
    JsonObject event = deviation("Residue found", document, null, null);
    JsonObject capa = capa(event, "equipment");
    JsonObject action = ok(post("/capas/" + capa.getString("id") + "/actions", new JsonObject().put("kind", "corrective")
        .put("type", "other").put("title", "Replace the gasket").put("ownerId", quality.id())
        .put("dueOn", LocalDate.now().plusDays(5).toString())), 201);
    TenantFixture other = world.platform.newTenant("qstranger");
    DocumentFlow otherFlow = new DocumentFlow(world.platform, other);
    Person stranger = otherFlow.signer("Stan", "Stranger", "quality-manager");
    String token = stranger.token(world.platform);
    String e = "/quality-events/" + event.getString("id");
    String c = "/capas/" + capa.getString("id");
    String a = c + "/actions/" + action.getString("id");
    JsonObject reauth = DocumentFlow.password(stranger);
    long audits = world.count("${schema}.audit_event");
    List<Object[]> calls = List.of(
        new Object[] {"GET", "/quality-events", null},
        new Object[] {"POST", "/quality-events", new JsonObject().put("kind", "deviation").put("title", "X")
            .put("description", "X").put("severity", "minor").put("occurredOn", LocalDate.now().toString())
            .put("dueOn", LocalDate.now().toString()).put("ownerId", stranger.id())},
        new Object[] {"GET", e, null},
        new Object[] {"POST", e + "/transitions", new JsonObject().put("action", "cancel").put("reason", "Not mine")},
        new Object[] {"POST", e + "/signatures", new JsonObject().put("meaning", "closed").put("reason", "Not mine")
            .put("reauthentication", reauth)},
        new Object[] {"POST", e + "/revisions", new JsonObject().put("versionId", version.getString("id")).put("reason", "x-x")},
        new Object[] {"GET", "/capas", null},
        new Object[] {"POST", "/capas", new JsonObject().put("title", "X").put("sourceEventIds",
            new JsonArray().add(event.getString("id"))).put("ownerId", stranger.id()).put("dueOn", LocalDate.now().toString())},
        new Object[] {"GET", c, null},
        new Object[] {"POST", c + "/root-cause", new JsonObject().put("category", "other").put("reason", "Not mine")},
        new Object[] {"POST", c + "/actions", new JsonObject().put("kind", "corrective").put("type", "other")
            .put("title", "X").put("ownerId", stranger.id()).put("dueOn", LocalDate.now().toString())},
        new Object[] {"GET", a, null},
        new Object[] {"POST", a + "/completion", new JsonObject().put("reason", "Not mine")},
        new Object[] {"POST", a + "/cancellation", new JsonObject().put("reason", "Not mine")},
        new Object[] {"POST", c + "/closure", new JsonObject().put("summary", "Not mine").put("reauthentication", reauth)},
        new Object[] {"POST", c + "/effectiveness-check", new JsonObject().put("result", "effective")
            .put("comment", "Not mine").put("reauthentication", reauth)});
    for (Object[] call : calls) {
      JsonObject body = (JsonObject) call[2];
      // With our tenant in the path: the wall answers 404 as for a tenant that does not exist.
      Api.Response wall = api.send((String) call[0], tenant.path((String) call[1]), token,
          body == null ? null : body.encode(), body == null ? null : "application/json");
      assertThat(wall.status()).as(call[0] + " " + call[1] + " " + wall).isEqualTo(404);
      // With their own tenant in the path: our records do not exist there.
      if (((String) call[1]).contains(event.getString("id")) || ((String) call[1]).contains(capa.getString("id"))) {
        Api.Response theirs = api.send((String) call[0], other.path((String) call[1]), token,
            body == null ? null : body.encode(), body == null ? null : "application/json");
        assertThat(theirs.status()).as("own tenant " + call[0] + " " + call[1] + " " + theirs).isIn(404, 422);
      }
    }
    assertThat(world.count("${schema}.audit_event")).isEqualTo(audits);
    assertThat(ok(api.get(tenant.path(e), qm), 200).getString("status")).isEqualTo("open");
    assertThat(ok(api.get(tenant.path(a.replace("/actions/", "/actions/")), qm), 200).getString("status")).isEqualTo("open");
  }
}
