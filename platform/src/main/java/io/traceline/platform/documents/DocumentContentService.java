package io.traceline.platform.documents;

import java.util.List;
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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The controlled file of each version (DOC-5): uploaded while the version is a draft, frozen by its submission (the
 * record version's hash covers the file's SHA-256), downloadable for every version ever made. A download re-hashes
 * the bytes, so a file altered in storage is refused rather than served.
 */
public final class DocumentContentService {

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final DocumentContentStore store;
  private final DocumentRepository repository;
  private final DocumentLookup lookup;

  public DocumentContentService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, DocumentContentStore store,
                                DocumentRepository repository) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
    this.store = store;
    this.repository = repository;
    this.lookup = new DocumentLookup(repository);
  }

  /** A version's file as stored, with the metadata to serve it. */
  public record Download(String fileName, String mediaType, String sha256, Buffer bytes) {
  }

  /** Sets (or replaces) the file of a draft version: its author's or a quality manager's act; 409 once submitted. */
  public Future<JsonObject> upload(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                   UUID versionId, ControlledFile file) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> lookup.document(connection, documentId, true)
        .compose(document -> lookup.version(connection, documentId, versionId))
        .compose(before -> roles.activeRoles(connection, caller.subject()).compose(held -> {
          if (!caller.subject().equals(before.getString("authorId"))
              && !held.contains(ApplicationRole.QUALITY_MANAGER.id())) {
            return Future.failedFuture(ProblemException.forbidden("The version's author or a quality manager uploads "
                + "its file"));
          }
          if (!"draft".equals(before.getString("state"))) {
            return Future.failedFuture(frozen(before.getString("state")));
          }
          return store.put(tenant, file.sha256(), file.bytes())
              .compose(v -> repository.attachContent(connection, versionId, file.sha256(), file.mediaType(),
                  file.fileName(), file.bytes().length(), caller.subject()))
              .compose(after -> after == null ? Future.failedFuture(frozen(before.getString("state")))
                  : audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin),
                          "document-version.content-uploaded", DocumentService.VERSION, versionId.toString())
                      .withValues(new JsonObject().put("content", before.getJsonObject("content")),
                          new JsonObject().put("content", after.getJsonObject("content"))))
                  .map(recorded -> after));
        })));
  }

  /** The file of any version; 404 when none was uploaded, 500-class refusal when the stored bytes no longer match. */
  public Future<Download> download(TenantContext tenant, UUID documentId, UUID versionId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> lookup.document(connection, documentId, false)
            .compose(document -> lookup.version(connection, documentId, versionId)))
        .compose(version -> {
          JsonObject content = version.getJsonObject("content");
          if (content == null) {
            return Future.failedFuture(ProblemException.notFound("Version " + version.getString("version")
                + " has no file yet"));
          }
          String sha256 = content.getString("sha256");
          return store.get(tenant, sha256).compose(bytes -> {
            if (bytes == null || !ControlledFile.sha256(bytes.getBytes()).equals(sha256)) {
              return Future.failedFuture(new IllegalStateException("The stored file of version " + versionId
                  + " does not match its SHA-256 " + sha256 + ": it was lost or altered in storage"));
            }
            return Future.succeededFuture(new Download(content.getString("fileName"), content.getString("mediaType"),
                sha256, bytes));
          });
        });
  }

  private static ProblemException frozen(String state) {
    return new ProblemException(Problem.of(409, "content-frozen", "The file of this version is frozen",
        "A version in state " + state + " keeps the file it was submitted with; start a new version to change it"));
  }

}
