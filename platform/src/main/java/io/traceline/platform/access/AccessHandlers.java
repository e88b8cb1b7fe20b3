package io.traceline.platform.access;

import java.util.List;
import java.util.UUID;

import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.audit.ReasonForChange;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for "who am I here" and application role grants; the rules live in {@link AccessService}. */
public final class AccessHandlers {

  private final AccessService service;

  public AccessHandlers(AccessService service) {
    this.service = service;
  }

  public void me(RoutingContext rc) {
    Responses.ok(rc, service.me(TenantGate.tenant(rc), BearerAuthentication.caller(rc)));
  }

  public void list(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    int limit = request.limit();
    String after = request.query("after");
    service.list(TenantGate.tenant(rc), BearerAuthentication.caller(rc), request.query("userId"), request.query("role"),
            request.queryBoolean("active"), after == null ? null : UUID.fromString(after), limit + 1)
        .onSuccess(grants -> Responses.page(rc, grants, limit, RoleGrant::toJson, grant -> grant.id().toString()))
        .onFailure(rc::fail);
  }

  public void get(RoutingContext rc) {
    UUID id = UUID.fromString(ApiRequest.of(rc).path("grantId"));
    service.get(TenantGate.tenant(rc), BearerAuthentication.caller(rc), id)
        .onSuccess(grant -> Responses.json(rc, 200, grant.toJson()))
        .onFailure(rc::fail);
  }

  public void grant(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    ApplicationRole role = ApplicationRole.fromId(body.getString("role")).orElseThrow();
    service.grant(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), body.getString("userId"), role,
            body.getString("reason").strip())
        .onSuccess(grant -> {
          rc.response().putHeader("Location", "/api/v1/t/" + TenantGate.tenant(rc).slug() + "/role-grants/" + grant.id());
          Responses.json(rc, 201, grant.toJson());
        })
        .onFailure(rc::fail);
  }

  public void revoke(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    UUID id = UUID.fromString(request.path("grantId"));
    service.revoke(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), id,
            request.body().getString("reason").strip())
        .onSuccess(grant -> Responses.json(rc, 200, grant.toJson()))
        .onFailure(rc::fail);
  }

  public void users(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    int limit = request.limit();
    service.users(TenantGate.tenant(rc), BearerAuthentication.caller(rc), request.queryBoolean("active"),
            request.query("after"), limit + 1)
        .onSuccess(users -> Responses.page(rc, users, limit, AppUser::toJson, AppUser::username))
        .onFailure(rc::fail);
  }

  public void deactivate(RoutingContext rc) {
    setActive(rc, false);
  }

  public void reactivate(RoutingContext rc) {
    setActive(rc, true);
  }

  private void setActive(RoutingContext rc, boolean active) {
    ApiRequest request = ApiRequest.of(rc);
    String reason = ReasonForChange.require(request.body());
    service.setActive(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), request.path("userId"),
            active, reason)
        .onSuccess(user -> Responses.json(rc, 200, user.toJson()))
        .onFailure(rc::fail);
  }
}
