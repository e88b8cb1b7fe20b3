package io.traceline.platform.documents;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.documents.internal.DocumentRepository;
import io.traceline.platform.jobs.Job;
import io.traceline.platform.jobs.JobKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The periodic review reminder (DOC-6): {@link DocumentLifecycle#REVIEW_REMINDER_LEAD} before a document's review is
 * due, a "document review due" event goes to the outbox (the notifications feature mails the owner) and the audit
 * trail. A reminder whose due date was moved meanwhile (the document was reviewed or revised) does nothing; a re-run
 * writes nothing twice.
 */
public final class DocumentReviewDueJob implements JobKind {

  public static final String NAME = "document.review-due";

  private final AuditTrail audit;
  private final DocumentRepository repository;

  public DocumentReviewDueJob(AuditTrail audit, DocumentRepository repository) {
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
    OffsetDateTime dueAt = OffsetDateTime.parse(job.payload().getString("dueAt"));
    return repository.find(connection, documentId, true).compose(document -> {
      if (document == null || !"effective".equals(document.getString("status")) || document.getString("nextReviewAt") == null
          || !OffsetDateTime.parse(document.getString("nextReviewAt")).isEqual(dueAt)) {
        return Future.succeededFuture(0L);
      }
      return repository.insertReviewDue(connection, documentId, dueAt).compose(written -> !written
          ? Future.succeededFuture(0L)
          : audit.record(connection, AuditEvent.of(AuditEvent.Actor.SYSTEM, AuditEvent.Source.NONE, "document.review-due",
                  DocumentService.DOCUMENT, documentId.toString()).withVersion(document.getInteger("revision"))
              .withValues(null, new JsonObject().put("number", document.getString("number"))
                  .put("ownerId", document.getString("ownerId")).put("dueAt", dueAt.toInstant().toString()))
              .withReason("Periodic review due on " + dueAt.toLocalDate()))
              .map(recorded -> 1L));
    });
  }
}
