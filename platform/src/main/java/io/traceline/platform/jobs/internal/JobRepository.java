package io.traceline.platform.jobs.internal;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.traceline.platform.jobs.Job;
import io.traceline.platform.jobs.NewJob;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** SQL of the job tables in the control schema. Runs on the caller's connection or pool. */
public final class JobRepository {

  static final String JOB_COLUMNS = "j.id, j.tenant, j.kind, j.payload, j.run_at, j.state, j.chunks_total, j.last_error, "
      + "j.created_at, j.planned_at, j.finished_at, j.created_by";

  /** Inserts the job; with a dedupe key that already exists, returns the existing job's id instead. */
  public Future<UUID> insert(SqlConnection connection, UUID id, int partition, NewJob job) {
    return connection.preparedQuery("INSERT INTO control.job (id, tenant, kind, payload, partition_id, run_at, state, "
            + "dedupe_key, created_by) VALUES ($1, $2, $3, $4, $5, $6, 'scheduled', $7, $8) "
            + "ON CONFLICT (coalesce(tenant, ''), kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id")
        .execute(Tuple.of(id, job.tenant(), job.kind(), job.payload(), partition,
            OffsetDateTime.ofInstant(job.runAt(), java.time.ZoneOffset.UTC), job.dedupeKey(), job.createdBy()))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(rows.iterator().next().getUUID("id"))
            : connection.preparedQuery("SELECT id FROM control.job WHERE coalesce(tenant, '') = coalesce($1, '') "
                    + "AND kind = $2 AND dedupe_key = $3")
                .execute(Tuple.of(job.tenant(), job.kind(), job.dedupeKey()))
                .map(existing -> existing.iterator().next().getUUID("id")));
  }

  /** Locks the earliest due job of the given partitions that no other member is planning; empty when none is due. */
  public Future<List<Job>> claimDue(SqlConnection connection, Set<Integer> partitions) {
    return connection.preparedQuery("SELECT " + JOB_COLUMNS + " FROM control.job j WHERE j.state = 'scheduled' "
            + "AND j.run_at <= now() AND j.partition_id = ANY($1) ORDER BY j.run_at LIMIT 1 FOR UPDATE SKIP LOCKED")
        .execute(Tuple.of(partitions.toArray(Integer[]::new)))
        .map(JobRepository::toJobs);
  }

  /**
   * Locks the jobs of {@code tenant} that the current transaction enqueued (their {@code created_at} is this
   * transaction's {@code now()}) and that are due already: the continuations of the chunk it runs.
   */
  public Future<List<Job>> claimEnqueuedHere(SqlConnection connection, String tenant, int limit) {
    return connection.preparedQuery("SELECT " + JOB_COLUMNS + " FROM control.job j WHERE j.state = 'scheduled' "
            + "AND j.created_at = now() AND j.run_at <= clock_timestamp() AND j.tenant IS NOT DISTINCT FROM $1 "
            + "ORDER BY j.run_at LIMIT $2 FOR UPDATE SKIP LOCKED")
        .execute(Tuple.of(tenant, limit))
        .map(JobRepository::toJobs);
  }

  /** Creates the job's chunks and marks it running, in the planning transaction. */
  public Future<Void> markPlanned(SqlConnection connection, UUID jobId, List<Tuple> chunks) {
    return connection.preparedQuery("INSERT INTO control.job_chunk (job_id, chunk_no, partition_id, state) VALUES ($1, $2, $3, 'pending') "
            + "ON CONFLICT DO NOTHING")
        .executeBatch(chunks)
        .compose(v -> connection.preparedQuery("UPDATE control.job SET state = 'running', chunks_total = $2, "
                + "planned_at = now() WHERE id = $1")
            .execute(Tuple.of(jobId, chunks.size())))
        .mapEmpty();
  }

  /** A failed planning attempt: the job stays due (retried at the next poll) until it is dead. */
  public Future<Void> recordPlanningFailure(SqlClient client, UUID jobId, String error, boolean retry, int maxAttempts) {
    return client.preparedQuery("UPDATE control.job SET attempts = attempts + 1, last_error = $2, "
            + "state = CASE WHEN $3 AND attempts + 1 < $4 THEN 'scheduled' ELSE 'dead' END, "
            + "finished_at = CASE WHEN $3 AND attempts + 1 < $4 THEN NULL ELSE now() END "
            + "WHERE id = $1 AND state = 'scheduled'")
        .execute(Tuple.of(jobId, error, retry, maxAttempts)).mapEmpty();
  }

  /**
   * Locks one ready chunk of a running job: in the given partitions, or (stealing) in any partition when
   * it has waited longer than {@code olderThan} — a backstop for a partition whose owner is stuck.
   */
  public Future<ClaimedChunk> claimChunk(SqlConnection connection, Set<Integer> partitions, Duration olderThan) {
    String where = olderThan == null ? "c.partition_id = ANY($1)"
        : "c.pending_since < now() - make_interval(secs => $1)";
    Tuple params = olderThan == null ? Tuple.of(partitions.toArray(Integer[]::new)) : Tuple.of((double) olderThan.toSeconds());
    return connection.preparedQuery("SELECT c.chunk_no, c.total_attempts, " + JOB_COLUMNS
            + " FROM control.job_chunk c JOIN control.job j ON j.id = c.job_id "
            + "WHERE c.state = 'pending' AND " + where + " AND c.next_attempt_at <= now() AND j.state = 'running' "
            + "ORDER BY c.next_attempt_at, c.job_id, c.chunk_no LIMIT 1 FOR UPDATE OF c SKIP LOCKED")
        .execute(params)
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new ClaimedChunk(toJob(row), row.getInteger("chunk_no"), row.getInteger("total_attempts"));
        });
  }

  /**
   * A job planned as a single chunk and run in its planning transaction: its chunk, done, and the job, succeeded, in one
   * statement (the job is still scheduled here: nothing of its planning was written).
   */
  public Future<Void> finishSingleChunk(SqlConnection connection, UUID jobId, int partition, String member, long rows) {
    return connection.preparedQuery("WITH chunk AS (INSERT INTO control.job_chunk (job_id, chunk_no, partition_id, state, "
            + "total_attempts, done_by, done_at, rows_affected) VALUES ($1, 0, $2, 'done', 1, $3, now(), $4)) "
            + "UPDATE control.job SET state = 'succeeded', chunks_total = 1, planned_at = now(), finished_at = now() "
            + "WHERE id = $1")
        .execute(Tuple.of(jobId, partition, member, rows)).mapEmpty();
  }

  public Future<Void> markChunkDone(SqlConnection connection, UUID jobId, int chunkNo, String member, long rows) {
    return connection.preparedQuery("UPDATE control.job_chunk SET state = 'done', done_by = $3, done_at = now(), "
            + "rows_affected = $4, total_attempts = total_attempts + 1 WHERE job_id = $1 AND chunk_no = $2")
        .execute(Tuple.of(jobId, chunkNo, member, rows)).mapEmpty();
  }

  /** Records a failed attempt; the chunk (and its job) is dead when the failure is permanent or attempts ran out. */
  public Future<Boolean> recordChunkFailure(SqlConnection connection, UUID jobId, int chunkNo, String error,
                                            boolean retry, Duration backoff) {
    return connection.preparedQuery("UPDATE control.job_chunk SET attempts = attempts + 1, "
            + "total_attempts = total_attempts + 1, last_error = $3, "
            + "state = CASE WHEN $4 THEN 'pending' ELSE 'dead' END, "
            + "next_attempt_at = now() + make_interval(secs => $5) WHERE job_id = $1 AND chunk_no = $2 RETURNING state")
        .execute(Tuple.of(jobId, chunkNo, error, retry, backoff.toMillis() / 1000.0))
        .compose(rows -> {
          boolean dead = "dead".equals(rows.iterator().next().getString("state"));
          if (!dead) {
            return Future.succeededFuture(false);
          }
          return connection.preparedQuery("UPDATE control.job SET state = 'dead', last_error = $2, finished_at = now() "
                  + "WHERE id = $1 AND state = 'running'")
              .execute(Tuple.of(jobId, "chunk " + chunkNo + ": " + error)).map(true);
        });
  }

  /**
   * Locks a pending chunk and returns its attempts (a chunk this transaction already holds is returned;
   * SKIP LOCKED only skips other transactions' locks).
   */
  public Future<Integer> lockChunkAttempts(SqlConnection connection, UUID jobId, int chunkNo) {
    return connection.preparedQuery("SELECT attempts FROM control.job_chunk WHERE job_id = $1 AND chunk_no = $2 "
            + "AND state = 'pending' FOR UPDATE SKIP LOCKED")
        .execute(Tuple.of(jobId, chunkNo))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger("attempts"));
  }

  /** Running jobs whose chunks are all done become succeeded. */
  public Future<Integer> completeFinished(SqlClient client) {
    // Prepared, so that a session plans it once (the runtime's sessions keep generic plans), not at every tick.
    return client.preparedQuery("UPDATE control.job j SET state = 'succeeded', finished_at = now() WHERE j.state = 'running' "
            + "AND NOT EXISTS (SELECT 1 FROM control.job_chunk c WHERE c.job_id = j.id AND c.state <> 'done')")
        .execute().map(RowSet::rowCount);
  }

  /** Dead chunks go back to pending with fresh attempts; the job runs again. False when the job is not dead. */
  public Future<Boolean> retryDead(SqlConnection connection, UUID jobId) {
    return connection.preparedQuery("UPDATE control.job SET state = CASE WHEN chunks_total IS NULL THEN 'scheduled' "
            + "ELSE 'running' END, last_error = NULL, finished_at = NULL, attempts = 0 WHERE id = $1 AND state = 'dead' "
            + "RETURNING id")
        .execute(Tuple.of(jobId))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(false)
            : connection.preparedQuery("UPDATE control.job_chunk SET state = 'pending', attempts = 0, "
                    + "next_attempt_at = now(), pending_since = now() WHERE job_id = $1 AND state = 'dead'")
                .execute(Tuple.of(jobId)).map(true));
  }

  public Future<Job> find(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT " + JOB_COLUMNS + " FROM control.job j WHERE j.id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toJob(rows.iterator().next()));
  }

  /** Chunk counts by state, rows affected, and the errors of dead chunks. */
  public Future<JsonObject> progress(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT count(*) FILTER (WHERE state = 'done') AS done, "
            + "count(*) FILTER (WHERE state = 'pending') AS pending, count(*) FILTER (WHERE state = 'dead') AS dead, "
            + "coalesce(sum(rows_affected), 0) AS rows, coalesce(sum(total_attempts), 0) AS attempts, "
            + "count(DISTINCT done_by) AS members, "
            + "(SELECT json_agg(json_build_object('chunk', chunk_no, 'error', last_error) ORDER BY chunk_no) "
            + " FROM (SELECT chunk_no, last_error FROM control.job_chunk WHERE job_id = $1 AND state = 'dead' "
            + " ORDER BY chunk_no LIMIT 20) d) AS dead_chunks "
            + "FROM control.job_chunk WHERE job_id = $1")
        .execute(Tuple.of(id))
        .map(rows -> {
          Row row = rows.iterator().next();
          Object deadChunks = row.getValue("dead_chunks");
          return new JsonObject()
              .put("chunksDone", row.getLong("done"))
              .put("chunksPending", row.getLong("pending"))
              .put("chunksDead", row.getLong("dead"))
              .put("rowsAffected", row.getLong("rows"))
              .put("attempts", row.getLong("attempts"))
              .put("membersWorked", row.getLong("members"))
              .put("deadChunks", deadChunks == null ? new io.vertx.core.json.JsonArray()
                  : new io.vertx.core.json.JsonArray(String.valueOf(deadChunks)));
        });
  }

  public Future<List<Job>> list(SqlClient client, String state, String kind, UUID after, int limit) {
    return client.preparedQuery("SELECT " + JOB_COLUMNS + " FROM control.job j WHERE ($1::text IS NULL OR j.state = $1) "
            + "AND ($2::text IS NULL OR j.kind = $2) AND ($3::uuid IS NULL OR j.id < $3) ORDER BY j.id DESC LIMIT $4")
        .execute(Tuple.of(state, kind, after, limit))
        .map(JobRepository::toJobs);
  }

  /** Jobs by state, for the gauges. */
  public Future<JsonObject> countsByState(SqlClient client) {
    return client.query("SELECT state, count(*) AS n FROM control.job WHERE state IN ('scheduled', 'running', 'dead') "
            + "GROUP BY state").execute()
        .map(rows -> {
          JsonObject counts = new JsonObject().put("scheduled", 0L).put("running", 0L).put("dead", 0L);
          rows.forEach(row -> counts.put(row.getString("state"), row.getLong("n")));
          return counts;
        });
  }

  /**
   * Ends the database sessions of a member that left the cluster: its open chunk transactions roll
   * back and their row locks free at once, instead of when TCP keepalive finally notices.
   */
  public Future<Integer> terminateSessionsOf(SqlClient client, String applicationName) {
    return client.preparedQuery("SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity "
            + "WHERE application_name = $1 AND pid <> pg_backend_pid()")
        .execute(Tuple.of(applicationName)).map(rows -> rows.iterator().next().getInteger("n"));
  }

  public Future<Void> insertProbeEffect(SqlConnection connection, UUID jobId, int chunkNo, String member) {
    return connection.preparedQuery("INSERT INTO control.job_probe_effect (job_id, chunk_no, member) VALUES ($1, $2, $3)")
        .execute(Tuple.of(jobId, chunkNo, member)).mapEmpty();
  }

  private static List<Job> toJobs(RowSet<Row> rows) {
    List<Job> jobs = new ArrayList<>(rows.size());
    rows.forEach(row -> jobs.add(toJob(row)));
    return jobs;
  }

  static Job toJob(Row row) {
    Object payload = row.getValue("payload");
    return new Job(row.getUUID("id"), row.getString("tenant"), row.getString("kind"),
        payload instanceof JsonObject json ? json : new JsonObject(String.valueOf(payload)),
        row.getOffsetDateTime("run_at"), row.getString("state"), row.getInteger("chunks_total"),
        row.getString("last_error"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("planned_at"),
        row.getOffsetDateTime("finished_at"), row.getString("created_by"));
  }

  /** A chunk locked by the current transaction. */
  public record ClaimedChunk(Job job, int chunkNo, int attempt) {
  }
}
