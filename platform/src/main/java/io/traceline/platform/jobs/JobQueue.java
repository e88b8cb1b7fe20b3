package io.traceline.platform.jobs;

import java.util.UUID;

import io.traceline.platform.cluster.ClusterMember;
import io.traceline.platform.jobs.internal.JobRepository;
import io.traceline.tenants.Ids;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;

/**
 * Where features put work for later (the outbox): {@link #enqueue} writes the job in the caller's own
 * transaction, so a committed change always has its job and a rolled-back one never does.
 */
public final class JobQueue {

  private final ClusterMember member;
  private final JobRepository repository = new JobRepository();
  private final Pool pool;

  public JobQueue(ClusterMember member, Pool pool) {
    this.member = member;
    this.pool = pool;
  }

  /**
   * Adds the job inside the caller's transaction; returns its id (the existing one for a known dedupe key). A job due
   * now wakes the cluster once that transaction has committed, so it starts at once rather than at the next poll. (A
   * job enqueued by a running chunk has no transaction object to wait for; the worker that ran the chunk looks for
   * work again right after it, and finds the job.)
   */
  public Future<UUID> enqueue(SqlConnection connection, NewJob job) {
    UUID id = Ids.newId();
    return repository.insert(connection, id, member.partitionOf(id.toString()), job).onSuccess(enqueued -> {
      Transaction transaction = connection.transaction();
      if (transaction != null && !job.runAt().isAfter(java.time.Instant.now())) {
        transaction.completion().onSuccess(committed -> wake());
      }
    });
  }

  /** Adds the job in a transaction of its own (waking the cluster when it is due now). */
  public Future<UUID> submit(NewJob job) {
    return pool.withTransaction(connection -> enqueue(connection, job));
  }

  /**
   * A tenant's job with its progress (chunks done, pending, dead; rows affected), or null when the job does not exist
   * or belongs to another tenant: what a tenant's users may see of the work their changes started.
   */
  public Future<io.vertx.core.json.JsonObject> describe(UUID id, String tenant) {
    return repository.find(pool, id).compose(job -> job == null || !tenant.equals(job.tenant())
        ? Future.succeededFuture(null)
        : repository.progress(pool, id).map(progress -> JobOperatorHandlers.toJson(job).put("progress", progress)));
  }

  /** After committing a job due now: every member looks for work at once instead of at its next poll. */
  public void wake() {
    member.wakeAll("job enqueued");
  }
}
