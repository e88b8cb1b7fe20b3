package io.traceline.platform.training;

import java.util.UUID;

import io.traceline.platform.audit.ReasonForChange;
import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.traceline.platform.signatures.SigningInput;
import io.traceline.platform.training.internal.CompletionRepository;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for the evidence of training: opening the version to train on, late completions, completion records. */
public final class CompletionHandlers {

  private final TrainingContentService content;
  private final LateCompletionService late;
  private final CompletionQueries queries;

  public CompletionHandlers(TrainingContentService content, LateCompletionService late, CompletionQueries queries) {
    this.content = content;
    this.late = late;
    this.queries = queries;
  }

  /** The version's file, served through the learner's assignment (the opening is recorded). */
  public void openContent(RoutingContext rc) {
    content.open(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), assignmentId(rc))
        .onSuccess(file -> rc.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, file.mediaType())
            .putHeader("Content-Disposition", "inline; filename=\"" + file.fileName().replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_")
                + "\"")
            .putHeader(HttpHeaders.ETAG, "\"" + file.sha256() + "\"")
            .putHeader(HttpHeaders.CACHE_CONTROL, "private, no-store")
            .end(file.bytes()))
        .onFailure(rc::fail);
  }

  public void recordLate(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body().copy();
    String reason = ReasonForChange.require(body);
    // The credentials sign the entry; they are no part of what is recorded (nor of the Idempotency-Key's request).
    JsonObject reauthentication = (JsonObject) body.remove("reauthentication");
    SigningInput.requireCredentials(reauthentication);
    String key = SigningInput.idempotencyKey(rc);
    late.record(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), assignmentId(rc), body,
            reason, reauthentication, key)
        .onSuccess(recorded -> {
          rc.response().putHeader("Location", "/api/v1/t/" + TenantGate.tenant(rc).slug() + "/training-completions/"
              + recorded.completion().getString("id"));
          if (recorded.replayed()) {
            rc.response().putHeader("Idempotent-Replayed", "true");
          }
          Responses.json(rc, 201, recorded.completion());
        })
        .onFailure(rc::fail);
  }

  public void list(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    int limit = request.limit();
    queries.list(TenantGate.tenant(rc), BearerAuthentication.caller(rc), new CompletionRepository.Filter(
                uuid(request.query("personId")), uuid(request.query("documentId")), uuid(request.query("versionId")),
                uuid(request.query("assignmentId"))), uuid(request.query("after")), limit + 1)
        .onSuccess(found -> Responses.page(rc, found, limit, c -> c, c -> c.getString("id")))
        .onFailure(rc::fail);
  }

  public void get(RoutingContext rc) {
    Responses.ok(rc, queries.get(TenantGate.tenant(rc), BearerAuthentication.caller(rc),
        UUID.fromString(ApiRequest.of(rc).path("completionId"))));
  }

  private static UUID assignmentId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("assignmentId"));
  }

  private static UUID uuid(String value) {
    return value == null ? null : UUID.fromString(value);
  }
}
