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

@DisplayName("On-the-job practicals: a checklist per version, observed and signed by a qualified trainer, then signed by the learner, whose signature completes the assignment (TRN-1, TRN-4, TRN-6, P11-3, P11-4)")
class OnTheJobIT {

  private static TrainingWorld world;
  private static Api api;
  private static TenantFixture tenant;
  private static JsonObject document;
  private static JsonObject version;
  private static List<JsonObject> checklist;
  private static Person trainer;

  @BeforeAll
  static void plant() {
    world = new TrainingWorld("ojt");
    api = world.api;
    tenant = world.tenant;
    document = world.document("Filling line set-up", "on-the-job", null, null, null);
    version = world.effective(document);
    checklist = List.of(item(version, "Assemble the filling needles aseptically", "No touch of product-contact parts"),
        item(version, "Run the weight check and adjust the pumps", null),
        item(version, "Record the set-up in the batch record", "Every field, signed and dated"));
    trainer = world.qualifiedTrainer("Tess", "Trainer", document, version);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private static String admin() {
    return world.trainingAdmin.token(world.platform);
  }

  private static JsonObject item(JsonObject version, String text, String criteria) {
    JsonObject body = new JsonObject().put("text", text).put("reason", "What the trainer must see");
    if (criteria != null) {
      body.put("criteria", criteria);
    }
    Api.Response created = api.post(checklistPath(version), world.author.token(world.platform), body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  private static String checklistPath(JsonObject version) {
    return tenant.path("/documents/" + version.getString("documentId") + "/versions/" + version.getString("id")
        + "/checklist-items");
  }

  /** Every item of the checklist ticked, passed unless named in {@code failed}. */
  private static JsonArray ticks(List<JsonObject> items, String... failed) {
    List<String> notPassed = List.of(failed);
    return new JsonArray(items.stream().map(i -> new JsonObject().put("itemId", i.getString("id"))
        .put("passed", !notPassed.contains(i.getString("id"))).put("observation", "Watched at line 3")).toList());
  }

  private static Api.Response observe(Person by, JsonObject assignment, JsonArray items, OffsetDateTime observedAt,
                                      String idempotencyKey) {
    return world.postWithKey(tenant.path("/training-assignments/" + assignment.getString("id") + "/observations"),
        by.token(world.platform), new JsonObject().put("observedAt", observedAt.toInstant().toString()).put("location", "Line 3")
            .put("items", items).put("reauthentication", DocumentFlow.password(by)), idempotencyKey);
  }

  private static Api.Response learnerSigns(Person learner, JsonObject assignment, String observationId, JsonObject credentials,
                                           String idempotencyKey) {
    return world.postWithKey(world.mePath(assignment, "/observations/" + observationId + "/signature"),
        learner.token(world.platform), new JsonObject().put("reauthentication", credentials), idempotencyKey);
  }

  private static OffsetDateTime minutesAgo(int minutes) {
    return world.platform.databaseNow().minusMinutes(minutes).truncatedTo(ChronoUnit.SECONDS);
  }

  private static JsonObject myAssignment(Person learner, JsonObject assignment) {
    Api.Response mine = api.get(world.mePath(assignment, ""), learner.token(world.platform));
    assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
    return mine.json();
  }

  @Test
  @DisplayName("the trainer's re-authenticated signature ('verified') leaves the observation awaiting the learner, who sees it in their training; the learner's signature ('trained') on the same record version completes the assignment with a completion record naming the trainer, the observation time and both signatures; retries with their Idempotency-Keys answer the same")
  void observedAndSignedByBoth() {
    Person learner = world.learner("Lia", "Learner");
    JsonObject assignment = world.assignment(learner, version);
    OffsetDateTime observedAt = minutesAgo(20);
    String trainerKey = "obs-" + UUID.randomUUID();

    Api.Response recorded = observe(trainer, assignment, ticks(checklist), observedAt, trainerKey);
    assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
    assertThat(recorded.header("Idempotent-Replayed")).isNull();
    JsonObject observation = recorded.json().getJsonObject("observation");
    JsonObject trainerSignature = recorded.json().getJsonObject("signature");
    assertThat(observation.getString("state")).isEqualTo("awaiting-learner");
    assertThat(observation.getString("outcome")).isEqualTo("passed");
    assertThat(observation.getJsonArray("items")).hasSize(3);
    assertThat(observation.getJsonObject("trainer").getString("id")).isEqualTo(world.personId(trainer));
    assertThat(Instant.parse(observation.getString("observedAt"))).isEqualTo(observedAt.toInstant());
    assertThat(trainerSignature.getString("meaning")).isEqualTo("verified");
    assertThat(trainerSignature.getJsonObject("signer").getString("id")).isEqualTo(trainer.id());
    assertThat(recorded.json().getValue("completion")).isNull();
    assertThat(recorded.json().getJsonObject("assignment").getString("status")).isEqualTo("open");
    // What both sign: the checklist results and the document version's hashes.
    JsonObject content = new JsonObject(world.platform.queryString("SELECT content::text FROM " + world.schema
        + ".record_version WHERE record_type = 'on-the-job-observation' AND record_id = '" + observation.getString("id") + "'"));
    assertThat(content.getJsonArray("checklist")).hasSize(3);
    assertThat(content.getJsonObject("version").getString("recordHash")).isEqualTo(version.getString("recordHash"));

    Api.Response replay = observe(trainer, assignment, ticks(checklist), observedAt, trainerKey);
    assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.json().getJsonObject("observation").getString("id")).isEqualTo(observation.getString("id"));
    assertThat(replay.json().getJsonObject("signature").getString("id")).isEqualTo(trainerSignature.getString("id"));
    assertThat(world.count("${schema}.ojt_observation WHERE assignment_id = '" + assignment.getString("id") + "'"))
        .isEqualTo(1);
    // The same key for another request is refused.
    Api.Response reused = observe(trainer, assignment, ticks(checklist), minutesAgo(5), trainerKey);
    assertThat(reused.status()).as(reused.toString()).isEqualTo(422);
    assertThat(reused.json().getString("type")).endsWith("/idempotency-key-reused");

    // The learner sees what awaits them, and the observation with the trainer's signature.
    JsonObject awaiting = myAssignment(learner, assignment).getJsonObject("awaiting");
    assertThat(awaiting.getString("kind")).isEqualTo("learner-signature");
    assertThat(awaiting.getString("observationId")).isEqualTo(observation.getString("id"));
    JsonObject listedMine = api.get(world.mePath(assignment, "/observations"), learner.token(world.platform)).json();
    assertThat(listedMine.getJsonArray("items").getJsonObject(0).getJsonArray("signatures")).hasSize(1);
    // A learner cannot record observations, nor see someone else's.
    assertThat(observe(learner, assignment, ticks(checklist), observedAt, null).status()).isEqualTo(403);
    assertThat(api.get(world.mePath(assignment, "/observations"), trainer.token(world.platform)).status()).isEqualTo(404);

    Api.Response wrong = learnerSigns(learner, assignment, observation.getString("id"), new JsonObject()
        .put("method", "password").put("username", learner.username()).put("password", "not-my-password"), null);
    assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
    assertThat(world.assignment(learner, version).getString("status")).isEqualTo("open");

    String learnerKey = "sign-" + UUID.randomUUID();
    Api.Response signed = learnerSigns(learner, assignment, observation.getString("id"), DocumentFlow.password(learner),
        learnerKey);
    assertThat(signed.status()).as(signed.toString()).isEqualTo(201);
    JsonObject learnerSignature = signed.json().getJsonObject("signature");
    JsonObject completion = signed.json().getJsonObject("completion");
    assertThat(learnerSignature.getString("meaning")).isEqualTo("trained");
    // Both signatures bind the same record version.
    assertThat(learnerSignature.getJsonObject("record")).isEqualTo(trainerSignature.getJsonObject("record"));
    assertThat(signed.json().getJsonObject("observation").getString("state")).isEqualTo("completed");
    assertThat(signed.json().getJsonObject("assignment").getString("status")).isEqualTo("completed");
    assertThat(signed.json().getJsonObject("assignment").getValue("awaiting")).isNull();
    assertThat(completion.getString("method")).isEqualTo("on-the-job");
    assertThat(completion.getString("result")).isEqualTo("completed");
    assertThat(completion.getJsonObject("trainer").getString("id")).isEqualTo(world.personId(trainer));
    assertThat(Instant.parse(completion.getString("trainedAt"))).isEqualTo(observedAt.toInstant());
    assertThat(completion.getString("signatureId")).isEqualTo(learnerSignature.getString("id"));
    assertThat(completion.getJsonObject("evidence").getJsonArray("signatures").stream().map(JsonObject.class::cast)
        .map(s -> s.getString("id")).toList())
        .containsExactly(trainerSignature.getString("id"), learnerSignature.getString("id"));
    assertThat(completion.getJsonObject("evidence").getJsonObject("observation").getString("id"))
        .isEqualTo(observation.getString("id"));
    assertThat(completion.getJsonObject("evidence").getJsonObject("version").getString("recordHash"))
        .isEqualTo(version.getString("recordHash"));

    Api.Response again = learnerSigns(learner, assignment, observation.getString("id"), DocumentFlow.password(learner),
        learnerKey);
    assertThat(again.status()).as(again.toString()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.json().getJsonObject("completion").getString("id")).isEqualTo(completion.getString("id"));
    assertThat(world.count("${schema}.training_completion WHERE assignment_id = '" + assignment.getString("id") + "'"))
        .isEqualTo(1);
    assertThat(learnerSigns(learner, assignment, observation.getString("id"), DocumentFlow.password(learner), null)
        .status()).isEqualTo(409);
    for (String action : List.of("on-the-job-observation.recorded", "on-the-job-observation.verified",
        "on-the-job-observation.completed")) {
      assertThat(world.count("${schema}.audit_event WHERE action = '" + action + "' AND entity_id = '"
          + observation.getString("id") + "'")).as(action).isEqualTo(1);
    }
    // The generic signing endpoint refuses these signatures: they are steps of the practical.
    Api.Response generic = api.post(tenant.path("/signatures"), learner.token(world.platform), new JsonObject()
        .put("recordType", "on-the-job-observation").put("recordId", observation.getString("id")).put("recordVersion", 1)
        .put("meaning", "trained").put("reauthentication", DocumentFlow.password(learner)));
    assertThat(generic.status()).isEqualTo(422);
    assertThat(generic.json().getString("type")).endsWith("/signed-through-workflow");
    // Training staff read the observations of the assignment.
    Api.Response listed = api.get(tenant.path("/training-assignments/" + assignment.getString("id") + "/observations"),
        admin());
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
    assertThat(listed.json().getJsonArray("items").getJsonObject(0).getJsonArray("signatures")).hasSize(2);
  }

  @Test
  @DisplayName("a trainer who is not qualified on the document is refused (403 trainer-not-qualified) and nothing is written; nobody observes their own training; a problem of the results lists every field at once")
  void onlyQualifiedTrainersObserveOthers() {
    Person learner = world.learner("Ned", "Newcomer");
    Person unqualified = world.learner("Uma", "Unqualified");
    world.platform.grantRole(tenant, unqualified.id(), "trainer");
    JsonObject assignment = world.assignment(learner, version);
    long records = world.count("${schema}.record_version");
    long events = world.count("${schema}.audit_event");

    Api.Response refused = observe(unqualified, assignment, ticks(checklist), minutesAgo(10), null);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(refused.json().getString("type")).isEqualTo("https://traceline.io/problems/trainer-not-qualified");
    // The trainer's own assignment: never their own trainer.
    Api.Response self = observe(trainer, world.assignment(trainer, version), ticks(checklist), minutesAgo(10), null);
    assertThat(self.status()).as(self.toString()).isEqualTo(403);
    assertThat(self.json().getString("type")).endsWith("/own-training");

    JsonArray broken = ticks(checklist.subList(0, 2)).copy();
    broken.add(new JsonObject().put("itemId", UUID.randomUUID().toString()).put("passed", true));
    broken.add(broken.getJsonObject(0).copy());
    Api.Response invalid = observe(trainer, assignment, broken, OffsetDateTime.now().plusHours(2), null);
    assertThat(invalid.status()).as(invalid.toString()).isEqualTo(422);
    assertThat(invalid.json().getJsonArray("errors")).extracting(e -> ((JsonObject) e).getString("pointer"))
        .containsExactlyInAnyOrder("/observedAt", "/items/2/itemId", "/items/3/itemId", "/items");
    assertThat(observe(trainer, assignment, ticks(checklist), minutesAgo(60 * 24 * 40), null).status()).isEqualTo(422);

    assertThat(world.count("${schema}.ojt_observation WHERE assignment_id = '" + assignment.getString("id") + "'")).isZero();
    assertThat(world.count("${schema}.record_version")).isEqualTo(records);
    assertThat(world.count("${schema}.audit_event")).isEqualTo(events);
    assertThat(world.assignment(learner, version).getString("status")).isEqualTo("open");
  }

  @Test
  @DisplayName("an item not passed is an unsuccessful observation: the trainer signs it, the learner cannot, the assignment stays open, and a new observation can follow")
  void itemNotPassedIsNotCompleted() {
    Person learner = world.learner("Flo", "Fumble");
    JsonObject assignment = world.assignment(learner, version);
    Api.Response recorded = observe(trainer, assignment, ticks(checklist, checklist.get(1).getString("id")), minutesAgo(15),
        null);
    assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
    JsonObject observation = recorded.json().getJsonObject("observation");
    assertThat(observation.getString("outcome")).isEqualTo("not-passed");
    assertThat(observation.getString("state")).isEqualTo("unsuccessful");
    assertThat(observation.getString("trainerSignatureId")).isEqualTo(recorded.json().getJsonObject("signature")
        .getString("id"));
    assertThat(recorded.json().getJsonObject("assignment").getString("status")).isEqualTo("open");
    assertThat(myAssignment(learner, assignment).getValue("awaiting")).isNull();
    assertThat(world.count("${schema}.audit_event WHERE action = 'on-the-job-observation.unsuccessful' AND entity_id = '"
        + observation.getString("id") + "'")).isEqualTo(1);

    Api.Response cannot = learnerSigns(learner, assignment, observation.getString("id"), DocumentFlow.password(learner), null);
    assertThat(cannot.status()).as(cannot.toString()).isEqualTo(409);
    assertThat(world.count("${schema}.training_completion WHERE assignment_id = '" + assignment.getString("id") + "'"))
        .isZero();

    Api.Response retried = observe(trainer, assignment, ticks(checklist), minutesAgo(1), null);
    assertThat(retried.status()).as(retried.toString()).isEqualTo(201);
    assertThat(retried.json().getJsonObject("observation").getString("state")).isEqualTo("awaiting-learner");
    // While it awaits the learner no other observation is recorded.
    Api.Response pending = observe(trainer, assignment, ticks(checklist), minutesAgo(1), null);
    assertThat(pending.status()).as(pending.toString()).isEqualTo(409);
    assertThat(pending.json().getString("type")).endsWith("/observation-pending");
  }

  @Test
  @DisplayName("a learner who disagrees declines the observation with a reason: it is void, audited, the assignment stays open, and it can no longer be signed")
  void learnerDeclines() {
    Person learner = world.learner("Dee", "Decliner");
    JsonObject assignment = world.assignment(learner, version);
    Api.Response observed = observe(trainer, assignment, ticks(checklist), minutesAgo(30), null);
    assertThat(observed.status()).as(observed.toString()).isEqualTo(201);
    JsonObject observation = observed.json().getJsonObject("observation");
    String path = world.mePath(assignment, "/observations/" + observation.getString("id") + "/declination");

    assertThat(api.post(path, learner.token(world.platform), new JsonObject()).status()).isEqualTo(422);
    assertThat(api.post(path, trainer.token(world.platform), new JsonObject().put("reason", "Not mine")).status())
        .isEqualTo(404);
    Api.Response declined = api.post(path, learner.token(world.platform), new JsonObject()
        .put("reason", "I did not run the weight check myself: the shift lead did"));
    assertThat(declined.status()).as(declined.toString()).isEqualTo(200);
    assertThat(declined.json().getString("state")).isEqualTo("declined");
    assertThat(declined.json().getString("closeReason")).startsWith("I did not run");
    assertThat(world.count("${schema}.audit_event WHERE action = 'on-the-job-observation.declined' AND entity_id = '"
        + observation.getString("id") + "' AND reason LIKE 'I did not run%'")).isEqualTo(1);
    assertThat(myAssignment(learner, assignment).getString("status")).isEqualTo("open");
    assertThat(myAssignment(learner, assignment).getValue("awaiting")).isNull();
    assertThat(learnerSigns(learner, assignment, observation.getString("id"), DocumentFlow.password(learner), null)
        .status()).isEqualTo(409);
    assertThat(api.post(path, learner.token(world.platform), new JsonObject().put("reason", "Again")).status())
        .isEqualTo(409);
  }

  @Test
  @DisplayName("checklists: authors keep them with If-Match and a reason, audited, retired not deleted; a checklist carried forward to the next version names its origin and stays editable; a superseded version's checklist is closed; learners do not keep them")
  void checklistCarriedForward() {
    JsonObject procedure = world.document("Line clearance between batches", "on-the-job", null, null, null);
    JsonObject v1 = world.effective(procedure);
    String author = world.author.token(world.platform);
    JsonObject first = item(v1, "Remove every label of the previous batch", null);
    JsonObject second = item(v1, "Check the line is empty with a second person", "Both sign the clearance");
    JsonObject dropped = item(v1, "Obsolete step", null);
    Api.Response retired = api.post(checklistPath(v1) + "/" + dropped.getString("id") + "/retirement", author,
        new JsonObject().put("reason", "Step removed from the procedure"));
    assertThat(retired.status()).as(retired.toString()).isEqualTo(200);
    assertThat(retired.json().getBoolean("active")).isFalse();
    Person learner = world.learner("Cal", "Checker");
    assertThat(api.post(checklistPath(v1), learner.token(world.platform), new JsonObject().put("text", "Mine")
        .put("reason", "Intruding")).status()).isEqualTo(403);
    Api.Response invalid = api.post(checklistPath(v1), author, new JsonObject().put("text", "   ").put("reason", "Intruding"));
    assertThat(invalid.status()).as(invalid.toString()).isEqualTo(422);

    JsonObject v2 = world.effective(procedure);
    Api.Response carried = api.post(checklistPath(v2) + "/carry-forward", author, new JsonObject()
        .put("fromVersionId", v1.getString("id")).put("reason", "Revision 2 keeps the steps"));
    assertThat(carried.status()).as(carried.toString()).isEqualTo(201);
    JsonArray copies = carried.json().getJsonArray("items");
    assertThat(copies).hasSize(2);
    assertThat(copies.getJsonObject(0).getJsonObject("carriedFrom").getString("itemId")).isEqualTo(first.getString("id"));
    assertThat(copies.getJsonObject(1).getString("criteria")).isEqualTo(second.getString("criteria"));
    assertThat(api.post(checklistPath(v2) + "/carry-forward", author, new JsonObject()
        .put("fromVersionId", v1.getString("id")).put("reason", "Twice")).json().getJsonArray("items")).isEmpty();

    String copyPath = checklistPath(v2) + "/" + copies.getJsonObject(1).getString("id");
    JsonObject change = new JsonObject().put("text", "Check the line is empty with a second operator")
        .put("reason", "Clarified who checks");
    assertThat(api.send("PATCH", copyPath, author, change.encode(), "application/json").status()).isEqualTo(428);
    assertThat(api.send("PATCH", copyPath, author, change.encode(), "application/json", Map.of("If-Match", "\"7\""))
        .status()).isEqualTo(412);
    Api.Response noReason = api.send("PATCH", copyPath, author, new JsonObject().put("text", "x").encode(),
        "application/json", Map.of("If-Match", "\"1\""));
    assertThat(noReason.status()).isEqualTo(422);
    Api.Response changed = api.send("PATCH", copyPath, author, change.encode(), "application/json",
        Map.of("If-Match", "\"1\""));
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    assertThat(changed.json().getInteger("revision")).isEqualTo(2);
    assertThat(changed.header("ETag")).isEqualTo("\"2\"");
    assertThat(world.count("${schema}.audit_event WHERE action = 'ojt-checklist-item.updated' AND entity_id = '"
        + copies.getJsonObject(1).getString("id") + "' AND reason = 'Clarified who checks' AND before_value->>'text' = '"
        + second.getString("text") + "'")).isEqualTo(1);
    assertThat(world.count("${schema}.audit_event WHERE action = 'ojt-checklist-item.carried-forward'")).isEqualTo(2);
    // The original is unchanged, and the superseded version's checklist is closed.
    assertThat(api.get(checklistPath(v1) + "/" + second.getString("id"), author).json().getString("text"))
        .isEqualTo(second.getString("text"));
    Api.Response closed = api.post(checklistPath(v1), author, new JsonObject().put("text", "Late").put("reason", "Intruding"));
    assertThat(closed.status()).isEqualTo(409);
    assertThat(closed.json().getString("type")).endsWith("/version-closed");
    Api.Response listed = api.get(checklistPath(v2) + "?active=true", trainer.token(world.platform));
    assertThat(listed.status()).as(listed.toString()).isEqualTo(403);
    world.platform.grantRole(tenant, trainer.id(), "trainer");
    assertThat(api.get(checklistPath(v2) + "?active=true", trainer.token(world.platform)).json().getJsonArray("items"))
        .hasSize(2);
    // Nobody deletes a checklist item, not even the schema's owner.
    assertThat(world.platform.queryLong("WITH gone AS (UPDATE " + world.schema + ".ojt_checklist_item SET revision = "
        + "revision WHERE false RETURNING 1) SELECT count(*) FROM gone")).isZero();
  }

  @Test
  @DisplayName("an on-the-job completion is effectiveness evidence: on a high-risk document the learner's qualification status turns qualified")
  void completionQualifies() {
    Person learner = world.learner("Quin", "Qualifying");
    JsonObject assignment = world.assignment(learner, version);
    String employee = assignment.getJsonObject("person").getString("employeeNumber");
    String check = tenant.path("/qualification-checks?person=" + employee + "&document=" + document.getString("number"));
    Api.Response before = api.get(check, admin());
    assertThat(before.status()).as(before.toString()).isEqualTo(200);
    assertThat(before.json().getString("status")).isEqualTo("not-current");
    assertThat(before.json().getBoolean("allowed")).isFalse();

    String observationId = observe(trainer, assignment, ticks(checklist), minutesAgo(3), null).json()
        .getJsonObject("observation").getString("id");
    assertThat(api.get(check, admin()).json().getString("status")).isEqualTo("not-current");
    assertThat(learnerSigns(learner, assignment, observationId, DocumentFlow.password(learner), null).status())
        .isEqualTo(201);

    JsonObject after = api.get(check, admin()).json();
    assertThat(after.getString("status")).as(after.encode()).isEqualTo("qualified");
    assertThat(after.getBoolean("allowed")).isTrue();
    assertThat(after.getJsonObject("trainedVersion").getString("id")).isEqualTo(version.getString("id"));
  }

  @Test
  @DisplayName("another tenant's token reads, records, signs and declines nothing of a checklist or an observation: its own tenant does not know the ids, this tenant refuses the token")
  void tenantWall() {
    Person learner = world.learner("Wyn", "Walled");
    JsonObject assignment = world.assignment(learner, version);
    JsonObject observation = observe(trainer, assignment, ticks(checklist), minutesAgo(2), null).json()
        .getJsonObject("observation");
    TenantFixture stranger = world.platform.newTenant("ojtwall");
    world.platform.grantRole(stranger, stranger.adminUserId(), "training-admin");
    world.platform.grantRole(stranger, stranger.adminUserId(), "document-author");
    String token = stranger.adminToken();
    JsonObject credentials = new JsonObject().put("method", "password").put("username", stranger.adminUsername())
        .put("password", TestPlatform.USER_PASSWORD);
    long events = world.count("${schema}.audit_event");
    String item = "/documents/" + document.getString("id") + "/versions/" + version.getString("id") + "/checklist-items";
    String observations = "/training-assignments/" + assignment.getString("id") + "/observations";
    String mine = "/me/training/" + assignment.getString("id");
    for (TenantFixture target : List.of(tenant, stranger)) {
      List<Api.Response> answers = List.of(
          api.get(target.path(item), token),
          api.post(target.path(item), token, new JsonObject().put("text", "Intruder").put("reason", "Intruding")),
          api.get(target.path(item + "/" + checklist.get(0).getString("id")), token),
          api.send("PATCH", target.path(item + "/" + checklist.get(0).getString("id")), token, new JsonObject()
              .put("text", "Forged").put("reason", "Intruding").encode(), "application/json", Map.of("If-Match", "\"1\"")),
          api.post(target.path(item + "/" + checklist.get(0).getString("id") + "/retirement"), token,
              new JsonObject().put("reason", "Intruding")),
          api.post(target.path(item + "/carry-forward"), token, new JsonObject().put("fromVersionId",
              version.getString("id")).put("reason", "Intruding")),
          api.get(target.path(observations), token),
          api.post(target.path(observations), token, new JsonObject().put("observedAt", minutesAgo(1).toInstant().toString())
              .put("items", ticks(checklist)).put("reauthentication", credentials)),
          api.get(target.path(mine), token),
          api.get(target.path(mine + "/observations"), token),
          api.post(target.path(mine + "/observations/" + observation.getString("id") + "/signature"), token,
              new JsonObject().put("reauthentication", credentials)),
          api.post(target.path(mine + "/observations/" + observation.getString("id") + "/declination"), token,
              new JsonObject().put("reason", "Intruder")));
      answers.forEach(answer -> assertThat(answer.status()).as(target.slug() + " " + answer).isEqualTo(404));
    }
    assertThat(world.count("${schema}.audit_event")).isEqualTo(events);
    assertThat(api.get(checklistPath(version) + "/" + checklist.get(0).getString("id"), world.author.token(world.platform))
        .json().getInteger("revision")).isEqualTo(1);
    assertThat(myAssignment(learner, assignment).getJsonObject("awaiting").getString("observationId"))
        .isEqualTo(observation.getString("id"));
  }
}
