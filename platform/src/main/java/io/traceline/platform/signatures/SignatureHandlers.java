package io.traceline.platform.signatures;

import java.util.UUID;

import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for electronic signatures, their meanings and the signature policy. */
public final class SignatureHandlers {

  private final SignatureService service;

  public SignatureHandlers(SignatureService service) {
    this.service = service;
  }

  public void sign(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    SigningInput.requireCredentials(body.getJsonObject("reauthentication", new JsonObject()));
    SignatureRequest request = SignatureRequest.fromJson(body);
    String key = SigningInput.idempotencyKey(rc);
    String tenant = TenantGate.tenant(rc).slug();
    service.sign(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), request, key)
        .onSuccess(signed -> {
          rc.response().putHeader("Location", "/api/v1/t/" + tenant + "/signatures/" + signed.signature().id());
          if (signed.replayed()) {
            rc.response().putHeader("Idempotent-Replayed", "true");
          }
          Responses.json(rc, 201, signed.signature().toJson());
        })
        .onFailure(rc::fail);
  }

  public void list(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    String version = request.query("recordVersion");
    service.ofRecord(TenantGate.tenant(rc), request.query("recordType"), request.query("recordId"),
            version == null ? null : Integer.valueOf(version))
        .onSuccess(signatures -> Responses.json(rc, 200, new JsonObject()
            .put("items", new JsonArray(signatures.stream().map(Signature::toJson).toList()))))
        .onFailure(rc::fail);
  }

  public void get(RoutingContext rc) {
    UUID id = UUID.fromString(ApiRequest.of(rc).path("signatureId"));
    service.get(TenantGate.tenant(rc), id)
        .onSuccess(signature -> Responses.json(rc, 200, signature.toJson()))
        .onFailure(rc::fail);
  }

  public void meanings(RoutingContext rc) {
    Responses.ok(rc, service.meanings(TenantGate.tenant(rc), ApiRequest.of(rc).query("recordType"))
        .map(items -> new JsonObject().put("items", items)));
  }

  public void policy(RoutingContext rc) {
    Responses.ok(rc, service.policy(TenantGate.tenant(rc), BearerAuthentication.caller(rc)));
  }
}
