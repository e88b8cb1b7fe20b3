package io.traceline.platform.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Assessments: question banks per version, randomised attempts scored on the server, signed submissions, blocked assignments and further attempts (TRN-1, TRN-4, P11-3, P11-4)")
class TrainingAssessmentIT {

  private static TrainingWorld world;
  private static Api api;
  private static TenantFixture tenant;

  @BeforeAll
  static void plant() {
    world = new TrainingWorld("assess");
    api = world.api;
    tenant = world.tenant;
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private static String questionsPath(JsonObject version) {
    return world.flow.versionPath(version) + "/questions";
  }

  /** Adds a question to the version's bank as the author: {@code correct} marks which of the options are right. */
  private static JsonObject question(JsonObject version, String kind, String scenario, String prompt, String[] options,
                                     boolean... correct) {
    JsonArray given = new JsonArray();
    for (int i = 0; i < options.length; i++) {
      given.add(new JsonObject().put("text", options[i]).put("correct", correct[i]));
    }
    JsonObject body = new JsonObject().put("kind", kind).put("prompt", prompt).put("options", given);
    if (scenario != null) {
      body.put("scenario", scenario);
    }
    Api.Response created = api.post(questionsPath(version), world.author.token(world.platform), body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  /** Two options, the first right. */
  private static JsonArray twoOptions() {
    return new JsonArray().add(new JsonObject().put("text", "A").put("correct", true))
        .add(new JsonObject().put("text", "B").put("correct", false));
  }

  /** A bank of {@code size} questions of every kind. */
  private static Map<String, JsonObject> bank(JsonObject version, int size) {
    Map<String, JsonObject> bank = new HashMap<>();
    for (int i = 0; i < size; i++) {
      JsonObject q = switch (i % 3) {
        case 0 -> question(version, "single-choice", null, "Q" + i + ": how long is a glove change?",
            new String[] {"10 s", "30 s", "60 s", "never"}, false, true, false, false);
        case 1 -> question(version, "multiple-choice", null, "Q" + i + ": which items are sterile?",
            new String[] {"gloves", "sleeves", "floor", "walls"}, true, true, false, false);
        default -> question(version, "scenario", "A vial falls in grade A during filling.", "Q" + i + ": what do you do?",
            new String[] {"stop the line", "pick it up", "call QA", "carry on"}, true, false, true, false);
      };
      bank.put(q.getString("id"), q);
    }
    return bank;
  }

  /** Answers to the attempt's questions from the bank's key: right ones, or one wrong option each. */
  private static JsonArray answers(JsonObject attempt, Map<String, JsonObject> bank, boolean right) {
    JsonArray answers = new JsonArray();
    for (Object item : attempt.getJsonArray("questions")) {
      JsonObject presented = (JsonObject) item;
      JsonArray options = bank.get(presented.getString("questionId")).getJsonArray("options");
      JsonArray chosen = new JsonArray();
      for (Object o : options) {
        JsonObject option = (JsonObject) o;
        if (option.getBoolean("correct") == right && (right || chosen.isEmpty())) {
          chosen.add(option.getString("id"));
        }
      }
      answers.add(new JsonObject().put("questionId", presented.getString("questionId")).put("optionIds", chosen));
    }
    return answers;
  }

  /** Nothing of the key in a learner's answer: no option marked correct or not, no key of a paper. */
  private static Api.Response keyless(Api.Response response) {
    assertThat(response.body()).as(response.toString()).doesNotContain("\"correct\"").doesNotContain("\"key\"");
    return response;
  }

  private static Api.Response start(Person learner, JsonObject assignment) {
    return keyless(api.post(world.mePath(assignment, "/attempts"), learner.token(world.platform), null));
  }

  private static Api.Response submit(Person learner, JsonObject assignment, JsonObject attempt, JsonArray answers,
                                     String password, String idempotencyKey) {
    JsonObject reauthentication = DocumentFlow.password(learner);
    if (password != null) {
      reauthentication.put("password", password);
    }
    return keyless(world.postWithKey(world.mePath(assignment, "/attempts/" + attempt.getString("id") + "/submission"),
        learner.token(world.platform), new JsonObject().put("answers", answers).put("reauthentication", reauthentication),
        idempotencyKey));
  }

  private static Api.Response startedAndSubmitted(Person learner, JsonObject assignment, Map<String, JsonObject> bank,
                                                  boolean right) {
    Api.Response started = start(learner, assignment);
    assertThat(started.status()).as(started.toString()).isEqualTo(201);
    Api.Response submitted = submit(learner, assignment, started.json(), answers(started.json(), bank, right), null, null);
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
    return submitted;
  }

  @Test
  @DisplayName("a passing submission is the learner's re-authenticated signature on the attempt's record version; it completes the assignment with a completion record; wrong credentials submit nothing; a retry with its Idempotency-Key answers the same")
  void passingAttemptCompletes() {
    Person learner = world.learner("Lou", "Passer");
    JsonObject document = world.document("Gowning qualification", "assessment", 80, 3, null);
    JsonObject version = world.effective(document);
    Map<String, JsonObject> bank = bank(version, 5);
    JsonObject assignment = world.assignment(learner, version);
    assertThat(assignment.getString("method")).isEqualTo("assessment");

    Api.Response started = start(learner, assignment);
    assertThat(started.status()).as(started.toString()).isEqualTo(201);
    JsonObject attempt = started.json();
    assertThat(attempt.getInteger("attemptNo")).isEqualTo(1);
    assertThat(attempt.getInteger("passScore")).isEqualTo(80);
    assertThat(attempt.getInteger("attemptsAllowed")).isEqualTo(3);
    assertThat(attempt.getJsonArray("questions")).hasSize(5);
    // A second start while this one is open is refused; reading it again shows the same paper.
    Api.Response again = start(learner, assignment);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().getString("type")).endsWith("/attempt-in-progress");
    Api.Response read = keyless(api.get(world.mePath(assignment, "/attempts/" + attempt.getString("id")),
        learner.token(world.platform)));
    assertThat(read.json().getJsonArray("questions")).isEqualTo(attempt.getJsonArray("questions"));

    // Wrong credentials: 401, the attempt stays in progress, no signature, nothing completed.
    JsonArray right = answers(attempt, bank, true);
    Api.Response wrongPassword = submit(learner, assignment, attempt, right, "not-my-password", null);
    assertThat(wrongPassword.status()).as(wrongPassword.toString()).isEqualTo(401);
    assertThat(world.count("${schema}.assessment_attempt WHERE id = '" + attempt.getString("id")
        + "' AND state = 'in-progress'")).isEqualTo(1);
    assertThat(world.count("${schema}.training_completion WHERE assignment_id = '" + assignment.getString("id") + "'"))
        .isZero();

    String key = "submit-" + UUID.randomUUID();
    Api.Response passed = submit(learner, assignment, attempt, right, null, key);
    assertThat(passed.status()).as(passed.toString()).isEqualTo(201);
    JsonObject result = passed.json();
    assertThat(result.getJsonObject("attempt").getString("state")).isEqualTo("passed");
    assertThat(result.getJsonObject("attempt").getInteger("score")).isEqualTo(100);
    assertThat(result.getJsonObject("assignment").getString("status")).isEqualTo("completed");
    JsonObject signature = result.getJsonObject("signature");
    assertThat(signature.getString("meaning")).isEqualTo("assessment-completed");
    assertThat(signature.getJsonObject("record").getString("type")).isEqualTo("assessment-attempt");
    assertThat(signature.getJsonObject("record").getString("id")).isEqualTo(attempt.getString("id"));
    assertThat(signature.getString("manifestation")).contains("Lou Passer").contains("assessment-completed");
    // The signature is bound to the attempt's record version holding the answers as given and the exact document version.
    int recordVersion = signature.getJsonObject("record").getInteger("version");
    assertThat(world.platform.queryString("SELECT content_hash FROM " + world.schema + ".record_version WHERE record_type = "
        + "'assessment-attempt' AND record_id = '" + attempt.getString("id") + "' AND version = " + recordVersion))
        .isEqualTo(signature.getJsonObject("record").getString("hash"));
    assertThat(world.count("${schema}.record_version WHERE record_type = 'assessment-attempt' AND record_id = '"
        + attempt.getString("id") + "' AND version = " + recordVersion + " AND content->'version'->>'recordHash' = '"
        + version.getString("recordHash") + "' AND content->'answers' = '" + right.encode() + "'::jsonb "
        + "AND NOT content::text LIKE '%\"correct\"%'")).isEqualTo(1);
    JsonObject completion = result.getJsonObject("completion");
    assertThat(completion.getString("method")).isEqualTo("assessment");
    assertThat(completion.getString("result")).isEqualTo("passed");
    assertThat(completion.getInteger("score")).isEqualTo(100);
    assertThat(completion.getInteger("passScore")).isEqualTo(80);
    assertThat(completion.getString("signatureId")).isEqualTo(signature.getString("id"));
    assertThat(completion.getString("attemptId")).isEqualTo(attempt.getString("id"));
    assertThat(completion.getJsonObject("version").getString("id")).isEqualTo(version.getString("id"));
    assertThat(completion.getBoolean("late")).isFalse();

    // The retry with the same key: the same signature, nothing applied twice.
    Api.Response replay = submit(learner, assignment, attempt, right, null, key);
    assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.json().getJsonObject("signature").getString("id")).isEqualTo(signature.getString("id"));
    assertThat(world.count("${schema}.signature WHERE record_type = 'assessment-attempt' AND record_id = '"
        + attempt.getString("id") + "'")).isEqualTo(1);
    assertThat(world.count("${schema}.training_completion WHERE assignment_id = '" + assignment.getString("id") + "'"))
        .isEqualTo(1);
    // Without its key, a submitted attempt is a conflict; a completed assignment takes no new attempt.
    Api.Response twice = submit(learner, assignment, attempt, right, null, null);
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.json().getString("type")).endsWith("/attempt-submitted");
    assertThat(start(learner, assignment).status()).isEqualTo(409);
    keyless(api.get(world.mePath(assignment, "/attempts"), learner.token(world.platform)));
    keyless(api.get(tenant.path("/me/training"), learner.token(world.platform)));
  }

  @Test
  @DisplayName("wrong answers fail and count; the last allowed failure blocks the assignment and tells the supervisor; a grant with a reason (the supervisor of the person) unblocks it and the next attempt can pass")
  void exhaustedAttemptsBlockUntilGranted() {
    Person learner = world.learner("Fay", "Failer");
    JsonObject document = world.document("Filling line set-up", "assessment", 75, 2, null);
    JsonObject version = world.effective(document);
    Map<String, JsonObject> bank = bank(version, 4);
    JsonObject assignment = world.assignment(learner, version);

    Api.Response first = startedAndSubmitted(learner, assignment, bank, false);
    assertThat(first.json().getJsonObject("attempt").getString("state")).isEqualTo("failed");
    assertThat(first.json().getJsonObject("attempt").getInteger("score")).isZero();
    assertThat(first.json().getJsonObject("assignment").getString("status")).isEqualTo("open");
    assertThat(first.json().getValue("completion")).isNull();
    // A failed attempt is signed too, and records its score.
    assertThat(first.json().getJsonObject("signature").getString("meaning")).isEqualTo("assessment-completed");
    assertThat(world.count("${schema}.assessment_attempt WHERE assignment_id = '" + assignment.getString("id")
        + "' AND state = 'failed' AND score = 0 AND signature_id IS NOT NULL")).isEqualTo(1);
    assertThat(world.count("${schema}.training_event WHERE assignment_id = '" + assignment.getString("id") + "'")).isZero();

    Api.Response second = startedAndSubmitted(learner, assignment, bank, false);
    assertThat(second.json().getJsonObject("attempt").getInteger("attemptNo")).isEqualTo(2);
    assertThat(second.json().getJsonObject("assignment").getString("status")).isEqualTo("blocked");
    assertThat(second.json().getJsonObject("assignment").getString("blockedAt")).isNotNull();
    Api.Response blocked = start(learner, assignment);
    assertThat(blocked.status()).isEqualTo(409);
    assertThat(blocked.json().getString("type")).endsWith("/attempts-exhausted");
    // The supervisor is told: an outbox event naming them, and an audit event.
    String supervisorPerson = world.platform.queryString("SELECT id::text FROM " + world.schema
        + ".person WHERE employee_number = 'SUP-1'");
    assertThat(world.count("${schema}.training_event WHERE kind = 'assessment-attempts-exhausted' AND assignment_id = '"
        + assignment.getString("id") + "' AND notify_person_id = '" + supervisorPerson + "' AND consumed_at IS NULL "
        + "AND (payload->>'attemptsUsed')::int = 2")).isEqualTo(1);
    assertThat(world.count("${schema}.audit_event WHERE action = 'training-assignment.blocked' AND entity_id = '"
        + assignment.getString("id") + "'")).isEqualTo(1);
    Api.Response listed = world.api.get(tenant.path("/training-assignments?status=blocked&personId="
        + assignment.getJsonObject("person").getString("id")), world.admin);
    assertThat(listed.json().getJsonArray("items")).extracting(a -> ((JsonObject) a).getString("id"))
        .containsExactly(assignment.getString("id"));

    // Granting: a reason is required; a supervisor who does not manage the learner may not; the learner's may.
    String grants = tenant.path("/training-assignments/" + assignment.getString("id") + "/attempt-grants");
    Person otherSupervisor = world.flow.member("Oto", "Othersup", "supervisor");
    assertThat(api.post(grants, world.supervisor.token(world.platform), new JsonObject()).status()).isEqualTo(422);
    assertThat(api.post(grants, otherSupervisor.token(world.platform), new JsonObject().put("reason", "Retrained"))
        .status()).isEqualTo(403);
    assertThat(api.post(grants, learner.token(world.platform), new JsonObject().put("reason", "Let me try again")).status())
        .isEqualTo(403);
    assertThat(world.count("${schema}.assessment_attempt_grant WHERE assignment_id = '" + assignment.getString("id") + "'"))
        .isZero();
    Api.Response granted = api.post(grants, world.supervisor.token(world.platform), new JsonObject()
        .put("reason", "Coached on the line set-up; one more attempt"));
    assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
    assertThat(granted.json().getInteger("attemptsAllowed")).isEqualTo(3);
    assertThat(granted.json().getJsonObject("assignment").getString("status")).isEqualTo("open");
    assertThat(world.count("${schema}.audit_event WHERE action = 'training-assignment.attempts-granted' AND entity_id = '"
        + assignment.getString("id") + "' AND reason = 'Coached on the line set-up; one more attempt'")).isEqualTo(1);
    assertThat(api.post(grants, world.admin, new JsonObject().put("reason", "Again")).status()).isEqualTo(409);

    Api.Response third = startedAndSubmitted(learner, assignment, bank, true);
    assertThat(third.json().getJsonObject("attempt").getInteger("attemptNo")).isEqualTo(3);
    assertThat(third.json().getJsonObject("attempt").getString("state")).isEqualTo("passed");
    assertThat(third.json().getJsonObject("assignment").getString("status")).isEqualTo("completed");
    Api.Response attempts = keyless(api.get(world.mePath(assignment, "/attempts"), learner.token(world.platform)));
    assertThat(attempts.json().getJsonArray("items")).extracting(a -> ((JsonObject) a).getString("state"))
        .containsExactly("failed", "failed", "passed");
    assertThat(attempts.json().getInteger("attemptsUsed")).isEqualTo(3);
  }

  @Test
  @DisplayName("each attempt presents the whole bank in its own order, with each question's options in their own order; the seed that drew it is kept with the attempt only")
  void randomisedPerAttempt() {
    Person learner = world.learner("Ray", "Random");
    JsonObject document = world.document("Environmental monitoring", "assessment", 100, 6, null);
    JsonObject version = world.effective(document);
    Map<String, JsonObject> bank = bank(version, 8);
    JsonObject assignment = world.assignment(learner, version);
    Set<List<String>> questionOrders = new HashSet<>();
    Set<List<String>> optionOrders = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      Api.Response started = start(learner, assignment);
      assertThat(started.status()).as(started.toString()).isEqualTo(201);
      assertThat(started.body()).doesNotContain("\"seed\"");
      List<String> order = new ArrayList<>();
      for (Object item : started.json().getJsonArray("questions")) {
        JsonObject presented = (JsonObject) item;
        order.add(presented.getString("questionId"));
        List<String> options = presented.getJsonArray("options").stream().map(o -> ((JsonObject) o).getString("id")).toList();
        // Every option of the question, each once, in some order; the texts as the author wrote them.
        assertThat(options).containsExactlyInAnyOrderElementsOf(bank.get(presented.getString("questionId"))
            .getJsonArray("options").stream().map(o -> ((JsonObject) o).getString("id")).toList());
        if (presented.getString("prompt").startsWith("Q0:")) {
          optionOrders.add(options);
        }
      }
      // Every question of the bank, each once.
      assertThat(order).containsExactlyInAnyOrderElementsOf(bank.keySet());
      questionOrders.add(order);
      Api.Response submitted = submit(learner, assignment, started.json(), answers(started.json(), bank, false), null, null);
      assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
    }
    // Five draws of 8 questions (40,320 orders) all equal would mean there is no randomisation; so would 5 equal option orders.
    assertThat(questionOrders).hasSizeGreaterThan(1);
    assertThat(optionOrders).hasSizeGreaterThan(1);
    assertThat(world.count("(SELECT DISTINCT seed FROM ${schema}.assessment_attempt WHERE assignment_id = '"
        + assignment.getString("id") + "') s")).isEqualTo(5);
  }

  @Test
  @DisplayName("answers that do not fit the paper are a 422 naming every problem at once, and submit nothing")
  void answersMustFitThePaper() {
    Person learner = world.learner("Val", "Validated");
    JsonObject document = world.document("Autoclave loading", "assessment", 50, 3, null);
    JsonObject version = world.effective(document);
    Map<String, JsonObject> bank = bank(version, 3);
    JsonObject assignment = world.assignment(learner, version);
    JsonObject attempt = start(learner, assignment).json();
    // Two options for the single-choice question, the scenario question left out, and a question of no paper.
    JsonArray broken = new JsonArray();
    for (Object a : answers(attempt, bank, true)) {
      JsonObject answer = (JsonObject) a;
      JsonObject question = bank.get(answer.getString("questionId"));
      if ("single-choice".equals(question.getString("kind"))) {
        answer.getJsonArray("optionIds").add(question.getJsonArray("options").getJsonObject(3).getString("id"));
      }
      if (!"scenario".equals(question.getString("kind"))) {
        broken.add(answer);
      }
    }
    broken.add(new JsonObject().put("questionId", UUID.randomUUID().toString()).put("optionIds", new JsonArray().add("zz")));
    Api.Response refused = submit(learner, assignment, attempt, broken, null, null);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.json().getJsonArray("errors")).hasSize(3);
    assertThat(world.count("${schema}.record_version WHERE record_type = 'assessment-attempt' AND record_id = '"
        + attempt.getString("id") + "'")).isZero();
    assertThat(world.count("${schema}.assessment_attempt WHERE id = '" + attempt.getString("id")
        + "' AND state = 'in-progress'")).isEqualTo(1);
  }

  @Test
  @DisplayName("question banks: authors and quality keep them with If-Match and a reason, audited; invalid questions are a 422 listing every problem; learners never read them; a bank carried forward to the next version names its origin and stays editable; a superseded version's bank is closed")
  void questionBanks() {
    Person learner = world.learner("Ben", "Banker");
    JsonObject document = world.document("Media fill", "assessment", 80, 3, null);
    JsonObject v1 = world.effective(document);
    String author = world.author.token(world.platform);
    Api.Response invalid = api.post(questionsPath(v1), author, new JsonObject().put("kind", "single-choice")
        .put("prompt", "Which?").put("scenario", "Not for this kind")
        .put("options", new JsonArray().add(new JsonObject().put("text", "A").put("correct", true))
            .add(new JsonObject().put("text", "a").put("correct", true))));
    assertThat(invalid.status()).as(invalid.toString()).isEqualTo(422);
    assertThat(invalid.json().getJsonArray("errors")).extracting(e -> ((JsonObject) e).getString("pointer"))
        .containsExactlyInAnyOrder("/scenario", "/options/1/text", "/options");
    Api.Response scenarioWithout = api.post(questionsPath(v1), author, new JsonObject().put("kind", "scenario")
        .put("prompt", "What now?").put("options", twoOptions()));
    assertThat(scenarioWithout.status()).isEqualTo(422);
    assertThat(world.count("${schema}.assessment_question WHERE version_id = '" + v1.getString("id") + "'")).isZero();

    JsonObject q1 = question(v1, "single-choice", null, "Maximum media fill interval?", new String[] {"6 months", "2 years"},
        true, false);
    JsonObject q2 = question(v1, "scenario", "Growth in one unit of a media fill.", "Is the run a failure?",
        new String[] {"Yes, investigate", "No"}, true, false);
    assertThat(q2.getString("scenario")).isEqualTo("Growth in one unit of a media fill.");
    assertThat(api.get(questionsPath(v1), learner.token(world.platform)).status()).isEqualTo(403);
    assertThat(api.post(questionsPath(v1), learner.token(world.platform), new JsonObject().put("kind", "single-choice")
        .put("prompt", "Mine?").put("options", twoOptions())).status()).isEqualTo(403);

    String q1Path = questionsPath(v1) + "/" + q1.getString("id");
    JsonObject change = new JsonObject().put("prompt", "Maximum interval between media fills?").put("reason", "Clearer wording");
    assertThat(api.send("PATCH", q1Path, author, change.encode(), "application/json").status()).isEqualTo(428);
    assertThat(api.send("PATCH", q1Path, author, change.encode(), "application/json", Map.of("If-Match", "\"7\"")).status())
        .isEqualTo(412);
    assertThat(api.send("PATCH", q1Path, author, new JsonObject().put("prompt", "x").encode(), "application/json",
        Map.of("If-Match", "\"1\"")).status()).isEqualTo(422);
    Api.Response changed = api.send("PATCH", q1Path, author, change.encode(), "application/json", Map.of("If-Match", "\"1\""));
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    assertThat(changed.header("ETag")).isEqualTo("\"2\"");
    // A change that names no options keeps them, with their ids.
    assertThat(changed.json().getJsonArray("options")).isEqualTo(q1.getJsonArray("options"));
    assertThat(world.count("${schema}.audit_event WHERE action = 'assessment-question.updated' AND entity_id = '"
        + q1.getString("id") + "' AND reason = 'Clearer wording' AND before_value->>'prompt' = 'Maximum media fill interval?'"))
        .isEqualTo(1);
    Api.Response retired = api.post(q1Path + "/retirement", author, new JsonObject().put("reason", "Duplicate of SOP text"));
    assertThat(retired.status()).as(retired.toString()).isEqualTo(200);
    assertThat(retired.json().getBoolean("active")).isFalse();
    assertThat(api.get(questionsPath(v1) + "?active=true", author).json().getJsonArray("items")).hasSize(1);

    // The next version: carried forward (the active questions), each naming its origin, then edited like any question.
    JsonObject v2 = world.effective(document);
    assertThat(api.post(questionsPath(v2) + "/carry-forward", author, new JsonObject()
        .put("fromVersionId", v1.getString("id"))).status()).isEqualTo(422);
    Api.Response carried = api.post(questionsPath(v2) + "/carry-forward", author, new JsonObject()
        .put("fromVersionId", v1.getString("id")).put("reason", "Version 2 changes section 4 only"));
    assertThat(carried.status()).as(carried.toString()).isEqualTo(201);
    assertThat(carried.json().getJsonArray("items")).hasSize(1);
    JsonObject copy = carried.json().getJsonArray("items").getJsonObject(0);
    assertThat(copy.getString("versionId")).isEqualTo(v2.getString("id"));
    assertThat(copy.getJsonObject("carriedFrom").getString("questionId")).isEqualTo(q2.getString("id"));
    assertThat(copy.getJsonObject("carriedFrom").getString("versionId")).isEqualTo(v1.getString("id"));
    assertThat(api.post(questionsPath(v2) + "/carry-forward", author, new JsonObject()
        .put("fromVersionId", v1.getString("id")).put("reason", "Twice")).json().getJsonArray("items")).isEmpty();
    Api.Response edited = api.send("PATCH", questionsPath(v2) + "/" + copy.getString("id"), author, new JsonObject()
        .put("scenario", "Growth in two units of a media fill.").put("reason", "Version 2 scenario").encode(),
        "application/json", Map.of("If-Match", "\"1\""));
    assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
    assertThat(world.platform.queryString("SELECT scenario FROM " + world.schema + ".assessment_question WHERE id = '"
        + q2.getString("id") + "'")).isEqualTo("Growth in one unit of a media fill.");
    // v1 is superseded: its bank stays as it was.
    Api.Response closed = api.post(questionsPath(v1), author, new JsonObject().put("kind", "single-choice").put("prompt", "Late?")
        .put("options", twoOptions()));
    assertThat(closed.status()).isEqualTo(409);
    assertThat(closed.json().getString("type")).endsWith("/version-closed");
    // A version of another document is not a source.
    JsonObject other = world.effective(world.document("Other procedure", "read-and-acknowledge", null, null, null));
    assertThat(api.post(questionsPath(v2) + "/carry-forward", author, new JsonObject()
        .put("fromVersionId", other.getString("id")).put("reason", "Wrong source")).status()).isEqualTo(422);
  }

  @Test
  @DisplayName("another tenant's token reads and changes nothing of a bank, an attempt or a grant: its own tenant does not know the ids, this tenant refuses the token")
  void tenantWall() {
    Person learner = world.learner("Wal", "Walled");
    JsonObject document = world.document("Cleanroom entry", "assessment", 50, 1, null);
    JsonObject version = world.effective(document);
    Map<String, JsonObject> bank = bank(version, 2);
    JsonObject assignment = world.assignment(learner, version);
    JsonObject attempt = start(learner, assignment).json();
    JsonObject question = bank.values().iterator().next();

    // The stranger keeps banks and grants attempts in their own tenant, so only the wall can stop them.
    TenantFixture other = world.platform.newTenant("assessb");
    world.platform.grantRole(other, other.adminUserId(), "training-admin");
    world.platform.grantRole(other, other.adminUserId(), "quality-manager");
    String stranger = other.adminToken();
    long auditBefore = world.count("${schema}.audit_event");
    String questions = "/documents/" + document.getString("id") + "/versions/" + version.getString("id") + "/questions";
    String questionPath = questions + "/" + question.getString("id");
    String attempts = "/me/training/" + assignment.getString("id") + "/attempts";
    JsonObject questionBody = new JsonObject().put("kind", "single-choice").put("prompt", "Steal?")
        .put("options", twoOptions()).put("reason", "Across the wall");
    JsonObject submission = new JsonObject().put("answers", answers(attempt, bank, true))
        .put("reauthentication", new JsonObject().put("method", "password").put("username", other.adminUsername())
            .put("password", io.traceline.platform.testing.TestPlatform.USER_PASSWORD));
    for (TenantFixture target : List.of(tenant, other)) {
      assertThat(api.get(target.path(questions), stranger).status()).as(target.slug()).isEqualTo(404);
      assertThat(api.post(target.path(questions), stranger, questionBody).status()).isEqualTo(404);
      assertThat(api.get(target.path(questionPath), stranger).status()).isEqualTo(404);
      assertThat(api.send("PATCH", target.path(questionPath), stranger, questionBody.encode(), "application/json",
          Map.of("If-Match", "\"1\"")).status()).isEqualTo(404);
      assertThat(api.post(target.path(questionPath + "/retirement"), stranger, new JsonObject().put("reason", "x y z"))
          .status()).isEqualTo(404);
      assertThat(api.post(target.path(questions + "/carry-forward"), stranger, new JsonObject()
          .put("fromVersionId", version.getString("id")).put("reason", "x y z")).status()).isEqualTo(404);
      assertThat(api.post(target.path(attempts), stranger, null).status()).isEqualTo(404);
      assertThat(api.get(target.path(attempts), stranger).status()).isEqualTo(404);
      assertThat(api.get(target.path(attempts + "/" + attempt.getString("id")), stranger).status()).isEqualTo(404);
      assertThat(api.post(target.path(attempts + "/" + attempt.getString("id") + "/submission"), stranger, submission)
          .status()).isEqualTo(404);
      assertThat(api.post(target.path("/training-assignments/" + assignment.getString("id") + "/attempt-grants"), stranger,
          new JsonObject().put("reason", "x y z")).status()).isEqualTo(404);
    }
    assertThat(world.count("${schema}.audit_event")).isEqualTo(auditBefore);
    assertThat(world.count("${schema}.assessment_attempt WHERE id = '" + attempt.getString("id")
        + "' AND state = 'in-progress'")).isEqualTo(1);
  }
}
