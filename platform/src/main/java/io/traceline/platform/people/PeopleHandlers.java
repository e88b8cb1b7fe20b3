package io.traceline.platform.people;

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

/** HTTP for people, their status, their job role holdings and program memberships, and the bulk upsert; a person's revision is the ETag. */
public final class PeopleHandlers {

  /**
   * The largest bulk upsert body (10,000 rows of about 300 bytes fit with room to spare); other requests keep the
   * configured limit.
   */
  public static final long BULK_BODY_LIMIT = 8L * 1024 * 1024;
  /** Where the bulk upsert answers, as a router path. */
  public static final String BULK_PATH = "/api/v1/t/:tenant/people/bulk";

  private final PeopleService people;
  private final HoldingService holdings;
  private final BulkUpsertService bulk;

  public PeopleHandlers(PeopleService people, HoldingService holdings, BulkUpsertService bulk) {
    this.people = people;
    this.holdings = holdings;
    this.bulk = bulk;
  }

  public void list(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    int limit = request.limit();
    PersonFilter filter = new PersonFilter(request.query("status"), uuid(request.query("siteId")),
        uuid(request.query("departmentId")), uuid(request.query("jobRoleId")), uuid(request.query("managerId")),
        request.queryBoolean("contractor"), request.query("q"), uuid(request.query("programId")));
    people.list(TenantGate.tenant(rc), BearerAuthentication.caller(rc), filter, request.query("after"), limit + 1)
        .onSuccess(found -> Responses.page(rc, found, limit, person -> person, person -> person.getString("employeeNumber")))
        .onFailure(rc::fail);
  }

  public void get(RoutingContext rc) {
    people.get(TenantGate.tenant(rc), BearerAuthentication.caller(rc), personId(rc))
        .onSuccess(person -> respond(rc, 200, person))
        .onFailure(rc::fail);
  }

  public void create(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    String reason = body.containsKey("reason") ? ReasonForChange.require(body) : null;
    people.create(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), body, reason)
        .onSuccess(person -> {
          rc.response().putHeader("Location", "/api/v1/t/" + TenantGate.tenant(rc).slug() + "/people/"
              + person.getString("id"));
          respond(rc, 201, person);
        })
        .onFailure(rc::fail);
  }

  public void update(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    int expected = IfMatch.revision(rc, "the person");
    String reason = ReasonForChange.require(body);
    people.update(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), personId(rc), expected,
            body, reason)
        .onSuccess(person -> respond(rc, 200, person))
        .onFailure(rc::fail);
  }

  public void changeStatus(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    String reason = ReasonForChange.require(body);
    people.changeStatus(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), personId(rc),
            body.getString("action"), body.getString("effectiveOn"), reason)
        .onSuccess(person -> respond(rc, 200, person))
        .onFailure(rc::fail);
  }

  /** A person's job role holdings. */
  public void listHoldings(RoutingContext rc) {
    listHoldings(rc, HoldingKind.JOB_ROLE);
  }

  /** A person's job role holdings or program memberships. */
  public void listHoldings(RoutingContext rc, HoldingKind kind) {
    holdings.list(TenantGate.tenant(rc), BearerAuthentication.caller(rc), kind, personId(rc))
        .onSuccess(found -> Responses.json(rc, 200, new JsonObject().put("items", new JsonArray(found))))
        .onFailure(rc::fail);
  }

  public void assign(RoutingContext rc) {
    assign(rc, HoldingKind.JOB_ROLE);
  }

  public void assign(RoutingContext rc, HoldingKind kind) {
    JsonObject body = ApiRequest.of(rc).body();
    String reason = ReasonForChange.require(body);
    UUID personId = personId(rc);
    holdings.assign(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), kind, personId,
            UUID.fromString(body.getString(kind.idField())), body.getString("validFrom"), reason)
        .onSuccess(holding -> {
          rc.response().putHeader("Location", "/api/v1/t/" + TenantGate.tenant(rc).slug() + "/people/" + personId
              + "/" + kind.structure().path() + "/" + holding.getString("id"));
          Responses.json(rc, 201, holding);
        })
        .onFailure(rc::fail);
  }

  public void endHolding(RoutingContext rc) {
    endHolding(rc, HoldingKind.JOB_ROLE);
  }

  public void endHolding(RoutingContext rc, HoldingKind kind) {
    ApiRequest request = ApiRequest.of(rc);
    JsonObject body = request.body();
    String reason = ReasonForChange.require(body);
    holdings.end(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), kind, personId(rc),
            UUID.fromString(request.path(kind == HoldingKind.JOB_ROLE ? "holdingId" : "membershipId")),
            body.getString("validTo"), reason)
        .onSuccess(holding -> Responses.json(rc, 200, holding))
        .onFailure(rc::fail);
  }

  public void bulkUpsert(RoutingContext rc) {
    JsonObject body = ApiRequest.of(rc).body();
    String reason = ReasonForChange.require(body);
    bulk.upsert(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), body.getJsonArray("people"),
            body.getString("effectiveOn"), reason)
        .onSuccess(result -> Responses.json(rc, 200, result))
        .onFailure(rc::fail);
  }

  private static void respond(RoutingContext rc, int status, JsonObject person) {
    IfMatch.etag(rc, person.getInteger("revision"));
    Responses.json(rc, status, person);
  }

  private static UUID personId(RoutingContext rc) {
    return UUID.fromString(ApiRequest.of(rc).path("personId"));
  }

  private static UUID uuid(String value) {
    return value == null ? null : UUID.fromString(value);
  }
}
