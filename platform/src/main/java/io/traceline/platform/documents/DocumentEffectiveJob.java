package io.traceline.platform.documents;

import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.documents.internal.DocumentRepository;
import io.traceline.platform.jobs.Job;
import io.traceline.platform.jobs.JobKind;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * The effective-date timer (DOC-7): at the date the submission named, in one transaction (the chunk's, in the tenant's
 * schema) the approved version becomes effective, the previous one superseded, and the "document version effective"
 * event goes to the outbox. A version withdrawn meanwhile, or already effective (a re-run), is left alone.
 */
public final class DocumentEffectiveJob implements JobKind {

  public static final String NAME = "document.effective";

  private final DocumentLifecycle lifecycle;
  private final AuditTrail audit;
  private final DocumentRepository repository;

  public DocumentEffectiveJob(DocumentLifecycle lifecycle, AuditTrail audit, DocumentRepository repository) {
    this.lifecycle = lifecycle;
    this.audit = audit;
    this.repository = repository;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Integer> plan(SqlConnection connection, Job job) {
    return Future.succeededFuture(1);
  }

  @Override
  public Future<Long> runChunk(SqlConnection connection, Job job, int chunkNo, int attempt) {
    UUID documentId = UUID.fromString(job.payload().getString("documentId"));
    UUID versionId = UUID.fromString(job.payload().getString("versionId"));
    return repository.lockForTimer(connection, documentId).compose(reviewInterval -> reviewInterval == null
        ? Future.succeededFuture(0L)
        : repository.version(connection, documentId, versionId).compose(before ->
            before == null || !"approved".equals(before.getString("state")) ? Future.succeededFuture(0L)
                : lifecycle.makeEffective(connection, job.tenant(), documentId, reviewInterval, before)
                    .compose(after -> audit.record(connection, AuditEvent.of(AuditEvent.Actor.SYSTEM,
                            AuditEvent.Source.NONE, "document-version.effective", DocumentService.VERSION,
                            versionId.toString()).withVersion(after.getInteger("recordVersion"))
                        .withValues(before, after).withReason("Effective date reached")))
                    .map(recorded -> 1L)));
  }
}
