package io.traceline.platform.training;

import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.records.RecordVersions;
import io.traceline.platform.signatures.Signature;
import io.traceline.platform.signatures.SignatureEffect;
import io.traceline.platform.signatures.SignatureRequest;
import io.traceline.platform.signatures.SignatureService;
import io.traceline.platform.training.internal.TrainingRepository;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Read-and-acknowledge (TRN-4): the learner signs their own open assignment with the meaning "read-and-understood",
 * re-authenticating like every signature. The signed record is the assignment bound to the exact document version (its
 * submission hash and file SHA-256), so the signature can never count for another version. The assignment completes in
 * the signature's transaction, and a recertifying requirement sets its recertification timer there (TRN-5).
 */
public final class CompletionService {

  static final String RECORD_TYPE = "training-assignment";
  static final String MEANING = "read-and-understood";

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RecordVersions records;
  private final SignatureService signatures;
  private final TrainingTriggers triggers;
  private final TrainingRepository repository = new TrainingRepository();

  public CompletionService(TenantScope tenantScope, AuditTrail audit, RecordVersions records, SignatureService signatures,
                           TrainingTriggers triggers) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.records = records;
    this.signatures = signatures;
    this.triggers = triggers;
  }

  public Future<JsonObject> acknowledge(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId,
                                        JsonObject reauthentication, String idempotencyKey) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> mine(connection, caller, assignmentId)
            .compose(assignment -> record(connection, assignment)))
        .compose(version -> signatures.sign(tenant, caller, origin, new SignatureRequest(RECORD_TYPE, assignmentId.toString(),
                version, MEANING, reauthentication.getString("method"), reauthentication.getString("username"),
                reauthentication.getString("password")), idempotencyKey,
            new Completion(tenant, caller, origin, assignmentId)))
        .compose(signed -> tenantScope.inTransaction(tenant.schemaName(), connection ->
            repository.assignment(connection, assignmentId).map(assignment -> new JsonObject()
                .put("assignment", assignment).put("signature", signed.signature().toJson())
                .put("replayed", signed.replayed()))));
  }

  /** The caller's own assignment, or 404 (someone else's is not revealed). */
  private Future<JsonObject> mine(SqlConnection connection, Caller caller, UUID assignmentId) {
    return repository.personOfUser(connection, caller.subject())
        .compose(person -> repository.assignment(connection, assignmentId).compose(assignment ->
            assignment != null && person != null && person.toString().equals(assignment.getJsonObject("person").getString("id"))
                ? Future.succeededFuture(assignment)
                : Future.failedFuture(ProblemException.notFound("No assignment " + assignmentId + " of yours"))));
  }

  /** The assignment's signable record (version 1, made once): who, which document version, which file. */
  private Future<Integer> record(SqlConnection connection, JsonObject assignment) {
    String id = assignment.getString("id");
    return records.latest(connection, RECORD_TYPE, id).compose(existing -> existing != null
        ? Future.succeededFuture(existing.version())
        : repository.versionEvidence(connection, UUID.fromString(assignment.getJsonObject("version").getString("id")))
            .compose(evidence -> records.append(connection, RECORD_TYPE, id, 1, new JsonObject()
                    .put("assignment", id).put("person", assignment.getJsonObject("person"))
                    .put("document", assignment.getJsonObject("document"))
                    .put("version", assignment.getJsonObject("version").copy().mergeIn(evidence))
                    .put("method", assignment.getString("method")).put("cycle", assignment.getInteger("cycle"))
                    .put("statement", "I have read and understood version " + assignment.getJsonObject("version")
                        .getString("version") + " of " + assignment.getJsonObject("document").getString("number")),
                AuditEvent.Actor.SYSTEM, "Assignment prepared for its read-and-acknowledge signature"))
            .map(made -> 1));
  }

  /** The completion a signature makes: checked before the credentials, applied with the signature. */
  private final class Completion implements SignatureEffect {
    private final TenantContext tenant;
    private final Caller caller;
    private final RequestOrigin origin;
    private final UUID assignmentId;

    Completion(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId) {
      this.tenant = tenant;
      this.caller = caller;
      this.origin = origin;
      this.assignmentId = assignmentId;
    }

    @Override
    public Future<Void> check(SqlConnection connection) {
      return mine(connection, caller, assignmentId).compose(assignment -> completable(assignment)).mapEmpty();
    }

    @Override
    public Future<Void> apply(SqlConnection connection, Signature signature) {
      return mine(connection, caller, assignmentId).compose(this::completable)
          .compose(before -> repository.complete(connection, assignmentId, "Read and understood")
              .compose(after -> after == null ? Future.failedFuture(ProblemException.conflict("The assignment was closed "
                      + "meanwhile"))
                  : audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin),
                          "training-assignment.completed", RECORD_TYPE, assignmentId.toString()).withVersion(1)
                      .withValues(before, after.copy().put("signatureId", signature.id().toString())))))
          .compose(recorded -> triggers.assignmentCompleted(connection, tenant.slug(), assignmentId));
    }

    private Future<JsonObject> completable(JsonObject assignment) {
      String status = assignment.getString("status");
      if (!"open".equals(status) && !"overdue".equals(status)) {
        return Future.failedFuture(ProblemException.conflict("This assignment is " + status + ": there is nothing to "
            + "acknowledge"));
      }
      if (!"read-and-acknowledge".equals(assignment.getString("method"))) {
        return Future.failedFuture(new ProblemException(Problem.of(409, "method-mismatch", "Not a read-and-acknowledge",
            "This training is completed by " + assignment.getString("method") + ", not by acknowledgement")));
      }
      return Future.succeededFuture(assignment);
    }
  }
}
