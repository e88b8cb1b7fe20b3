package io.traceline.platform.training;

import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.documents.DocumentContentService;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.training.internal.OpeningRepository;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * The learner opens the document version of their assignment (issue 7 item 1): the file is served through the
 * assignment, and each opening is recorded with the database's time and the file's SHA-256, so a read-and-acknowledge
 * can show the learner had the exact version in front of them before signing.
 */
public final class TrainingContentService {

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final DocumentContentService files;
  private final MyAssignments mine = new MyAssignments();
  private final OpeningRepository openings = new OpeningRepository();

  public TrainingContentService(TenantScope tenantScope, AuditTrail audit, DocumentContentService files) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.files = files;
  }

  /** The version's file, after recording that the learner opened it; nothing is recorded when the file cannot be served. */
  public Future<DocumentContentService.Download> open(TenantContext tenant, Caller caller, RequestOrigin origin,
                                                      UUID assignmentId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> mine.find(connection, caller, assignmentId, false))
        .compose(assignment -> files.download(tenant, UUID.fromString(assignment.getJsonObject("document").getString("id")),
                UUID.fromString(assignment.getJsonObject("version").getString("id")))
            .compose(file -> tenantScope.inTransaction(tenant.schemaName(), connection ->
                    record(connection, caller, origin, assignmentId,
                        UUID.fromString(assignment.getJsonObject("person").getString("id")), file.sha256()))
                .map(file)));
  }

  private Future<Void> record(SqlConnection connection, Caller caller, RequestOrigin origin, UUID assignmentId,
                              UUID personId, String sha256) {
    return openings.insert(connection, Ids.newId(), assignmentId, personId, caller.subject(), sha256)
        .compose(opening -> audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin),
            "training-assignment.content-opened", CompletionService.RECORD_TYPE, assignmentId.toString())
            .withValues(null, opening)))
        .mapEmpty();
  }
}
