package io.traceline.platform.settings;

import io.traceline.platform.audit.ReasonForChange;
import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.IfMatch;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for the tenant's settings: the version travels as the ETag; a change needs If-Match and a reason. */
public final class TenantSettingsHandlers {

  private final TenantSettingsService service;

  public TenantSettingsHandlers(TenantSettingsService service) {
    this.service = service;
  }

  public void get(RoutingContext rc) {
    service.get(TenantGate.tenant(rc))
        .onSuccess(settings -> respond(rc, settings))
        .onFailure(rc::fail);
  }

  public void update(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    int expected = IfMatch.revision(rc, "the settings");
    String reason = ReasonForChange.require(body);
    service.update(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), expected,
            body.getJsonObject("settings"), reason)
        .onSuccess(settings -> respond(rc, settings))
        .onFailure(rc::fail);
  }

  private static void respond(RoutingContext rc, JsonObject settings) {
    IfMatch.etag(rc, settings.getInteger("version"));
    Responses.json(rc, 200, settings);
  }
}
