package io.traceline.platform.training;

import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
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
import io.traceline.platform.training.internal.CompletionRepository;
import io.traceline.platform.training.internal.OpeningRepository;
import io.traceline.platform.training.internal.TrainingRepository;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Read-and-acknowledge (TRN-4, issue 7 item 1): the learner opens the version's file through the assignment
 * ({@link TrainingContentService}), then signs their own open assignment with the meaning "read-and-understood",
 * re-authenticating like every signature; signing before opening is a 409 ({@code content-not-opened}). The signed
 * record is the assignment bound to the exact document version (its submission hash and file SHA-256), so the signature
 * can never count for another version. The assignment completes, with its completion record, in the signature's
 * transaction, and a recertifying requirement sets its recertification timer there (TRN-5).
 */
public final class CompletionService {

  static final String RECORD_TYPE = "training-assignment";
  static final String MEANING = "read-and-understood";

  private final TenantScope tenantScope;
  private final RecordVersions records;
  private final SignatureService signatures;
  private final CompletionRecords completionRecords;
  private final MyAssignments mine = new MyAssignments();
  private final TrainingRepository repository = new TrainingRepository();
  private final OpeningRepository openings = new OpeningRepository();
  private final CompletionRepository completions = new CompletionRepository();

  public CompletionService(TenantScope tenantScope, RecordVersions records, SignatureService signatures,
                           CompletionRecords completionRecords) {
    this.tenantScope = tenantScope;
    this.records = records;
    this.signatures = signatures;
    this.completionRecords = completionRecords;
  }

  public Future<JsonObject> acknowledge(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId,
                                        JsonObject reauthentication, String idempotencyKey) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> mine.find(connection, caller, assignmentId, false)
            .compose(assignment -> replayable(assignment, idempotencyKey) ? Future.succeededFuture(assignment)
                : acknowledgeable(connection, assignment))
            .compose(assignment -> record(connection, assignment)))
        .compose(version -> signatures.sign(tenant, caller, origin, new SignatureRequest(RECORD_TYPE, assignmentId.toString(),
                version, MEANING, reauthentication.getString("method"), reauthentication.getString("username"),
                reauthentication.getString("password")), idempotencyKey,
            new Completion(tenant, caller, origin, assignmentId)))
        .compose(signed -> tenantScope.inTransaction(tenant.schemaName(), connection ->
            repository.assignment(connection, assignmentId).compose(assignment -> completions.ofAssignment(connection,
                    assignmentId)
                .map(completion -> new JsonObject().put("assignment", assignment).put("completion", completion)
                    .put("signature", signed.signature().toJson()).put("replayed", signed.replayed())))));
  }

  /** A completed assignment with an Idempotency-Key may be a retry: the signature service answers it (or refuses it). */
  private static boolean replayable(JsonObject assignment, String idempotencyKey) {
    return idempotencyKey != null && "completed".equals(assignment.getString("status"));
  }

  /** Open, a read-and-acknowledge, and its file opened by the learner: else a problem, before any credentials. */
  private Future<JsonObject> acknowledgeable(SqlConnection connection, JsonObject assignment) {
    String status = assignment.getString("status");
    if (!"open".equals(status) && !"overdue".equals(status)) {
      return Future.failedFuture(ProblemException.conflict("This assignment is " + status + ": there is nothing to "
          + "acknowledge"));
    }
    if (!"read-and-acknowledge".equals(assignment.getString("method"))) {
      return Future.failedFuture(new ProblemException(Problem.of(409, "method-mismatch", "Not a read-and-acknowledge",
          "This training is completed by " + assignment.getString("method") + ", not by acknowledgement")));
    }
    return openings.firstOpened(connection, UUID.fromString(assignment.getString("id")),
            UUID.fromString(assignment.getJsonObject("person").getString("id")))
        .compose(opened -> opened != null ? Future.succeededFuture(assignment)
            : Future.failedFuture(new ProblemException(Problem.of(409, "content-not-opened", "Open the document first",
                "Open version " + assignment.getJsonObject("version").getString("version") + " of "
                    + assignment.getJsonObject("document").getString("number") + " (GET /me/training/"
                    + assignment.getString("id") + "/content) before you sign that you have read and understood it"))));
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
      return mine.find(connection, caller, assignmentId, false)
          .compose(assignment -> acknowledgeable(connection, assignment)).mapEmpty();
    }

    @Override
    public Future<Void> apply(SqlConnection connection, Signature signature) {
      return mine.find(connection, caller, assignmentId, true)
          .compose(assignment -> acknowledgeable(connection, assignment))
          .compose(assignment -> completionRecords.complete(connection, tenant.slug(), AuditEvent.Actor.of(caller),
              AuditEvent.Source.of(origin), assignmentId, CompletionRecords.Evidence.signed("acknowledged", null, null,
                  signature.id(), signature.signedAt(), null, "Read and understood")))
          .mapEmpty();
    }
  }
}
