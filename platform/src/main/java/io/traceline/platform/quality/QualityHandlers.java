package io.traceline.platform.quality;

import java.util.UUID;

import io.traceline.platform.audit.ReasonForChange;
import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.traceline.platform.quality.internal.CapaRepository;
import io.traceline.platform.quality.internal.EventRepository;
import io.traceline.platform.signatures.SigningInput;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for quality events and CAPAs (QE-1..QE-5): maps requests to the services and answers back. */
public final class QualityHandlers {

  private final QualityEventService events;
  private final CapaService capas;

  QualityHandlers(QualityEventService events, CapaService capas) {
    this.events = events;
    this.capas = capas;
  }

  public void listEvents(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    Responses.page(rc, limit -> events.list(TenantGate.tenant(rc), BearerAuthentication.caller(rc),
        new EventRepository.Filter(request.query("kind"), request.query("status"), request.query("severity"),
            request.query("ownerId"), request.queryBoolean("overdue"), uuid(request.query("documentId")),
            request.queryBoolean("repeat")), uuid(request.query("after")), limit));
  }

  public void createEvent(RoutingContext rc) {
    events.create(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), ApiRequest.of(rc).body())
        .onSuccess(created -> Responses.created(rc, path(rc, "/quality-events/" + created.getString("id")), created))
        .onFailure(rc::fail);
  }

  public void getEvent(RoutingContext rc) {
    Responses.ok(rc, events.get(TenantGate.tenant(rc), BearerAuthentication.caller(rc), eventId(rc)));
  }

  public void transitionEvent(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    String reason = ReasonForChange.require(body);
    Responses.ok(rc, events.transition(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc),
        eventId(rc), body.getString("action"), reason, body.getString("rootCauseCategory")));
  }

  public void signEvent(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    JsonObject reauthentication = body.getJsonObject("reauthentication");
    SigningInput.requireCredentials(reauthentication);
    String key = SigningInput.idempotencyKey(rc);
    String reason = "closed".equals(body.getString("meaning")) ? ReasonForChange.require(body) : reasonIfAny(body);
    events.sign(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), eventId(rc),
            body.getString("meaning"), reason, reauthentication, key)
        .onSuccess(signed -> replayable(rc, signed))
        .onFailure(rc::fail);
  }

  public void linkEventRevision(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    String reason = ReasonForChange.require(body);
    events.linkRevision(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), eventId(rc),
            UUID.fromString(body.getString("versionId")), reason)
        .onSuccess(event -> Responses.json(rc, 201, event))
        .onFailure(rc::fail);
  }

  public void listCapas(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    Responses.page(rc, limit -> capas.list(TenantGate.tenant(rc), BearerAuthentication.caller(rc),
        new CapaRepository.Filter(request.query("status"), request.query("ownerId"), request.queryBoolean("overdue"),
            uuid(request.query("sourceEventId")), uuid(request.query("documentId")), request.query("rootCauseCategory"),
            request.query("effectiveness")), uuid(request.query("after")), limit));
  }

  public void createCapa(RoutingContext rc) {
    capas.create(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), ApiRequest.of(rc).body())
        .onSuccess(created -> Responses.created(rc, path(rc, "/capas/" + created.getString("id")), created))
        .onFailure(rc::fail);
  }

  public void getCapa(RoutingContext rc) {
    Responses.ok(rc, capas.get(TenantGate.tenant(rc), BearerAuthentication.caller(rc), capaId(rc)));
  }

  public void recordRootCause(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    String reason = ReasonForChange.require(body);
    Responses.ok(rc, capas.rootCause(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc),
        capaId(rc), body.getString("category"), body.getString("description"), reason));
  }

  public void createAction(RoutingContext rc) {
    capas.createAction(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), capaId(rc),
            ApiRequest.of(rc).body())
        .onSuccess(created -> {
          rc.response().putHeader(HttpHeaders.LOCATION, path(rc, "/capas/" + created.getString("capaId") + "/actions/"
              + created.getString("id")));
          Responses.json(rc, 201, created);
        })
        .onFailure(rc::fail);
  }

  public void getAction(RoutingContext rc) {
    Responses.ok(rc, capas.action(TenantGate.tenant(rc), BearerAuthentication.caller(rc), capaId(rc), actionId(rc)));
  }

  public void completeAction(RoutingContext rc) {
    String reason = ReasonForChange.require(ApiRequest.of(rc).body());
    Responses.ok(rc, capas.completeAction(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc),
        capaId(rc), actionId(rc), reason));
  }

  public void cancelAction(RoutingContext rc) {
    String reason = ReasonForChange.require(ApiRequest.of(rc).body());
    Responses.ok(rc, capas.cancelAction(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc),
        capaId(rc), actionId(rc), reason));
  }

  public void closeCapa(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    JsonObject reauthentication = body.getJsonObject("reauthentication");
    SigningInput.requireCredentials(reauthentication);
    String key = SigningInput.idempotencyKey(rc);
    String summary = ReasonForChange.require(new JsonObject().put("reason", body.getString("summary")));
    capas.close(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), capaId(rc), summary,
            body.getInteger("effectivenessCheckDays", 90), reauthentication, key)
        .onSuccess(signed -> replayable(rc, signed))
        .onFailure(rc::fail);
  }

  public void checkEffectiveness(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    JsonObject reauthentication = body.getJsonObject("reauthentication");
    SigningInput.requireCredentials(reauthentication);
    String key = SigningInput.idempotencyKey(rc);
    String comment = ReasonForChange.require(new JsonObject().put("reason", body.getString("comment")));
    capas.checkEffectiveness(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), capaId(rc),
            body.getString("result"), comment, reauthentication, key)
        .onSuccess(signed -> replayable(rc, signed))
        .onFailure(rc::fail);
  }

  /** 201 for a new signature, 200 with {@code Idempotent-Replayed: true} for a retry answered with the first one. */
  private static void replayable(RoutingContext rc, JsonObject signed) {
    boolean replayed = signed.getBoolean("replayed", false);
    if (replayed) {
      rc.response().putHeader("Idempotent-Replayed", "true");
    }
    Responses.json(rc, replayed ? 200 : 201, signed);
  }

  private static String reasonIfAny(JsonObject body) {
    String reason = body.getString("reason");
    return reason == null || reason.isBlank() ? null : ReasonForChange.require(body);
  }

  private static String path(RoutingContext rc, String rest) {
    return "/api/v1/t/" + TenantGate.tenant(rc).slug() + rest;
  }

  private static UUID eventId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("eventId"));
  }

  private static UUID capaId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("capaId"));
  }

  private static UUID actionId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("actionId"));
  }

  private static UUID uuid(String value) {
    return value == null ? null : UUID.fromString(value);
  }
}
