package io.traceline.platform.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON answers; failures go to the problem responder. */
public final class Responses {

  private Responses() {
  }

  public static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }

  /** Answers 200 with the future's JSON, or the failure as a problem. */
  public static void ok(RoutingContext rc, Future<JsonObject> result) {
    result.onSuccess(body -> json(rc, 200, body)).onFailure(rc::fail);
  }
}
