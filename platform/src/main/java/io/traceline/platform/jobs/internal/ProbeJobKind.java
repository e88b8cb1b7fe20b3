package io.traceline.platform.jobs.internal;

import io.traceline.platform.jobs.Job;
import io.traceline.platform.jobs.JobFailure;
import io.traceline.platform.jobs.JobKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The probe: an operator's end-to-end check of the cluster. Each chunk writes one row to
 * {@code control.job_probe_effect} (no unique key, so a double effect would show), optionally after a
 * delay, and can be told to fail transiently or permanently a number of times.
 */
public final class ProbeJobKind implements JobKind {

  public static final String NAME = "probe";

  private final Vertx vertx;
  private final JobRepository repository;
  private final String member;

  public ProbeJobKind(Vertx vertx, JobRepository repository, String member) {
    this.vertx = vertx;
    this.repository = repository;
    this.member = member;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Integer> plan(SqlConnection connection, Job job) {
    return Future.succeededFuture(job.payload().getInteger("chunks", 1));
  }

  @Override
  public Future<Long> runChunk(SqlConnection connection, Job job, int chunkNo, int attempt) {
    JsonObject payload = job.payload();
    if (attempt < payload.getInteger("transientFailures", 0)) {
      return Future.failedFuture(JobFailure.transientFailure("probe: transient failure " + (attempt + 1)));
    }
    if (chunkNo == payload.getInteger("failChunk", -1) && attempt < payload.getInteger("permanentFailures", 0)) {
      return Future.failedFuture(JobFailure.permanent("probe: chunk " + chunkNo + " fails permanently (attempt "
          + (attempt + 1) + ")"));
    }
    long delay = payload.getLong("chunkDelayMs", 0L);
    Future<Void> waited = delay <= 0 ? Future.succeededFuture() : sleep(delay);
    return waited.compose(v -> repository.insertProbeEffect(connection, job.id(), chunkNo, member)).map(1L);
  }

  private Future<Void> sleep(long millis) {
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(millis, id -> promise.complete());
    return promise.future();
  }
}
