package io.traceline.platform.http;

import java.util.List;
import java.util.function.Function;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
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

  /** Answers 201 with a record just created: where it lives ({@code Location}) and its revision as the ETag. */
  public static void created(RoutingContext rc, String location, JsonObject record) {
    rc.response().putHeader(HttpHeaders.LOCATION, location);
    IfMatch.etag(rc, record.getInteger("revision"));
    json(rc, 201, record);
  }

  /** Answers 200 with the future's JSON, or the failure as a problem. */
  public static void ok(RoutingContext rc, Future<JsonObject> result) {
    result.onSuccess(body -> json(rc, 200, body)).onFailure(rc::fail);
  }

  /**
   * Answers a cursor page of JSON items whose {@code id} is the cursor: {@code query} is asked for one item more than the
   * request's {@code limit}, which tells whether there is a next page.
   */
  public static void page(RoutingContext rc, Function<Integer, Future<List<JsonObject>>> query) {
    int limit = ApiRequest.of(rc).limit();
    query.apply(limit + 1)
        .onSuccess(found -> page(rc, found, limit, item -> item, item -> item.getString("id")))
        .onFailure(rc::fail);
  }

  /**
   * Answers a cursor page: {@code found} holds up to {@code limit + 1} items (one more tells there is a next
   * page); the page shows {@code limit} of them and {@code next} is the cursor of its last item, or null.
   */
  public static <T> void page(RoutingContext rc, List<T> found, int limit, Function<T, JsonObject> toJson,
                              Function<T, String> cursor) {
    boolean more = found.size() > limit;
    List<T> page = more ? found.subList(0, limit) : found;
    JsonArray items = new JsonArray();
    page.forEach(item -> items.add(toJson.apply(item)));
    json(rc, 200, new JsonObject().put("items", items).put("next", more ? cursor.apply(page.get(page.size() - 1)) : null));
  }
}
