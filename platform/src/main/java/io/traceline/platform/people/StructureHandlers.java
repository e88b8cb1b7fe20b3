package io.traceline.platform.people;

import java.util.UUID;

import io.traceline.platform.audit.ReasonForChange;
import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.IfMatch;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for sites, departments, job roles and programs, one handler per operation and kind; the revision travels as the ETag. */
public final class StructureHandlers {

  private final StructureService service;

  public StructureHandlers(StructureService service) {
    this.service = service;
  }

  public void list(RoutingContext rc, StructureKind kind) {
    ApiRequest request = ApiRequest.of(rc);
    int limit = request.limit();
    service.list(TenantGate.tenant(rc), kind, request.queryBoolean("active"), request.query("q"),
            uuid(request.query("siteId")), uuid(request.query("after")), limit + 1)
        .onSuccess(found -> Responses.page(rc, found, limit, record -> record, record -> record.getString("id")))
        .onFailure(rc::fail);
  }

  public void get(RoutingContext rc, StructureKind kind) {
    service.get(TenantGate.tenant(rc), kind, id(rc, kind))
        .onSuccess(record -> respond(rc, 200, record))
        .onFailure(rc::fail);
  }

  public void create(RoutingContext rc, StructureKind kind) {
    JsonObject body = ApiRequest.of(rc).body();
    String reason = body.containsKey("reason") ? ReasonForChange.require(body) : null;
    service.create(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), kind, body, reason)
        .onSuccess(created -> {
          rc.response().putHeader("Location", "/api/v1/t/" + TenantGate.tenant(rc).slug() + "/" + kind.path() + "/"
              + created.getString("id"));
          respond(rc, 201, created);
        })
        .onFailure(rc::fail);
  }

  public void update(RoutingContext rc, StructureKind kind) {
    JsonObject body = ApiRequest.of(rc).body();
    int expected = IfMatch.revision(rc, "the " + kind.noun());
    String reason = ReasonForChange.require(body);
    service.update(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), kind, id(rc, kind),
            expected, body, reason)
        .onSuccess(record -> respond(rc, 200, record))
        .onFailure(rc::fail);
  }

  private static void respond(RoutingContext rc, int status, JsonObject record) {
    IfMatch.etag(rc, record.getInteger("revision"));
    Responses.json(rc, status, record);
  }

  private static UUID id(RoutingContext rc, StructureKind kind) {
    return UUID.fromString(ApiRequest.of(rc).path(switch (kind) {
      case SITE -> "siteId";
      case DEPARTMENT -> "departmentId";
      case JOB_ROLE -> "jobRoleId";
      case PROGRAM -> "programId";
    }));
  }

  private static UUID uuid(String value) {
    return value == null ? null : UUID.fromString(value);
  }
}
