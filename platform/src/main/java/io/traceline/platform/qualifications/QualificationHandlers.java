package io.traceline.platform.qualifications;

import java.util.UUID;

import io.traceline.platform.audit.ReasonForChange;
import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.IfMatch;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.Responses;
import io.traceline.platform.http.TenantGate;
import io.traceline.platform.qualifications.internal.PersonQualificationRepository;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP for qualification status (the point-of-use check, a person's and a document's lists) and TRN-7 records. */
public final class QualificationHandlers {

  private final QualificationCheckService checks;
  private final QualificationViewService views;
  private final PersonQualificationService qualifications;

  public QualificationHandlers(QualificationCheckService checks, QualificationViewService views,
                               PersonQualificationService qualifications) {
    this.checks = checks;
    this.views = views;
    this.qualifications = qualifications;
  }

  public void check(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    checks.check(TenantGate.tenant(rc), BearerAuthentication.caller(rc), request.query("person"), request.query("document"))
        .onSuccess(status -> Responses.json(rc, 200, status.toJson()))
        .onFailure(rc::fail);
  }

  public void personView(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    Responses.page(rc, limit -> views.ofPerson(TenantGate.tenant(rc), BearerAuthentication.caller(rc),
        uuid(request.path("personId")), uuid(request.query("after")), limit));
  }

  public void documentView(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    Responses.page(rc, limit -> views.ofDocument(TenantGate.tenant(rc), BearerAuthentication.caller(rc),
        uuid(request.path("documentId")), uuid(request.query("after")), limit));
  }

  public void grant(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    JsonObject body = request.body();
    String reason = ReasonForChange.require(body);
    qualifications.grant(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc),
            uuid(request.path("personId")), body, reason)
        .onSuccess(created -> Responses.created(rc, "/api/v1/t/" + TenantGate.tenant(rc).slug() + "/qualifications/"
            + created.getString("id"), created))
        .onFailure(rc::fail);
  }

  public void list(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    Responses.page(rc, limit -> qualifications.list(TenantGate.tenant(rc), BearerAuthentication.caller(rc),
        new PersonQualificationRepository.Filter(uuid(request.query("personId")), request.query("kind"),
            uuid(request.query("documentId")), request.query("status")), uuid(request.query("after")), limit));
  }

  public void get(RoutingContext rc) {
    qualifications.get(TenantGate.tenant(rc), BearerAuthentication.caller(rc), qualificationId(rc))
        .onSuccess(found -> versioned(rc, 200, found))
        .onFailure(rc::fail);
  }

  public void update(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    int expected = IfMatch.revision(rc, "the qualification");
    String reason = ReasonForChange.require(body);
    qualifications.update(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc),
            qualificationId(rc), expected, body, reason)
        .onSuccess(after -> versioned(rc, 200, after))
        .onFailure(rc::fail);
  }

  public void revoke(RoutingContext rc) {
    int expected = IfMatch.revision(rc, "the qualification");
    String reason = ReasonForChange.require(ApiRequest.of(rc).body());
    qualifications.revoke(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc),
            qualificationId(rc), expected, reason)
        .onSuccess(after -> versioned(rc, 200, after))
        .onFailure(rc::fail);
  }

  private static void versioned(RoutingContext rc, int status, JsonObject qualification) {
    IfMatch.etag(rc, qualification.getInteger("revision"));
    Responses.json(rc, status, qualification);
  }

  private static UUID qualificationId(RoutingContext rc) {
    return uuid(ApiRequest.of(rc).path("qualificationId"));
  }

  private static UUID uuid(String value) {
    return value == null ? null : UUID.fromString(value);
  }
}
