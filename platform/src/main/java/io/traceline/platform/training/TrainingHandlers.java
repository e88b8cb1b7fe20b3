package io.traceline.platform.training;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import io.traceline.platform.audit.ReasonForChange;
import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.IfMatch;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.traceline.platform.signatures.SigningInput;
import io.traceline.platform.training.internal.TrainingRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for the training matrix, assignments and training jobs. */
public final class TrainingHandlers {

  private final RequirementService requirements;
  private final AssignmentService assignments;
  private final CompletionService completions;

  public TrainingHandlers(RequirementService requirements, AssignmentService assignments, CompletionService completions) {
    this.requirements = requirements;
    this.assignments = assignments;
    this.completions = completions;
  }

  public void acknowledge(RoutingContext rc) {
    JsonObject reauthentication = ApiRequest.of(rc).body().getJsonObject("reauthentication");
    SigningInput.requireCredentials(reauthentication);
    String key = SigningInput.idempotencyKey(rc);
    completions.acknowledge(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc),
            UUID.fromString(ApiRequest.of(rc).path("assignmentId")), reauthentication, key)
        .onSuccess(done -> {
          if (done.getBoolean("replayed")) {
            rc.response().putHeader("Idempotent-Replayed", "true");
          }
          Responses.json(rc, 201, done);
        })
        .onFailure(rc::fail);
  }

  public void createRequirement(RoutingContext rc) {
    requirements.create(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), ApiRequest.of(rc).body())
        .onSuccess(created -> {
          rc.response().putHeader("Location", "/api/v1/t/" + TenantGate.tenant(rc).slug() + "/training-requirements/"
              + created.getString("id"));
          IfMatch.etag(rc, created.getInteger("revision"));
          Responses.json(rc, 201, created);
        })
        .onFailure(rc::fail);
  }

  public void listRequirements(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    int limit = request.limit();
    requirements.list(TenantGate.tenant(rc), uuid(request.query("documentId")), uuid(request.query("jobRoleId")),
            uuid(request.query("programId")), request.queryBoolean("active"), uuid(request.query("after")), limit + 1)
        .onSuccess(found -> Responses.page(rc, found, limit, r -> r, r -> r.getString("id")))
        .onFailure(rc::fail);
  }

  public void getRequirement(RoutingContext rc) {
    requirements.get(TenantGate.tenant(rc), requirementId(rc))
        .onSuccess(found -> {
          IfMatch.etag(rc, found.getInteger("revision"));
          Responses.json(rc, 200, found);
        })
        .onFailure(rc::fail);
  }

  public void updateRequirement(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    int expected = IfMatch.revision(rc, "the requirement");
    String reason = ReasonForChange.require(body);
    requirements.update(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), requirementId(rc),
            expected, body, reason)
        .onSuccess(after -> {
          IfMatch.etag(rc, after.getInteger("revision"));
          Responses.json(rc, 200, after);
        })
        .onFailure(rc::fail);
  }

  public void retireRequirement(RoutingContext rc) {
    String reason = ReasonForChange.require(ApiRequest.of(rc).body());
    requirements.retire(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), requirementId(rc),
            reason)
        .onSuccess(after -> Responses.json(rc, 200, after))
        .onFailure(rc::fail);
  }

  public void listAssignments(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    page(rc, limit -> assignments.list(TenantGate.tenant(rc), BearerAuthentication.caller(rc),
        new TrainingRepository.AssignmentFilter(uuid(request.query("personId")), uuid(request.query("managerId")),
            uuid(request.query("documentId")), uuid(request.query("versionId")), uuid(request.query("requirementId")),
            request.query("status")), uuid(request.query("after")), limit));
  }

  public void versionAssignments(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    page(rc, limit -> assignments.list(TenantGate.tenant(rc), BearerAuthentication.caller(rc),
        new TrainingRepository.AssignmentFilter(null, null, uuid(request.path("documentId")),
            uuid(request.path("versionId")), null, request.query("status")), uuid(request.query("after")), limit));
  }

  public void myTraining(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    page(rc, limit -> assignments.mine(TenantGate.tenant(rc), BearerAuthentication.caller(rc), request.query("status"),
        uuid(request.query("after")), limit));
  }

  public void myAssignment(RoutingContext rc) {
    Responses.ok(rc, assignments.myAssignment(TenantGate.tenant(rc), BearerAuthentication.caller(rc),
        UUID.fromString(ApiRequest.of(rc).path("assignmentId"))));
  }

  public void teamTraining(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    page(rc, limit -> assignments.team(TenantGate.tenant(rc), BearerAuthentication.caller(rc), request.query("status"),
        uuid(request.query("after")), limit));
  }

  public void job(RoutingContext rc) {
    Responses.ok(rc, assignments.job(TenantGate.tenant(rc), BearerAuthentication.caller(rc),
        UUID.fromString(ApiRequest.of(rc).path("jobId"))));
  }

  private static void page(RoutingContext rc, Function<Integer, Future<List<JsonObject>>> query) {
    int limit = ApiRequest.of(rc).limit();
    query.apply(limit + 1)
        .onSuccess(found -> Responses.page(rc, found, limit, a -> a, a -> a.getString("id")))
        .onFailure(rc::fail);
  }

  private static UUID requirementId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("requirementId"));
  }

  private static UUID uuid(String value) {
    return value == null ? null : UUID.fromString(value);
  }
}
