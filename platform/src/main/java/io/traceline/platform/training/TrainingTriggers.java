package io.traceline.platform.training;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.documents.VersionEffectiveListener;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.jobs.NewJob;
import io.traceline.platform.people.PersonEventListener;
import io.traceline.platform.training.internal.MatrixRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Where quality and people events become training work, in the transaction of their cause (TRN-2, PPL-2, PPL-3): a
 * version becoming effective enqueues its fan-out (once per version: a second firing finds the same job), people
 * events enqueue their reconciliation, a requirement added to a role enqueues the fan-out of that requirement.
 */
public final class TrainingTriggers implements VersionEffectiveListener, PersonEventListener {

  private final JobQueue jobs;
  private final int chunkSize;
  private final MatrixRepository matrix = new MatrixRepository();

  public TrainingTriggers(JobQueue jobs, int chunkSize) {
    this.jobs = jobs;
    this.chunkSize = chunkSize;
  }

  /**
   * A revision with training impact "none" keeps qualifications current: it assigns nothing. The fan-out is told
   * whether the document has earlier versions: without them it has nothing to supersede and nobody previously trained.
   */
  @Override
  public Future<Void> versionEffective(SqlConnection connection, String tenant, JsonObject version,
                                       boolean hasEarlierVersions) {
    if ("none".equals(version.getString("trainingImpact"))) {
      return Future.succeededFuture();
    }
    UUID versionId = UUID.fromString(version.getString("id"));
    OffsetDateTime effectiveAt = OffsetDateTime.parse(version.getString("effectiveAt"));
    JsonObject payload = FanOutJob.payload("revision-effective", UUID.fromString(version.getString("documentId")), versionId,
        version.getString("version"), version.getString("trainingImpact"), version.getString("revision"), null,
        effectiveAt).put("chunkSize", chunkSize).put("earlierVersions", hasEarlierVersions);
    return jobs.enqueue(connection, new NewJob(tenant, FanOutJob.NAME, payload, Instant.now(),
        "revision:" + versionId, AuditEvent.Actor.SYSTEM.id())).mapEmpty();
  }

  @Override
  public Future<Void> eventsWritten(SqlConnection connection, TenantContext tenant) {
    return jobs.enqueue(connection, new NewJob(tenant.slug(), PersonEventsJob.NAME, new JsonObject(), Instant.now(), null,
        AuditEvent.Actor.SYSTEM.id())).mapEmpty();
  }

  /**
   * An assignment was completed (the training-evidence feature calls this in the completion's transaction): when its
   * requirement recertifies, the recertification timer is set, once per completed assignment.
   */
  public Future<Void> assignmentCompleted(SqlConnection connection, String tenant, UUID assignmentId) {
    return matrix.recertificationTimer(connection, assignmentId).compose(fires -> fires == null ? Future.succeededFuture()
        : jobs.enqueue(connection, new NewJob(tenant, RecertificationJob.NAME, RecertificationJob.payload(assignmentId),
            fires.toInstant(), "recertification:" + assignmentId, AuditEvent.Actor.SYSTEM.id())).mapEmpty());
  }

  /** The fan-out of a requirement just added to a role, for the document's effective version; its job id. */
  Future<UUID> requirementAdded(SqlConnection connection, String tenant, UUID requirementId, UUID documentId,
                                JsonObject effective, String createdBy) {
    JsonObject payload = FanOutJob.payload("requirement-added", documentId, UUID.fromString(effective.getString("versionId")),
        effective.getString("version"), "full-retraining", "major", requirementId, OffsetDateTime.now())
        .put("chunkSize", chunkSize);
    return jobs.enqueue(connection, new NewJob(tenant, FanOutJob.NAME, payload, Instant.now(),
        "requirement:" + requirementId, createdBy));
  }
}
