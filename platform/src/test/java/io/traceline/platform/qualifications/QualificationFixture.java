package io.traceline.platform.qualifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A small organisation for qualification tests, built through the public API: one site (Boston) with a QA department,
 * the job roles of the matrix, a training admin, an author and an approver; people hired through the bulk API, some
 * with logins so they can complete their own read-and-acknowledge training by signing it.
 */
final class QualificationFixture {

  final TestPlatform platform = TestPlatform.get();
  final Api api = platform.api();
  final TenantFixture tenant;
  final String schema;
  final DocumentFlow flow;
  final Person author;
  final Person approver;
  final Person trainingAdmin;

  QualificationFixture(String prefix, String... jobRoleCodes) {
    tenant = platform.newTenant(prefix);
    schema = "t_" + tenant.slug();
    flow = new DocumentFlow(platform, tenant);
    author = flow.member("Adam", "Author", "document-author");
    approver = flow.signer("Alba", "Approver", "approver");
    trainingAdmin = flow.member("Tara", "Trainer", "training-admin");
    JsonObject boston = created("/sites", new JsonObject().put("code", "BOS").put("name", "Boston").put("country", "US")
        .put("timezone", "America/New_York"));
    created("/departments", new JsonObject().put("siteId", boston.getString("id")).put("code", "QA")
        .put("name", "Quality assurance"));
    for (String code : jobRoleCodes) {
      created("/job-roles", new JsonObject().put("code", code).put("name", "Role " + code));
    }
  }

  /** A fresh token of the training admin (tokens live minutes; a test class may run longer). */
  String admin() {
    return trainingAdmin.token(platform);
  }

  JsonObject created(String collection, JsonObject body) {
    Api.Response response = api.post(tenant.path(collection), admin(), body.put("reason", "Set up for qualification tests"));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  /** Hires people (employee number, login or null, job role codes) at Boston QA, all active. */
  void hire(List<Object[]> rows) {
    JsonArray people = new JsonArray();
    for (Object[] row : rows) {
      JsonObject person = new JsonObject().put("employeeNumber", row[0]).put("givenName", "Emp")
          .put("familyName", (String) row[0]).put("siteCode", "BOS").put("departmentCode", "QA").put("status", "active")
          .put("hiredOn", "2024-01-08").put("jobRoleCodes", new JsonArray(List.of((Object[]) row[2])));
      if (row[1] != null) {
        person.put("userId", row[1]);
      }
      people.add(person);
    }
    Api.Response response = api.post(tenant.path("/people/bulk"), admin(), new JsonObject().put("people", people)
        .put("reason", "HR feed"));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
  }

  String personId(String employeeNumber) {
    return platform.queryString("SELECT id::text FROM " + schema + ".person WHERE employee_number = '" + employeeNumber + "'");
  }

  String jobRoleId(String code) {
    return platform.queryString("SELECT id::text FROM " + schema + ".job_role WHERE code = '" + code + "'");
  }

  /** Maps the document to the job role; {@code recertifyMonths} may be null. */
  JsonObject requirement(JsonObject document, String jobRoleCode, String method, Integer recertifyMonths) {
    JsonObject body = new JsonObject().put("documentId", document.getString("id")).put("jobRoleId", jobRoleId(jobRoleCode))
        .put("method", method).put("reason", "The role works under this document");
    if ("assessment".equals(method)) {
      body.put("passScore", 80);
    }
    if (recertifyMonths != null) {
      body.put("recertifyMonths", recertifyMonths);
    }
    Api.Response response = api.post(tenant.path("/training-requirements"), admin(), body);
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  /** Completes the learner's open read-and-acknowledge of the version by signing it, as the learner does. */
  void acknowledge(Person learner, JsonObject version) {
    String token = learner.token(platform);
    JsonObject assignment = api.get(tenant.path("/me/training?status=open&limit=200"), token).json().getJsonArray("items")
        .stream().map(JsonObject.class::cast)
        .filter(a -> a.getJsonObject("version").getString("id").equals(version.getString("id")))
        .findFirst().orElseThrow(() -> new AssertionError("No open assignment of version " + version.getString("id")));
    // Read-and-acknowledge: the learner opens the version first.
    assertThat(api.getBytes(tenant.path("/me/training/" + assignment.getString("id") + "/content"), token).statusCode())
        .isEqualTo(200);
    Api.Response done = api.post(tenant.path("/me/training/" + assignment.getString("id") + "/acknowledgement"), token,
        new JsonObject().put("reauthentication", DocumentFlow.password(learner)));
    assertThat(done.status()).as(done.toString()).isEqualTo(201);
  }

  /**
   * Completes the person's open assignment of the version by assessment, as the assessment feature will: the
   * assessment engine is not part of this branch, so the schema's owner records the passed assessment in SQL.
   */
  void passAssessment(String employeeNumber, JsonObject version) {
    long completed = platform.queryLong("WITH done AS (UPDATE " + schema + ".training_assignment SET status = 'completed', "
        + "completed_at = now(), closed_at = now(), close_reason = 'Assessment passed' WHERE version_id = '"
        + version.getString("id") + "' AND person_id = '" + personId(employeeNumber) + "' AND status = 'open' "
        + "AND method = 'assessment' RETURNING 1) SELECT count(*) FROM done");
    assertThat(completed).isEqualTo(1);
  }

  Api.Response check(String token, String person, String document) {
    return api.get(tenant.path("/qualification-checks?person=" + encode(person) + "&document=" + encode(document)), token);
  }

  JsonObject allowedCheck(String token, String person, String document) {
    Api.Response response = check(token, person, document);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Waits until every training job of the tenant that is due has finished (recertification timers wait for months). */
  void settle() throws InterruptedException {
    await("training jobs", () -> platform.queryLong("SELECT count(*) FROM control.job WHERE tenant = '" + tenant.slug()
        + "' AND kind LIKE 'training.%' AND state IN ('scheduled', 'running') AND run_at < now() + interval '1 day'") == 0);
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
      Thread.sleep(100);
    }
  }
}
