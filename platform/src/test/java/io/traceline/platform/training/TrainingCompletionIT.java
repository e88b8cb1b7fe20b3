package io.traceline.platform.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Completion records: the learner opens the version before acknowledging it, every completion writes an append-only record pinned to its version, late entries keep their true times and a reason (TRN-4, ALCOA+, P11-3)")
class TrainingCompletionIT {

  private static TrainingWorld world;
  private static Api api;
  private static TenantFixture tenant;

  @BeforeAll
  static void plant() {
    world = new TrainingWorld("complete");
    api = world.api;
    tenant = world.tenant;
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private static Api.Response acknowledge(Person learner, JsonObject assignment, String idempotencyKey) {
    return world.postWithKey(world.mePath(assignment, "/acknowledgement"), learner.token(world.platform),
        new JsonObject().put("reauthentication", DocumentFlow.password(learner)), idempotencyKey);
  }

  private static java.net.http.HttpResponse<byte[]> open(Person learner, JsonObject assignment) {
    return api.getBytes(world.mePath(assignment, "/content"), learner.token(world.platform));
  }

  /** Opens the version and signs the read-and-acknowledge: the answer. */
  private static JsonObject acknowledged(Person learner, JsonObject assignment) {
    assertThat(open(learner, assignment).statusCode()).isEqualTo(200);
    Api.Response done = acknowledge(learner, assignment, null);
    assertThat(done.status()).as(done.toString()).isEqualTo(201);
    return done.json();
  }

  /** A late entry by {@code recorder}, signed with their credentials. */
  private static Api.Response late(Person recorder, JsonObject assignment, JsonObject body, String idempotencyKey) {
    return late(recorder, DocumentFlow.password(recorder), assignment, body, idempotencyKey);
  }

  private static Api.Response late(Person recorder, JsonObject credentials, JsonObject assignment, JsonObject body,
                                   String idempotencyKey) {
    return world.postWithKey(tenant.path("/training-assignments/" + assignment.getString("id") + "/completion"),
        recorder.token(world.platform), body.copy().put("reauthentication", credentials), idempotencyKey);
  }

  @Test
  @DisplayName("signing a read-and-acknowledge before opening the version is a 409 that writes nothing; opening it through the assignment is recorded with its time; the signature then completes it with a completion record and the recertification timer; a retry with its Idempotency-Key answers the same")
  void acknowledgeAfterOpening() {
    Person learner = world.learner("Oda", "Opener");
    JsonObject document = world.document("Gowning procedure", "read-and-acknowledge", null, null, 12);
    JsonObject version = world.effective(document);
    JsonObject assignment = world.assignment(learner, version);

    Api.Response tooEarly = acknowledge(learner, assignment, null);
    assertThat(tooEarly.status()).as(tooEarly.toString()).isEqualTo(409);
    assertThat(tooEarly.isProblem()).isTrue();
    assertThat(tooEarly.json().getString("type")).isEqualTo("https://traceline.io/problems/content-not-opened");
    assertThat(world.count("${schema}.record_version WHERE record_id = '" + assignment.getString("id") + "'")).isZero();
    assertThat(world.count("${schema}.signature WHERE record_id = '" + assignment.getString("id") + "'")).isZero();

    // Someone else cannot open it; the learner gets the version's exact file, and the opening is recorded.
    assertThat(open(world.supervisor, assignment).statusCode()).isEqualTo(404);
    OffsetDateTime before = world.platform.databaseNow();
    java.net.http.HttpResponse<byte[]> file = open(learner, assignment);
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("Content-Type")).hasValue("application/pdf");
    assertThat(file.headers().firstValue("ETag")).hasValue("\"" + version.getJsonObject("content").getString("sha256") + "\"");
    assertThat(new String(file.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains(version.getString("id"));
    assertThat(world.count("${schema}.training_content_opening WHERE assignment_id = '" + assignment.getString("id")
        + "' AND opened_at >= '" + before + "' AND content_sha256 = '" + version.getJsonObject("content").getString("sha256")
        + "'")).isEqualTo(1);
    assertThat(world.count("${schema}.audit_event WHERE action = 'training-assignment.content-opened' AND entity_id = '"
        + assignment.getString("id") + "'")).isEqualTo(1);

    String key = "ack-" + UUID.randomUUID();
    Api.Response done = acknowledge(learner, assignment, key);
    assertThat(done.status()).as(done.toString()).isEqualTo(201);
    assertThat(done.header("Idempotent-Replayed")).isNull();
    JsonObject signature = done.json().getJsonObject("signature");
    JsonObject completion = done.json().getJsonObject("completion");
    assertThat(done.json().getJsonObject("assignment").getString("status")).isEqualTo("completed");
    assertThat(completion.getString("assignmentId")).isEqualTo(assignment.getString("id"));
    assertThat(completion.getString("method")).isEqualTo("read-and-acknowledge");
    assertThat(completion.getString("result")).isEqualTo("acknowledged");
    assertThat(completion.getString("signatureId")).isEqualTo(signature.getString("id"));
    assertThat(completion.getJsonObject("version").getString("id")).isEqualTo(version.getString("id"));
    assertThat(completion.getJsonObject("evidence").getJsonObject("version").getString("recordHash"))
        .isEqualTo(version.getString("recordHash"));
    assertThat(completion.getValue("trainer")).isNull();
    assertThat(completion.getValue("score")).isNull();
    assertThat(completion.getBoolean("late")).isFalse();
    assertThat(Instant.parse(completion.getString("trainedAt"))).isEqualTo(Instant.parse(signature.getString("signedAt")));
    assertThat(Instant.parse(completion.getString("recordedAt"))).isAfterOrEqualTo(Instant.parse(completion.getString("trainedAt")));
    assertThat(completion.getJsonObject("recordedBy").getString("id")).isEqualTo(learner.id());
    // Completing still sets the recertification timer (TRN-5).
    assertThat(world.platform.queryLong("SELECT count(*) FROM control.job WHERE dedupe_key = 'recertification:"
        + assignment.getString("id") + "'")).isEqualTo(1);

    Api.Response replay = acknowledge(learner, assignment, key);
    assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.json().getJsonObject("signature").getString("id")).isEqualTo(signature.getString("id"));
    assertThat(replay.json().getJsonObject("completion").getString("id")).isEqualTo(completion.getString("id"));
    assertThat(world.count("${schema}.training_completion WHERE assignment_id = '" + assignment.getString("id") + "'"))
        .isEqualTo(1);
    assertThat(acknowledge(learner, assignment, null).status()).isEqualTo(409);

    Api.Response listed = api.get(tenant.path("/training-completions?assignmentId=" + assignment.getString("id")),
        world.admin);
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
    assertThat(listed.json().getJsonArray("items")).hasSize(1);
    Api.Response one = api.get(tenant.path("/training-completions/" + completion.getString("id")), world.admin);
    assertThat(one.json()).isEqualTo(completion);
    assertThat(api.get(tenant.path("/training-completions"), learner.token(world.platform)).status()).isEqualTo(403);
  }

  @Test
  @DisplayName("completing v1 never satisfies v2: the v2 assignment stays open, its completions are empty, and opening v1 does not count for signing v2")
  void v1NeverSatisfiesV2() {
    Person learner = world.learner("Vic", "Versioned");
    JsonObject document = world.document("Line clearance", "read-and-acknowledge", null, null, null);
    JsonObject v1 = world.effective(document);
    JsonObject first = world.assignment(learner, v1);
    acknowledged(learner, first);

    JsonObject v2 = world.effective(document);
    JsonObject second = world.assignment(learner, v2);
    assertThat(second.getString("status")).isEqualTo("open");
    assertThat(world.assignment(learner, v1).getString("status")).isEqualTo("completed");
    String completions = "/training-completions?personId=" + first.getJsonObject("person").getString("id")
        + "&versionId=";
    assertThat(api.get(tenant.path(completions + v1.getString("id")), world.admin).json().getJsonArray("items")).hasSize(1);
    assertThat(api.get(tenant.path(completions + v2.getString("id")), world.admin).json().getJsonArray("items")).isEmpty();
    // The v1 opening is no evidence for v2.
    assertThat(open(learner, first).statusCode()).isEqualTo(200);
    Api.Response notOpened = acknowledge(learner, second, null);
    assertThat(notOpened.status()).isEqualTo(409);
    assertThat(notOpened.json().getString("type")).endsWith("/content-not-opened");
    assertThat(world.assignment(learner, v2).getString("status")).isEqualTo("open");
  }

  @Test
  @DisplayName("a late entry keeps the true training time beside the server's recording time, is flagged late and needs a reason (422 without, nothing written); every problem of the entry at once; nobody records their own training; the recorder signs it (wrong credentials record nothing); an Idempotency-Key retry answers the same record")
  void lateEntry() {
    Person learner = world.learner("Lea", "Latecomer");
    JsonObject document = world.document("Classroom: aseptic behaviour", "classroom", null, null, null);
    JsonObject version = world.effective(document);
    JsonObject assignment = world.assignment(learner, version);
    String trainerPerson = world.platform.queryString("SELECT id::text FROM " + world.schema
        + ".person WHERE employee_number = 'SUP-1'");
    OffsetDateTime trainedAt = world.platform.databaseNow().minusDays(3).truncatedTo(ChronoUnit.SECONDS);
    JsonObject entry = new JsonObject().put("trainedAt", trainedAt.toInstant().toString()).put("trainerId", trainerPerson)
        .put("reference", "Attendance sheet 2024-17");

    Api.Response noReason = late(world.trainingAdmin, assignment, entry, null);
    assertThat(noReason.status()).as(noReason.toString()).isEqualTo(422);
    assertThat(noReason.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/reason");
    Api.Response broken = late(world.trainingAdmin, assignment, entry.copy().put("trainedAt", Instant.now().plus(Duration.ofDays(2))
        .toString()).put("trainerId", UUID.randomUUID().toString()).put("score", 90).put("reason", "Paper record"), null);
    assertThat(broken.status()).as(broken.toString()).isEqualTo(422);
    assertThat(broken.json().getJsonArray("errors")).extracting(e -> ((JsonObject) e).getString("pointer"))
        .containsExactlyInAnyOrder("/trainedAt", "/trainerId", "/score");
    assertThat(late(learner, assignment, entry.copy().put("reason", "Mine"), null).status())
        .isEqualTo(403);
    assertThat(world.count("${schema}.training_completion WHERE assignment_id = '" + assignment.getString("id") + "'"))
        .isZero();
    // A trainer may record others' training, never their own.
    Person trainerLearner = world.learner("Tom", "Trainee");
    world.platform.grantRole(tenant, trainerLearner.id(), "trainer");
    JsonObject own = world.assignment(trainerLearner, version);
    Api.Response self = late(trainerLearner, own, entry.copy().put("reason", "I was there"), null);
    assertThat(self.status()).as(self.toString()).isEqualTo(403);

    String key = "late-" + UUID.randomUUID();
    JsonObject withReason = entry.copy().put("reason", "Session held during the system outage; entered from the sheet");
    // Wrong credentials record nothing.
    Api.Response wrong = late(world.trainingAdmin, new JsonObject().put("method", "password")
        .put("username", world.trainingAdmin.username()).put("password", "not-my-password"), assignment, withReason, key);
    assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
    assertThat(world.count("${schema}.training_completion WHERE assignment_id = '" + assignment.getString("id") + "'"))
        .isZero();
    Api.Response recorded = late(world.trainingAdmin, assignment, withReason, key);
    assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
    JsonObject completion = recorded.json();
    assertThat(completion.getBoolean("late")).isTrue();
    assertThat(completion.getString("reason")).isEqualTo("Session held during the system outage; entered from the sheet");
    assertThat(Instant.parse(completion.getString("trainedAt"))).isEqualTo(trainedAt.toInstant());
    assertThat(Duration.between(Instant.parse(completion.getString("recordedAt")), world.platform.databaseNow().toInstant()))
        .isLessThan(Duration.ofMinutes(2));
    assertThat(completion.getString("method")).isEqualTo("classroom");
    assertThat(completion.getString("result")).isEqualTo("completed");
    assertThat(completion.getJsonObject("trainer").getString("name")).isEqualTo("Sol Supervisor");
    assertThat(completion.getJsonObject("recordedBy").getString("id")).isEqualTo(world.trainingAdmin.id());
    // Signed by the recorder ("recorded") on a record version of the entry, like every completion record (TRN-4).
    Api.Response signature = api.get(tenant.path("/signatures/" + completion.getString("signatureId")), world.admin);
    assertThat(signature.status()).as(signature.toString()).isEqualTo(200);
    assertThat(signature.json().getString("meaning")).isEqualTo("recorded");
    assertThat(signature.json().getJsonObject("signer").getString("id")).isEqualTo(world.trainingAdmin.id());
    assertThat(signature.json().getJsonObject("record").getString("type")).isEqualTo("training-completion-entry");
    JsonObject signedEntry = new JsonObject(world.platform.queryString("SELECT content::text FROM " + world.schema
        + ".record_version WHERE record_type = 'training-completion-entry' AND record_id = '" + assignment.getString("id")
        + "' AND version = " + signature.json().getJsonObject("record").getInteger("version")));
    assertThat(signedEntry.getString("reason")).isEqualTo("Session held during the system outage; entered from the sheet");
    assertThat(Instant.parse(signedEntry.getString("trainedAt"))).isEqualTo(trainedAt.toInstant());
    assertThat(signedEntry.getJsonObject("version").getString("recordHash")).isEqualTo(version.getString("recordHash"));
    // Its signature goes only through the late-entry endpoint.
    Api.Response generic = api.post(tenant.path("/signatures"), world.trainingAdmin.token(world.platform), new JsonObject()
        .put("recordType", "training-completion-entry").put("recordId", assignment.getString("id"))
        .put("recordVersion", 1).put("meaning", "recorded").put("reauthentication", DocumentFlow.password(world.trainingAdmin)));
    assertThat(generic.status()).as(generic.toString()).isEqualTo(422);
    assertThat(completion.getJsonObject("evidence").getString("reference")).isEqualTo("Attendance sheet 2024-17");
    // The assignment counts as completed when the training happened (recertification counts from then).
    assertThat(world.count("${schema}.training_assignment WHERE id = '" + assignment.getString("id")
        + "' AND status = 'completed' AND completed_at = '" + trainedAt + "'::timestamptz")).isEqualTo(1);
    assertThat(world.count("${schema}.audit_event WHERE action = 'training-assignment.completed' AND entity_id = '"
        + assignment.getString("id") + "' AND reason = 'Session held during the system outage; entered from the sheet'"))
        .isEqualTo(1);

    Api.Response replay = late(world.trainingAdmin, assignment, withReason, key);
    assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.json()).isEqualTo(completion);
    Api.Response reused = late(world.trainingAdmin, assignment, withReason.copy().put("reference", "Another sheet"), key);
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.json().getString("type")).endsWith("/idempotency-key-reused");
    assertThat(late(world.trainingAdmin, assignment, withReason, null).status()).isEqualTo(409);
    assertThat(world.count("${schema}.training_completion WHERE assignment_id = '" + assignment.getString("id") + "'"))
        .isEqualTo(1);

    // An entry within the hour is contemporaneous: not late.
    Person prompt = world.learner("Pia", "Prompt");
    Api.Response onTime = late(world.trainingAdmin, world.assignment(prompt, version), new JsonObject()
        .put("trainedAt", world.platform.databaseNow().minusMinutes(10).toString()).put("reason", "Entered after the session"),
        null);
    assertThat(onTime.status()).as(onTime.toString()).isEqualTo(201);
    assertThat(onTime.json().getBoolean("late")).isFalse();
  }

  @Test
  @DisplayName("a late assessment entry records its score: none or below the pass score is a 422")
  void lateAssessmentEntry() {
    Person learner = world.learner("Sam", "Scored");
    JsonObject document = world.document("Paper test: sterilisation", "assessment", 80, 3, null);
    JsonObject version = world.effective(document);
    JsonObject assignment = world.assignment(learner, version);
    JsonObject entry = new JsonObject().put("trainedAt", world.platform.databaseNow().minusDays(1).toString())
        .put("reason", "Paper test during the outage");
    assertThat(late(world.trainingAdmin, assignment, entry, null).json().getJsonArray("errors").getJsonObject(0)
        .getString("pointer")).isEqualTo("/score");
    assertThat(late(world.trainingAdmin, assignment, entry.copy().put("score", 70), null).status()).isEqualTo(422);
    Api.Response recorded = late(world.trainingAdmin, assignment, entry.copy().put("score", 90), null);
    assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
    assertThat(recorded.json().getString("result")).isEqualTo("passed");
    assertThat(recorded.json().getInteger("score")).isEqualTo(90);
    assertThat(recorded.json().getInteger("passScore")).isEqualTo(80);
    assertThat(recorded.json().getBoolean("late")).isTrue();
  }

  @Test
  @DisplayName("the database refuses to change or delete a completion record or a content opening, even to the schema's owner; the platform's role lacks the privilege")
  void appendOnly() throws SQLException {
    Person learner = world.learner("Ana", "Appended");
    JsonObject document = world.document("Pass box use", "read-and-acknowledge", null, null, null);
    JsonObject assignment = world.assignment(learner, world.effective(document));
    acknowledged(learner, assignment);
    String where = " WHERE assignment_id = '" + assignment.getString("id") + "'";
    for (String sql : List.of("UPDATE " + world.schema + ".training_completion SET trained_at = trained_at - interval '1 day'"
            + where, "DELETE FROM " + world.schema + ".training_completion" + where,
        "UPDATE " + world.schema + ".training_content_opening SET opened_at = now()" + where,
        "DELETE FROM " + world.schema + ".training_content_opening" + where)) {
      try (Connection owner = world.platform.jdbc(); Statement statement = owner.createStatement()) {
        assertThatThrownBy(() -> statement.executeUpdate(sql)).as(sql).hasMessageContaining("append-only");
      }
      try (Connection runtime = world.platform.runtimeJdbc(); Statement statement = runtime.createStatement()) {
        assertThatThrownBy(() -> statement.executeUpdate(sql))
            .as(sql).hasMessageContaining("permission denied");
      }
    }
    assertThat(world.count("${schema}.training_completion" + where)).isEqualTo(1);
  }

  @Test
  @DisplayName("another tenant's token opens, signs, records and reads nothing: its own tenant does not know the ids, this tenant refuses the token")
  void tenantWall() {
    Person learner = world.learner("Wes", "Walled");
    JsonObject document = world.document("Cleanroom cleaning", "read-and-acknowledge", null, null, null);
    JsonObject version = world.effective(document);
    JsonObject assignment = world.assignment(learner, version);
    JsonObject completion = acknowledged(learner, assignment).getJsonObject("completion");
    JsonObject other = world.assignment(learner, world.effective(world.document("Second", "classroom", null, null, null)));

    TenantFixture stranger = world.platform.newTenant("completeb");
    world.platform.grantRole(stranger, stranger.adminUserId(), "training-admin");
    String token = stranger.adminToken();
    long auditBefore = world.count("${schema}.audit_event");
    JsonObject entry = new JsonObject().put("trainedAt", world.platform.databaseNow().minusDays(1).toString())
        .put("reason", "Across the wall");
    JsonObject reauthentication = new JsonObject().put("reauthentication", new JsonObject().put("method", "password")
        .put("username", stranger.adminUsername()).put("password", TestPlatform.USER_PASSWORD));
    for (TenantFixture target : List.of(tenant, stranger)) {
      assertThat(api.getBytes(target.path("/me/training/" + assignment.getString("id") + "/content"), token).statusCode())
          .as(target.slug()).isEqualTo(404);
      assertThat(api.post(target.path("/me/training/" + assignment.getString("id") + "/acknowledgement"), token,
          reauthentication).status()).isEqualTo(404);
      assertThat(api.post(target.path("/training-assignments/" + other.getString("id") + "/completion"), token,
          entry.copy().mergeIn(reauthentication))
          .status()).isEqualTo(404);
      assertThat(api.get(target.path("/training-completions/" + completion.getString("id")), token).status())
          .isEqualTo(404);
      Api.Response list = api.get(target.path("/training-completions?assignmentId=" + assignment.getString("id")), token);
      assertThat(list.status() == 404 || list.json().getJsonArray("items").isEmpty()).as(list.toString()).isTrue();
    }
    assertThat(world.count("${schema}.audit_event")).isEqualTo(auditBefore);
    assertThat(world.assignment(learner, version).getString("status")).isEqualTo("completed");
    assertThat(world.count("${schema}.training_completion WHERE assignment_id = '" + other.getString("id") + "'")).isZero();
  }
}
