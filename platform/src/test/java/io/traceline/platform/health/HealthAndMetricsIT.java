package io.traceline.platform.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.traceline.platform.Platform;
import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Health probes, Prometheus metrics and graceful shutdown (OPS-1)")
class HealthAndMetricsIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static TestPlatform platform;
  private static Api api;

  @BeforeAll
  static void start() {
    platform = TestPlatform.get();
    api = platform.api();
  }

  @Test
  @DisplayName("/health/live answers 200 with status UP without asking any dependency")
  void liveness() {
    Api.Response live = api.get("/health/live", null);
    assertThat(live.status()).as(live.toString()).isEqualTo(200);
    assertThat(live.contentType()).startsWith("application/json");
    assertThat(live.json().getString("status")).isEqualTo("UP");
  }

  @Test
  @DisplayName("/health/ready answers 200 when the database and Keycloak answer and the instance accepts requests")
  void readiness() {
    Api.Response ready = api.get("/health/ready", null);
    assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
    assertThat(ready.contentType()).startsWith("application/json");
    assertThat(ready.json().getString("status")).isEqualTo("UP");
    assertThat(checks(ready.json())).containsEntry("database", "UP").containsEntry("keycloak", "UP")
        .containsEntry("accepting-requests", "UP");
  }

  @Test
  @DisplayName("/metrics is valid Prometheus text with HTTP metrics by route (never by tenant), SQL pool and JVM metrics")
  void metrics() throws Exception {
    TenantFixture tenant = platform.newTenant("metrics");
    String token = tenant.adminToken();
    for (int i = 0; i < 3; i++) {
      assertThat(api.get(tenant.path("/me"), token).status()).isEqualTo(200);
      assertThat(api.get(tenant.path("/role-grants"), token).status()).isEqualTo(200);
    }
    assertThat(api.get(tenant.path("/no-such-resource"), token).status()).isEqualTo(404);

    Api.Response scrape = api.get("/metrics", null);
    assertThat(scrape.status()).isEqualTo(200);
    assertThat(scrape.contentType()).startsWith("text/plain");
    String text = scrape.body();
    Path file = TestPlatform.workDir().resolve("metrics-scrape.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);

    List<String> requestSeries = text.lines().filter(line -> line.startsWith("vertx_http_server_requests_total{")).toList();
    assertThat(requestSeries).as("HTTP server request counters in %s", file).isNotEmpty();
    // Vert.x labels a request with the routes it passed, joined by '>': the /api/v1 mount, the tenant gate
    // (/api/v1/t/:tenant/), the contract's sub-router and the operation's path template.
    assertThat(requestSeries).as("the tenant route 'me', labelled with its template, counted 3 times or more")
        .anySatisfy(line -> assertThat(line)
            .contains("route=\"/api/v1/>/api/v1/t/:tenant/>/api/v1/>/t/:tenant/me\"")
            .contains("method=\"GET\"").contains("code=\"200\"")
            .satisfies(series -> assertThat(value(series)).isGreaterThanOrEqualTo(3)));
    assertThat(requestSeries).anySatisfy(line -> assertThat(line)
        .contains("route=\"/api/v1/>/api/v1/t/:tenant/>/api/v1/>/t/:tenant/role-grants\"").contains("code=\"200\""));
    assertThat(text.lines().filter(line -> line.startsWith("vertx_http_server_response_time_seconds_count{")))
        .anySatisfy(line -> assertThat(line).contains(":tenant/me"));
    assertThat(text.lines().filter(line -> line.contains(tenant.slug())).toList())
        .as("no series is labelled with the tenant slug (unbounded label cardinality)").isEmpty();

    List<String> pool = text.lines().filter(line -> line.startsWith("vertx_pool_")
        && line.contains("pool_name=\"traceline\"") && line.contains("pool_type=\"sql\"")).toList();
    assertThat(pool).as("metrics of the SQL pool 'traceline'")
        .anySatisfy(line -> assertThat(line).startsWith("vertx_pool_in_use{"))
        .anySatisfy(line -> assertThat(line).startsWith("vertx_pool_queue_pending{"))
        .anySatisfy(line -> assertThat(line).startsWith("vertx_pool_completed_total{")
            .satisfies(series -> assertThat(value(series)).as("connections handed out").isPositive()));
    assertThat(text).contains("jvm_memory_used_bytes{").contains("area=\"heap\"");

    promtoolAccepts(file);
  }

  @Test
  @DisplayName("closing an instance lets a request in flight finish, then refuses connections")
  void gracefulShutdown() throws Exception {
    TenantFixture tenant = platform.newTenant("drain");
    String member = platform.newUser("drain." + TestPlatform.uniqueSlug("u").replace('_', '.') + "@users.example", "Dee", "Rain", tenant);
    String token = tenant.adminToken();
    Platform second = Platform.start(TestPlatform.config(0));
    int port = second.httpPort();
    CompletableFuture<Void> closing = null;
    try {
      HttpResponse<String> ready = get(port, "/health/ready");
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);

      // A grant whose body arrives in two parts: the server has the request before close starts.
      byte[] body = new JsonObject().put("userId", member).put("role", "auditor").put("reason", "Granted while draining")
          .encode().getBytes(StandardCharsets.UTF_8);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + tenant.path("/role-grants") + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
            + "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, 10);
        out.flush();
        awaitTrue("the request is in flight", () -> activeRequests(port) >= 1);

        closing = CompletableFuture.runAsync(second::close);
        awaitTrue("the instance stops accepting connections", () -> refused(port));
        assertThat(closing).as("close waits for the request in flight").isNotDone();

        out.write(body, 10, body.length - 10);
        out.flush();
        String response = readResponse(socket.getInputStream());
        assertThat(response).as(response).startsWith("HTTP/1.1 201");
        assertThat(new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4)).getString("role")).isEqualTo("auditor");
      }
      closing.get(30, TimeUnit.SECONDS);
      assertThat(refused(port)).as("connections are refused after close").isTrue();
      assertThat(count("SELECT count(*) FROM t_" + tenant.slug() + ".role_grant WHERE user_id = '" + member
          + "' AND role = 'auditor' AND revoked_at IS NULL")).isEqualTo(1);
    } finally {
      second.close();
    }
    // The platform the other tests use is untouched.
    assertThat(api.get("/health/ready", null).status()).isEqualTo(200);
  }

  private static HttpResponse<String> get(int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " on port " + port + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The {@code vertx_http_server_active_requests} gauge of the instance on {@code port}, summed over routes. */
  private static double activeRequests(int port) {
    Pattern series = Pattern.compile("^vertx_http_server_active_requests(\\{[^}]*\\})? ([0-9.eE+-]+)$");
    double total = 0;
    for (String line : get(port, "/metrics").body().lines().toList()) {
      Matcher matcher = series.matcher(line);
      if (matcher.matches()) {
        total += Double.parseDouble(matcher.group(2));
      }
    }
    // The scrape itself is an active request.
    return total - 1;
  }

  private static double value(String series) {
    return Double.parseDouble(series.substring(series.lastIndexOf(' ') + 1));
  }

  private static boolean refused(int port) {
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads one HTTP/1.1 response with a Content-Length body. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int contentLength = -1;
    int headerEnd = -1;
    while (headerEnd < 0 || bytes.size() < headerEnd + contentLength) {
      int next = in.read();
      if (next < 0) {
        break;
      }
      bytes.write(next);
      if (headerEnd < 0 && bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        headerEnd = bytes.size();
        Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$").matcher(bytes.toString(StandardCharsets.ISO_8859_1));
        contentLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("Timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  /** {@code promtool check metrics}, when promtool is installed (CI requires it: TRACELINE_REQUIRE_PROMTOOL=true). */
  private static void promtoolAccepts(Path scrape) throws Exception {
    Path promtool = findOnPath("promtool");
    if (promtool == null) {
      if ("true".equalsIgnoreCase(System.getenv("TRACELINE_REQUIRE_PROMTOOL"))) {
        fail("promtool is not on the PATH: apt-get install -y prometheus (TRACELINE_REQUIRE_PROMTOOL=true)");
      }
      Assumptions.abort("promtool is not on the PATH (apt-get install -y prometheus); the scrape was not linted");
    }
    Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
        .redirectInput(scrape.toFile())
        .redirectErrorStream(true)
        .start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as("promtool check metrics < %s:%n%s", scrape, output).isZero();
  }

  private static Path findOnPath(String executable) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, executable);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static java.util.Map<String, String> checks(JsonObject health) {
    JsonArray checks = health.getJsonArray("checks");
    assertThat(checks).as(health.encode()).isNotNull();
    java.util.Map<String, String> statuses = new java.util.LinkedHashMap<>();
    checks.forEach(check -> statuses.put(((JsonObject) check).getString("id"), ((JsonObject) check).getString("status")));
    return statuses;
  }

  private static long count(String sql) throws SQLException {
    try (Connection connection = platform.jdbc(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
