package io.traceline.platform.training.practical;

import java.util.UUID;

import io.traceline.platform.audit.ReasonForChange;
import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.traceline.platform.signatures.SigningInput;
import io.traceline.platform.training.SignedAnswers;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for on-the-job observations: the trainer records and signs, the learner signs or declines, readers list them. */
public final class ObservationHandlers {

  private final ObservationService observations;

  public ObservationHandlers(ObservationService observations) {
    this.observations = observations;
  }

  public void record(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    SigningInput.requireCredentials(body.getJsonObject("reauthentication"));
    String key = SigningInput.idempotencyKey(rc);
    observations.record(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), assignmentId(rc),
            body, key)
        .onSuccess(done -> {
          rc.response().putHeader("Location", rc.request().path() + "/" + done.getJsonObject("observation").getString("id"));
          SignedAnswers.created(rc, done);
        })
        .onFailure(rc::fail);
  }

  public void list(RoutingContext rc) {
    Responses.ok(rc, observations.ofAssignment(TenantGate.tenant(rc), BearerAuthentication.caller(rc), assignmentId(rc)));
  }

  public void mine(RoutingContext rc) {
    Responses.ok(rc, observations.mine(TenantGate.tenant(rc), BearerAuthentication.caller(rc), assignmentId(rc)));
  }

  public void sign(RoutingContext rc) {
    JsonObject reauthentication = ApiRequest.of(rc).body().getJsonObject("reauthentication");
    SigningInput.requireCredentials(reauthentication);
    String key = SigningInput.idempotencyKey(rc);
    observations.confirm(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), assignmentId(rc),
            observationId(rc), reauthentication, key)
        .onSuccess(done -> SignedAnswers.created(rc, done))
        .onFailure(rc::fail);
  }

  public void decline(RoutingContext rc) {
    String reason = ReasonForChange.require(ApiRequest.of(rc).body());
    Responses.ok(rc, observations.decline(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc),
        assignmentId(rc), observationId(rc), reason));
  }

  private static UUID assignmentId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("assignmentId"));
  }

  private static UUID observationId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("observationId"));
  }
}
