package io.traceline.platform.documents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.traceline.platform.access.ApplicationRole;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditRecord;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.documents.internal.DocumentRepository;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.pdf.TenantDisplayName;
import io.traceline.platform.records.RecordVersion;
import io.traceline.platform.records.RecordVersions;
import io.traceline.platform.signatures.Signature;
import io.traceline.platform.signatures.SignatureService;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * A document's complete record as JSON (P11-6, 11.10(b); the PDF form renders the same JSON: {@code DocumentRecordPdf}): the document, every version with its file's metadata, its
 * review and approval rounds, the record versions each submission froze (re-hashed here: {@code intact}), every
 * signature with its manifestation, and the document's audit trail in chain order. Read in one transaction, so the
 * parts agree with each other.
 */
public final class DocumentExport {

  private static final List<String> READERS = List.of(ApplicationRole.QUALITY_MANAGER.id(),
      ApplicationRole.TENANT_ADMIN.id(), ApplicationRole.AUDITOR.id());

  private final TenantScope tenantScope;
  private final RoleCheck roles;
  private final RecordVersions records;
  private final SignatureService signatures;
  private final AuditTrail audit;
  private final DocumentRepository repository;
  private final DocumentLookup lookup;

  public DocumentExport(TenantScope tenantScope, RoleCheck roles, RecordVersions records, SignatureService signatures,
                        AuditTrail audit, DocumentRepository repository) {
    this.tenantScope = tenantScope;
    this.roles = roles;
    this.records = records;
    this.signatures = signatures;
    this.audit = audit;
    this.repository = repository;
    this.lookup = new DocumentLookup(repository);
  }

  /** The export, for quality managers, tenant admins, auditors and the document's owner. */
  public Future<JsonObject> export(TenantContext tenant, Caller caller, UUID documentId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> lookup.document(connection, documentId, false)
        .compose(document -> roles.activeRoles(connection, caller.subject()).compose(held -> {
          if (!caller.subject().equals(document.getString("ownerId")) && held.stream().noneMatch(READERS::contains)) {
            return Future.failedFuture(ProblemException.forbidden("A document's export is for its owner, quality "
                + "managers, tenant admins and auditors"));
          }
          return repository.versions(connection, documentId)
              .compose(versions -> versionsWithEvidence(connection, versions))
              .compose(versions -> trail(connection, documentId, versions)
                  .compose(trail -> TenantDisplayName.of(connection, tenant.slug()).map(tenantName -> new JsonObject()
                      .put("exportedAt", Instant.now().toString())
                      .put("tenant", tenant.slug())
                      .put("tenantName", tenantName)
                      .put("exportedBy", new JsonObject().put("id", caller.subject()).put("name", caller.name()))
                      .put("document", document)
                      .put("versions", new JsonArray(versions))
                      .put("auditTrail", new JsonArray(trail.stream().map(AuditRecord::toJson).toList())))));
        })));
  }

  private Future<List<JsonObject>> versionsWithEvidence(SqlConnection connection, List<JsonObject> versions) {
    Future<List<JsonObject>> all = Future.succeededFuture(new ArrayList<>());
    for (JsonObject version : versions) {
      all = all.compose(done -> evidence(connection, version).map(full -> {
        done.add(full);
        return done;
      }));
    }
    return all;
  }

  private Future<JsonObject> evidence(SqlConnection connection, JsonObject version) {
    UUID versionId = UUID.fromString(version.getString("id"));
    return repository.allSteps(connection, versionId)
        .compose(steps -> records.history(connection, DocumentService.VERSION, versionId.toString())
            .compose(frozen -> signatures.ofRecord(connection, DocumentService.VERSION, versionId.toString())
                .map(signed -> version.copy()
                    .put("routeSteps", new JsonArray(steps))
                    .put("submissions", new JsonArray(frozen.stream().map(DocumentExport::submission).toList()))
                    .put("signatures", new JsonArray(signed.stream().map(Signature::toJson).toList())))));
  }

  private static JsonObject submission(RecordVersion frozen) {
    return frozen.toJson().put("intact", frozen.computeHash().equals(frozen.contentHash()));
  }

  private Future<List<AuditRecord>> trail(SqlConnection connection, UUID documentId, List<JsonObject> versions) {
    return audit.history(connection, Map.of(
        DocumentService.DOCUMENT, List.of(documentId.toString()),
        DocumentService.VERSION, versions.stream().map(version -> version.getString("id")).toList()));
  }
}
