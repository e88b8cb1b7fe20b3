package io.traceline.platform.training;

import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.jobs.Job;
import io.traceline.platform.jobs.JobKind;
import io.traceline.platform.training.internal.MatrixRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The recertification timer (TRN-5): set when an assignment of a requirement with a recertification interval is
 * completed, it fires one due window before the qualification expires and assigns the next cycle — the document's
 * current effective version, due when the qualification expires. Nothing happens when the requirement was retired or
 * no longer recertifies, the person is not active or no longer holds the role, or the next cycle exists already.
 */
public final class RecertificationJob implements JobKind {

  public static final String NAME = "training.recertification";

  private final AuditTrail audit;
  private final MatrixRepository matrix = new MatrixRepository();

  public RecertificationJob(AuditTrail audit) {
    this.audit = audit;
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
    UUID completed = UUID.fromString(job.payload().getString("assignmentId"));
    return matrix.recertify(connection, job.id(), completed).compose(next -> next == null ? Future.succeededFuture(0L)
        : audit.record(connection, AuditEvent.of(AuditEvent.Actor.SYSTEM, AuditEvent.Source.NONE,
                "training.recertification-due", "training-assignment", next.getString("id"))
            .withValues(null, next.put("jobId", job.id().toString()).put("previous", completed.toString()))
            .withReason("Recertification interval of the requirement reached"))
            .map(recorded -> 1L));
  }

  public static JsonObject payload(UUID assignmentId) {
    return new JsonObject().put("assignmentId", assignmentId.toString());
  }
}
