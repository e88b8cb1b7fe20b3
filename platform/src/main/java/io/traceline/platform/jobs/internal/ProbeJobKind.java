package io.traceline.platform.jobs.internal;

import java.time.Instant;

import io.traceline.platform.jobs.Job;
import io.traceline.platform.jobs.JobFailure;
import io.traceline.platform.jobs.JobKind;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.jobs.NewJob;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The probe: an operator's end-to-end check of the cluster. Each chunk writes one row to
 * {@code control.job_probe_effect} (no unique key, so a double effect would show), optionally after a
 * delay, and can be told to fail transiently or permanently a number of times, or to enqueue a follow-up
 * probe ({@code then}) due at once, as a feature's chunk enqueues the work its change causes.
 */
public final class ProbeJobKind implements JobKind {

  public static final String NAME = "probe";

  private final Vertx vertx;
  private final JobRepository repository;
  private final JobQueue queue;
  private final String member;

  public ProbeJobKind(Vertx vertx, JobRepository repository, JobQueue queue, String member) {
    this.vertx = vertx;
    this.repository = repository;
    this.queue = queue;
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
    JsonObject then = payload.getJsonObject("then");
    return waited.compose(v -> repository.insertProbeEffect(connection, job.id(), chunkNo, member))
        .compose(v -> then == null ? Future.succeededFuture()
            : queue.enqueue(connection, new NewJob(job.tenant(), NAME, then.copy(), Instant.now(),
                "probe-then:" + job.id() + ":" + chunkNo, job.createdBy())))
        .map(1L);
  }

  private Future<Void> sleep(long millis) {
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(millis, id -> promise.complete());
    return promise.future();
  }
}
