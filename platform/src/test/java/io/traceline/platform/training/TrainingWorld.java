package io.traceline.platform.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.JobCluster;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A small plant for the training execution tests, built through the public API: a site with a fill-finish department,
 * an aseptic operator role, a training admin, a document author and approver, a supervisor who manages the learners,
 * and learners with logins who hold the role. A job cluster runs the fan-outs that assign them.
 */
public final class TrainingWorld implements AutoCloseable {

  public final TestPlatform platform = TestPlatform.get();
  public final Api api = platform.api();
  public final TenantFixture tenant;
  public final String schema;
  public final DocumentFlow flow;
  public final Person author;
  public final Person approver;
  public final Person trainingAdmin;
  public final Person supervisor;
  public final String admin;
  public final JsonObject operatorRole;
  private final JobCluster cluster = new JobCluster(1);
  private final String siteCode;
  private int hired;

  public TrainingWorld(String prefix) {
    tenant = platform.newTenant(prefix);
    schema = "t_" + tenant.slug();
    flow = new DocumentFlow(platform, tenant);
    author = flow.member("Ada", "Author", "document-author");
    approver = flow.signer("Abe", "Approver", "approver");
    trainingAdmin = flow.signer("Tia", "Coordinator", "training-admin");
    admin = trainingAdmin.token(platform);
    supervisor = flow.member("Sol", "Supervisor", "supervisor");
    siteCode = "CRK";
    JsonObject site = created("/sites", new JsonObject().put("code", siteCode).put("name", "Cork").put("country", "IE")
        .put("timezone", "Europe/Dublin"));
    created("/departments", new JsonObject().put("siteId", site.getString("id")).put("code", "FIL")
        .put("name", "Fill and finish"));
    operatorRole = created("/job-roles", new JsonObject().put("code", "ASEPTIC-OP").put("name", "Aseptic Operator"));
    cluster.startInJvm(0);
    people(new JsonArray().add(row("SUP-1", supervisor, null, false)));
  }

  @Override
  public void close() {
    cluster.close();
  }

  public JsonObject created(String collection, JsonObject body) {
    Api.Response response = api.post(tenant.path(collection), admin, body.put("reason", "Set up the plant"));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  /** A learner with a login and the signature policy signed, hired as an aseptic operator managed by the supervisor. */
  public Person learner(String given, String family) {
    Person person = flow.signer(given, family, "employee");
    people(new JsonArray().add(row("L-" + (++hired) + "-" + family.toUpperCase(java.util.Locale.ROOT), person, "SUP-1", true)));
    return person;
  }

  /** A person without a login (PPL-4: trained in class, recorded by a trainer), hired as an aseptic operator: their id. */
  public String hireWithoutLogin(String given, String family) {
    String employeeNumber = "N-" + (++hired) + "-" + family.toUpperCase(java.util.Locale.ROOT);
    people(new JsonArray().add(new JsonObject().put("employeeNumber", employeeNumber).put("givenName", given)
        .put("familyName", family).put("siteCode", siteCode).put("departmentCode", "FIL").put("status", "active")
        .put("hiredOn", "2024-01-08").put("managerEmployeeNumber", "SUP-1")
        .put("jobRoleCodes", new JsonArray().add("ASEPTIC-OP"))));
    return platform.queryString("SELECT id::text FROM " + schema + ".person WHERE employee_number = '" + employeeNumber + "'");
  }

  /** The person record linked to the login. */
  public String personId(Person person) {
    return platform.queryString("SELECT id::text FROM " + schema + ".person WHERE user_id = '" + person.id() + "'");
  }

  /** The open-or-closed assignment of a person (by id) on the version, as the training admin reads it. */
  public JsonObject assignmentOf(String personId, JsonObject version) {
    Api.Response found = api.get(tenant.path("/training-assignments?personId=" + personId + "&versionId="
        + version.getString("id")), trainingAdmin.token(platform));
    assertThat(found.status()).as(found.toString()).isEqualTo(200);
    return found.json().getJsonArray("items").getJsonObject(0);
  }

  /**
   * A trainer of the document: an operator with a login who trained on the version (recorded after the fact by the
   * training admin, with the supervisor as their trainer) and holds a trainer qualification for the document.
   */
  public Person qualifiedTrainer(String given, String family, JsonObject document, JsonObject version) {
    Person trainer = learner(given, family);
    String token = trainingAdmin.token(platform);
    JsonObject own = assignment(trainer, version);
    Api.Response trained = api.post(tenant.path("/training-assignments/" + own.getString("id") + "/completion"), token,
        new JsonObject().put("trainedAt", platform.databaseNow().minusHours(2).toString())
            .put("trainerId", platform.queryString("SELECT id::text FROM " + schema + ".person WHERE employee_number = 'SUP-1'"))
            .put("reason", "Trained before Traceline; entered from the paper training file")
            .put("reauthentication", DocumentFlow.password(trainingAdmin)));
    assertThat(trained.status()).as(trained.toString()).isEqualTo(201);
    Api.Response granted = api.post(tenant.path("/people/" + personId(trainer) + "/qualifications"), token,
        new JsonObject().put("kind", "trainer").put("documentId", document.getString("id"))
            .put("evidence", "Train-the-trainer course and an observed session").put("reason", "Trains operators on it"));
    assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
    return trainer;
  }

  private JsonObject row(String employeeNumber, Person person, String manager, boolean operator) {
    String[] names = person.name().split(" ");
    JsonObject row = new JsonObject().put("employeeNumber", employeeNumber).put("givenName", names[0])
        .put("familyName", names[1]).put("siteCode", siteCode).put("departmentCode", "FIL").put("status", "active")
        .put("hiredOn", "2024-01-08").put("userId", person.id());
    if (manager != null) {
      row.put("managerEmployeeNumber", manager);
    }
    if (operator) {
      row.put("jobRoleCodes", new JsonArray().add("ASEPTIC-OP"));
    }
    return row;
  }

  private void people(JsonArray rows) {
    Api.Response response = api.post(tenant.path("/people/bulk"), admin, new JsonObject().put("people", rows)
        .put("reason", "HR feed"));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    settle();
  }

  /** A document whose operators train by {@code method} (an assessment with the given pass score and attempts). */
  public JsonObject document(String title, String method, Integer passScore, Integer maxAttempts, Integer recertifyMonths) {
    return document(title, method, "high", passScore, maxAttempts, recertifyMonths);
  }

  /** A document of the given risk class whose operators train by {@code method}. */
  public JsonObject document(String title, String method, String riskClass, Integer passScore, Integer maxAttempts,
                      Integer recertifyMonths) {
    JsonObject document = flow.document(author, "sop", "FIL", title, riskClass);
    JsonObject body = new JsonObject().put("documentId", document.getString("id"))
        .put("jobRoleId", operatorRole.getString("id")).put("method", method).put("dueDays", 30)
        .put("reason", "Operators perform this procedure");
    if (passScore != null) {
      body.put("passScore", passScore);
    }
    if (maxAttempts != null) {
      body.put("maxAttempts", maxAttempts);
    }
    if (recertifyMonths != null) {
      body.put("recertifyMonths", recertifyMonths);
    }
    Api.Response response = api.post(tenant.path("/training-requirements"), admin, body);
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return document;
  }

  /** Makes a new major version effective and waits for its fan-out; returns the version. */
  public JsonObject effective(JsonObject document) {
    JsonObject version = flow.effective(document, author, approver, "major", "full-retraining");
    settle();
    return version;
  }

  /** The learner's assignment on that version (any status). */
  public JsonObject assignment(Person learner, JsonObject version) {
    Api.Response mine = api.get(tenant.path("/me/training?limit=200"), learner.token(platform));
    assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
    return mine.json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(a -> a.getJsonObject("version").getString("id").equals(version.getString("id")))
        .findFirst().orElseThrow(() -> new AssertionError("no assignment on " + version.getString("id")));
  }

  public String mePath(JsonObject assignment, String rest) {
    return tenant.path("/me/training/" + assignment.getString("id") + rest);
  }

  public Api.Response postWithKey(String path, String token, JsonObject body, String idempotencyKey) {
    return api.send("POST", path, token, body.encode(), "application/json",
        idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
  }

  public long count(String sql) {
    return platform.queryLong("SELECT count(*) FROM " + sql.replace("${schema}", schema));
  }

  /** Waits until every training job of the tenant has finished. */
  public void settle() {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (platform.queryLong("SELECT count(*) FROM control.job WHERE tenant = '" + tenant.slug()
        + "' AND kind LIKE 'training.%' AND state IN ('scheduled', 'running') AND run_at <= now()") > 0) {
      assertThat(Instant.now()).as("waiting for training jobs").isBefore(deadline);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
