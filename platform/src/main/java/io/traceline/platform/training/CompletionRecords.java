package io.traceline.platform.training;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.training.internal.CompletionRepository;
import io.traceline.platform.training.internal.TrainingRepository;
import io.traceline.tenants.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The one way an assignment becomes completed (TRN-4), whatever the method: read-and-acknowledge, a passed assessment,
 * a late entry, and later on-the-job and classroom sign-offs. In the caller's transaction it closes the assignment,
 * writes its append-only completion record (when trained, when recorded by the server's clock, method, result and
 * score, trainer, document version, signature), audits the completion and sets the recertification timer (TRN-5).
 * The record is pinned to the assignment's document version, so completing v1 never completes v2.
 */
public final class CompletionRecords {

  private final AuditTrail audit;
  private final TrainingTriggers triggers;
  private final java.util.List<AssignmentCompletedListener> listeners;
  private final TrainingRepository assignments = new TrainingRepository();
  private final CompletionRepository completions = new CompletionRepository();

  public CompletionRecords(AuditTrail audit, TrainingTriggers triggers, java.util.List<AssignmentCompletedListener> listeners) {
    this.audit = audit;
    this.triggers = triggers;
    this.listeners = java.util.List.copyOf(listeners);
  }

  /**
   * What completed the training. {@code trainedAt} is when it happened (the signature's time for online methods);
   * {@code reason} says why it was recorded this way, and is required when that is more than an hour before now (the
   * database refuses a late entry without one). {@code closeReason} is the assignment's closing note.
   */
  public record Evidence(String result, Integer score, Integer passScore, OffsetDateTime trainedAt, UUID trainerId,
                         UUID signatureId, UUID attemptId, String reason, String closeReason, JsonObject details,
                         String idempotencyKey, String requestHash) {

    /** Evidence of an online method signed by the learner at the signature's time. */
    public static Evidence signed(String result, Integer score, Integer passScore, UUID signatureId, OffsetDateTime signedAt,
                                  UUID attemptId, String closeReason) {
      return new Evidence(result, score, passScore, signedAt, null, signatureId, attemptId, null, closeReason,
          new JsonObject(), null, null);
    }
  }

  /**
   * Completes the open (or blocked) assignment with this evidence and returns its completion record; 409 when the
   * assignment is no longer open. Lock the assignment row first ({@link TrainingRepository#lockAssignment}) when the
   * caller decided anything from its state.
   */
  public Future<JsonObject> complete(SqlConnection connection, String tenant, AuditEvent.Actor actor,
                                     AuditEvent.Source source, UUID assignmentId, Evidence evidence) {
    return assignments.assignment(connection, assignmentId).compose(before -> assignments.complete(connection,
            assignmentId, evidence.closeReason(), evidence.trainedAt())
        .compose(after -> after == null
            ? Future.failedFuture(ProblemException.conflict("The assignment is " + (before == null ? "gone"
                : before.getString("status")) + ": it was closed meanwhile"))
            : assignments.versionEvidence(connection, UUID.fromString(after.getJsonObject("version").getString("id")))
                .compose(version -> completions.insert(connection, after, new CompletionRepository.NewCompletion(
                    Ids.newId(), evidence.result(), evidence.score(), evidence.passScore(), evidence.trainedAt(),
                    evidence.reason(), evidence.trainerId(), actor.id(), actor.name(), evidence.signatureId(),
                    evidence.attemptId(), evidence.details().copy().put("version", version), evidence.idempotencyKey(),
                    evidence.requestHash())))
                .compose(completion -> audit.record(connection, AuditEvent.of(actor, source,
                            "training-assignment.completed", CompletionService.RECORD_TYPE, assignmentId.toString())
                        .withValues(before, after.copy().put("completion", completion))
                        .withReason(evidence.reason()))
                    .compose(recorded -> triggers.assignmentCompleted(connection, tenant, assignmentId))
                    .compose(v -> told(connection, tenant, actor, source, assignmentId, 0))
                    .map(completion))));
  }

  /** The listeners one after another (they may lock rows: never two at once on one connection). */
  private Future<Void> told(SqlConnection connection, String tenant, AuditEvent.Actor actor, AuditEvent.Source source,
                            UUID assignmentId, int next) {
    return next == listeners.size() ? Future.succeededFuture()
        : listeners.get(next).assignmentCompleted(connection, tenant, actor, source, assignmentId)
            .compose(v -> told(connection, tenant, actor, source, assignmentId, next + 1));
  }
}
