package io.traceline.platform.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

/** Typed access to a request that the OpenAPI contract has validated. */
public final class ApiRequest {

  private final ValidatedRequest validated;

  private ApiRequest(ValidatedRequest validated) {
    this.validated = validated;
  }

  public static ApiRequest of(RoutingContext rc) {
    return new ApiRequest(rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST));
  }

  public JsonObject body() {
    RequestParameter body = validated.getBody();
    return body == null || body.isNull() ? new JsonObject() : body.getJsonObject();
  }

  public String path(String name) {
    RequestParameter parameter = validated.getPathParameters().get(name);
    return parameter == null || parameter.isNull() ? null : parameter.getString();
  }

  public String query(String name) {
    RequestParameter parameter = validated.getQuery().get(name);
    return parameter == null || parameter.isNull() ? null : String.valueOf(parameter.get());
  }

  public Boolean queryBoolean(String name) {
    RequestParameter parameter = validated.getQuery().get(name);
    return parameter == null || parameter.isNull() ? null : parameter.getBoolean();
  }

  public int limit() {
    RequestParameter parameter = validated.getQuery().get("limit");
    return parameter == null || parameter.isNull() ? 50 : parameter.getInteger();
  }
}
