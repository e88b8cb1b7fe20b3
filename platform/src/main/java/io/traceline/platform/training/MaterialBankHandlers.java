package io.traceline.platform.training;

import java.util.UUID;

import io.traceline.platform.audit.ReasonForChange;
import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.IfMatch;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for one kind of per-version training material: {@code …/versions/{versionId}/<entries>[/{entryParameter}]}. */
public final class MaterialBankHandlers {

  private final MaterialBank bank;
  private final String entryParameter;
  private final String entryName;

  /** {@code entryParameter} is the path parameter naming an entry; {@code entryName} names it in problems ("the question"). */
  public MaterialBankHandlers(MaterialBank bank, String entryParameter, String entryName) {
    this.bank = bank;
    this.entryParameter = entryParameter;
    this.entryName = entryName;
  }

  public void list(RoutingContext rc) {
    bank.list(TenantGate.tenant(rc), BearerAuthentication.caller(rc), documentId(rc), versionId(rc),
            ApiRequest.of(rc).queryBoolean("active"))
        .onSuccess(found -> Responses.json(rc, 200, new JsonObject().put("items", new JsonArray(found))))
        .onFailure(rc::fail);
  }

  public void create(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    bank.create(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), documentId(rc), versionId(rc),
            body, body.getString("reason"))
        .onSuccess(created -> Responses.created(rc, rc.request().path() + "/" + created.getString("id"), created))
        .onFailure(rc::fail);
  }

  public void get(RoutingContext rc) {
    bank.get(TenantGate.tenant(rc), BearerAuthentication.caller(rc), documentId(rc), versionId(rc), entryId(rc))
        .onSuccess(found -> {
          IfMatch.etag(rc, found.getInteger("revision"));
          Responses.json(rc, 200, found);
        })
        .onFailure(rc::fail);
  }

  public void update(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    int expected = IfMatch.revision(rc, entryName);
    String reason = ReasonForChange.require(body);
    bank.update(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), documentId(rc), versionId(rc),
            entryId(rc), expected, body, reason)
        .onSuccess(after -> {
          IfMatch.etag(rc, after.getInteger("revision"));
          Responses.json(rc, 200, after);
        })
        .onFailure(rc::fail);
  }

  public void retire(RoutingContext rc) {
    String reason = ReasonForChange.require(ApiRequest.of(rc).body());
    bank.retire(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), documentId(rc), versionId(rc),
            entryId(rc), reason)
        .onSuccess(after -> Responses.json(rc, 200, after))
        .onFailure(rc::fail);
  }

  public void carryForward(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    String reason = ReasonForChange.require(body);
    bank.carryForward(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), documentId(rc),
            versionId(rc), UUID.fromString(body.getString("fromVersionId")), reason)
        .onSuccess(copies -> Responses.json(rc, 201, new JsonObject().put("items", new JsonArray(copies))))
        .onFailure(rc::fail);
  }

  private static UUID documentId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("documentId"));
  }

  private static UUID versionId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("versionId"));
  }

  private UUID entryId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path(entryParameter));
  }
}
