package io.traceline.platform.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Formats;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for reading the audit trail: search, CSV or PDF export, verification. */
public final class AuditHandlers {

  private final AuditService service;

  public AuditHandlers(AuditService service) {
    this.service = service;
  }

  public void search(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    int limit = request.limit();
    AuditQuery query = query(request);
    String after = request.query("after");
    service.search(TenantGate.tenant(rc), BearerAuthentication.caller(rc), query, after == null ? null : Long.valueOf(after),
            limit + 1)
        .onSuccess(events -> Responses.page(rc, events, limit, AuditRecord::toJson, event -> String.valueOf(event.seq())))
        .onFailure(rc::fail);
  }

  /**
   * CSV (RFC 4180), streamed page by page; the hashes are included so the export can be verified offline. Or a PDF
   * ({@code format=pdf} or {@code Accept: application/pdf}) of at most {@link AuditTrailPdf#MAX_EVENTS} events, rendered
   * off the event loop.
   */
  public void export(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    AuditQuery query = query(request);
    if ("pdf".equals(Formats.negotiate(request.query("format"), rc.request().getHeader(HttpHeaders.ACCEPT)))) {
      Caller caller = BearerAuthentication.caller(rc);
      Instant generatedAt = Instant.now();
      service.extract(TenantGate.tenant(rc), caller, query, AuditTrailPdf.MAX_EVENTS)
          .compose(extract -> rc.vertx().executeBlocking(() -> AuditTrailPdf.render(extract, query, caller.name()
              + " (" + caller.subject() + ")", generatedAt), false))
          .compose(pdf -> rc.response().setStatusCode(200)
              .putHeader(HttpHeaders.CONTENT_TYPE, "application/pdf")
              .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
              .putHeader("Content-Disposition", "attachment; filename=\"audit-trail-" + TenantGate.tenant(rc).slug()
                  + ".pdf\"")
              .end(Buffer.buffer(pdf)))
          .onFailure(rc::fail);
      return;
    }
    HttpServerResponse response = rc.response();
    String tenant = TenantGate.tenant(rc).slug();
    service.export(TenantGate.tenant(rc), BearerAuthentication.caller(rc), query,
            () -> {
              response.setStatusCode(200).setChunked(true)
                  .putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8")
                  .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                  .putHeader("Content-Disposition", "attachment; filename=\"audit-trail-" + tenant + ".csv\"");
              response.write(AuditCsv.HEADER);
            },
            page -> {
              StringBuilder chunk = new StringBuilder();
              page.forEach(event -> chunk.append(AuditCsv.row(event)));
              return response.write(Buffer.buffer(chunk.toString()));
            })
        .onSuccess(v -> response.end())
        .onFailure(rc::fail);
  }

  public void verify(RoutingContext rc) {
    Responses.ok(rc, service.verify(TenantGate.tenant(rc), BearerAuthentication.caller(rc)));
  }

  private static AuditQuery query(ApiRequest request) {
    return new AuditQuery(request.query("entityType"), request.query("entityId"), request.query("actorId"),
        request.query("action"), time(request, "from"), time(request, "to"), "desc".equals(request.query("order")));
  }

  private static OffsetDateTime time(ApiRequest request, String name) {
    String value = request.query(name);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest("Times are RFC 3339, e.g. 2026-11-22T10:00:00Z",
          List.of(new Problem.FieldError(name, "not an RFC 3339 date-time")));
    }
  }

}
