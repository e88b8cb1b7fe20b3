package io.traceline.platform.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/** A plain HTTP client for the platform's API, as an integrator would use it. */
public final class Api {

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  public Api(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public Response get(String path, String token) {
    return send("GET", path, token, null, null);
  }

  public Response post(String path, String token, JsonObject body) {
    return send("POST", path, token, body == null ? null : body.encode(), "application/json");
  }

  public Response send(String method, String path, String token, String body, String contentType) {
    return send(method, path, token, body, contentType, Map.of());
  }

  /** As {@link #send(String, String, String, String, String)}, with extra request headers. */
  public Response send(String method, String path, String token, String body, String contentType,
                       Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          response.headers().firstValue("Location").orElse(null), response.headers().firstValue("Allow").orElse(null),
          response.body(), response.headers());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What came back; {@link #json()} parses the body, {@link #header(String)} reads any response header. */
  public record Response(int status, String contentType, String location, String allow, String body,
                         java.net.http.HttpHeaders headers) {

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** The request's trace id, from the {@code X-Trace-Id} response header. */
    public String traceId() {
      return header("X-Trace-Id");
    }

    public JsonObject json() {
      return new JsonObject(body);
    }

    public boolean isProblem() {
      return contentType.startsWith("application/problem+json");
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + body;
    }
  }
}
