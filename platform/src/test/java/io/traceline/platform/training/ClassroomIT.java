package io.traceline.platform.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Classroom sessions: planned for people with open classroom assignments, attendance signed by a qualified trainer, which completes attendees without a login (PPL-4) and awaits the confirmation of those with one (TRN-1, TRN-4, P11-3, P11-4)")
class ClassroomIT {

  private static TrainingWorld world;
  private static Api api;
  private static TenantFixture tenant;
  private static JsonObject document;
  private static JsonObject version;
  private static Person trainer;

  @BeforeAll
  static void plant() {
    world = new TrainingWorld("class");
    api = world.api;
    tenant = world.tenant;
    document = world.document("Gowning for grade A/B", "classroom", "medium", null, null, null);
    version = world.effective(document);
    trainer = world.qualifiedTrainer("Tom", "Trainer", document, version);
    // The trainer plans and keeps the sessions they hold through the trainer application role.
    world.platform.grantRole(tenant, trainer.id(), "trainer");
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private static String admin() {
    return world.trainingAdmin.token(world.platform);
  }

  private static OffsetDateTime hoursFromNow(int hours) {
    return world.platform.databaseNow().plusHours(hours).truncatedTo(ChronoUnit.SECONDS);
  }

  private static JsonObject sessionBody(String trainerId, OffsetDateTime startsAt, List<String> attendees) {
    JsonArray list = new JsonArray();
    attendees.forEach(id -> list.add(new JsonObject().put("personId", id)));
    JsonObject body = new JsonObject().put("documentId", document.getString("id")).put("versionId", version.getString("id"))
        .put("trainerId", trainerId).put("title", "Gowning refresher").put("startsAt", startsAt.toInstant().toString())
        .put("endsAt", startsAt.plusHours(2).toInstant().toString()).put("location", "Training room 2");
    if (!list.isEmpty()) {
      body.put("attendees", list);
    }
    return body;
  }

  private static JsonObject plan(String token, OffsetDateTime startsAt, List<String> attendees) {
    Api.Response created = api.post(tenant.path("/classroom-sessions"), token,
        sessionBody(world.personId(trainer), startsAt, attendees));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.header("ETag")).isEqualTo("\"" + created.json().getInteger("revision") + "\"");
    return created.json();
  }

  private static String sessionPath(JsonObject session, String rest) {
    return tenant.path("/classroom-sessions/" + session.getString("id") + rest);
  }

  private static Api.Response mark(String token, JsonObject session, Map<String, String> attendance) {
    JsonArray marks = new JsonArray();
    attendance.forEach((person, mark) -> marks.add(new JsonObject().put("personId", person).put("attendance", mark)));
    return api.post(sessionPath(session, "/attendance"), token, new JsonObject().put("attendance", marks));
  }

  private static Api.Response trainerSigns(JsonObject session, Person signer, JsonObject credentials, String key) {
    return world.postWithKey(sessionPath(session, "/signature"), signer.token(world.platform),
        new JsonObject().put("reauthentication", credentials), key);
  }

  private static Api.Response confirm(Person learner, JsonObject assignment, JsonObject credentials, String key) {
    return world.postWithKey(world.mePath(assignment, "/attendance-confirmation"), learner.token(world.platform),
        new JsonObject().put("reauthentication", credentials), key);
  }

  private static JsonObject attendee(JsonObject session, String personId) {
    return session.getJsonArray("attendees").stream().map(JsonObject.class::cast)
        .filter(a -> a.getJsonObject("person").getString("id").equals(personId)).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("the trainer's re-authenticated signature locks the session: the attendee without a login is completed by it, the absent one stays open, the one with a login awaits and completes with their own signature on the same record version; retries answer the same")
  void trainerSignsThenAttendeesConfirm() {
    Person withLogin = world.learner("Cara", "Confirms");
    Person absentee = world.learner("Abel", "Absent");
    String noLogin = world.hireWithoutLogin("Nuala", "Nologin");
    String withLoginId = world.personId(withLogin);
    String absentId = world.personId(absentee);
    JsonObject session = plan(admin(), hoursFromNow(-3), List.of(withLoginId, noLogin, absentId));
    assertThat(session.getString("state")).isEqualTo("planned");
    assertThat(session.getJsonArray("attendees")).hasSize(3);
    assertThat(attendee(session, noLogin).getBoolean("hasLogin")).isFalse();
    assertThat(attendee(session, withLoginId).getBoolean("hasLogin")).isTrue();

    // Not everyone marked: refused before any credentials are asked.
    assertThat(mark(admin(), session, Map.of(withLoginId, "attended")).status()).isEqualTo(200);
    Api.Response incomplete = trainerSigns(session, trainer, DocumentFlow.password(trainer), null);
    assertThat(incomplete.status()).as(incomplete.toString()).isEqualTo(409);
    assertThat(incomplete.json().getString("type")).endsWith("/attendance-incomplete");
    // The trainer marks the rest (a later mark replaces an earlier one until signing).
    Api.Response marked = mark(trainer.token(world.platform), session, Map.of(noLogin, "attended", absentId, "attended"));
    assertThat(marked.status()).as(marked.toString()).isEqualTo(200);
    marked = mark(trainer.token(world.platform), session, Map.of(absentId, "absent"));
    assertThat(attendee(marked.json(), absentId).getString("attendance")).isEqualTo("absent");

    // Only the session's trainer signs; a wrong password signs nothing.
    Api.Response notTrainer = trainerSigns(session, world.approver, DocumentFlow.password(world.approver), null);
    assertThat(notTrainer.status()).as(notTrainer.toString()).isIn(403);
    Api.Response wrong = trainerSigns(session, trainer, new JsonObject().put("method", "password")
        .put("username", trainer.username()).put("password", "not-my-password"), null);
    assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
    assertThat(api.get(sessionPath(session, ""), admin()).json().getString("state")).isEqualTo("planned");

    String key = "class-" + UUID.randomUUID();
    Api.Response signed = trainerSigns(session, trainer, DocumentFlow.password(trainer), key);
    assertThat(signed.status()).as(signed.toString()).isEqualTo(201);
    JsonObject trainerSignature = signed.json().getJsonObject("signature");
    JsonObject locked = signed.json().getJsonObject("session");
    assertThat(trainerSignature.getString("meaning")).isEqualTo("verified");
    assertThat(locked.getString("state")).isEqualTo("signed");
    assertThat(locked.getString("trainerSignatureId")).isEqualTo(trainerSignature.getString("id"));
    assertThat(attendee(locked, noLogin).getString("outcome")).isEqualTo("completed");
    assertThat(attendee(locked, absentId).getString("outcome")).isEqualTo("absent");
    assertThat(attendee(locked, withLoginId).getString("outcome")).isEqualTo("awaiting-confirmation");
    Api.Response replay = trainerSigns(session, trainer, DocumentFlow.password(trainer), key);
    assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.json().getJsonObject("signature").getString("id")).isEqualTo(trainerSignature.getString("id"));
    // What the trainer signed: the version's hashes and everyone's attendance and login.
    JsonObject content = new JsonObject(world.platform.queryString("SELECT content::text FROM " + world.schema
        + ".record_version WHERE record_type = 'classroom-session' AND record_id = '" + session.getString("id")
        + "' AND version = " + locked.getInteger("recordVersion")));
    assertThat(content.encode()).contains(version.getString("recordHash")).contains(noLogin).contains(absentId);

    // The attendee without a login: completed by the trainer's signature, trainer named, trained at the session's end.
    JsonObject noLoginAssignment = world.assignmentOf(noLogin, version);
    assertThat(noLoginAssignment.getString("status")).isEqualTo("completed");
    JsonObject recorded = completionOf(noLoginAssignment);
    assertThat(recorded.getString("method")).isEqualTo("classroom");
    assertThat(recorded.getJsonObject("trainer").getString("id")).isEqualTo(world.personId(trainer));
    assertThat(recorded.getString("signatureId")).isEqualTo(trainerSignature.getString("id"));
    assertThat(Instant.parse(recorded.getString("trainedAt")))
        .isEqualTo(Instant.parse(session.getString("endsAt")));
    // The absent attendee keeps their training open with nothing awaiting them.
    JsonObject absentAssignment = world.assignment(absentee, version);
    assertThat(absentAssignment.getString("status")).isEqualTo("open");
    Api.Response nothing = confirm(absentee, absentAssignment, DocumentFlow.password(absentee), null);
    assertThat(nothing.status()).as(nothing.toString()).isEqualTo(409);
    assertThat(nothing.json().getString("type")).endsWith("/nothing-to-confirm");

    // The session is locked.
    Api.Response replan = api.send("PATCH", sessionPath(session, ""), admin(), new JsonObject()
        .put("location", "Room 3").put("reason", "Room changed").encode(), "application/json",
        Map.of("If-Match", "\"" + locked.getInteger("revision") + "\""));
    assertThat(replan.status()).as(replan.toString()).isEqualTo(409);
    assertThat(replan.json().getString("type")).endsWith("/session-signed");
    assertThat(mark(admin(), session, Map.of(absentId, "attended")).status()).isEqualTo(409);
    Person late = world.learner("Liam", "Late");
    assertThat(api.post(sessionPath(session, "/attendees"), admin(), new JsonObject().put("attendees",
        new JsonArray().add(new JsonObject().put("personId", world.personId(late))))).status()).isEqualTo(409);
    assertThat(trainerSigns(session, trainer, DocumentFlow.password(trainer), null).status()).isEqualTo(409);

    // The attendee with a login sees the confirmation awaiting them and signs the same record version.
    JsonObject awaiting = world.assignment(withLogin, version);
    assertThat(api.get(world.mePath(awaiting, ""), withLogin.token(world.platform)).json().getJsonObject("awaiting")
        .getString("kind")).isEqualTo("attendance-confirmation");
    Api.Response wrongConfirm = confirm(withLogin, awaiting, new JsonObject().put("method", "password")
        .put("username", withLogin.username()).put("password", "not-my-password"), null);
    assertThat(wrongConfirm.status()).as(wrongConfirm.toString()).isEqualTo(401);
    assertThat(world.assignment(withLogin, version).getString("status")).isEqualTo("open");
    String confirmKey = "confirm-" + UUID.randomUUID();
    Api.Response confirmed = confirm(withLogin, awaiting, DocumentFlow.password(withLogin), confirmKey);
    assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(201);
    JsonObject attendeeSignature = confirmed.json().getJsonObject("signature");
    assertThat(attendeeSignature.getString("meaning")).isEqualTo("trained");
    assertThat(attendeeSignature.getJsonObject("record")).isEqualTo(trainerSignature.getJsonObject("record"));
    assertThat(world.assignment(withLogin, version).getString("status")).isEqualTo("completed");
    JsonObject completion = completionOf(world.assignmentOf(withLoginId, version));
    assertThat(completion.getString("signatureId")).isEqualTo(attendeeSignature.getString("id"));
    assertThat(completion.getJsonObject("evidence").getJsonArray("signatures").stream().map(JsonObject.class::cast)
        .map(s -> s.getString("id")).toList())
        .containsExactly(trainerSignature.getString("id"), attendeeSignature.getString("id"));
    Api.Response again = confirm(withLogin, awaiting, DocumentFlow.password(withLogin), confirmKey);
    assertThat(again.status()).as(again.toString()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(world.count("${schema}.training_completion WHERE person_id IN ('" + withLoginId + "', '" + noLogin
        + "', '" + absentId + "')")).isEqualTo(2);
    assertThat(attendee(api.get(sessionPath(session, ""), admin()).json(), withLoginId).getString("outcome"))
        .isEqualTo("confirmed");
    for (String action : List.of("classroom-session.planned", "classroom-session.attendance-marked")) {
      assertThat(world.count("${schema}.audit_event WHERE action = '" + action + "' AND entity_id = '"
          + session.getString("id") + "'")).as(action).isPositive();
    }
    // The generic signing endpoint refuses these signatures: they are steps of the session.
    Api.Response generic = api.post(tenant.path("/signatures"), withLogin.token(world.platform), new JsonObject()
        .put("recordType", "classroom-session").put("recordId", session.getString("id"))
        .put("recordVersion", locked.getInteger("recordVersion")).put("meaning", "trained")
        .put("reauthentication", DocumentFlow.password(withLogin)));
    assertThat(generic.status()).isEqualTo(422);
    assertThat(generic.json().getString("type")).endsWith("/signed-through-workflow");
  }

  /** The completion record of a completed assignment, as the training file lists it. */
  private static JsonObject completionOf(JsonObject assignment) {
    String personId = assignment.getJsonObject("person").getString("id");
    Api.Response file = api.get(tenant.path("/people/" + personId + "/training-file"), admin());
    assertThat(file.status()).as(file.toString()).isEqualTo(200);
    return file.json().getJsonArray("completions").stream().map(JsonObject.class::cast)
        .filter(c -> assignment.getString("id").equals(c.getString("assignmentId"))).findFirst()
        .orElseThrow(() -> new AssertionError("no completion of " + assignment.getString("id") + " in " + file));
  }

  @Test
  @DisplayName("planning refuses an unqualified trainer, people without an open classroom assignment, the trainer as an attendee and impossible times, every problem at once and nothing written; a session not yet held cannot be signed; changes need If-Match and a reason")
  void planningRules() {
    Person learner = world.learner("Pia", "Planned");
    Person unqualified = world.learner("Uma", "Unqualified");
    String learnerId = world.personId(learner);
    long sessions = world.count("${schema}.classroom_session");
    long events = world.count("${schema}.audit_event");

    JsonObject body = sessionBody(world.personId(unqualified), hoursFromNow(24 * 800), List.of(learnerId,
        world.personId(trainer), learnerId, UUID.randomUUID().toString()));
    body.put("endsAt", hoursFromNow(24 * 800 - 1).toInstant().toString());
    Api.Response refused = api.post(tenant.path("/classroom-sessions"), admin(), body);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.json().getJsonArray("errors")).extracting(e -> ((JsonObject) e).getString("pointer"))
        .contains("/trainerId", "/startsAt", "/endsAt", "/attendees/2/personId", "/attendees/3/personId");
    // The trainer has no open classroom assignment of their own (trained already) and so is no attendee either.
    assertThat(refused.json().getJsonArray("errors")).extracting(e -> ((JsonObject) e).getString("pointer"))
        .contains("/attendees/1/personId");
    assertThat(world.count("${schema}.classroom_session")).isEqualTo(sessions);
    assertThat(world.count("${schema}.audit_event")).isEqualTo(events);

    // A learner may not plan sessions.
    assertThat(api.post(tenant.path("/classroom-sessions"), learner.token(world.platform),
        sessionBody(world.personId(trainer), hoursFromNow(2), List.of())).status()).isEqualTo(403);

    // Tomorrow's session: the trainer plans it, it cannot be signed before it is held.
    JsonObject tomorrow = plan(trainer.token(world.platform), hoursFromNow(24), List.of(learnerId));
    assertThat(mark(admin(), tomorrow, Map.of(learnerId, "attended")).status()).isEqualTo(200);
    Api.Response early = trainerSigns(tomorrow, trainer, DocumentFlow.password(trainer), null);
    assertThat(early.status()).as(early.toString()).isEqualTo(409);
    assertThat(early.json().getString("type")).endsWith("/session-not-held");

    JsonObject current = api.get(sessionPath(tomorrow, ""), admin()).json();
    String revision = "\"" + current.getInteger("revision") + "\"";
    JsonObject change = new JsonObject().put("startsAt", hoursFromNow(-4).toInstant().toString())
        .put("endsAt", hoursFromNow(-3).toInstant().toString());
    assertThat(api.send("PATCH", sessionPath(tomorrow, ""), admin(), change.copy().put("reason", "Held earlier").encode(),
        "application/json", Map.of()).status()).isEqualTo(428);
    assertThat(api.send("PATCH", sessionPath(tomorrow, ""), admin(), change.encode(), "application/json",
        Map.of("If-Match", revision)).status()).isEqualTo(422);
    assertThat(api.send("PATCH", sessionPath(tomorrow, ""), admin(), change.copy().put("reason", "Held earlier").encode(),
        "application/json", Map.of("If-Match", "\"" + (current.getInteger("revision") + 5) + "\"")).status())
        .isEqualTo(412);
    Api.Response moved = api.send("PATCH", sessionPath(tomorrow, ""), admin(), change.copy().put("reason",
        "The session was held this morning").encode(), "application/json", Map.of("If-Match", revision));
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    assertThat(moved.json().getInteger("revision")).isGreaterThan(current.getInteger("revision"));
    assertThat(world.count("${schema}.audit_event WHERE action = 'classroom-session.replanned' AND entity_id = '"
        + tomorrow.getString("id") + "' AND reason = 'The session was held this morning'")).isEqualTo(1);
    // Held now: the trainer signs; the only attendee has a login and awaits confirmation.
    Api.Response signed = trainerSigns(tomorrow, trainer, DocumentFlow.password(trainer), null);
    assertThat(signed.status()).as(signed.toString()).isEqualTo(201);
    assertThat(world.assignment(learner, version).getString("status")).isEqualTo("open");
  }

  @Test
  @DisplayName("another tenant's token can neither read nor change a session, its attendance, its signature or a confirmation, and the session's tenant sees no trace")
  void tenantWall() {
    Person learner = world.learner("Wes", "Walled");
    String learnerId = world.personId(learner);
    JsonObject session = plan(admin(), hoursFromNow(-2), List.of(learnerId));
    JsonObject assignment = world.assignment(learner, version);
    TenantFixture stranger = world.platform.newTenant("classwall");
    world.platform.grantRole(stranger, stranger.adminUserId(), "training-admin");
    String token = stranger.adminToken();
    JsonObject credentials = new JsonObject().put("method", "password").put("username", stranger.adminUsername())
        .put("password", TestPlatform.USER_PASSWORD);
    long events = world.count("${schema}.audit_event");
    long sessions = world.count("${schema}.classroom_session");
    String path = "/classroom-sessions/" + session.getString("id");
    for (TenantFixture target : List.of(tenant, stranger)) {
      List<Api.Response> answers = List.of(
          api.get(target.path(path), token),
          api.send("PATCH", target.path(path), token, new JsonObject().put("location", "Elsewhere")
              .put("reason", "Intruding").encode(), "application/json", Map.of("If-Match", "\"1\"")),
          api.post(target.path(path + "/attendees"), token, new JsonObject().put("attendees",
              new JsonArray().add(new JsonObject().put("personId", learnerId)))),
          api.post(target.path(path + "/attendance"), token, new JsonObject().put("attendance",
              new JsonArray().add(new JsonObject().put("personId", learnerId).put("attendance", "absent")))),
          api.post(target.path(path + "/signature"), token, new JsonObject().put("reauthentication", credentials)),
          api.post(target.path("/me/training/" + assignment.getString("id") + "/attendance-confirmation"), token,
              new JsonObject().put("reauthentication", credentials)));
      answers.forEach(answer -> assertThat(answer.status()).as(target.slug() + " " + answer).isEqualTo(404));
    }
    // Listing in the session's tenant is walled; in its own tenant the stranger sees none of them.
    assertThat(api.get(tenant.path("/classroom-sessions"), token).status()).isEqualTo(404);
    Api.Response own = api.get(stranger.path("/classroom-sessions"), token);
    assertThat(own.status()).as(own.toString()).isEqualTo(200);
    assertThat(own.json().getJsonArray("items")).isEmpty();
    // Planning in its own tenant with this tenant's document, version and people: refused, nothing written anywhere.
    Api.Response foreign = api.post(stranger.path("/classroom-sessions"), token,
        sessionBody(world.personId(trainer), hoursFromNow(-2), List.of(learnerId)));
    assertThat(foreign.status()).as(foreign.toString()).isEqualTo(422);
    assertThat(world.count("${schema}.audit_event")).isEqualTo(events);
    assertThat(world.count("${schema}.classroom_session")).isEqualTo(sessions);
    assertThat(world.platform.queryLong("SELECT count(*) FROM t_" + stranger.slug() + ".classroom_session")).isZero();
    JsonObject unchanged = api.get(tenant.path(path), admin()).json();
    assertThat(unchanged.getInteger("revision")).isEqualTo(session.getInteger("revision"));
    assertThat(attendee(unchanged, learnerId).getString("attendance")).isEqualTo("unmarked");
  }
}
