package io.traceline.platform.training;

import java.time.OffsetDateTime;
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
 * Creates the assignments a document version (or one new requirement) calls for (TRN-2, DESIGN §4). The plan splits
 * the affected people into person-id ranges of {@link #CHUNK_SIZE}; each chunk is one {@code INSERT … SELECT} from the
 * matrix that also closes the chunk's open assignments of older versions as superseded. The unique key (person,
 * requirement, version, cycle) and the runtime committing a chunk with its done mark make every chunk take effect
 * once. The fan-out is audited once, by its cause, with the job id every assignment carries: by its plan when it has
 * several chunks, else by its only chunk. A small tenant's fan-out is one chunk over everyone, with no range recorded.
 */
public final class FanOutJob implements JobKind {

  public static final String NAME = "training.fan-out";
  /** People per chunk: large enough that a chunk is one efficient statement, small enough to spread over members. */
  public static final int CHUNK_SIZE = 10_000;

  private final AuditTrail audit;
  private final MatrixRepository matrix = new MatrixRepository();

  public FanOutJob(AuditTrail audit) {
    this.audit = audit;
  }

  /**
   * The payload of a fan-out: the version and its training impact and revision kind; {@code requirementId} limits it to
   * one requirement (a requirement added to a role); {@code dueFrom} is when the due windows start.
   */
  public static JsonObject payload(String cause, UUID documentId, UUID versionId, String versionLabel, String impact,
                                   String revisionKind, UUID requirementId, OffsetDateTime dueFrom) {
    return new JsonObject().put("cause", cause).put("documentId", documentId.toString())
        .put("versionId", versionId.toString()).put("version", versionLabel).put("trainingImpact", impact)
        .put("revision", revisionKind).put("requirementId", requirementId == null ? null : requirementId.toString())
        .put("dueFrom", dueFrom.toInstant().toString());
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * A tenant of no more people than a chunk holds gets one chunk over everyone, without counting who is affected (the
   * plan's statement costs as much as the chunk's in a small tenant) and without recording a range; a larger one is
   * split into person-id ranges. A fan-out of several chunks is audited here, with the people and chunks planned; one of
   * a single chunk by that chunk, with what it did.
   */
  @Override
  public Future<Integer> plan(SqlConnection connection, Job job) {
    JsonObject payload = job.payload();
    int chunkSize = payload.getInteger("chunkSize", CHUNK_SIZE);
    return matrix.fitsOneChunk(connection, chunkSize).compose(fits -> fits
        ? Future.succeededFuture(1)
        : matrix.planChunks(connection, job.id(), UUID.fromString(payload.getString("documentId")), requirement(payload),
                chunkSize)
            .compose(planned -> planned[0] == 1 ? Future.succeededFuture(1)
                : record(connection, job, new JsonObject().put("people", planned[1]).put("chunks", planned[0]))
                    .map((int) planned[0])));
  }

  /**
   * The planned count tells a chunk whether it is the fan-out's only one, over everyone (a range planned as one is
   * too). A revision's payload says whether the document has earlier versions (a payload without the flag, enqueued by
   * an older platform, is taken to have them: the chunk then looks, as it always did).
   */
  @Override
  public Future<Long> runChunk(SqlConnection connection, Job job, int chunkNo, int attempt) {
    JsonObject payload = job.payload();
    boolean whole = Integer.valueOf(1).equals(job.chunksTotal());
    return matrix.fanOutChunk(connection, new MatrixRepository.FanOut(job.id(), chunkNo, whole,
            UUID.fromString(payload.getString("documentId")), UUID.fromString(payload.getString("versionId")),
            requirement(payload), payload.getBoolean("earlierVersions", true), payload.getString("trainingImpact"),
            payload.getString("revision"),
            OffsetDateTime.parse(payload.getString("dueFrom")), payload.getString("cause"),
            "Superseded by version " + payload.getString("version")))
        .compose(done -> !whole ? Future.succeededFuture(done.assigned())
            : record(connection, job, new JsonObject().put("chunks", 1).put("assigned", done.assigned())
                .put("superseded", done.superseded())).map(done.assigned()));
  }

  /** A fan-out's chunk inserts assignments and enqueues nothing. */
  @Override
  public boolean enqueuesDueJobs() {
    return false;
  }

  /** The fan-out's one audit event, by its cause: the payload, the job and the counts. */
  private Future<Void> record(SqlConnection connection, Job job, JsonObject counts) {
    JsonObject payload = job.payload();
    return audit.record(connection, AuditEvent.of(AuditEvent.Actor.SYSTEM, AuditEvent.Source.NONE, "training.fan-out",
            "document-version", payload.getString("versionId"))
        .withValues(null, payload.copy().put("jobId", job.id().toString()).mergeIn(counts))
        .withReason("revision-effective".equals(payload.getString("cause"))
            ? "Version " + payload.getString("version") + " became effective"
            : "A training requirement was added for the document"))
        .mapEmpty();
  }

  private static UUID requirement(JsonObject payload) {
    String id = payload.getString("requirementId");
    return id == null ? null : UUID.fromString(id);
  }
}
