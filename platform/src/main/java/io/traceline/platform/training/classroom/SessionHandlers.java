package io.traceline.platform.training.classroom;

import java.util.UUID;

import io.traceline.platform.audit.ReasonForChange;
import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.IfMatch;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.traceline.platform.signatures.SigningInput;
import io.traceline.platform.training.SignedAnswers;
import io.traceline.platform.training.classroom.internal.SessionRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for classroom sessions: planning, attendees and attendance, the trainer's signature, attendees' confirmations. */
public final class SessionHandlers {

  private final SessionService sessions;
  private final SessionSigning signing;

  public SessionHandlers(SessionService sessions, SessionSigning signing) {
    this.sessions = sessions;
    this.signing = signing;
  }

  public void create(RoutingContext rc) {
    sessions.create(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), ApiRequest.of(rc).body())
        .onSuccess(created -> Responses.created(rc, "/api/v1/t/" + TenantGate.tenant(rc).slug() + "/classroom-sessions/"
            + created.getString("id"), created))
        .onFailure(rc::fail);
  }

  public void list(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    Responses.page(rc, limit -> sessions.list(TenantGate.tenant(rc), BearerAuthentication.caller(rc),
        new SessionRepository.Filter(uuid(request.query("documentId")), uuid(request.query("versionId")),
            uuid(request.query("trainerId")), request.query("state")), uuid(request.query("after")), limit));
  }

  public void get(RoutingContext rc) {
    withETag(rc, sessions.get(TenantGate.tenant(rc), BearerAuthentication.caller(rc), sessionId(rc)));
  }

  public void update(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    int expected = IfMatch.revision(rc, "the session");
    String reason = ReasonForChange.require(body);
    withETag(rc, sessions.update(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc),
        sessionId(rc), expected, body, reason));
  }

  public void addAttendees(RoutingContext rc) {
    withETag(rc, sessions.addAttendees(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc),
        sessionId(rc), ApiRequest.of(rc).body().getJsonArray("attendees", new JsonArray())));
  }

  public void markAttendance(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    withETag(rc, sessions.markAttendance(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc),
        sessionId(rc), body.getJsonArray("attendance", new JsonArray()), body.getString("reason")));
  }

  public void sign(RoutingContext rc) {
    JsonObject reauthentication = ApiRequest.of(rc).body().getJsonObject("reauthentication");
    SigningInput.requireCredentials(reauthentication);
    String key = SigningInput.idempotencyKey(rc);
    signing.sign(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), sessionId(rc),
            reauthentication, key)
        .onSuccess(done -> SignedAnswers.created(rc, done))
        .onFailure(rc::fail);
  }

  public void confirm(RoutingContext rc) {
    JsonObject reauthentication = ApiRequest.of(rc).body().getJsonObject("reauthentication");
    SigningInput.requireCredentials(reauthentication);
    String key = SigningInput.idempotencyKey(rc);
    signing.confirm(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc),
            UUID.fromString(ApiRequest.of(rc).path("assignmentId")), reauthentication, key)
        .onSuccess(done -> SignedAnswers.created(rc, done))
        .onFailure(rc::fail);
  }

  /** 200 with the session and its revision as the ETag. */
  private static void withETag(RoutingContext rc, Future<JsonObject> session) {
    session.onSuccess(found -> {
      IfMatch.etag(rc, found.getInteger("revision"));
      Responses.json(rc, 200, found);
    }).onFailure(rc::fail);
  }

  private static UUID sessionId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("sessionId"));
  }

  private static UUID uuid(String value) {
    return value == null ? null : UUID.fromString(value);
  }
}
