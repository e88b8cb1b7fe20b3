package io.traceline.platform.training.assessment;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.traceline.platform.access.ApplicationRole;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.IfMatch;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.training.assessment.internal.QuestionRepository;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The question bank of a document version (TRN-1 assessments): authors and quality staff write single-choice,
 * multiple-choice and scenario questions, change them with If-Match and a reason, retire them (never delete), and carry
 * a previous version's bank forward into the next version (copies, then editable, each naming where it came from).
 * Every change is audited with the values before and after. The bank holds the key: only its keepers and auditors read
 * it; learners see questions only through their attempts, without the key.
 */
public final class QuestionBankService {

  static final String RECORD_TYPE = "assessment-question";
  static final Set<String> WRITERS = Set.of(ApplicationRole.DOCUMENT_AUTHOR.id(), ApplicationRole.QUALITY_MANAGER.id(),
      ApplicationRole.TRAINING_ADMIN.id());
  static final Set<String> READERS = Set.of(ApplicationRole.DOCUMENT_AUTHOR.id(), ApplicationRole.QUALITY_MANAGER.id(),
      ApplicationRole.TRAINING_ADMIN.id(), ApplicationRole.TENANT_ADMIN.id(), ApplicationRole.AUDITOR.id());
  /** A version that no one will be assigned again keeps its bank as it was. */
  private static final Set<String> CLOSED_STATES = Set.of("superseded", "obsolete", "withdrawn");

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final QuestionRepository questions = new QuestionRepository();

  public QuestionBankService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
  }

  public Future<List<JsonObject>> list(TenantContext tenant, Caller caller, UUID documentId, UUID versionId, Boolean active) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), READERS)
        .compose(v -> versionState(connection, documentId, versionId))
        .compose(state -> questions.ofVersion(connection, versionId, active)));
  }

  public Future<JsonObject> get(TenantContext tenant, Caller caller, UUID documentId, UUID versionId, UUID questionId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), READERS)
        .compose(v -> existing(connection, documentId, versionId, questionId, false)));
  }

  public Future<JsonObject> create(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                   UUID versionId, JsonObject body, String reason) {
    JsonObject question = QuestionRules.normalized(body);
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), WRITERS)
        .compose(v -> openVersion(connection, documentId, versionId))
        .compose(v -> questions.insert(connection, Ids.newId(), documentId, versionId, question, null, null,
            caller.subject()))
        .compose(created -> audit.record(connection, event(caller, origin, "assessment-question.created", created)
                .withValues(null, created).withReason(reason))
            .map(created)));
  }

  public Future<JsonObject> update(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                   UUID versionId, UUID questionId, int expected, JsonObject changes, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), WRITERS)
        .compose(v -> openVersion(connection, documentId, versionId))
        .compose(v -> existing(connection, documentId, versionId, questionId, true))
        .compose(before -> {
          IfMatch.check(before.getInteger("revision"), expected, "the question");
          if (!before.getBoolean("active")) {
            return Future.failedFuture(ProblemException.conflict("The question is retired: it does not change"));
          }
          String kind = changes.getString("kind", before.getString("kind"));
          JsonObject merged = new JsonObject().put("kind", kind)
              // A kind that is no longer a scenario drops its case text unless the change names one.
              .put("scenario", changes.containsKey("scenario") ? changes.getString("scenario")
                  : "scenario".equals(kind) ? before.getString("scenario") : null)
              .put("prompt", changes.getString("prompt", before.getString("prompt")))
              .put("options", changes.getJsonArray("options", before.getJsonArray("options")));
          return questions.update(connection, questionId, QuestionRules.normalized(merged))
              .compose(after -> audit.record(connection, event(caller, origin, "assessment-question.updated", after)
                      .withValues(before, after).withReason(reason))
                  .map(after));
        }));
  }

  public Future<JsonObject> retire(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                   UUID versionId, UUID questionId, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), WRITERS)
        .compose(v -> openVersion(connection, documentId, versionId))
        .compose(v -> existing(connection, documentId, versionId, questionId, true))
        .compose(before -> !before.getBoolean("active")
            ? Future.failedFuture(ProblemException.conflict("The question is already retired"))
            : questions.retire(connection, questionId, reason)
                .compose(after -> audit.record(connection, event(caller, origin, "assessment-question.retired", after)
                        .withValues(before, after).withReason(reason))
                    .map(after))));
  }

  /**
   * Copies the active questions of an earlier version of the same document into this version's bank, each naming the
   * question and version it came from; a question already carried is not copied again. Returns the copies.
   */
  public Future<List<JsonObject>> carryForward(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                               UUID versionId, UUID fromVersionId, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), WRITERS)
        .compose(v -> openVersion(connection, documentId, versionId))
        .compose(v -> fromVersionId.equals(versionId)
            ? Future.failedFuture(ProblemException.unprocessable("A bank is carried forward from another version",
                List.of(new Problem.FieldError("/fromVersionId", "another version of the same document"))))
            : versionState(connection, documentId, fromVersionId).recover(missing -> Future.failedFuture(
                ProblemException.unprocessable("No version " + fromVersionId + " of this document",
                    List.of(new Problem.FieldError("/fromVersionId", "a version of the same document"))))))
        .compose(v -> questions.notYetCarried(connection, fromVersionId, versionId))
        .compose(originals -> carry(connection, caller, origin, documentId, versionId, originals, 0,
            new java.util.ArrayList<>(), reason)));
  }

  private Future<List<JsonObject>> carry(SqlConnection connection, Caller caller, RequestOrigin origin, UUID documentId,
                                         UUID versionId, List<JsonObject> originals, int next, List<JsonObject> copies,
                                         String reason) {
    if (next == originals.size()) {
      return Future.succeededFuture(copies);
    }
    JsonObject original = originals.get(next);
    return questions.insert(connection, Ids.newId(), documentId, versionId, original, UUID.fromString(original.getString("id")),
            UUID.fromString(original.getString("versionId")), caller.subject())
        .compose(copy -> audit.record(connection, event(caller, origin, "assessment-question.carried-forward", copy)
                .withValues(null, copy).withReason(reason))
            .map(recorded -> {
              copies.add(copy);
              return copies;
            }))
        .compose(v -> carry(connection, caller, origin, documentId, versionId, originals, next + 1, copies, reason));
  }

  /** The version's state; 404 when it is not a version of the document. */
  private Future<String> versionState(SqlConnection connection, UUID documentId, UUID versionId) {
    return connection.preparedQuery("SELECT state FROM document_version WHERE id = $1 AND document_id = $2")
        .execute(Tuple.of(versionId, documentId))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(rows.iterator().next().getString("state"))
            : Future.failedFuture(ProblemException.notFound("No version " + versionId + " of document " + documentId)));
  }

  /** The version, when its bank may still change: 409 once it is superseded, obsolete or withdrawn. */
  private Future<Void> openVersion(SqlConnection connection, UUID documentId, UUID versionId) {
    return versionState(connection, documentId, versionId).compose(state -> CLOSED_STATES.contains(state)
        ? Future.failedFuture(new ProblemException(Problem.of(409, "version-closed", "The version's bank is closed",
            "Version " + versionId + " is " + state + ": its questions stay as they were; change the current version's bank")))
        : Future.succeededFuture());
  }

  private Future<JsonObject> existing(SqlConnection connection, UUID documentId, UUID versionId, UUID questionId,
                                      boolean lock) {
    return questions.find(connection, questionId, lock).compose(found -> found != null
        && found.getString("versionId").equals(versionId.toString()) && found.getString("documentId").equals(documentId.toString())
        ? Future.succeededFuture(found)
        : Future.failedFuture(ProblemException.notFound("No question " + questionId + " in this version's bank")));
  }

  private static AuditEvent event(Caller caller, RequestOrigin origin, String action, JsonObject question) {
    return AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin), action, RECORD_TYPE,
        question.getString("id")).withVersion(question.getInteger("revision"));
  }
}
