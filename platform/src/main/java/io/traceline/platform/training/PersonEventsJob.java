package io.traceline.platform.training;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.jobs.Job;
import io.traceline.platform.jobs.JobKind;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.jobs.NewJob;
import io.traceline.platform.training.internal.MatrixRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Turns people events (hire, role gained or lost, program joined or left, leave, return, termination — PPL-2, PPL-3,
 * SPN-1) into assignment changes:
 * enqueued in the transaction that wrote the events, it reconciles the named people's assignments with who they are
 * now (see {@link MatrixRepository#reconcile}). One audit event per run, with its counts; more events than one run
 * takes enqueue the next run.
 */
public final class PersonEventsJob implements JobKind {

  public static final String NAME = "training.person-events";
  static final int EVENTS_PER_RUN = 5_000;

  private final AuditTrail audit;
  private final JobQueue jobs;
  private final MatrixRepository matrix = new MatrixRepository();

  public PersonEventsJob(AuditTrail audit, JobQueue jobs) {
    this.audit = audit;
    this.jobs = jobs;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Integer> plan(SqlConnection connection, Job job) {
    return Future.succeededFuture(1);
  }

  @Override
  public Future<Long> runChunk(SqlConnection connection, Job job, int chunkNo, int attempt) {
    return matrix.reconcile(connection, job.id(), EVENTS_PER_RUN).compose(done -> {
      if (done.events() == 0) {
        return Future.succeededFuture(0L);
      }
      Future<?> more = done.events() < EVENTS_PER_RUN ? Future.succeededFuture()
          : jobs.enqueue(connection, new NewJob(job.tenant(), NAME, new JsonObject(), java.time.Instant.now(), null,
              AuditEvent.Actor.SYSTEM.id()));
      return more.compose(v -> audit.record(connection, AuditEvent.of(AuditEvent.Actor.SYSTEM, AuditEvent.Source.NONE,
              "training.people-reconciled", "training-job", job.id().toString())
              .withValues(null, new JsonObject().put("jobId", job.id().toString()).put("events", done.events())
                  .put("assigned", done.assigned()).put("cancelled", done.cancelled()).put("paused", done.paused())
                  .put("resumed", done.resumed()))
              .withReason("People changed: hires, job roles, programs, leave, returns or terminations")))
          .map(recorded -> done.assigned() + done.cancelled() + done.paused() + done.resumed());
    });
  }
}
