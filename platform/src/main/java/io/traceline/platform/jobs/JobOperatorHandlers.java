package io.traceline.platform.jobs;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.cluster.ClusterMember;
import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.Responses;
import io.traceline.platform.jobs.internal.JobRepository;
import io.traceline.platform.jobs.internal.ProbeJobKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/** The operator's view of the job runtime: jobs and their progress, retrying dead ones, the cluster, the probe. */
public final class JobOperatorHandlers {

  private final Pool pool;
  private final JobQueue queue;
  private final ClusterMember member;
  private final JobRepository repository = new JobRepository();

  public JobOperatorHandlers(Pool pool, JobQueue queue, ClusterMember member) {
    this.pool = pool;
    this.queue = queue;
    this.member = member;
  }

  public void list(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    int limit = request.limit();
    String after = request.query("after");
    repository.list(pool, request.query("state"), request.query("kind"), after == null ? null : UUID.fromString(after),
            limit + 1)
        .onSuccess(jobs -> Responses.page(rc, jobs, limit, JobOperatorHandlers::toJson, job -> job.id().toString()))
        .onFailure(rc::fail);
  }

  public void get(RoutingContext rc) {
    UUID id = UUID.fromString(ApiRequest.of(rc).path("jobId"));
    Responses.ok(rc, describe(id));
  }

  public void retry(RoutingContext rc) {
    UUID id = UUID.fromString(ApiRequest.of(rc).path("jobId"));
    pool.withTransaction(connection -> repository.retryDead(connection, id))
        .compose(retried -> retried ? describe(id)
            : repository.find(pool, id).compose(job -> Future.failedFuture(job == null
                ? ProblemException.notFound("No job " + id)
                : ProblemException.conflict("Only a dead job can be retried; this one is " + job.state()))))
        .onSuccess(json -> {
          queue.wake();
          Responses.json(rc, 200, json);
        })
        .onFailure(rc::fail);
  }

  public void cluster(RoutingContext rc) {
    Responses.json(rc, 200, new JsonObject()
        .put("members", new JsonArray(member.describeMembers()))
        .put("partitions", member.partitionCount())
        .put("ownedByThisMember", member.ownedPartitions().size()));
  }

  /** Starts a probe job: each chunk writes one effect row, so an operator can see exactly-once at work. */
  public void probe(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    Instant runAt = Instant.now();
    if (body.getString("runAt") != null) {
      try {
        runAt = OffsetDateTime.parse(body.getString("runAt")).toInstant();
      } catch (DateTimeParseException e) {
        throw ProblemException.badRequest("runAt is not an RFC 3339 date-time",
            List.of(new Problem.FieldError("/runAt", "must be an RFC 3339 date-time with offset")));
      }
    }
    JsonObject payload = body.copy();
    payload.remove("runAt");
    NewJob job = new NewJob(null, ProbeJobKind.NAME, payload, runAt, null, BearerAuthentication.caller(rc).subject());
    queue.submit(job)
        .compose(this::describe)
        .onSuccess(json -> {
          rc.response().putHeader("Location", "/api/v1/operator/jobs/" + json.getString("id"));
          Responses.json(rc, 201, json);
        })
        .onFailure(rc::fail);
  }

  private Future<JsonObject> describe(UUID id) {
    return repository.find(pool, id).compose(job -> job == null
        ? Future.failedFuture(ProblemException.notFound("No job " + id))
        : repository.progress(pool, id).map(progress -> toJson(job).put("progress", progress)));
  }

  static JsonObject toJson(Job job) {
    return new JsonObject()
        .put("id", job.id().toString())
        .put("tenant", job.tenant())
        .put("kind", job.kind())
        .put("state", job.state())
        .put("runAt", job.runAt().toInstant().toString())
        .put("chunksTotal", job.chunksTotal())
        .put("lastError", job.lastError())
        .put("payload", job.payload())
        .put("createdAt", job.createdAt().toInstant().toString())
        .put("plannedAt", job.plannedAt() == null ? null : job.plannedAt().toInstant().toString())
        .put("finishedAt", job.finishedAt() == null ? null : job.finishedAt().toInstant().toString())
        .put("createdBy", job.createdBy());
  }
}
