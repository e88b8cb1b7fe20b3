package io.traceline.platform.documents;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.traceline.platform.audit.ReasonForChange;
import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.IfMatch;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for controlled documents and their versions; a document's revision travels as its ETag. */
public final class DocumentHandlers {

  private final DocumentService service;

  public DocumentHandlers(DocumentService service) {
    this.service = service;
  }

  public void create(RoutingContext rc) {
    service.create(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), ApiRequest.of(rc).body())
        .onSuccess(document -> {
          rc.response().putHeader("Location", "/api/v1/t/" + TenantGate.tenant(rc).slug() + "/documents/"
              + document.getString("id"));
          respond(rc, 201, document);
        })
        .onFailure(rc::fail);
  }

  public void list(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    int limit = request.limit();
    service.list(TenantGate.tenant(rc), request.query("type"), request.query("status"), request.query("ownerId"),
            request.query("department"), request.query("q"), request.query("after"), limit + 1)
        .onSuccess(found -> Responses.page(rc, found, limit, document -> document, document -> document.getString("number")))
        .onFailure(rc::fail);
  }

  public void get(RoutingContext rc) {
    service.get(TenantGate.tenant(rc), documentId(rc))
        .onSuccess(document -> respond(rc, 200, document))
        .onFailure(rc::fail);
  }

  public void update(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    int expected = IfMatch.revision(rc, "the document");
    String reason = ReasonForChange.require(body);
    service.update(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), documentId(rc), expected,
            body, reason)
        .onSuccess(document -> respond(rc, 200, document))
        .onFailure(rc::fail);
  }

  public void versions(RoutingContext rc) {
    service.versions(TenantGate.tenant(rc), documentId(rc))
        .onSuccess(versions -> Responses.json(rc, 200, new JsonObject().put("items", new JsonArray(versions))))
        .onFailure(rc::fail);
  }

  public void createVersion(RoutingContext rc) {
    service.createVersion(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), documentId(rc),
            ApiRequest.of(rc).body())
        .onSuccess(version -> {
          rc.response().putHeader("Location", "/api/v1/t/" + TenantGate.tenant(rc).slug() + "/documents/"
              + version.getString("documentId") + "/versions/" + version.getString("id"));
          Responses.json(rc, 201, version);
        })
        .onFailure(rc::fail);
  }

  public void version(RoutingContext rc) {
    service.version(TenantGate.tenant(rc), documentId(rc), UUID.fromString(ApiRequest.of(rc).path("versionId")))
        .onSuccess(version -> Responses.json(rc, 200, version))
        .onFailure(rc::fail);
  }

  public void current(RoutingContext rc) {
    service.current(TenantGate.tenant(rc), documentId(rc))
        .onSuccess(version -> Responses.json(rc, 200, version))
        .onFailure(rc::fail);
  }

  public void transition(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    JsonObject body = request.body();
    String effectiveAt = body.getString("effectiveAt");
    OffsetDateTime at;
    try {
      at = effectiveAt == null ? null : OffsetDateTime.parse(effectiveAt);
    } catch (java.time.format.DateTimeParseException e) {
      throw ProblemException.unprocessable("effectiveAt is not a date-time",
          java.util.List.of(new io.traceline.platform.http.Problem.FieldError("/effectiveAt", "an RFC 3339 date-time")));
    }
    service.transition(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), documentId(rc),
            UUID.fromString(request.path("versionId")), body.getString("action"), body.getString("reason"), at)
        .onSuccess(version -> Responses.json(rc, 200, version))
        .onFailure(rc::fail);
  }

  private static UUID documentId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("documentId"));
  }

  private static void respond(RoutingContext rc, int status, JsonObject document) {
    IfMatch.etag(rc, document.getInteger("revision"));
    Responses.json(rc, status, document);
  }
}
