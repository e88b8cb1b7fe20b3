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
import io.traceline.platform.records.RecordVersions;
import io.traceline.platform.signatures.Signature;
import io.traceline.platform.signatures.SignatureEffect;
import io.traceline.platform.signatures.SignatureRequest;
import io.traceline.platform.signatures.SignatureService;
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
 * (422 without a reason). Nobody records their own training.
 *
 * <p>Like every completion record it carries a signature (TRN-4, 213.25(a)): the recorder's, meaning "recorded",
 * re-authenticated, on a record version of the entry (record type {@code training-completion-entry}, id the assignment):
 * whose training, which document version with its hashes, when, the score, the trainer, the paper reference and why it
 * is recorded late. Every problem of the entry is answered before the credentials are asked; the completion is made in
 * the signature's transaction; a wrong password records nothing. {@code Idempotency-Key} makes a retry answer the first
 * record.
 */
public final class LateCompletionService {

  static final String RECORD_TYPE = "training-completion-entry";
  static final String MEANING = "recorded";
  static final java.util.Set<String> RECORDERS = java.util.Set.of(ApplicationRole.TRAINER.id(),
      ApplicationRole.TRAINING_ADMIN.id(), ApplicationRole.QUALITY_MANAGER.id());
  /** The statuses of an assignment that still takes a completion. */
  private static final java.util.Set<String> RECORDABLE = java.util.Set.of("open", "overdue", "blocked");
  /** The result each method's completion records. */
  private static final Map<String, String> RESULT = Map.of("read-and-acknowledge", "acknowledged", "assessment", "passed",
      "on-the-job", "completed", "classroom", "completed");

  private final TenantScope tenantScope;
  private final RoleCheck roles;
  private final RecordVersions records;
  private final SignatureService signatures;
  private final CompletionRecords completionRecords;
  private final TrainingRepository assignments = new TrainingRepository();
  private final CompletionRepository completions = new CompletionRepository();

  public LateCompletionService(TenantScope tenantScope, RoleCheck roles, RecordVersions records,
                               SignatureService signatures, CompletionRecords completionRecords) {
    this.tenantScope = tenantScope;
    this.roles = roles;
    this.records = records;
    this.signatures = signatures;
    this.completionRecords = completionRecords;
  }

  /** The completion record, and whether an earlier request with the same Idempotency-Key made it. */
  public record Recorded(JsonObject completion, boolean replayed) {
  }

  /**
   * Records the completion of the assignment, signed by the caller; {@code body}: trainedAt, score (assessments),
   * trainerId, reference; {@code reauthentication}: the caller's credentials.
   */
  public Future<Recorded> record(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId,
                                 JsonObject body, String reason, JsonObject reauthentication, String idempotencyKey) {
    String requestHash = CanonicalJson.hash(body.copy().put("assignmentId", assignmentId.toString()));
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(),
            RECORDERS)
        .compose(v -> idempotencyKey == null ? Future.<JsonObject>succeededFuture()
            : completions.findByKey(connection, caller.subject(), idempotencyKey))
        .compose(earlier -> earlier != null
            ? IdempotentRequest.sameRequest(earlier, requestHash, "completion").map(same -> new Prepared(same, 0, null))
            : assignments.lockAssignment(connection, assignmentId).compose(assignment -> assignment == null
                ? Future.failedFuture(ProblemException.notFound("No assignment " + assignmentId))
                : recordable(connection, caller, assignment, body)
                    .compose(entry -> signable(connection, caller, assignment, entry, body, reason)
                        .map(version -> new Prepared(null, version, entry))))))
        .compose(prepared -> prepared.replayed() != null
            ? Future.succeededFuture(new Recorded(prepared.replayed(), true))
            : signatures.sign(tenant, caller, origin, new SignatureRequest(RECORD_TYPE, assignmentId.toString(),
                    prepared.recordVersion(), MEANING, reauthentication.getString("method"),
                    reauthentication.getString("username"), reauthentication.getString("password")), null,
                new Entering(tenant, caller, origin, assignmentId, prepared.entry(), body, reason, idempotencyKey,
                    requestHash))
                .compose(signed -> tenantScope.inTransaction(tenant.schemaName(), connection ->
                    completions.ofAssignment(connection, assignmentId)))
                .map(completion -> new Recorded(completion, false)));
  }

  /** What the first transaction decided: a replayed record, or the record version to sign and the entry. */
  private record Prepared(JsonObject replayed, int recordVersion, Entry entry) {
  }

  /**
   * The entry's record version for the recorder's signature: the latest when it holds exactly this entry (a retry after
   * wrong credentials), else the next one.
   */
  private Future<Integer> signable(SqlConnection connection, Caller caller, JsonObject assignment, Entry entry,
                                   JsonObject body, String reason) {
    String id = assignment.getString("id");
    return assignments.versionEvidence(connection, UUID.fromString(assignment.getJsonObject("version").getString("id")))
        .compose(evidence -> {
          JsonObject content = new JsonObject().put("assignment", id).put("person", assignment.getJsonObject("person"))
              .put("document", assignment.getJsonObject("document"))
              .put("version", assignment.getJsonObject("version").copy().mergeIn(evidence))
              .put("method", assignment.getString("method")).put("cycle", assignment.getInteger("cycle"))
              .put("result", RESULT.get(assignment.getString("method")))
              .put("trainedAt", entry.trainedAt().toInstant().toString()).put("score", entry.score())
              .put("passScore", entry.passScore())
              .put("trainerId", entry.trainerId() == null ? null : entry.trainerId().toString())
              .put("reference", body.getString("reference")).put("reason", reason)
              .put("statement", "I record that this training took place as entered, from the evidence named");
          return records.latest(connection, RECORD_TYPE, id).compose(latest -> latest != null
              && latest.content().equals(content) ? Future.succeededFuture(latest.version())
              : records.append(connection, RECORD_TYPE, id, latest == null ? 1 : latest.version() + 1, content,
                      AuditEvent.Actor.of(caller), "Completion entered for the recorder's signature")
                  .compose(made -> made == null ? Future.failedFuture(ProblemException.conflict("The entry's record "
                      + "changed meanwhile: record it again")) : Future.succeededFuture(made.version())));
        });
  }

  /** The completion the recorder's signature makes: checked before the credentials, applied with the signature. */
  private final class Entering implements SignatureEffect {
    private final TenantContext tenant;
    private final Caller caller;
    private final RequestOrigin origin;
    private final UUID assignmentId;
    private final Entry entry;
    private final JsonObject body;
    private final String reason;
    private final String idempotencyKey;
    private final String requestHash;

    Entering(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId, Entry entry, JsonObject body,
             String reason, String idempotencyKey, String requestHash) {
      this.tenant = tenant;
      this.caller = caller;
      this.origin = origin;
      this.assignmentId = assignmentId;
      this.entry = entry;
      this.body = body;
      this.reason = reason;
      this.idempotencyKey = idempotencyKey;
      this.requestHash = requestHash;
    }

    @Override
    public Future<Void> check(SqlConnection connection) {
      return open(connection, false).mapEmpty();
    }

    @Override
    public Future<Void> apply(SqlConnection connection, Signature signature) {
      return open(connection, true)
          .compose(method -> completionRecords.complete(connection, tenant.slug(), AuditEvent.Actor.of(caller),
              AuditEvent.Source.of(origin), assignmentId, new CompletionRecords.Evidence(RESULT.get(method),
                  entry.score(), entry.passScore(), entry.trainedAt(), entry.trainerId(), signature.id(), null, reason,
                  "Recorded after the fact by " + caller.name() + ": " + reason,
                  new JsonObject().put("reference", body.getString("reference")), idempotencyKey, requestHash)))
          .mapEmpty();
    }

    /** The assignment's method while it still takes a completion; 409 when it was closed meanwhile. */
    private Future<String> open(SqlConnection connection, boolean lock) {
      return (lock ? assignments.lockAssignment(connection, assignmentId) : assignments.assignment(connection, assignmentId))
          .compose(assignment -> assignment == null ? Future.failedFuture(ProblemException.notFound("No assignment "
                  + assignmentId))
              : RECORDABLE.contains(assignment.getString("status")) ? Future.succeededFuture(assignment.getString("method"))
              : Future.failedFuture(ProblemException.conflict("This assignment is " + assignment.getString("status")
                  + ": it takes no completion")));
    }
  }

  private record Entry(OffsetDateTime trainedAt, Integer score, Integer passScore, UUID trainerId) {
  }

  /** Every problem with the entry at once (422), or 403 for one's own training, or 409 for a closed assignment. */
  private Future<Entry> recordable(SqlConnection connection, Caller caller, JsonObject assignment, JsonObject body) {
    String status = assignment.getString("status");
    if (!RECORDABLE.contains(status)) {
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
