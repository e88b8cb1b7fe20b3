package io.traceline.platform.quality;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.jobs.Job;
import io.traceline.platform.jobs.JobKind;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.jobs.NewJob;
import io.traceline.platform.quality.internal.CapaRepository;
import io.traceline.platform.training.AssignmentCompletedListener;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The training of CAPA training actions (QE-3, QE-4).
 *
 * <p>Assigning: in the action's own transaction, set-based in SQL — people already holding an open assignment on the
 * version get it linked; everyone else affected gets an assignment with cause {@code capa-action} tagged with the action.
 * When more people are affected than {@code inlineLimit}, the same statement runs as a job of the job runtime instead,
 * enqueued in the action's transaction (so it exists exactly when the action does); the action shows
 * {@code assignmentState: pending} until then, and its CAPA cannot close meanwhile.
 *
 * <p>Completing: told by the training feature in the transaction of every assignment completion (acknowledgement,
 * passed assessment, late entry), it locks each open action waiting for that assignment and, when none of the action's
 * assignments is open any more and at least one is completed with its completion record, completes the action (audited,
 * once: the update only moves an open action). The lock makes two learners finishing the last two assignments at the
 * same time see each other: the second to take it reads the first one's committed completion.
 */
public final class TrainingActions implements AssignmentCompletedListener, JobKind {

  public static final String JOB = "quality.training-action";

  private final AuditTrail audit;
  private final JobQueue jobs;
  private final int inlineLimit;
  private final CapaRepository capas = new CapaRepository();

  TrainingActions(AuditTrail audit, JobQueue jobs, int inlineLimit) {
    this.audit = audit;
    this.jobs = jobs;
    this.inlineLimit = inlineLimit;
  }

  /** Assigns the new training action's people now, or enqueues the job for a large set: {people, linked, created, jobId}. */
  Future<JsonObject> assign(SqlConnection connection, String tenant, String createdBy, JsonObject action) {
    UUID actionId = UUID.fromString(action.getString("id"));
    JsonObject training = action.getJsonObject("training");
    return capas.affectedCount(connection, CapaService.ids(training.getJsonArray("personIds")),
            CapaService.ids(training.getJsonArray("jobRoleIds")))
        .compose(people -> {
          if (people > inlineLimit) {
            return jobs.enqueue(connection, new NewJob(tenant, JOB, new JsonObject().put("actionId", actionId.toString()),
                    Instant.now(), "capa-action:" + actionId, createdBy))
                .compose(jobId -> capas.markPending(connection, actionId, jobId)
                    .map(v -> new JsonObject().put("people", people).put("jobId", jobId.toString())));
          }
          return capas.assign(connection, action, null, dueAt(training))
              .compose(counts -> capas.markAssigned(connection, actionId, null)
                  .map(v -> new JsonObject().put("people", people).put("linked", counts[0]).put("created", counts[1])));
        });
  }

  /** Due by the end of the training due date (UTC). */
  static OffsetDateTime dueAt(JsonObject training) {
    return LocalDate.parse(training.getString("dueOn")).plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
  }

  @Override
  public Future<Void> assignmentCompleted(SqlConnection connection, String tenant, AuditEvent.Actor actor,
                                          AuditEvent.Source source, UUID assignmentId) {
    return capas.openActionsOfAssignment(connection, assignmentId)
        .compose(actions -> completeEach(connection, source, assignmentId, actions, 0));
  }

  private Future<Void> completeEach(SqlConnection connection, AuditEvent.Source source, UUID assignmentId,
                                    List<UUID> actions, int next) {
    if (next == actions.size()) {
      return Future.succeededFuture();
    }
    UUID actionId = actions.get(next);
    return capas.action(connection, null, actionId, true)
        .compose(before -> !"open".equals(before.getString("status"))
            || !"assigned".equals(before.getJsonObject("training").getString("assignmentState"))
            ? Future.succeededFuture()
            : capas.trainingProgress(connection, actionId).compose(progress -> progress[0] > 0 || progress[1] == 0
                ? Future.succeededFuture()
                : capas.closeAction(connection, actionId, "completed", AuditEvent.Actor.SYSTEM.id(),
                        AuditEvent.Actor.SYSTEM.name(), "Every linked assignment is completed with passing evidence")
                    .compose(moved -> !moved ? Future.<Void>succeededFuture()
                        : capas.action(connection, null, actionId, false).compose(after -> audit.record(connection,
                            AuditEvent.of(AuditEvent.Actor.SYSTEM, source, "capa-action.completed", CapaService.ACTION_TYPE,
                                    actionId.toString())
                                .withValues(before, after.put("lastAssignmentId", assignmentId.toString()))
                                .withReason("Completed by itself: every linked assignment is completed with passing "
                                    + "evidence (" + progress[1] + " completed)")).mapEmpty()))))
        .compose(v -> completeEach(connection, source, assignmentId, actions, next + 1));
  }

  @Override
  public String name() {
    return JOB;
  }

  @Override
  public Future<Integer> plan(SqlConnection connection, Job job) {
    return Future.succeededFuture(1);
  }

  /** The large set's assignments, once: the action's lock and its pending mark make a re-run add nothing. */
  @Override
  public Future<Long> runChunk(SqlConnection connection, Job job, int chunkNo, int attempt) {
    UUID actionId = UUID.fromString(job.payload().getString("actionId"));
    return capas.action(connection, null, actionId, true).compose(action -> {
      if (action == null || !"pending".equals(action.getJsonObject("training").getString("assignmentState"))) {
        return Future.succeededFuture(0L);
      }
      return capas.assign(connection, action, job.id(), dueAt(action.getJsonObject("training")))
          .compose(counts -> capas.markAssigned(connection, actionId, job.id())
              .compose(v -> audit.record(connection, AuditEvent.of(AuditEvent.Actor.SYSTEM, AuditEvent.Source.NONE,
                      "capa-action.assigned", CapaService.ACTION_TYPE, actionId.toString())
                  .withValues(null, new JsonObject().put("linked", counts[0]).put("created", counts[1])
                      .put("jobId", job.id().toString()))
                  .withReason("The training action's assignments, made by the job runtime (a large set)")))
              .map(recorded -> counts[0] + counts[1]));
    });
  }
}
