package io.traceline.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.function.Predicate;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.JobCluster;
import io.traceline.platform.testing.TestPlatform;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The job runtime: Hazelcast spreads durable jobs over the members, PostgreSQL makes each effect happen once")
class JobRuntimeIT {

  private static TestPlatform platform;

  @BeforeAll
  static void start() {
    platform = TestPlatform.get();
  }

  @Test
  @DisplayName("a 1,000-chunk job on three members completes with every chunk's effect exactly once, spread over the members")
  void thousandChunksExactlyOnce() throws Exception {
    try (JobCluster cluster = new JobCluster(3)) {
      for (int i = 0; i < 3; i++) {
        cluster.startInJvm(i);
      }
      assertThat(cluster.platforms().get(0).member().memberCount()).isEqualTo(3);
      String job = startProbe(cluster.api(0), new JsonObject().put("chunks", 1000));

      JsonObject done = awaitJob(cluster.api(1), job, state -> state.equals("succeeded"), Duration.ofMinutes(3));

      assertThat(done.getJsonObject("progress").getLong("chunksDone")).isEqualTo(1000);
      assertExactlyOnce(job, 1000);
      assertThat(distinct("member", job)).as("members that did work").isEqualTo(3);
    }
  }

  @Test
  @DisplayName("kill -9 of one of three member processes mid-way through a 1,000-chunk job loses and duplicates nothing, and the job completes")
  void killNineMidJob() throws Exception {
    try (JobCluster cluster = new JobCluster(3)) {
      for (int i = 0; i < 3; i++) {
        cluster.startProcess(i);
      }
      String job = startProbe(cluster.api(0), new JsonObject().put("chunks", 1000).put("chunkDelayMs", 100));
      awaitJob(cluster.api(0), job, state -> true, Duration.ofSeconds(30));
      awaitProgress(cluster.api(0), job, 150);

      cluster.process(1).toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no graceful hand-over
      assertThat(cluster.process(1).waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      JsonObject done = awaitJob(cluster.api(2), job, state -> state.equals("succeeded"), Duration.ofMinutes(3));
      assertThat(done.getJsonObject("progress").getLong("chunksDone")).isEqualTo(1000);
      assertExactlyOnce(job, 1000);
      assertThat(distinct("member", job)).isEqualTo(3);
    }
  }

  @Test
  @DisplayName("a timer due in 2 s fires once, at or after its time, with three members")
  void timerFiresOnce() throws Exception {
    try (JobCluster cluster = new JobCluster(3)) {
      for (int i = 0; i < 3; i++) {
        cluster.startInJvm(i);
      }
      OffsetDateTime due = OffsetDateTime.now().plusSeconds(2);
      String job = startProbe(cluster.api(0), new JsonObject().put("chunks", 1).put("runAt", due.toString()));
      assertThat(cluster.api(0).get("/api/v1/operator/jobs/" + job, platform.operatorToken()).json().getString("state"))
          .isEqualTo("scheduled");

      JsonObject done = awaitJob(cluster.api(2), job, state -> state.equals("succeeded"), Duration.ofSeconds(60));

      assertThat(OffsetDateTime.parse(done.getString("plannedAt"))).isAfterOrEqualTo(due.withNano(0));
      assertExactlyOnce(job, 1);
    }
  }

  @Test
  @DisplayName("a timer survives a whole-cluster restart before its time and fires once after the restart")
  void timerSurvivesWholeClusterRestart() throws Exception {
    OffsetDateTime due = OffsetDateTime.now().plusSeconds(8);
    String job;
    try (JobCluster before = new JobCluster(2)) {
      before.startInJvm(0);
      before.startInJvm(1);
      job = startProbe(before.api(0), new JsonObject().put("chunks", 3).put("runAt", due.toString()));
    }
    assertThat(OffsetDateTime.now()).as("the whole cluster stopped before the timer was due").isBefore(due);
    assertThat(stateOf(job)).isEqualTo("scheduled");

    try (JobCluster after = new JobCluster(2)) {
      after.startInJvm(0);
      after.startInJvm(1);
      JsonObject done = awaitJob(after.api(1), job, state -> state.equals("succeeded"), Duration.ofSeconds(60));
      assertThat(OffsetDateTime.parse(done.getString("plannedAt"))).isAfterOrEqualTo(due.withNano(0));
      assertExactlyOnce(job, 3);
    }
  }

  @Test
  @DisplayName("transient failures are retried with backoff until the chunk succeeds, also the chunk a one-chunk job runs while it is planned")
  void transientFailuresRetry() throws Exception {
    try (JobCluster cluster = new JobCluster(1)) {
      cluster.startInJvm(0);
      String job = startProbe(cluster.api(0), new JsonObject().put("chunks", 3).put("transientFailures", 2));
      String single = startProbe(cluster.api(0), new JsonObject().put("chunks", 1).put("transientFailures", 2));

      JsonObject done = awaitJob(cluster.api(0), job, state -> state.equals("succeeded"), Duration.ofSeconds(60));
      JsonObject singleDone = awaitJob(cluster.api(0), single, state -> state.equals("succeeded"), Duration.ofSeconds(60));

      assertThat(done.getJsonObject("progress").getLong("attempts")).isEqualTo(9);
      assertExactlyOnce(job, 3);
      assertThat(singleDone.getJsonObject("progress").getLong("attempts")).isEqualTo(3);
      assertExactlyOnce(single, 1);
    }
  }

  @Test
  @DisplayName("a one-chunk job runs its chunk in its planning transaction, and a job enqueued by a request starts at once, not at the next poll")
  void oneChunkJobRunsWhereItIsPlanned() throws Exception {
    try (JobCluster cluster = new JobCluster(2).withPollInterval(Duration.ofMinutes(30))) {
      cluster.startInJvm(0);
      cluster.startInJvm(1);
      // Both members polled once when they started; the next poll is half an hour away, so only the wake-up sent once
      // the request's transaction committed can start these jobs.
      String single = startProbe(cluster.api(0), new JsonObject().put("chunks", 1));
      String triple = startProbe(cluster.api(1), new JsonObject().put("chunks", 3));

      awaitJob(cluster.api(0), single, state -> state.equals("succeeded"), Duration.ofSeconds(60));
      awaitProgress(cluster.api(1), triple, 3);

      assertExactlyOnce(single, 1);
      assertExactlyOnce(triple, 3);
      // A job a feature enqueues in a request's own transaction (here: hiring someone enqueues the reconciliation of
      // their training) starts once that transaction has committed, without waiting for a poll.
      TestPlatform.TenantFixture tenant = platform.newTenant("jobwake");
      String admin = new DocumentFlow(platform, tenant).member("Tara", "Trainer", "training-admin").token(platform);
      Api api = cluster.api(0);
      String site = api.post(tenant.path("/sites"), admin, new JsonObject().put("code", "BOS").put("name", "Boston")
          .put("country", "US").put("timezone", "America/New_York").put("reason", "Set up")).json().getString("id");
      String department = api.post(tenant.path("/departments"), admin, new JsonObject().put("siteId", site)
          .put("code", "QA").put("name", "Quality").put("reason", "Set up")).json().getString("id");
      Api.Response hired = api.post(tenant.path("/people"), admin, new JsonObject().put("employeeNumber", "W-1")
          .put("givenName", "Wanda").put("familyName", "Wake").put("siteId", site).put("departmentId", department)
          .put("hiredOn", "2025-01-01").put("reason", "Hired"));
      assertThat(hired.status()).as(hired.toString()).isEqualTo(201);
      String reconciliation = "SELECT count(*) FROM control.job WHERE tenant = '" + tenant.slug()
          + "' AND kind = 'training.person-events' AND state = 'succeeded'";
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (count(reconciliation) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(count(reconciliation)).as("the hire's reconciliation ran without a poll").isEqualTo(1);
      // One transaction: the chunk's done mark and the job's planned and finished marks carry the same now().
      assertThat(count("SELECT count(*) FROM control.job j JOIN control.job_chunk c ON c.job_id = j.id WHERE j.id = '"
          + single + "' AND c.done_at = j.planned_at AND j.finished_at = j.planned_at")).isEqualTo(1);
      // A job of several chunks is planned first; its chunks run in transactions of their own.
      assertThat(count("SELECT count(*) FROM control.job j JOIN control.job_chunk c ON c.job_id = j.id WHERE j.id = '"
          + triple + "' AND c.done_at > j.planned_at")).isEqualTo(3);
    }
  }

  @Test
  @DisplayName("a job a chunk enqueues, due at once, is planned in that chunk's transaction and, when it is one chunk, run there too; a failing one is left to the workers and the chunk still commits")
  void continuationsRunInTheCausesTransaction() throws Exception {
    try (JobCluster cluster = new JobCluster(1)) {
      cluster.startInJvm(0);
      Api api = cluster.api(0);
      String small = startProbe(api, new JsonObject().put("chunks", 1).put("then", new JsonObject().put("chunks", 1)));
      String large = startProbe(api, new JsonObject().put("chunks", 1).put("then", new JsonObject().put("chunks", 3)));
      String failing = startProbe(api, new JsonObject().put("chunks", 1)
          .put("then", new JsonObject().put("chunks", 1).put("transientFailures", 1)));
      for (String cause : java.util.List.of(small, large, failing)) {
        awaitJob(api, cause, state -> state.equals("succeeded"), Duration.ofSeconds(60));
        awaitJob(api, followUp(cause), state -> state.equals("succeeded"), Duration.ofSeconds(60));
        assertExactlyOnce(cause, 1);
      }
      assertExactlyOnce(followUp(small), 1);
      assertExactlyOnce(followUp(large), 3);
      assertExactlyOnce(followUp(failing), 1);
      // One transaction, one now(): the cause's chunk, the follow-up's planning, and (one chunk) its chunk.
      String sameTransaction = "SELECT count(*) FROM control.job_chunk cause JOIN control.job f ON f.dedupe_key = "
          + "'probe-then:' || cause.job_id || ':0' JOIN control.job_chunk fc ON fc.job_id = f.id WHERE cause.job_id = '%s' "
          + "AND f.planned_at = cause.done_at AND fc.done_at %s cause.done_at";
      assertThat(count(String.format(sameTransaction, small, "="))).isEqualTo(1);
      // Three chunks: planned there, each chunk then run by a worker in a transaction of its own.
      assertThat(count(String.format(sameTransaction, large, ">"))).isEqualTo(3);
      // The follow-up's failed attempt was undone to before it; the workers ran it again, the cause committed once.
      assertThat(count("SELECT total_attempts FROM control.job_chunk WHERE job_id = '" + followUp(failing) + "'"))
          .isEqualTo(2);
    }
  }

  private static String followUp(String cause) throws SQLException {
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT id FROM control.job WHERE dedupe_key = 'probe-then:" + cause
             + ":0'")) {
      assertThat(rows.next()).as("the follow-up of " + cause).isTrue();
      return rows.getString(1);
    }
  }

  @Test
  @DisplayName("a permanent failure makes the job dead with its error; an operator retry runs it to success, once")
  void permanentFailureThenRetry() throws Exception {
    try (JobCluster cluster = new JobCluster(1)) {
      cluster.startInJvm(0);
      Api api = cluster.api(0);
      String job = startProbe(api, new JsonObject().put("chunks", 3).put("failChunk", 1).put("permanentFailures", 1));

      JsonObject dead = awaitJob(api, job, state -> state.equals("dead"), Duration.ofSeconds(60));
      assertThat(dead.getString("lastError")).contains("fails permanently");
      assertThat(dead.getJsonObject("progress").getLong("chunksDead")).isEqualTo(1);
      assertThat(dead.getJsonObject("progress").getJsonArray("deadChunks").getJsonObject(0).getInteger("chunk")).isEqualTo(1);
      Api.Response listed = api.get("/api/v1/operator/jobs?state=dead&kind=probe", platform.operatorToken());
      assertThat(listed.json().getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("id"))).contains(job);

      Api.Response retried = api.post("/api/v1/operator/jobs/" + job + "/retry", platform.operatorToken(), null);
      assertThat(retried.status()).as(retried.toString()).isEqualTo(200);

      awaitJob(api, job, state -> state.equals("succeeded"), Duration.ofSeconds(60));
      assertExactlyOnce(job, 3);
      assertThat(api.post("/api/v1/operator/jobs/" + job + "/retry", platform.operatorToken(), null).status()).isEqualTo(409);

      // A one-chunk job is written only with its outcome; when its chunk fails in the planning transaction, the chunk
      // is recorded then, dead with its error, and a retry runs it like any other.
      String single = startProbe(api, new JsonObject().put("chunks", 1).put("failChunk", 0).put("permanentFailures", 1));
      JsonObject singleDead = awaitJob(api, single, state -> state.equals("dead"), Duration.ofSeconds(60));
      assertThat(singleDead.getInteger("chunksTotal")).isEqualTo(1);
      assertThat(singleDead.getJsonObject("progress").getLong("chunksDead")).isEqualTo(1);
      assertThat(singleDead.getJsonObject("progress").getJsonArray("deadChunks").getJsonObject(0).getString("error"))
          .contains("fails permanently");
      assertThat(api.post("/api/v1/operator/jobs/" + single + "/retry", platform.operatorToken(), null).status())
          .isEqualTo(200);
      awaitJob(api, single, state -> state.equals("succeeded"), Duration.ofSeconds(60));
      assertExactlyOnce(single, 1);
    }
  }

  @Test
  @DisplayName("the runtime publishes job counts, timer lag, chunk throughput and member count; only operators see jobs")
  void metersAndAccess() throws Exception {
    try (JobCluster cluster = new JobCluster(1)) {
      cluster.startInJvm(0);
      Api api = cluster.api(0);
      String job = startProbe(api, new JsonObject().put("chunks", 5));
      awaitJob(api, job, state -> state.equals("succeeded"), Duration.ofSeconds(60));

      String metrics = api.get("/metrics", null).body();
      assertThat(metrics).contains("traceline_cluster_members").contains("traceline_jobs{state=\"dead\"}")
          .contains("traceline_jobs_timer_lag_seconds_count").contains("traceline_jobs_chunks_total{outcome=\"done\"}");
      assertThat(api.get("/api/v1/operator/cluster", platform.operatorToken()).json().getJsonArray("members")).hasSize(1);

      TestPlatform.TenantFixture tenant = platform.newTenant("jobgate");
      assertThat(api.get("/api/v1/operator/jobs/" + job, tenant.adminToken()).status()).isEqualTo(403);
      assertThat(api.post("/api/v1/operator/jobs/probe", tenant.adminToken(), new JsonObject().put("chunks", 1)).status())
          .isEqualTo(403);
      assertThat(api.post("/api/v1/operator/jobs/probe", platform.operatorToken(), new JsonObject().put("chunks", 0)).status())
          .isEqualTo(400);
    }
  }

  private static String startProbe(Api api, JsonObject body) {
    Api.Response response = api.post("/api/v1/operator/jobs/probe", platform.operatorToken(), body);
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json().getString("id");
  }

  private static JsonObject awaitJob(Api api, String job, Predicate<String> state, Duration timeout) throws InterruptedException {
    String token = platform.operatorToken();
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      Api.Response response = api.get("/api/v1/operator/jobs/" + job, token);
      if (response.status() == 401) {
        token = platform.operatorToken();
        continue;
      }
      last = response.json();
      if (state.test(last.getString("state"))) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("Job " + job + " did not reach the expected state in " + timeout + "; last: " + last);
  }

  private static void awaitProgress(Api api, String job, long chunksDone) throws InterruptedException {
    awaitJob(api, job, state -> {
      try {
        return count("SELECT count(*) FROM control.job_chunk WHERE job_id = '" + job + "' AND state = 'done'") >= chunksDone;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }, Duration.ofMinutes(2));
  }

  /** One effect row per chunk: none missing, none twice. */
  private static void assertExactlyOnce(String job, int chunks) throws SQLException {
    assertThat(count("SELECT count(*) FROM control.job_probe_effect WHERE job_id = '" + job + "'")).isEqualTo(chunks);
    assertThat(count("SELECT count(DISTINCT chunk_no) FROM control.job_probe_effect WHERE job_id = '" + job + "'"))
        .isEqualTo(chunks);
  }

  private static long distinct(String column, String job) throws SQLException {
    return count("SELECT count(DISTINCT " + column + ") FROM control.job_probe_effect WHERE job_id = '" + job + "'");
  }

  private static String stateOf(String job) throws SQLException {
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT state FROM control.job WHERE id = '" + job + "'")) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
