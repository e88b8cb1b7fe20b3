package io.traceline.platform.jobs;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * A kind of job the runtime knows how to run. Both methods run inside a transaction the runtime owns:
 * {@link #plan} when the job comes due (it says how many chunks), {@link #runChunk} once per chunk, in
 * the job's tenant schema when the job has a tenant. A chunk's effect commits together with the chunk's
 * "done" mark, so a chunk re-run after a failover takes effect once; keep each chunk's work to what one
 * transaction should hold, and compute it in SQL rather than in the JVM.
 */
public interface JobKind {

  String name();

  /** The number of chunks (at least 1) the job splits into. */
  Future<Integer> plan(SqlConnection connection, Job job);

  /**
   * Does chunk {@code chunkNo}'s work; returns the rows it affected (progress). {@code job.chunksTotal()} is the
   * number of chunks {@link #plan} gave; {@code attempt} counts earlier attempts of this chunk (0 the first time).
   * Fail with {@link JobFailure#transientFailure} for what a retry may fix and {@link JobFailure#permanent} for what
   * it cannot.
   */
  Future<Long> runChunk(SqlConnection connection, Job job, int chunkNo, int attempt);

  /**
   * Whether a chunk may enqueue jobs due at once, which the runtime then looks for and plans in the chunk's transaction
   * (a version made effective enqueues its fan-out). A kind that never does says so and spares its chunks that look;
   * were it to enqueue one anyway, the job would still run, at the worker's next look for work.
   */
  default boolean enqueuesDueJobs() {
    return true;
  }
}
