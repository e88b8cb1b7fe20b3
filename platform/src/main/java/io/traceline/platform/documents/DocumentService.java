package io.traceline.platform.documents;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.traceline.platform.access.ApplicationRole;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.documents.internal.DocumentRepository;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.jobs.NewJob;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Controlled documents (DOC-1) and their versions' lifecycle (DOC-2, DOC-4): draft → in-review → approved →
 * effective → superseded / obsolete, or withdrawn. Every change locks the document row first, so transitions of one
 * document are serialized; the database keeps at most one effective version per document (a partial unique index).
 * Every change is audited in the same transaction. Nothing is ever deleted (P11-7).
 */
public final class DocumentService {

  public static final String DOCUMENT = "document";
  public static final String VERSION = "document-version";

  private static final Map<String, String> TYPE_PREFIX = Map.of("sop", "SOP", "work-instruction", "WI", "policy", "POL",
      "form", "FRM", "specification", "SPEC");

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final JobQueue jobs;
  private final DocumentRepository repository = new DocumentRepository();

  public DocumentService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, JobQueue jobs) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
    this.jobs = jobs;
  }

  public Future<JsonObject> create(TenantContext tenant, Caller caller, RequestOrigin origin, JsonObject document) {
    String scheme = TYPE_PREFIX.get(document.getString("type")) + "-" + document.getString("department");
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), ApplicationRole.DOCUMENT_AUTHOR, ApplicationRole.QUALITY_MANAGER,
                ApplicationRole.TENANT_ADMIN)
            .compose(v -> repository.nextNumber(connection, scheme))
            .compose(sequence -> repository.insert(connection, UUID.randomUUID(),
                scheme + "-" + String.format("%03d", sequence), document, caller.subject()))
            .compose(created -> audit.record(connection, event(caller, origin, "document.created", DOCUMENT,
                    created.getString("id")).withVersion(created.getInteger("revision")).withValues(null, created))
                .map(recorded -> created)));
  }

  public Future<List<JsonObject>> list(TenantContext tenant, String type, String status, String ownerId,
                                       String department, String text, String after, int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        repository.list(connection, type, status, ownerId, department, text, after, limit));
  }

  public Future<JsonObject> get(TenantContext tenant, UUID id) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> document(connection, id, false));
  }

  /** Changes the document's metadata when {@code expectedRevision} is still current (412 otherwise). */
  public Future<JsonObject> update(TenantContext tenant, Caller caller, RequestOrigin origin, UUID id,
                                   int expectedRevision, JsonObject changes, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), ApplicationRole.DOCUMENT_AUTHOR, ApplicationRole.QUALITY_MANAGER,
                ApplicationRole.TENANT_ADMIN)
            .compose(v -> document(connection, id, true))
            .compose(before -> {
              if (before.getInteger("revision") != expectedRevision) {
                return Future.failedFuture(ProblemException.preconditionFailed("The document is at revision "
                    + before.getInteger("revision") + ", not " + expectedRevision + ": read it again and repeat the change"));
              }
              JsonObject merged = new JsonObject()
                  .put("title", changes.getString("title", before.getString("title")))
                  .put("ownerId", changes.getString("ownerId", before.getString("ownerId")))
                  .put("riskClass", changes.getString("riskClass", before.getString("riskClass")))
                  .put("sponsorProgram", changes.containsKey("sponsorProgram") ? changes.getString("sponsorProgram")
                      : before.getString("sponsorProgram"))
                  .put("reviewIntervalMonths", changes.getInteger("reviewIntervalMonths",
                      before.getInteger("reviewIntervalMonths")));
              return repository.update(connection, id, merged)
                  .compose(after -> audit.record(connection, event(caller, origin, "document.updated", DOCUMENT,
                          id.toString()).withVersion(after.getInteger("revision")).withValues(before, after)
                          .withReason(reason))
                      .map(recorded -> after));
            }));
  }

  public Future<List<JsonObject>> versions(TenantContext tenant, UUID documentId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> document(connection, documentId, false)
        .compose(document -> repository.versions(connection, documentId)));
  }

  public Future<JsonObject> version(TenantContext tenant, UUID documentId, UUID versionId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> document(connection, documentId, false)
        .compose(document -> version(connection, documentId, versionId)));
  }

  /** The effective version; 404 when the document has none (never a superseded one). */
  public Future<JsonObject> current(TenantContext tenant, UUID documentId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> document(connection, documentId, false)
        .compose(document -> repository.effective(connection, documentId))
        .compose(effective -> effective != null ? Future.succeededFuture(effective)
            : Future.failedFuture(ProblemException.notFound("The document has no effective version"))));
  }

  /** Starts a new revision (a draft); 409 while another one is in progress or when the document is obsolete. */
  public Future<JsonObject> createVersion(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                          JsonObject version) {
    if ("none".equals(version.getString("trainingImpact"))
        && (version.getString("impactJustification") == null || version.getString("impactJustification").isBlank())) {
      throw ProblemException.unprocessable("A revision without training impact needs a justification",
          List.of(new Problem.FieldError("/impactJustification", "required when trainingImpact is none")));
    }
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), ApplicationRole.DOCUMENT_AUTHOR, ApplicationRole.QUALITY_MANAGER)
            .compose(v -> document(connection, documentId, true))
            .compose(document -> {
              if ("obsolete".equals(document.getString("status"))) {
                return Future.failedFuture(ProblemException.conflict("The document is obsolete: it gets no new versions"));
              }
              return repository.versions(connection, documentId);
            })
            .compose(existing -> {
              int major = existing.isEmpty() ? 0 : existing.get(existing.size() - 1).getInteger("major");
              int minor = existing.isEmpty() ? 0 : existing.get(existing.size() - 1).getInteger("minor");
              boolean isMajor = "major".equals(version.getString("revision"));
              return repository.insertVersion(connection, UUID.randomUUID(), documentId, isMajor ? major + 1 : major,
                  isMajor ? 0 : minor + 1, version, caller.subject(), caller.name());
            })
            .compose(created -> created == null
                ? Future.failedFuture(ProblemException.conflict("Another version of this document is in progress "
                    + "(draft, in review or approved): finish or withdraw it first"))
                : audit.record(connection, event(caller, origin, "document-version.created", VERSION,
                        created.getString("id")).withValues(null, created))
                    .map(recorded -> created)));
  }

  /** Applies a lifecycle action to a version; 409 when the version's state does not allow it. */
  public Future<JsonObject> transition(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                       UUID versionId, String action, String reason, OffsetDateTime effectiveAt) {
    if (("withdraw".equals(action) || "obsolete".equals(action) || "reject".equals(action))
        && (reason == null || reason.strip().length() < 3)) {
      throw ProblemException.unprocessable("This action needs a reason (at least 3 characters); it is kept in the "
          + "audit trail", List.of(new Problem.FieldError("/reason", "required for " + action)));
    }
    if (effectiveAt != null && !"approve".equals(action)) {
      throw ProblemException.unprocessable("Only an approval takes an effective date",
          List.of(new Problem.FieldError("/effectiveAt", "only with action approve")));
    }
    OffsetDateTime future = effectiveAt != null && effectiveAt.isAfter(OffsetDateTime.now()) ? effectiveAt : null;
    return tenantScope.inTransaction(tenant.schemaName(), connection -> document(connection, documentId, true)
        .compose(document -> version(connection, documentId, versionId)
            .compose(before -> roles.activeRoles(connection, caller.subject())
                .compose(held -> apply(connection, tenant, caller, held, document, before, action, reason, future))
                .compose(after -> audit.record(connection, event(caller, origin, "document-version." + action, VERSION,
                        versionId.toString()).withValues(before, after).withReason(reason))
                    .map(recorded -> after)))));
  }

  private Future<JsonObject> apply(SqlConnection connection, TenantContext tenant, Caller caller, List<String> held,
                                   JsonObject document, JsonObject version, String action, String reason,
                                   OffsetDateTime future) {
    UUID documentId = UUID.fromString(document.getString("id"));
    UUID versionId = UUID.fromString(version.getString("id"));
    String state = version.getString("state");
    boolean isAuthor = caller.subject().equals(version.getString("authorId"));
    return switch (action) {
      case "submit" -> require(held, isAuthor, ApplicationRole.QUALITY_MANAGER)
          .compose(v -> move(connection, versionId, state, "draft", "in-review", action,
              "submitted_at = now(), review_comments = NULL"));
      case "reject" -> require(held, false, ApplicationRole.REVIEWER, ApplicationRole.APPROVER,
              ApplicationRole.QUALITY_MANAGER)
          .compose(v -> move(connection, versionId, state, "in-review", "draft", action, "review_comments = $4",
              reason.strip()));
      case "approve" -> require(held, false, ApplicationRole.APPROVER)
          .compose(v -> isAuthor
              ? Future.failedFuture(ProblemException.forbidden("The author of a version cannot approve it "
                  + "(separation of duties): another approver must"))
              : move(connection, versionId, state, "in-review", "approved", action,
                  "approved_at = now(), approved_by = $4, approved_by_name = $5, effective_at = $6", caller.subject(),
                  caller.name(), future))
          .compose(approved -> future == null ? makeEffective(connection, documentId, approved)
              // Effective at a future date: a timer on the job runtime, enqueued in this transaction (outbox).
              : jobs.enqueue(connection, new NewJob(tenant.slug(), DocumentEffectiveJob.NAME, new JsonObject()
                      .put("documentId", documentId.toString()).put("versionId", versionId.toString()),
                  future.toInstant(), "document-version:" + versionId, caller.subject())).map(id -> approved));
      case "withdraw" -> require(held, isAuthor, ApplicationRole.QUALITY_MANAGER, ApplicationRole.APPROVER)
          .compose(v -> List.of("draft", "in-review", "approved").contains(state)
              ? move(connection, versionId, state, state, "withdrawn", action, "ended_at = now(), end_reason = $4",
                  reason.strip())
              : illegal(state, action));
      case "obsolete" -> require(held, false, ApplicationRole.QUALITY_MANAGER, ApplicationRole.APPROVER)
          .compose(v -> move(connection, versionId, state, "effective", "obsolete", action,
              "ended_at = now(), end_reason = $4", reason.strip()))
          .compose(obsolete -> repository.setStatus(connection, documentId, "obsolete").map(v -> obsolete));
      default -> Future.failedFuture(ProblemException.unprocessable("Unknown action " + action,
          List.of(new Problem.FieldError("/action", "one of submit, reject, approve, withdraw, obsolete"))));
    };
  }

  /**
   * Supersedes the effective version (if any), makes {@code approved} effective and writes the "document version
   * effective" event (with its training impact) to the outbox, all in this transaction. The caller holds the lock
   * on the document row.
   */
  Future<JsonObject> makeEffective(SqlConnection connection, UUID documentId, JsonObject approved) {
    return repository.effective(connection, documentId)
        .compose(previous -> previous == null ? Future.succeededFuture()
            : repository.move(connection, UUID.fromString(previous.getString("id")), "effective", "superseded",
                "superseded_at = now()").mapEmpty())
        .compose(v -> repository.move(connection, UUID.fromString(approved.getString("id")), "approved", "effective",
            "effective_at = now()"))
        .compose(effective -> repository.setStatus(connection, documentId, "effective")
            .compose(v -> repository.insertEvent(connection, UUID.randomUUID(), "document-version-effective", effective))
            .map(v -> effective));
  }

  private Future<JsonObject> move(SqlConnection connection, UUID versionId, String state, String from, String to,
                                  String action, String assignments, Object... values) {
    if (!from.equals(state)) {
      return illegal(state, action);
    }
    return repository.move(connection, versionId, from, to, assignments, values)
        .compose(moved -> moved != null ? Future.succeededFuture(moved) : illegal(state, action));
  }

  private static Future<JsonObject> illegal(String state, String action) {
    return Future.failedFuture(ProblemException.conflict("A version in state " + state + " cannot be " + switch (action) {
      case "submit" -> "submitted for review (only a draft can)";
      case "reject" -> "rejected (only a version in review can)";
      case "approve" -> "approved (only a version in review can)";
      case "withdraw" -> "withdrawn (only a draft, a version in review or an approved one can)";
      case "obsolete" -> "made obsolete (only the effective version can)";
      default -> action;
    }));
  }

  private static Future<Void> require(List<String> held, boolean orSelf, ApplicationRole... allowed) {
    if (orSelf) {
      return Future.succeededFuture();
    }
    for (ApplicationRole role : allowed) {
      if (held.contains(role.id())) {
        return Future.succeededFuture();
      }
    }
    return Future.failedFuture(ProblemException.forbidden("This needs one of the application roles "
        + java.util.Arrays.stream(allowed).map(ApplicationRole::id).toList()));
  }

  /** The repository, for the effective-date timer in this package. */
  DocumentRepository repository() {
    return repository;
  }

  private Future<JsonObject> document(SqlConnection connection, UUID id, boolean forUpdate) {
    return repository.find(connection, id, forUpdate).compose(document -> document != null
        ? Future.succeededFuture(document)
        : Future.failedFuture(ProblemException.notFound("No document " + id)));
  }

  private Future<JsonObject> version(SqlConnection connection, UUID documentId, UUID versionId) {
    return repository.version(connection, documentId, versionId).compose(version -> version != null
        ? Future.succeededFuture(version)
        : Future.failedFuture(ProblemException.notFound("No version " + versionId + " of document " + documentId)));
  }

  private static AuditEvent event(Caller caller, RequestOrigin origin, String action, String type, String id) {
    return AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin), action, type, id);
  }
}
