package io.traceline.platform.documents;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.audit.ReasonForChange;
import io.traceline.platform.documents.internal.DocumentRepository;
import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.Formats;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.IfMatch;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.traceline.platform.signatures.SigningInput;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for controlled documents and their versions; a document's revision travels as its ETag. */
public final class DocumentHandlers {

  private final DocumentService service;
  private final DocumentLifecycle lifecycle;
  private final DocumentContentService content;
  private final DocumentExport export;

  public DocumentHandlers(DocumentService service, DocumentLifecycle lifecycle, DocumentContentService content,
                          DocumentExport export) {
    this.service = service;
    this.lifecycle = lifecycle;
    this.content = content;
    this.export = export;
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
    DocumentRepository.Filter filter = new DocumentRepository.Filter(request.query("type"), request.query("status"),
        request.query("ownerId"), request.query("department"), request.query("program"), request.query("q"),
        dateTime(request.query("reviewDueBefore"), "reviewDueBefore"));
    service.list(TenantGate.tenant(rc), filter, request.query("after"), limit + 1)
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
    service.version(TenantGate.tenant(rc), documentId(rc), versionId(rc))
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
    DocumentLifecycle.Transition transition = new DocumentLifecycle.Transition(body.getString("action"),
        body.getString("reason"), body.getJsonObject("route"), dateTime(body.getString("effectiveAt"), "/effectiveAt"));
    lifecycle.transition(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), documentId(rc),
            versionId(rc), transition)
        .onSuccess(version -> Responses.json(rc, 200, version))
        .onFailure(rc::fail);
  }

  public void sign(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    SigningInput.requireCredentials(body.getJsonObject("reauthentication", new JsonObject()));
    String key = SigningInput.idempotencyKey(rc);
    lifecycle.sign(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), documentId(rc),
            versionId(rc), body, key)
        .onSuccess(signed -> {
          rc.response().putHeader("Location", "/api/v1/t/" + TenantGate.tenant(rc).slug() + "/signatures/"
              + signed.getJsonObject("signature").getString("id"));
          if (signed.getBoolean("replayed")) {
            rc.response().putHeader("Idempotent-Replayed", "true");
          }
          Responses.json(rc, 201, signed);
        })
        .onFailure(rc::fail);
  }

  public void periodicReview(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    lifecycle.periodicReview(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), documentId(rc),
            body.getString("outcome"), body.getString("comments"))
        .onSuccess(document -> respond(rc, 200, document))
        .onFailure(rc::fail);
  }

  public void download(RoutingContext rc) {
    content.download(TenantGate.tenant(rc), documentId(rc), versionId(rc))
        .onSuccess(file -> rc.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, file.mediaType())
            .putHeader("Content-Disposition", contentDisposition(file.fileName()))
            .putHeader(HttpHeaders.ETAG, "\"" + file.sha256() + "\"")
            .putHeader("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(file.sha256()))
                + ":")
            .putHeader(HttpHeaders.CACHE_CONTROL, "private, no-cache")
            .end(file.bytes()))
        .onFailure(rc::fail);
  }

  /** The record as JSON, or as a PDF ({@code format=pdf} or {@code Accept: application/pdf}) rendered off the event loop. */
  public void export(RoutingContext rc) {
    boolean pdf = "pdf".equals(Formats.negotiate(ApiRequest.of(rc).query("format"),
        rc.request().getHeader(HttpHeaders.ACCEPT)));
    export.export(TenantGate.tenant(rc), BearerAuthentication.caller(rc), documentId(rc))
        .compose(record -> {
          String number = record.getJsonObject("document").getString("number");
          if (!pdf) {
            rc.response().putHeader("Content-Disposition", "attachment; filename=\"" + number + "-record.json\"");
            Responses.json(rc, 200, record);
            return Future.succeededFuture();
          }
          return rc.vertx().executeBlocking(() -> DocumentRecordPdf.render(record, record.getString("tenantName")), false)
              .compose(bytes -> rc.response().setStatusCode(200)
                  .putHeader(HttpHeaders.CONTENT_TYPE, "application/pdf")
                  .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                  .putHeader("Content-Disposition", "attachment; filename=\"" + number + "-record.pdf\"")
                  .end(Buffer.buffer(bytes)));
        })
        .onFailure(rc::fail);
  }

  /** RFC 6266: an ASCII fallback and the UTF-8 name (RFC 8187). */
  static String contentDisposition(String fileName) {
    String ascii = fileName.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
        + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static OffsetDateTime dateTime(String value, String pointer) {
    try {
      return value == null ? null : OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw ProblemException.unprocessable(pointer + " is not a date-time",
          List.of(new Problem.FieldError(pointer, "an RFC 3339 date-time")));
    }
  }

  private static UUID versionId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("versionId"));
  }

  private static UUID documentId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("documentId"));
  }

  private static void respond(RoutingContext rc, int status, JsonObject document) {
    IfMatch.etag(rc, document.getInteger("revision"));
    Responses.json(rc, status, document);
  }
}
