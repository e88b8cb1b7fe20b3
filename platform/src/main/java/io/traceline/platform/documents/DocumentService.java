package io.traceline.platform.documents;

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
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Controlled documents (DOC-1) and their versions (DOC-2): numbering, metadata, new revisions and reading. The way
 * of a version from draft to effective is {@link DocumentLifecycle}'s. Every change locks the document row first and
 * is audited in the same transaction. Nothing is ever deleted (P11-7).
 */
public final class DocumentService {

  public static final String DOCUMENT = "document";
  public static final String VERSION = "document-version";

  private static final Map<String, String> TYPE_PREFIX = Map.of("sop", "SOP", "work-instruction", "WI", "policy", "POL",
      "form", "FRM", "specification", "SPEC");

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final DocumentRepository repository;
  private final DocumentLookup lookup;
  private final VersionCauses causes;

  public DocumentService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, DocumentRepository repository) {
    this(tenantScope, audit, roles, repository, VersionCauses.NONE);
  }

  public DocumentService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, DocumentRepository repository,
                         VersionCauses causes) {
    this.causes = causes;
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
    this.repository = repository;
    this.lookup = new DocumentLookup(repository);
  }

  public Future<JsonObject> create(TenantContext tenant, Caller caller, RequestOrigin origin, JsonObject document) {
    String scheme = TYPE_PREFIX.get(document.getString("type")) + "-" + document.getString("department");
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), ApplicationRole.DOCUMENT_AUTHOR, ApplicationRole.QUALITY_MANAGER,
                ApplicationRole.TENANT_ADMIN)
            .compose(v -> program(connection, document.getString("programCode"), null))
            .compose(programId -> repository.nextNumber(connection, scheme)
                .compose(sequence -> repository.insert(connection, UUID.randomUUID(),
                    scheme + "-" + String.format("%03d", sequence), document.copy().put("programId", programId),
                    caller.subject())))
            .compose(created -> audit.record(connection, event(caller, origin, "document.created", DOCUMENT,
                    created.getString("id")).withVersion(created.getInteger("revision")).withValues(null, created))
                .map(recorded -> created)));
  }

  public Future<List<JsonObject>> list(TenantContext tenant, DocumentRepository.Filter filter, String after, int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> repository.list(connection, filter, after, limit));
  }

  public Future<JsonObject> get(TenantContext tenant, UUID id) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> lookup.document(connection, id, false));
  }

  /** Changes the document's metadata when {@code expectedRevision} is still current (412 otherwise). */
  public Future<JsonObject> update(TenantContext tenant, Caller caller, RequestOrigin origin, UUID id,
                                   int expectedRevision, JsonObject changes, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), ApplicationRole.DOCUMENT_AUTHOR, ApplicationRole.QUALITY_MANAGER,
                ApplicationRole.TENANT_ADMIN)
            .compose(v -> lookup.document(connection, id, true))
            .compose(before -> {
              if (before.getInteger("revision") != expectedRevision) {
                return Future.failedFuture(ProblemException.preconditionFailed("The document is at revision "
                    + before.getInteger("revision") + ", not " + expectedRevision + ": read it again and repeat the change"));
              }
              JsonObject program = before.getJsonObject("program");
              String programBefore = program == null ? null : program.getString("id");
              Future<String> programAfter = !changes.containsKey("programCode") ? Future.succeededFuture(programBefore)
                  : program(connection, changes.getString("programCode"), programBefore);
              return programAfter.compose(programId -> repository.update(connection, id, new JsonObject()
                  .put("title", changes.getString("title", before.getString("title")))
                  .put("ownerId", changes.getString("ownerId", before.getString("ownerId")))
                  .put("riskClass", changes.getString("riskClass", before.getString("riskClass")))
                  .put("programId", programId)
                  .put("reviewIntervalMonths", changes.getInteger("reviewIntervalMonths",
                      before.getInteger("reviewIntervalMonths")))))
                  .compose(after -> audit.record(connection, event(caller, origin, "document.updated", DOCUMENT,
                          id.toString()).withVersion(after.getInteger("revision")).withValues(before, after)
                          .withReason(reason))
                      .map(recorded -> after));
            }));
  }

  public Future<List<JsonObject>> versions(TenantContext tenant, UUID documentId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> lookup.document(connection, documentId, false)
        .compose(document -> repository.versions(connection, documentId)));
  }

  public Future<JsonObject> version(TenantContext tenant, UUID documentId, UUID versionId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> lookup.document(connection, documentId, false)
        .compose(document -> lookup.version(connection, documentId, versionId))
        // What drove this revision (a change control, a CAPA action), so the chain is traceable from the document too.
        .compose(version -> causes.causesOf(connection, versionId).map(found -> version.put("causedBy", found))));
  }

  /** The effective version; 404 when the document has none (never a superseded one). */
  public Future<JsonObject> current(TenantContext tenant, UUID documentId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> lookup.document(connection, documentId, false)
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
            .compose(v -> lookup.document(connection, documentId, true))
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

  /**
   * The id of the sponsor program a document names by code (SPN-1), null for none; 422 for an unknown code, or a
   * deactivated program the document does not already belong to ({@code current}).
   */
  private Future<String> program(SqlConnection connection, String code, String current) {
    if (code == null) {
      return Future.succeededFuture(null);
    }
    return repository.program(connection, code).compose(program -> {
      if (program == null || (!program.getBoolean("active") && !program.getString("id").equals(current))) {
        return Future.failedFuture(ProblemException.unprocessable("The document names a program it cannot belong to",
            List.of(new Problem.FieldError("/programCode", program == null ? "no program has code " + code
                : "program " + code + " is deactivated"))));
      }
      return Future.succeededFuture(program.getString("id"));
    });
  }

  private static AuditEvent event(Caller caller, RequestOrigin origin, String action, String type, String id) {
    return AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin), action, type, id);
  }
}
