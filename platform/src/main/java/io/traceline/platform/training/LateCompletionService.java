package io.traceline.platform.training;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.traceline.platform.access.ApplicationRole;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.integrity.CanonicalJson;
import io.traceline.platform.training.internal.CompletionRepository;
import io.traceline.platform.training.internal.TrainingRepository;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * A completion recorded after the fact (TRN-4, ALCOA+): a trainer, training admin or quality manager enters training that
 * happened earlier (a paper test, a session the system did not see) with its true time. The record keeps the server's
 * time of recording beside it, is flagged late when the training was more than an hour earlier, and always says why
 * (422 without a reason). Nobody records their own training. {@code Idempotency-Key} makes a retry answer the first
 * record.
 */
public final class LateCompletionService {

  static final java.util.Set<String> RECORDERS = java.util.Set.of(ApplicationRole.TRAINER.id(),
      ApplicationRole.TRAINING_ADMIN.id(), ApplicationRole.QUALITY_MANAGER.id());
  /** The result each method's completion records. */
  private static final Map<String, String> RESULT = Map.of("read-and-acknowledge", "acknowledged", "assessment", "passed",
      "on-the-job", "completed", "classroom", "completed");

  private final TenantScope tenantScope;
  private final RoleCheck roles;
  private final CompletionRecords completionRecords;
  private final TrainingRepository assignments = new TrainingRepository();
  private final CompletionRepository completions = new CompletionRepository();

  public LateCompletionService(TenantScope tenantScope, RoleCheck roles, CompletionRecords completionRecords) {
    this.tenantScope = tenantScope;
    this.roles = roles;
    this.completionRecords = completionRecords;
  }

  /** The completion record, and whether an earlier request with the same Idempotency-Key made it. */
  public record Recorded(JsonObject completion, boolean replayed) {
  }

  /** Records the completion of the assignment; {@code body}: trainedAt, score (assessments), trainerId, reference. */
  public Future<Recorded> record(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId,
                                 JsonObject body, String reason, String idempotencyKey) {
    String requestHash = CanonicalJson.hash(body.copy().put("assignmentId", assignmentId.toString()));
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(),
            RECORDERS)
        .compose(v -> idempotencyKey == null ? Future.<JsonObject>succeededFuture()
            : completions.findByKey(connection, caller.subject(), idempotencyKey))
        .compose(earlier -> {
          if (earlier != null) {
            return IdempotentRequest.sameRequest(earlier, requestHash, "completion")
                .map(same -> new Recorded(same, true));
          }
          return assignments.lockAssignment(connection, assignmentId).compose(assignment -> assignment == null
              ? Future.failedFuture(ProblemException.notFound("No assignment " + assignmentId))
              : recordable(connection, caller, assignment, body)
                  .compose(evidence -> completionRecords.complete(connection, tenant.slug(), AuditEvent.Actor.of(caller),
                      AuditEvent.Source.of(origin), assignmentId, new CompletionRecords.Evidence(
                          RESULT.get(assignment.getString("method")), evidence.score, evidence.passScore,
                          evidence.trainedAt, evidence.trainerId, null, null, reason,
                          "Recorded after the fact by " + caller.name() + ": " + reason,
                          new JsonObject().put("reference", body.getString("reference")), idempotencyKey, requestHash)))
                  .map(completion -> new Recorded(completion, false)));
        }));
  }

  private record Entry(OffsetDateTime trainedAt, Integer score, Integer passScore, UUID trainerId) {
  }

  /** Every problem with the entry at once (422), or 403 for one's own training, or 409 for a closed assignment. */
  private Future<Entry> recordable(SqlConnection connection, Caller caller, JsonObject assignment, JsonObject body) {
    String status = assignment.getString("status");
    if (!"open".equals(status) && !"overdue".equals(status) && !"blocked".equals(status)) {
      return Future.failedFuture(ProblemException.conflict("This assignment is " + status + ": it takes no completion"));
    }
    UUID trainerId = body.getString("trainerId") == null ? null : UUID.fromString(body.getString("trainerId"));
    return assignments.personOfUser(connection, caller.subject()).compose(me -> {
      if (me != null && me.toString().equals(assignment.getJsonObject("person").getString("id"))) {
        return Future.failedFuture(ProblemException.forbidden("Your own training is recorded by someone else"));
      }
      return connection.preparedQuery("SELECT now() AS now, ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM person "
              + "WHERE id = $1)) AS trainer_known").execute(Tuple.of(trainerId))
          .compose(rows -> assignments.assessmentRules(connection, UUID.fromString(assignment.getString("id")))
              .compose(rules -> {
                OffsetDateTime now = rows.iterator().next().getOffsetDateTime("now");
                boolean trainerKnown = rows.iterator().next().getBoolean("trainer_known");
                List<Problem.FieldError> errors = new ArrayList<>();
                OffsetDateTime trainedAt = TrainingTime.past(body.getString("trainedAt"), now, java.time.Duration.ofDays(3653),
                    "/trainedAt", "more than ten years ago", errors);
                if (!trainerKnown) {
                  errors.add(new Problem.FieldError("/trainerId", "no person has this id"));
                }
                Integer score = body.getInteger("score");
                Integer passScore = null;
                if ("assessment".equals(assignment.getString("method"))) {
                  passScore = rules.getInteger("passScore");
                  if (score == null) {
                    errors.add(new Problem.FieldError("/score", "an assessment's completion records its score"));
                  } else if (passScore != null && score < passScore) {
                    errors.add(new Problem.FieldError("/score", "below the pass score " + passScore
                        + ": a failed assessment completes nothing"));
                  }
                } else if (score != null) {
                  errors.add(new Problem.FieldError("/score", "only an assessment has a score"));
                }
                if (!errors.isEmpty()) {
                  return Future.failedFuture(ProblemException.unprocessable("The completion cannot be recorded", errors));
                }
                return Future.succeededFuture(new Entry(trainedAt, score, passScore, trainerId));
              }));
    });
  }
}
