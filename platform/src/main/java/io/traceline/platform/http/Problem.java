package io.traceline.platform.http;

import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 problem. {@code type} is a stable URI naming the kind of problem (documented under
 * {@link #TYPE_BASE}); {@code detail} says what went wrong in this occurrence; {@code errors} point at
 * each invalid field.
 */
public record Problem(int status, String type, String title, String detail, List<FieldError> errors) {

  public static final String TYPE_BASE = "https://traceline.io/problems/";
  public static final String CONTENT_TYPE = "application/problem+json";

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public static Problem of(int status, String kind, String title, String detail) {
    return new Problem(status, TYPE_BASE + kind, title, detail, List.of());
  }

  public Problem withErrors(List<FieldError> fieldErrors) {
    return new Problem(status, type, title, detail, fieldErrors);
  }

  public JsonObject toJson(String instance, String traceId) {
    JsonObject json = new JsonObject()
        .put("type", type)
        .put("title", title)
        .put("status", status);
    if (detail != null) {
      json.put("detail", detail);
    }
    json.put("instance", instance);
    json.put("traceId", traceId);
    if (!errors.isEmpty()) {
      JsonArray array = new JsonArray();
      errors.forEach(error -> array.add(new JsonObject().put("pointer", error.pointer()).put("message", error.message())));
      json.put("errors", array);
    }
    return json;
  }

  /** One invalid field: a JSON pointer into the body (or a parameter's name) and what is wrong with it. */
  public record FieldError(String pointer, String message) {
  }
}
