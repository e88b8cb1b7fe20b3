package io.traceline.platform.signatures;

import java.util.List;
import java.util.UUID;

import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
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
    SignatureRequest request = SignatureRequest.fromJson(ApiRequest.of(rc).body());
    if (SignatureRequest.PASSWORD.equals(request.method()) && (request.username() == null || request.password() == null)) {
      throw ProblemException.badRequest("Signing with a password needs the username and the password",
          List.of(new Problem.FieldError("/reauthentication", "username and password are required")));
    }
    String key = rc.request().getHeader("Idempotency-Key");
    if (key != null && (key.isBlank() || key.length() > 200)) {
      throw ProblemException.badRequest("An Idempotency-Key has 1 to 200 characters",
          List.of(new Problem.FieldError("Idempotency-Key", "1 to 200 characters")));
    }
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
