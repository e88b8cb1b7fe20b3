package io.traceline.platform.qualifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.traceline.platform.db.Database;
import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.JobCluster;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Qualifications that are not documents (PCQI, internal auditor, trainer) and the qualification lists of a person and of a document (TRN-6, TRN-7, P11-7)")
class PersonQualificationsIT {

  private static final int CREW = 12;

  private static QualificationFixture fx;
  private static JobCluster cluster;
  private static Person lena;
  private static Person colleague;
  private static JsonObject trainedDoc;
  private static JsonObject untrainedDoc;
  private static String lenaId;

  @BeforeAll
  static void organisation() throws Exception {
    fx = new QualificationFixture("qualpeople", "OPERATOR");
    cluster = new JobCluster(1);
    cluster.startInJvm(0);
    lena = fx.flow.signer("Lena", "Learner", "employee");
    colleague = fx.flow.member("Cole", "Colleague", "employee");
    List<Object[]> people = new ArrayList<>();
    people.add(new Object[] {"PQ-LENA", lena.id(), new String[] {"OPERATOR"}});
    people.add(new Object[] {"PQ-COLE", colleague.id(), new String[0]});
    for (int i = 0; i < CREW; i++) {
      people.add(new Object[] {String.format("PQ-%03d", i), null, new String[] {"OPERATOR"}});
    }
    fx.hire(people);
    fx.settle();
    lenaId = fx.personId("PQ-LENA");
    trainedDoc = fx.flow.document(fx.author, "sop", "QA", "Cleaning validation", "medium");
    fx.requirement(trainedDoc, "OPERATOR", "read-and-acknowledge", 24);
    JsonObject v1 = fx.flow.effective(trainedDoc, fx.author, fx.approver, "major", "full-retraining");
    untrainedDoc = fx.flow.document(fx.author, "work-instruction", "QA", "Swab sampling", "low");
    fx.requirement(untrainedDoc, "OPERATOR", "read-and-acknowledge", null);
    fx.flow.effective(untrainedDoc, fx.author, fx.approver, "major", "full-retraining");
    fx.settle();
    fx.acknowledge(lena, v1);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static String grantsPath(String personId) {
    return fx.tenant.path("/people/" + personId + "/qualifications");
  }

  private static Api.Response grant(String token, String personId, JsonObject body) {
    return fx.api.post(grantsPath(personId), token, body);
  }

  private static JsonObject granted(JsonObject body) {
    Api.Response response = grant(fx.admin(), lenaId, body.copy().put("reason", body.getString("reason", "Qualified")));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  private static Api.Response change(String method, String path, String ifMatch, JsonObject body) {
    return fx.api.send(method, fx.tenant.path(path), fx.admin(), body.encode(), "application/json",
        ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
  }

  @Test
  @DisplayName("grant with evidence, change with If-Match and a reason, revoke once; every rule broken is a 4xx that writes nothing; every change audited; never deleted")
  void grantChangeRevoke() throws Exception {
    String admin = fx.admin();
    long events = auditEvents();
    long rows = fx.platform.queryLong("SELECT count(*) FROM " + fx.schema + ".person_qualification");
    List<JsonObject> broken = List.of(
        new JsonObject().put("kind", "pcqi").put("evidence", "Certificate").put("reason", "No basis"),
        new JsonObject().put("kind", "internal-auditor").put("basis", "curriculum").put("evidence", "x").put("reason", "Basis"),
        new JsonObject().put("kind", "trainer").put("evidence", "Trained the trainer").put("reason", "No document"),
        new JsonObject().put("kind", "trainer").put("documentId", UUID.randomUUID().toString()).put("evidence", "x")
            .put("reason", "Unknown document"),
        new JsonObject().put("kind", "internal-auditor").put("grantedOn", "2999-01-01").put("evidence", "x")
            .put("reason", "Future"),
        new JsonObject().put("kind", "internal-auditor").put("grantedOn", "2025-03-01").put("expiresOn", "2025-02-01")
            .put("evidence", "x").put("reason", "Expires before"),
        new JsonObject().put("kind", "internal-auditor").put("evidence", "No reason"));
    for (JsonObject body : broken) {
      Api.Response refused = grant(admin, lenaId, body);
      assertThat(refused.status()).as(body.encode() + " -> " + refused).isEqualTo(422);
      assertThat(refused.json().getJsonArray("errors")).isNotEmpty();
    }
    assertThat(grant(admin, UUID.randomUUID().toString(), new JsonObject().put("kind", "internal-auditor")
        .put("evidence", "x").put("reason", "Unknown person")).status()).isEqualTo(404);
    assertThat(grant(admin, "not-a-uuid", new JsonObject().put("kind", "internal-auditor").put("evidence", "x")
        .put("reason", "Malformed")).status()).isEqualTo(400);
    // Malformed input the contract rejects is a 400: no such day, no such kind, not an id.
    assertThat(grant(admin, lenaId, new JsonObject().put("kind", "internal-auditor").put("grantedOn", "2025-02-30")
        .put("evidence", "x").put("reason", "No such day")).status()).isEqualTo(400);
    assertThat(grant(admin, lenaId, new JsonObject().put("kind", "astronaut").put("evidence", "x").put("reason", "Kind"))
        .status()).isEqualTo(400);
    assertThat(grant(fx.author.token(fx.platform), lenaId, new JsonObject().put("kind", "internal-auditor")
        .put("evidence", "x").put("reason", "Not a writer")).status()).isEqualTo(403);
    assertThat(auditEvents()).isEqualTo(events);
    assertThat(fx.platform.queryLong("SELECT count(*) FROM " + fx.schema + ".person_qualification")).isEqualTo(rows);

    // A PCQI by curriculum, with the certificate as evidence.
    Api.Response created = grant(admin, lenaId, new JsonObject().put("kind", "pcqi").put("basis", "curriculum")
        .put("grantedOn", "2025-06-02").put("evidence", "FSPCA Preventive Controls for Human Food, certificate 2291")
        .put("evidenceReference", "DMS:CERT-2291").put("reason", "Completed the FSPCA course"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonObject pcqi = created.json();
    assertThat(created.header("ETag")).isEqualTo("\"1\"");
    assertThat(created.location()).endsWith("/qualifications/" + pcqi.getString("id"));
    assertThat(pcqi.getString("status")).isEqualTo("qualified");
    assertThat(pcqi.getString("basis")).isEqualTo("curriculum");
    assertThat(pcqi.getJsonObject("grantedBy").getString("name")).isEqualTo("Tara Trainer");
    // One unrevoked PCQI per person.
    assertThat(grant(admin, lenaId, new JsonObject().put("kind", "pcqi").put("basis", "job-experience")
        .put("evidence", "Ten years running the preventive controls").put("reason", "Again")).status()).isEqualTo(409);

    String path = "/qualifications/" + pcqi.getString("id");
    JsonObject renewal = new JsonObject().put("expiresOn", "2030-06-02").put("reason", "Refresher course booked");
    assertThat(change("PATCH", path, null, renewal).status()).isEqualTo(428);
    assertThat(change("PATCH", path, "\"7\"", renewal).status()).isEqualTo(412);
    assertThat(change("PATCH", path, "\"1\"", new JsonObject().put("expiresOn", "2030-06-02")).status()).isEqualTo(422);
    assertThat(change("PATCH", path, "\"1\"", new JsonObject().put("expiresOn", "2020-01-01").put("reason", "Before"))
        .status()).isEqualTo(422);
    Api.Response changed = change("PATCH", path, "\"1\"", renewal);
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    assertThat(changed.json().getString("expiresOn")).isEqualTo("2030-06-02");
    assertThat(changed.header("ETag")).isEqualTo("\"2\"");

    JsonObject reason = new JsonObject().put("reason", "Left the food safety team");
    assertThat(change("POST", path + "/revocation", null, reason).status()).isEqualTo(428);
    assertThat(change("POST", path + "/revocation", "\"2\"", new JsonObject()).status()).isEqualTo(422);
    Api.Response revoked = change("POST", path + "/revocation", "\"2\"", reason);
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    assertThat(revoked.json().getString("status")).isEqualTo("revoked");
    assertThat(revoked.json().getString("revokeReason")).isEqualTo("Left the food safety team");
    assertThat(change("POST", path + "/revocation", "\"3\"", reason).status()).isEqualTo(409);
    assertThat(change("PATCH", path, "\"3\"", renewal).status()).isEqualTo(409);
    // A revoked PCQI is history: a new one may be granted (by job experience, the justification as evidence).
    assertThat(grant(admin, lenaId, new JsonObject().put("kind", "pcqi").put("basis", "job-experience")
        .put("evidence", "Eight years as preventive controls lead at two plants").put("reason", "Rejoined the team"))
        .status()).isEqualTo(201);

    // Audited: grant, change, revocation, with the reason and the values before and after.
    assertThat(fx.platform.queryString("SELECT string_agg(action || ':' || reason || ':' || coalesce(before_value->>'status', '-') "
        + "|| '>' || (after_value->>'status'), ' | ' ORDER BY seq) FROM " + fx.schema + ".audit_event WHERE entity_type = "
        + "'person-qualification' AND entity_id = '" + pcqi.getString("id") + "'"))
        .isEqualTo("person-qualification.granted:Completed the FSPCA course:->qualified | "
            + "person-qualification.updated:Refresher course booked:qualified>qualified | "
            + "person-qualification.revoked:Left the food safety team:qualified>revoked");

    // Never deleted: the platform's database role may not, and the schema's owner is refused by the trigger.
    try (Connection runtime = fx.platform.runtimeJdbc(); Statement statement = runtime.createStatement()) {
      assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM " + fx.schema + ".person_qualification"))
          .isInstanceOf(SQLException.class);
    }
    try (Connection owner = fx.platform.jdbc(); Statement statement = owner.createStatement()) {
      assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM " + fx.schema + ".person_qualification WHERE id = '"
          + pcqi.getString("id") + "'")).hasMessageContaining("never deleted");
      assertThatThrownBy(() -> statement.executeUpdate("UPDATE " + fx.schema + ".person_qualification SET evidence = 'x' "
          + "WHERE id = '" + pcqi.getString("id") + "'")).hasMessageContaining("history");
    }
  }

  @Test
  @DisplayName("a person's view: the documents their roles require and they trained on, with status, and their other qualifications, expired ones as expired; cursor pages; readable by people readers and by the person")
  void personView() {
    JsonObject auditor = granted(new JsonObject().put("kind", "internal-auditor").put("scope", "IATF 16949 process audits")
        .put("grantedOn", "2023-01-10").put("expiresOn", "2025-01-10").put("evidence", "Auditor course, 3 witnessed audits"));
    assertThat(auditor.getString("status")).isEqualTo("expired");
    JsonObject trainer = trainerOf(untrainedDoc);

    List<JsonObject> items = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      Api.Response page = fx.api.get(grantsPath(lenaId) + "?limit=2" + (next == null ? "" : "&after=" + next),
          lena.token(fx.platform));
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      page.json().getJsonArray("items").forEach(item -> items.add((JsonObject) item));
      next = page.json().getString("next");
      pages++;
    } while (next != null);
    assertThat(pages).isGreaterThan(1);
    List<String> ids = items.stream().map(item -> item.getString("id")).toList();
    assertThat(ids).doesNotHaveDuplicates().isSortedAccordingTo(String::compareTo);
    JsonObject trained = item(items, trainedDoc.getString("id"));
    assertThat(trained.getString("kind")).isEqualTo("document");
    assertThat(trained.getString("status")).isEqualTo("qualified");
    assertThat(trained.getString("expiresAt")).isNotNull();
    JsonObject untrained = item(items, untrainedDoc.getString("id"));
    assertThat(untrained.getString("status")).isEqualTo("not-current");
    assertThat(untrained.getString("reason")).isEqualTo("not-trained");
    assertThat(item(items, auditor.getString("id")).getString("status")).isEqualTo("expired");
    assertThat(item(items, auditor.getString("id")).getString("kind")).isEqualTo("internal-auditor");
    assertThat(item(items, trainer.getString("id")).getJsonObject("qualification").getJsonObject("document")
        .getString("number")).isEqualTo(untrainedDoc.getString("number"));

    assertThat(fx.api.get(grantsPath(lenaId), fx.admin()).status()).isEqualTo(200);
    assertThat(fx.api.get(grantsPath(lenaId), colleague.token(fx.platform)).status()).isEqualTo(403);
    assertThat(fx.api.get(fx.tenant.path("/qualifications/" + auditor.getString("id")), colleague.token(fx.platform))
        .status()).isEqualTo(404);
    assertThat(fx.api.get(fx.tenant.path("/qualifications/" + auditor.getString("id")), lena.token(fx.platform))
        .status()).isEqualTo(200);
    assertThat(fx.api.get(grantsPath(UUID.randomUUID().toString()), fx.admin()).status()).isEqualTo(404);
    assertThat(fx.api.get(grantsPath("nobody"), fx.admin()).status()).isEqualTo(400);
    Api.Response listed = fx.api.get(fx.tenant.path("/qualifications?kind=internal-auditor&status=expired&personId="
        + lenaId), fx.admin());
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
    assertThat(listed.json().getJsonArray("items").stream().map(q -> ((JsonObject) q).getString("id")).toList())
        .containsExactly(auditor.getString("id"));
  }

  private static JsonObject item(List<JsonObject> items, String id) {
    return items.stream().filter(item -> item.getString("id").equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("No item " + id + " in " + items));
  }

  @Test
  @DisplayName("a document's list: everyone it is required of, each with their status, in cursor pages of people")
  void documentList() {
    List<JsonObject> items = new ArrayList<>();
    String next = null;
    do {
      Api.Response page = fx.api.get(fx.tenant.path("/documents/" + trainedDoc.getString("id") + "/qualifications?limit=5"
          + (next == null ? "" : "&after=" + next)), fx.admin());
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      page.json().getJsonArray("items").forEach(item -> items.add((JsonObject) item));
      next = page.json().getString("next");
    } while (next != null);
    assertThat(items).hasSize(CREW + 1);
    assertThat(items.stream().map(item -> item.getString("id")).toList()).doesNotHaveDuplicates()
        .isSortedAccordingTo(String::compareTo);
    assertThat(items.stream().filter(item -> item.getBoolean("allowed")).map(item -> item.getJsonObject("person")
        .getString("employeeNumber")).toList()).containsExactly("PQ-LENA");
    assertThat(items.stream().filter(item -> "not-trained".equals(item.getString("reason")))).hasSize(CREW);
    assertThat(fx.api.get(fx.tenant.path("/documents/" + UUID.randomUUID() + "/qualifications"), fx.admin()).status())
        .isEqualTo(404);
    assertThat(fx.api.get(fx.tenant.path("/documents/" + trainedDoc.getString("id") + "/qualifications"),
        colleague.token(fx.platform)).status()).isEqualTo(403);
  }

  @Test
  @DisplayName("isQualifiedTrainer: a trainer qualification for the document, not revoked or expired, held by someone active and trained on its current version")
  void qualifiedTrainer() throws Exception {
    String cole = fx.personId("PQ-COLE");
    JsonObject onUntrained = trainerOf(untrainedDoc);
    Vertx vertx = Vertx.vertx();
    Pool pool = Database.pool(vertx, TestPlatform.config(0));
    try {
      TenantScope scope = new TenantScope(pool);
      QualificationService service = new QualificationService();
      java.util.function.BiFunction<String, JsonObject, Boolean> asks = (person, document) -> {
        try {
          return scope.inTransaction(fx.schema, connection -> service.isQualifiedTrainer(connection,
              UUID.fromString(person), UUID.fromString(document.getString("id"))))
              .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      // Lena holds a trainer qualification for the work instruction but is not trained on it herself.
      assertThat(asks.apply(lenaId, untrainedDoc)).isFalse();
      // No trainer qualification for the SOP yet, though trained on it.
      assertThat(trainerOn(trainedDoc)).isNull();
      assertThat(asks.apply(lenaId, trainedDoc)).isFalse();
      JsonObject trainer = trainerOf(trainedDoc);
      assertThat(asks.apply(lenaId, trainedDoc)).isTrue();
      assertThat(asks.apply(cole, trainedDoc)).isFalse();
      Api.Response listed = fx.api.get(fx.tenant.path("/qualifications?kind=trainer&status=qualified&documentId="
          + trainedDoc.getString("id")), fx.admin());
      assertThat(listed.json().getJsonArray("items").stream().map(q -> ((JsonObject) q).getJsonObject("person")
          .getString("employeeNumber")).toList()).containsExactly("PQ-LENA");
      Api.Response revoked = change("POST", "/qualifications/" + trainer.getString("id") + "/revocation",
          "\"" + trainer.getInteger("revision") + "\"", new JsonObject().put("reason", "No longer trains"));
      assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
      assertThat(asks.apply(lenaId, trainedDoc)).isFalse();
      assertThat(onUntrained.getString("status")).isEqualTo("qualified");
    } finally {
      pool.close();
      vertx.close();
    }
  }

  /** Lena's trainer qualification for the document: the unrevoked one (another test may have granted it) or a new one. */
  private static JsonObject trainerOf(JsonObject document) {
    JsonObject held = trainerOn(document);
    return held != null ? held : granted(new JsonObject().put("kind", "trainer").put("documentId",
        document.getString("id")).put("evidence", "Train-the-trainer course and an observed session"));
  }

  /** Lena's unrevoked trainer qualification for the document, or null. */
  private static JsonObject trainerOn(JsonObject document) {
    return fx.api.get(fx.tenant.path("/qualifications?kind=trainer&personId=" + lenaId + "&documentId="
            + document.getString("id")), fx.admin()).json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(q -> !"revoked".equals(q.getString("status"))).findFirst().orElse(null);
  }

  @Test
  @DisplayName("tenants are walls: another tenant's admin reads and changes none of these qualifications or lists (404), and nothing changes")
  void crossTenant() {
    Api.Response created = grant(fx.admin(), fx.personId("PQ-000"), new JsonObject().put("kind", "internal-auditor")
        .put("evidence", "Internal auditor course").put("reason", "Audits the cleaning process"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonObject auditor = created.json();
    TenantFixture other = fx.platform.newTenant("qualwall");
    String stranger = other.adminToken();
    long events = auditEvents();
    String qualification = "/qualifications/" + auditor.getString("id");
    List<Api.Response> answers = List.of(
        fx.api.get(grantsPath(lenaId), stranger),
        fx.api.post(grantsPath(lenaId), stranger, new JsonObject().put("kind", "internal-auditor").put("evidence", "x")
            .put("reason", "Intruder")),
        fx.api.get(fx.tenant.path(qualification), stranger),
        fx.api.send("PATCH", fx.tenant.path(qualification), stranger, new JsonObject().put("evidence", "forged")
            .put("reason", "Intruder").encode(), "application/json", Map.of("If-Match", "\"1\"")),
        fx.api.send("POST", fx.tenant.path(qualification + "/revocation"), stranger, new JsonObject()
            .put("reason", "Intruder").encode(), "application/json", Map.of("If-Match", "\"1\"")),
        fx.api.get(fx.tenant.path("/qualifications"), stranger),
        fx.api.get(fx.tenant.path("/documents/" + trainedDoc.getString("id") + "/qualifications"), stranger),
        // Its own tenant knows none of these records.
        fx.api.get(other.path(qualification), stranger),
        fx.api.get(other.path("/people/" + lenaId + "/qualifications"), stranger),
        fx.api.get(other.path("/documents/" + trainedDoc.getString("id") + "/qualifications"), stranger));
    answers.forEach(answer -> assertThat(answer.status()).as(answer.toString()).isEqualTo(404));
    assertThat(auditEvents()).isEqualTo(events);
    JsonObject after = fx.api.get(fx.tenant.path(qualification), fx.admin()).json();
    assertThat(after.getString("evidence")).isEqualTo(auditor.getString("evidence"));
    assertThat(after.getInteger("revision")).isEqualTo(auditor.getInteger("revision"));
  }

  /** Audit events people made (the platform's own jobs may append system events at any time). */
  private static long auditEvents() {
    return fx.platform.queryLong("SELECT count(*) FROM " + fx.schema + ".audit_event WHERE actor_id <> 'system:traceline'");
  }
}
