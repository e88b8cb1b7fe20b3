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
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.training.InOrder;
import io.traceline.platform.training.MaterialBank;
import io.traceline.platform.training.VersionMaterial;
import io.traceline.platform.training.assessment.internal.QuestionRepository;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The question bank of a document version (TRN-1 assessments): authors and quality staff write single-choice,
 * multiple-choice and scenario questions, change them with If-Match and a reason, retire them (never delete), and carry
 * a previous version's bank forward into the next version (copies, then editable, each naming where it came from).
 * Every change is audited with the values before and after. The bank holds the key: only its keepers and auditors read
 * it; learners see questions only through their attempts, without the key.
 */
public final class QuestionBankService implements MaterialBank {

  static final String RECORD_TYPE = "assessment-question";
  static final Set<String> WRITERS = Set.of(ApplicationRole.DOCUMENT_AUTHOR.id(), ApplicationRole.QUALITY_MANAGER.id(),
      ApplicationRole.TRAINING_ADMIN.id());
  static final Set<String> READERS = Set.of(ApplicationRole.DOCUMENT_AUTHOR.id(), ApplicationRole.QUALITY_MANAGER.id(),
      ApplicationRole.TRAINING_ADMIN.id(), ApplicationRole.TENANT_ADMIN.id(), ApplicationRole.AUDITOR.id());
  private static final String MATERIAL = "question bank";

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
        .compose(v -> VersionMaterial.state(connection, documentId, versionId))
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
        .compose(v -> VersionMaterial.requireOpen(connection, documentId, versionId, MATERIAL))
        .compose(v -> questions.insert(connection, Ids.newId(), documentId, versionId, question, null, null,
            caller.subject()))
        .compose(created -> audit.record(connection, event(caller, origin, "assessment-question.created", created)
                .withValues(null, created).withReason(reason))
            .map(created)));
  }

  public Future<JsonObject> update(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                   UUID versionId, UUID questionId, int expected, JsonObject changes, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), WRITERS)
        .compose(v -> VersionMaterial.requireOpen(connection, documentId, versionId, MATERIAL))
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
        .compose(v -> VersionMaterial.requireOpen(connection, documentId, versionId, MATERIAL))
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
        .compose(v -> VersionMaterial.requireOpen(connection, documentId, versionId, MATERIAL))
        .compose(v -> VersionMaterial.requireSource(connection, documentId, versionId, fromVersionId, MATERIAL))
        .compose(v -> questions.notYetCarried(connection, fromVersionId, versionId))
        .compose(originals -> InOrder.each(originals, original -> questions.insert(connection, Ids.newId(), documentId,
                versionId, original, UUID.fromString(original.getString("id")),
                UUID.fromString(original.getString("versionId")), caller.subject())
            .compose(copy -> audit.record(connection, event(caller, origin, "assessment-question.carried-forward", copy)
                    .withValues(null, copy).withReason(reason))
                .map(copy)))));
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
