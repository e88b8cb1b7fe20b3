package io.traceline.platform.training.assessment;

import java.util.UUID;

import io.traceline.platform.audit.ReasonForChange;
import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.traceline.platform.signatures.SigningInput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for a learner's assessment attempts, and for granting further attempts to a blocked one. */
public final class AssessmentHandlers {

  private final AssessmentService assessments;
  private final AttemptGrantService grants;

  public AssessmentHandlers(AssessmentService assessments, AttemptGrantService grants) {
    this.assessments = assessments;
    this.grants = grants;
  }

  public void start(RoutingContext rc) {
    assessments.start(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), assignmentId(rc))
        .onSuccess(attempt -> {
          rc.response().putHeader("Location", rc.request().path() + "/" + attempt.getString("id"));
          Responses.json(rc, 201, attempt);
        })
        .onFailure(rc::fail);
  }

  public void list(RoutingContext rc) {
    Responses.ok(rc, assessments.list(TenantGate.tenant(rc), BearerAuthentication.caller(rc), assignmentId(rc)));
  }

  public void get(RoutingContext rc) {
    Responses.ok(rc, assessments.get(TenantGate.tenant(rc), BearerAuthentication.caller(rc), assignmentId(rc),
        attemptId(rc)));
  }

  public void submit(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    JsonObject reauthentication = body.getJsonObject("reauthentication");
    SigningInput.requireCredentials(reauthentication);
    String key = SigningInput.idempotencyKey(rc);
    assessments.submit(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), assignmentId(rc),
            attemptId(rc), body.getJsonArray("answers", new JsonArray()), reauthentication, key)
        .onSuccess(done -> {
          if (done.getBoolean("replayed")) {
            rc.response().putHeader("Idempotent-Replayed", "true");
          }
          Responses.json(rc, 201, done);
        })
        .onFailure(rc::fail);
  }

  public void grant(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    String reason = ReasonForChange.require(body);
    grants.grant(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), assignmentId(rc),
            body.getInteger("attempts", 1), reason)
        .onSuccess(granted -> Responses.json(rc, 201, granted))
        .onFailure(rc::fail);
  }

  private static UUID assignmentId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("assignmentId"));
  }

  private static UUID attemptId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("attemptId"));
  }
}
