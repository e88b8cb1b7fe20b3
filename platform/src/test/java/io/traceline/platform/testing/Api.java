package io.traceline.platform.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;

/** A plain HTTP client for the platform's API, as an integrator would use it. */
public final class Api {

  private static WebClient web;
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
      java.net.http.HttpResponse<String> response = client.send(request.build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
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

  /**
   * PUTs a {@code multipart/form-data} body (Vert.x's web client builds it): one file part named {@code partName}
   * plus plain attributes.
   */
  public Response putMultipart(String path, String token, String partName, String fileName, String mediaType,
                               byte[] content, Map<String, String> attributes) {
    MultipartForm form = MultipartForm.create();
    attributes.forEach(form::attribute);
    form.binaryFileUpload(partName, fileName, Buffer.buffer(content), mediaType);
    URI uri = URI.create(baseUrl + path);
    try {
      HttpResponse<Buffer> response = web().put(uri.getPort(), uri.getHost(), uri.getRawPath())
          .putHeader("Authorization", "Bearer " + token)
          .timeout(60_000)
          .sendMultipartForm(form)
          .toCompletionStage().toCompletableFuture().get();
      java.util.Map<String, java.util.List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      response.headers().forEach(header -> headers.computeIfAbsent(header.getKey(), key -> new java.util.ArrayList<>())
          .add(header.getValue()));
      return new Response(response.statusCode(), response.getHeader("Content-Type") == null ? ""
          : response.getHeader("Content-Type"), response.getHeader("Location"), response.getHeader("Allow"),
          response.bodyAsString() == null ? "" : response.bodyAsString(),
          java.net.http.HttpHeaders.of(headers, (name, value) -> true));
    } catch (ExecutionException e) {
      throw new IllegalStateException("PUT " + path + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GETs raw bytes (a download). */
  public java.net.http.HttpResponse<byte[]> getBytes(String path, String token) {
    return getBytes(path, token, "*/*");
  }

  /** GETs raw bytes asking for the {@code accept} media types (content negotiation). */
  public java.net.http.HttpResponse<byte[]> getBytes(String path, String token, String accept) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
          .header("Authorization", "Bearer " + token).header("Accept", accept).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static synchronized WebClient web() {
    if (web == null) {
      web = WebClient.create(Vertx.vertx());
    }
    return web;
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
