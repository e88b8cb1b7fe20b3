package io.traceline.platform.jobs;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.traceline.platform.cluster.ClusterMember;
import io.traceline.platform.config.ClusterConfig;
import io.traceline.platform.jobs.internal.JobRepository;
import io.traceline.platform.jobs.internal.JobRepository.ClaimedChunk;
import io.traceline.tenants.TenantSlug;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs due jobs and their chunks on this member. PostgreSQL is the durable truth; Hazelcast says which
 * partitions this member owns. Each poll (and each wake-up from another member) starts up to the configured
 * number of workers; each worker keeps taking work until there is none: a due job of an owned partition to
 * plan, else a ready chunk of an owned partition. Every chunk runs in one transaction that locks the chunk
 * row ({@code FOR UPDATE SKIP LOCKED}), does the work and marks it done: a member that dies mid-chunk rolls
 * back, its partitions move to the survivors, and they run the chunk again — once in effect. A job that plans
 * a single chunk runs it in its planning transaction and is written once, with its outcome (chunk done, job
 * succeeded): most jobs (timers, the fan-out of a small tenant) are one chunk, and a burst of them then costs one
 * transaction each instead of two, planned by every worker at once rather than one after another. A chunk that
 * enqueues jobs due at once (a version made effective by its timer enqueues its fan-out) plans them before it commits, and runs those of one chunk too: the cause and its small
 * consequence in one transaction. When a member leaves, survivors end its database sessions so its locks free
 * at once rather than when TCP keepalive notices.
 */
public final class JobRuntime extends VerticleBase {

  public static final String APPLICATION_NAME_PREFIX = "tl-jobs-";

  /**
   * How the runtime's sessions start: its own statements (claims, completions, counts) with generic plans. PostgreSQL
   * judged their generic plans costlier than custom ones (a claim names the partitions this member owns, up to all 271)
   * and planned them afresh at every call: at every worker's poll and every job, ~0.7 ms each on two cores. A tenant's
   * statements get the usual choice back for their transaction ({@link #inTenant}).
   */
  public static final Map<String, String> SESSION_SETTINGS = Map.of("plan_cache_mode", "force_generic_plan");
  private static final Logger LOG = LoggerFactory.getLogger(JobRuntime.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  /** How many continuations one chunk's transaction takes on, and how deep (a continuation's own continuations). */
  private static final int CONTINUATIONS = 8;
  private static final int CONTINUATION_DEPTH = 2;

  private final ClusterMember member;
  private final Pool jobsPool;
  private final Map<String, JobKind> kinds;
  private final ClusterConfig config;
  private final MeterRegistry meters;
  private final JobRepository repository = new JobRepository();
  private final Map<String, AtomicLong> jobCounts = Map.of("scheduled", new AtomicLong(), "running", new AtomicLong(),
      "dead", new AtomicLong());

  private Timer timerLag;
  private Counter chunksDone;
  private Counter chunksRetried;
  private Counter chunksDead;
  private Counter rowsAffected;
  private long pollTimer;
  private long gaugeTimer;
  private boolean ticking;
  private boolean tickAgain;
  /** A job of several chunks was planned in a transaction now ending: the other members should look for its chunks. */
  private boolean chunksForOthers;
  /** Counts ticks: a worker that found nothing looks again when a tick (a wake-up) came while it was looking. */
  private long ticks;
  private boolean stopping;
  private int inFlight;
  private Promise<Void> drained;

  public JobRuntime(ClusterMember member, Pool jobsPool, List<JobKind> kinds, ClusterConfig config, MeterRegistry meters) {
    this.member = member;
    this.jobsPool = jobsPool;
    this.kinds = kinds.stream().collect(java.util.stream.Collectors.toMap(JobKind::name, kind -> kind));
    this.config = config;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    timerLag = Timer.builder("traceline.jobs.timer.lag").description("Planned time minus due time of jobs and timers")
        .publishPercentileHistogram().register(meters);
    chunksDone = Counter.builder("traceline.jobs.chunks").tag("outcome", "done").register(meters);
    chunksRetried = Counter.builder("traceline.jobs.chunks").tag("outcome", "retried").register(meters);
    chunksDead = Counter.builder("traceline.jobs.chunks").tag("outcome", "dead").register(meters);
    rowsAffected = Counter.builder("traceline.jobs.rows").description("Rows affected by completed chunks").register(meters);
    Gauge.builder("traceline.cluster.members", member, ClusterMember::memberCount).register(meters);
    jobCounts.forEach((state, count) -> Gauge.builder("traceline.jobs", count, AtomicLong::get).tag("state", state)
        .description("Jobs by state, all tenants").register(meters));

    member.onWake(() -> context.runOnContext(v -> tick()));
    member.onMembershipChange(departed -> context.runOnContext(v -> releaseDeparted(departed)),
        () -> context.runOnContext(v -> tick()));
    // Partitions just moved here may hold ready chunks that were another member's a moment ago: look at them now rather
    // than at the next poll (a wake-up sent while they were moving found them still elsewhere).
    member.onPartitionsMoved(() -> context.runOnContext(v -> tick()));
    pollTimer = vertx.setPeriodic(config.jobsPollInterval().toMillis(), id -> tick());
    gaugeTimer = vertx.setPeriodic(5_000, id -> refreshCounts());
    refreshCounts();
    tick();
    return Future.succeededFuture();
  }

  /** Stops taking work and waits for the chunks in flight (their transactions) to finish. */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(gaugeTimer);
    if (inFlight == 0) {
      return Future.succeededFuture();
    }
    drained = Promise.promise();
    vertx.setTimer(30_000, id -> drained.tryComplete());
    return drained.future();
  }

  private void tick() {
    if (stopping) {
      return;
    }
    if (ticking) {
      tickAgain = true;
      return;
    }
    ticking = true;
    ticks++;
    fillSlots();
    repository.completeFinished(jobsPool)
        .onFailure(failure -> LOG.warn("Job scheduling round failed: {}", JobFailure.describe(failure)))
        .onComplete(done -> {
          ticking = false;
          fillSlots();
          if (tickAgain) {
            tickAgain = false;
            tick();
          }
        });
  }

  /**
   * Plans one due job of an owned partition in a transaction of its own (a failed statement rolls the whole
   * transaction back, so one bad job must not undo the others); a job of one chunk runs it in the same transaction.
   * False when no job is due.
   */
  private Future<Boolean> planOne(Set<Integer> owned) {
    if (owned.isEmpty()) {
      return Future.succeededFuture(false);
    }
    return inTransaction(connection -> repository.claimDue(connection, owned).compose(jobs -> {
          if (jobs.isEmpty()) {
            return Future.succeededFuture(false);
          }
          return plan(connection, jobs.get(0), false).compose(planned -> planned.chunksTotal() > 1
              ? Future.succeededFuture(true)
              : execute(connection, new ClaimedChunk(planned, 0, 0), 0, true).map(true));
        }))
        .recover(failure -> failure instanceof PlanningFailed planning ? recordPlanningFailure(planning).map(true)
            : Future.failedFuture(failure));
  }

  /**
   * Plans the job and returns it with its number of chunks. A job of several chunks is recorded as running with its
   * chunks pending; one of a single chunk, which the caller runs at once in this transaction, is recorded only with its
   * outcome ({@link #execute}): one statement instead of four on the path every timer takes. {@code inTenantAlready}:
   * this transaction's {@code search_path} is the job's tenant's already (a continuation of the same tenant's chunk).
   */
  private Future<Job> plan(SqlConnection connection, Job job, boolean inTenantAlready) {
    JobKind kind = kinds.get(job.kind());
    Future<Integer> chunks = kind == null
        ? Future.failedFuture(JobFailure.permanent("No job kind '" + job.kind() + "' on this platform"))
        : (inTenantAlready ? Future.<Void>succeededFuture() : inTenant(connection, job))
            .compose(v -> kind.plan(connection, job));
    return chunks
        .compose(count -> {
          if (count <= 1) {
            return Future.succeededFuture(withChunks(job, job.state(), 1));
          }
          Job planned = withChunks(job, "running", count);
          // Its chunks belong to the partitions of every member: once this transaction commits, tell them.
          chunksForOthers = true;
          return repository.markPlanned(connection, job.id(), chunkRows(planned)).map(planned);
        })
        .map(planned -> {
          timerLag.record(Duration.between(job.runAt(), OffsetDateTime.now()));
          return planned;
        })
        .recover(failure -> Future.failedFuture(new PlanningFailed(job, failure)));
  }

  /** The job as planned: its chunk count, and its state as this transaction has written it. */
  private static Job withChunks(Job job, String state, int chunks) {
    return new Job(job.id(), job.tenant(), job.kind(), job.payload(), job.runAt(), state, chunks, job.lastError(),
        job.createdAt(), job.plannedAt(), job.finishedAt(), job.createdBy());
  }

  /** The job's chunk rows: job id, chunk number, and the partition that owns the chunk. */
  private List<Tuple> chunkRows(Job job) {
    List<Tuple> rows = new ArrayList<>(job.chunksTotal());
    for (int chunk = 0; chunk < job.chunksTotal(); chunk++) {
      rows.add(Tuple.of(job.id(), chunk, partitionOf(job, chunk)));
    }
    return rows;
  }

  private int partitionOf(Job job, int chunk) {
    return member.partitionOf(job.id() + ":" + chunk);
  }

  /** After the planning transaction rolled back: a permanent failure (or too many) makes the job dead. */
  private Future<Void> recordPlanningFailure(PlanningFailed planning) {
    Job job = planning.job;
    boolean retry = JobFailure.isTransient(planning.getCause());
    return repository.recordPlanningFailure(jobsPool, job.id(), "planning: " + JobFailure.describe(planning.getCause()),
        retry, config.jobsMaxAttempts());
  }

  /** Carries the job whose planning failed out of its rolled-back transaction. */
  private static final class PlanningFailed extends RuntimeException {
    private final transient Job job;

    PlanningFailed(Job job, Throwable cause) {
      super(cause.getMessage(), cause, false, false);
      this.job = job;
    }
  }

  /** Starts workers up to the configured concurrency; each keeps taking work until none is left. */
  private void fillSlots() {
    while (!stopping && inFlight < config.jobsConcurrency()) {
      inFlight++;
      work();
    }
  }

  /**
   * One worker: plans due jobs, else runs ready chunks, until neither is left. Ownership is read again for every
   * step, since it moves. Due jobs come first, as their chunks then spread over the cluster.
   */
  private void work() {
    Set<Integer> owned = member.ownedPartitions();
    long tickAtStart = ticks;
    planOne(owned).compose(planned -> planned ? Future.succeededFuture(true) : runOneChunk(owned)).onComplete(result -> {
      if (chunksForOthers) {
        chunksForOthers = false;
        member.wakeAll("chunks planned");
      }
      if (!stopping && result.succeeded() && (result.result() || ticks != tickAtStart)) {
        work();
        return;
      }
      if (result.failed()) {
        LOG.warn("A chunk transaction failed: {}", JobFailure.describe(result.cause()));
      }
      inFlight--;
      if (stopping && inFlight == 0 && drained != null) {
        drained.tryComplete();
      }
    });
  }

  /** Claims and runs one ready chunk; false when there is none. */
  private Future<Boolean> runOneChunk(Set<Integer> owned) {
    return inTransaction(connection -> claim(connection, owned)
        .compose(claimed -> claimed == null ? Future.succeededFuture(false)
            : execute(connection, claimed, 0, false).map(true)));
  }

  /**
   * A transaction driven by plain BEGIN / COMMIT rather than the client's transaction object, which rolls
   * everything back at the first failed statement: here a chunk's failed work is undone to a savepoint and
   * the failure recorded while the chunk row is still locked, so no other worker can take the chunk
   * between the rollback and the record (that would skip the backoff and miscount attempts).
   */
  private <T> Future<T> inTransaction(java.util.function.Function<SqlConnection, Future<T>> work) {
    return jobsPool.getConnection().compose(connection -> connection.query("BEGIN").execute()
        .compose(v -> work.apply(connection))
        .compose(result -> connection.query("COMMIT").execute().map(result),
            failure -> connection.query("ROLLBACK").execute().transform(ignored -> Future.<T>failedFuture(failure)))
        .onComplete(done -> connection.close()));
  }

  private Future<ClaimedChunk> claim(SqlConnection connection, Set<Integer> owned) {
    Future<ClaimedChunk> mine = owned.isEmpty() ? Future.succeededFuture() : repository.claimChunk(connection, owned, null);
    // Backstop: a chunk that waited past the steal threshold is taken by whoever is free.
    return mine.compose(claimed -> claimed != null ? Future.succeededFuture(claimed)
        : repository.claimChunk(connection, owned, config.jobsStealAfter()));
  }

  /**
   * The chunk's work and its "done" mark, in the claiming transaction: both commit, or neither. A failed
   * attempt is undone to the savepoint and recorded (retry with backoff, or dead) in the same transaction.
   * {@code justPlanned}: the job was planned in this transaction as a single chunk, not yet recorded, and the
   * tenant's {@code search_path} is set already; its chunk, done, and the job, succeeded, are written by one
   * statement, or, when the work fails, the chunk is recorded as planned and its failure as for any chunk.
   */
  private Future<Void> execute(SqlConnection connection, ClaimedChunk claimed, int depth, boolean justPlanned) {
    Job job = claimed.job();
    JobKind kind = kinds.get(job.kind());
    return connection.query("SAVEPOINT chunk_work").execute()
        .compose(v -> kind == null ? Future.<Long>failedFuture(JobFailure.permanent("No job kind '" + job.kind() + "'"))
            : (justPlanned ? Future.<Void>succeededFuture() : inTenant(connection, job))
                .compose(ignored -> kind.runChunk(connection, job, claimed.chunkNo(), claimed.attempt())))
        .compose(rows -> (justPlanned
                ? repository.finishSingleChunk(connection, job.id(), partitionOf(job, 0), member.memberId(), rows)
                : repository.markChunkDone(connection, job.id(), claimed.chunkNo(), member.memberId(), rows))
            .onSuccess(v -> {
              chunksDone.increment();
              rowsAffected.increment(rows);
            }))
        .compose(v -> depth < CONTINUATION_DEPTH && kind.enqueuesDueJobs()
            ? continuations(connection, job, depth) : Future.<Void>succeededFuture())
        .recover(failure -> connection.query("ROLLBACK TO SAVEPOINT chunk_work").execute()
            .compose(v -> justPlanned ? repository.markPlanned(connection, job.id(), chunkRows(job))
                : Future.<Void>succeededFuture())
            .compose(v -> repository.lockChunkAttempts(connection, job.id(), claimed.chunkNo()))
            .compose(attempts -> {
              boolean retry = JobFailure.isTransient(failure) && attempts + 1 < config.jobsMaxAttempts();
              return repository.recordChunkFailure(connection, job.id(), claimed.chunkNo(), JobFailure.describe(failure),
                  retry, backoff(attempts));
            })
            .map(dead -> {
              if (dead) {
                chunksDead.increment();
                LOG.warn("Job {} ({}) chunk {} is dead: {}", job.id(), job.kind(), claimed.chunkNo(),
                    JobFailure.describe(failure));
              } else {
                chunksRetried.increment();
              }
              return null;
            }));
  }

  /**
   * Plans the jobs the chunk just enqueued that are due now, in the chunk's transaction, and runs those of a single
   * chunk there as well. Best effort: a failure rolls back to before them and leaves them scheduled, for a worker to
   * plan as if they had only been enqueued; the chunk itself still commits.
   */
  private Future<Void> continuations(SqlConnection connection, Job cause, int depth) {
    return connection.query("SAVEPOINT continuations").execute()
        .compose(v -> repository.claimEnqueuedHere(connection, cause.tenant(), CONTINUATIONS))
        .compose(jobs -> {
          Future<Void> chain = Future.succeededFuture();
          for (Job job : jobs) {
            chain = chain.compose(v -> plan(connection, job, true).compose(planned -> planned.chunksTotal() > 1
                ? Future.<Void>succeededFuture()
                : execute(connection, new ClaimedChunk(planned, 0, 0), depth + 1, true)));
          }
          return chain;
        })
        .recover(failure -> {
          LOG.debug("Continuations of job {} left to the workers: {}", cause.id(), JobFailure.describe(failure));
          return connection.query("ROLLBACK TO SAVEPOINT continuations").execute().mapEmpty();
        });
  }

  /**
   * Enters the job's tenant for the rest of the transaction: its schema, and PostgreSQL's usual choice between a custom
   * and a generic plan (see {@link #SESSION_SETTINGS}) for the tenant's statements. Both revert at commit.
   */
  private Future<Void> inTenant(SqlConnection connection, Job job) {
    if (job.tenant() == null) {
      return Future.succeededFuture();
    }
    return connection.preparedQuery("SELECT set_config('search_path', $1, true), set_config('plan_cache_mode', 'auto', true)")
        .execute(Tuple.of(new TenantSlug(job.tenant()).schemaName())).mapEmpty();
  }

  /** Exponential backoff from the configured base, capped. */
  Duration backoff(int attemptsSoFar) {
    long millis = config.jobsRetryBase().toMillis() << Math.min(attemptsSoFar, 16);
    return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
  }

  private void releaseDeparted(String departedMember) {
    repository.terminateSessionsOf(jobsPool, APPLICATION_NAME_PREFIX + departedMember)
        .onSuccess(count -> LOG.info("Member {} left; ended {} of its database sessions", departedMember, count))
        .onFailure(failure -> LOG.warn("Could not end the sessions of departed member {}: {}", departedMember,
            JobFailure.describe(failure)))
        .onComplete(done -> tick());
  }

  private void refreshCounts() {
    repository.countsByState(jobsPool).onSuccess(counts ->
        jobCounts.forEach((state, count) -> count.set(counts.getLong(state, 0L))));
  }
}
