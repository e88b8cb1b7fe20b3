package io.traceline.platform.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.JobCluster;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Fan-out failover: kill -9 of one of three platform processes during a large fan-out leaves every assignment present exactly once (DESIGN §4)")
class FanOutFailoverIT {

  private static final int PEOPLE = 30_000;

  @Test
  @DisplayName("30,000 operators, 150 chunks over three member processes, one killed mid-way: 30,000 assignments, none twice, the job succeeds")
  void killNineDuringFanOut() throws Exception {
    TestPlatform platform = TestPlatform.get();
    Api api = platform.api();
    TenantFixture tenant = platform.newTenant("failover");
    String schema = "t_" + tenant.slug();
    DocumentFlow flow = new DocumentFlow(platform, tenant);
    Person author = flow.member("Fay", "Author", "document-author");
    Person approver = flow.signer("Flo", "Approver", "approver");
    String admin = flow.member("Fin", "Admin", "training-admin").token(platform);
    JsonObject site = created(api, tenant, admin, "/sites", new JsonObject().put("code", "BOS").put("name", "Boston")
        .put("country", "US").put("timezone", "America/New_York"));
    JsonObject department = created(api, tenant, admin, "/departments", new JsonObject()
        .put("siteId", site.getString("id")).put("code", "FIL").put("name", "Fill and finish"));
    JsonObject role = created(api, tenant, admin, "/job-roles", new JsonObject().put("code", "ASEPTIC-OP")
        .put("name", "Aseptic Operator"));
    // The people are fixture data here (the people API is tested elsewhere): inserted by the schema's owner.
    platform.queryLong("WITH people AS (INSERT INTO " + schema + ".person (id, employee_number, given_name, family_name, "
        + "status, site_id, department_id, hired_on) SELECT " + schema + ".uuid_v7(), 'FO-' || lpad(n::text, 6, '0'), "
        + "'Operator', 'No ' || n, 'active', '" + site.getString("id") + "', '" + department.getString("id") + "', "
        + "date '2024-01-08' FROM generate_series(1, " + PEOPLE + ") n RETURNING id), holdings AS (INSERT INTO " + schema
        + ".person_job_role (id, person_id, job_role_id, valid_from) SELECT " + schema + ".uuid_v7(), id, '"
        + role.getString("id") + "', date '2024-01-08' FROM people RETURNING 1) SELECT count(*) FROM holdings");
    JsonObject document = flow.document(author, "sop", "FIL", "Aseptic interventions", "high");
    assertThat(api.post(tenant.path("/training-requirements"), admin, new JsonObject()
        .put("documentId", document.getString("id")).put("jobRoleId", role.getString("id")).put("method", "on-the-job"))
        .status()).isEqualTo(201);

    // One chunk at a time per member, so the fan-out lasts long enough to kill a member in the middle of it.
    try (JobCluster cluster = new JobCluster(3).withEnv("TRACELINE_JOBS_CONCURRENCY", "1")) {
      for (int i = 0; i < 3; i++) {
        cluster.startProcess(i);
      }
      JsonObject version = flow.effective(document, author, approver, "major", "full-retraining");
      String job = await(platform, "the fan-out job", Duration.ofSeconds(60), () -> platform.queryString(
          "SELECT id::text FROM control.job WHERE dedupe_key = 'revision:" + version.getString("id") + "' AND state IN ('running', 'succeeded')"));
      assertThat(platform.queryLong("SELECT chunks_total FROM control.job WHERE id = '" + job + "'"))
          .isEqualTo(PEOPLE / TestPlatform.FANOUT_CHUNK);
      await(platform, "some chunks done", Duration.ofSeconds(120), () -> platform.queryLong("SELECT count(*) FROM "
          + "control.job_chunk WHERE job_id = '" + job + "' AND state = 'done'") >= 10 ? "yes" : null);

      cluster.process(1).toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no hand-over
      assertThat(cluster.process(1).waitFor(10, TimeUnit.SECONDS)).isTrue();
      long doneAtKill = platform.queryLong("SELECT count(*) FROM control.job_chunk WHERE job_id = '" + job
          + "' AND state = 'done'");

      await(platform, "the job to succeed", Duration.ofMinutes(4), () -> platform.queryString(
          "SELECT state FROM control.job WHERE id = '" + job + "' AND state = 'succeeded'"));
      assertThat(doneAtKill).isLessThan(PEOPLE / TestPlatform.FANOUT_CHUNK);
      assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".training_assignment WHERE version_id = '"
          + version.getString("id") + "'")).isEqualTo(PEOPLE);
      assertThat(platform.queryLong("SELECT count(DISTINCT person_id) FROM " + schema + ".training_assignment WHERE "
          + "version_id = '" + version.getString("id") + "'")).isEqualTo(PEOPLE);
      assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".training_assignment WHERE version_id = '"
          + version.getString("id") + "' AND job_id <> '" + job + "'")).isZero();
      assertThat(platform.queryLong("SELECT coalesce(sum(rows_affected), 0) FROM control.job_chunk WHERE job_id = '"
          + job + "'")).isEqualTo(PEOPLE);
      assertThat(platform.queryLong("SELECT count(DISTINCT done_by) FROM control.job_chunk WHERE job_id = '" + job + "'"))
          .isGreaterThanOrEqualTo(2);
    }
  }

  private static JsonObject created(Api api, TenantFixture tenant, String token, String collection, JsonObject body) {
    Api.Response response = api.post(tenant.path(collection), token, body.put("reason", "Failover test set-up"));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  private static String await(TestPlatform platform, String what, Duration timeout,
                              java.util.function.Supplier<String> probe) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    String value = probe.get();
    while (value == null) {
      assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
      Thread.sleep(50);
      value = probe.get();
    }
    return value;
  }
}
