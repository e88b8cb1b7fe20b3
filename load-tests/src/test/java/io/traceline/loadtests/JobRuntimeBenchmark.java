package io.traceline.loadtests;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Benchmarks the job runtime of a running cluster (DESIGN.md §7: a benchmark, not a test):
 * <ol>
 *   <li>timer lag: {@code timers} probe timers due within the same minute; lag = planned − due (p50, p99, max);</li>
 *   <li>chunk throughput: one probe job of {@code chunks} chunks, chunks per second from first to last effect;</li>
 *   <li>the ceiling, measured in the same run on the same database: the same number of one-row
 *       transactions (lock a row, insert the effect, mark it done, commit) from one JDBC connection
 *       per concurrent chunk slot of the cluster.</li>
 * </ol>
 * The platform's numbers come from the database (planned_at, done_at), not from HTTP round trips.
 */
public final class JobRuntimeBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static void main(String[] args) throws Exception {
    String baseUrl = System.getProperty("baseUrl", "http://localhost:8080");
    String keycloakUrl = System.getProperty("keycloakUrl", "http://localhost:8180");
    String jdbcUrl = System.getProperty("jdbcUrl", "jdbc:postgresql://localhost:54329/traceline");
    String jdbcUser = System.getProperty("jdbcUser", "postgres");
    String jdbcPassword = System.getProperty("jdbcPassword", "");
    int timers = Integer.getInteger("timers", 10_000);
    int chunks = Integer.getInteger("chunks", 5_000);
    int slots = Integer.getInteger("slots", 4);
    String token = operatorToken(keycloakUrl);
    JsonNode cluster = get(baseUrl + "/api/v1/operator/cluster", token);
    int members = cluster.get("members").size();
    System.out.printf("[job-benchmark] members=%d timers=%d chunks=%d ceilingConnections=%d%n", members, timers, chunks,
        slots * members);

    try (Connection db = DriverManager.getConnection(jdbcUrl, jdbcUser, jdbcPassword)) {
      timerLag(baseUrl, keycloakUrl, token, db, timers);
      double platformRate = chunkThroughput(baseUrl, operatorToken(keycloakUrl), db, chunks);
      double ceilingRate = ceiling(jdbcUrl, jdbcUser, jdbcPassword, chunks, slots * members);
      System.out.printf("[job-benchmark] chunks/s platform %.0f, ceiling %.0f, platform/ceiling %.2f%n",
          platformRate, ceilingRate, platformRate / ceilingRate);
    }
  }

  private static void timerLag(String baseUrl, String keycloakUrl, String token, Connection db, int timers) throws Exception {
    // Enqueueing 10,000 timers over HTTP takes a while: they fall due in one minute starting after that.
    Instant minute = Instant.now().plusSeconds(Math.max(60, timers / 100));
    Instant enqueueStart = Instant.now();
    Semaphore inFlight = new Semaphore(16);
    List<CompletableFuture<?>> posts = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < timers; i++) {
      Instant due = minute.plusMillis(ThreadLocalRandom.current().nextLong(60_000));
      String body = "{\"chunks\":1,\"runAt\":\"" + due + "\"}";
      inFlight.acquire();
      posts.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/operator/jobs/probe"))
              .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
          .whenComplete((response, failure) -> {
            inFlight.release();
            if (failure != null || response.statusCode() != 201) {
              throw new IllegalStateException("enqueue failed: " + (failure != null ? failure : response.statusCode()));
            }
          }));
    }
    CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).join();
    System.out.printf("[job-benchmark] enqueued %d timers in %.1f s; due %s … +60 s%n", timers,
        (System.nanoTime() - started) / 1e9, minute);
    Instant enqueueEnd = Instant.now();
    // This run's timers: the probe jobs created while enqueueing.
    String where = "kind = 'probe' AND created_at BETWEEN '" + enqueueStart + "' AND '" + enqueueEnd + "'";
    while (count(db, "SELECT count(*) FROM control.job WHERE " + where + " AND state = 'succeeded'") < timers) {
      Thread.sleep(1000);
    }
    try (Statement statement = db.createStatement();
         ResultSet rows = statement.executeQuery("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag), "
             + "percentile_cont(0.99) WITHIN GROUP (ORDER BY lag), max(lag), count(*) FROM ("
             + "SELECT extract(epoch FROM planned_at - run_at) * 1000 AS lag FROM control.job WHERE " + where + ") l")) {
      rows.next();
      System.out.printf("[job-benchmark] timer lag ms (planned - due): p50 %.0f, p99 %.0f, max %.0f over %d timers%n",
          rows.getDouble(1), rows.getDouble(2), rows.getDouble(3), rows.getLong(4));
    }
    long effects = count(db, "SELECT count(*) FROM control.job_probe_effect e JOIN control.job j ON j.id = e.job_id WHERE "
        + where.replace("kind", "j.kind").replace("created_at", "j.created_at").replace("payload", "j.payload")
            .replace("run_at", "j.run_at"));
    System.out.printf("[job-benchmark] timer effects: %d for %d timers (exactly once: %s)%n", effects, timers, effects == timers);
  }

  private static double chunkThroughput(String baseUrl, String token, Connection db, int chunks) throws Exception {
    JsonNode job = post(baseUrl + "/api/v1/operator/jobs/probe", token, "{\"chunks\":" + chunks + "}");
    String id = job.get("id").asText();
    while (!"succeeded".equals(stateOf(db, id))) {
      Thread.sleep(500);
    }
    try (Statement statement = db.createStatement();
         ResultSet rows = statement.executeQuery("SELECT count(*), count(DISTINCT chunk_no), count(DISTINCT member), "
             + "extract(epoch FROM max(done_at) - min(done_at)) FROM control.job_probe_effect WHERE job_id = '" + id + "'")) {
      rows.next();
      double seconds = Math.max(rows.getDouble(4), 0.001);
      double rate = rows.getLong(1) / seconds;
      System.out.printf("[job-benchmark] %d-chunk job: %d effects, %d distinct chunks, %d members, %.2f s → %.0f chunks/s%n",
          chunks, rows.getLong(1), rows.getLong(2), rows.getLong(3), seconds, rate);
      return rate;
    }
  }

  /** The same shape of work as a chunk — lock a row, insert an effect, mark done, commit — straight on JDBC. */
  private static double ceiling(String url, String user, String password, int chunks, int connections) throws Exception {
    try (Connection setup = DriverManager.getConnection(url, user, password); Statement statement = setup.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS public.bench_chunk; DROP TABLE IF EXISTS public.bench_effect");
      statement.execute("CREATE TABLE public.bench_chunk (no int PRIMARY KEY, state text NOT NULL DEFAULT 'pending')");
      statement.execute("CREATE TABLE public.bench_effect (id bigserial PRIMARY KEY, no int, at timestamptz DEFAULT clock_timestamp())");
      statement.execute("INSERT INTO public.bench_chunk (no) SELECT generate_series(0, " + (chunks - 1) + ")");
    }
    List<Thread> threads = new ArrayList<>();
    long started = System.nanoTime();
    for (int t = 0; t < connections; t++) {
      Thread thread = new Thread(() -> {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
          connection.setAutoCommit(false);
          try (Statement statement = connection.createStatement()) {
            while (true) {
              ResultSet claimed = statement.executeQuery("SELECT no FROM public.bench_chunk WHERE state = 'pending' "
                  + "ORDER BY no LIMIT 1 FOR UPDATE SKIP LOCKED");
              if (!claimed.next()) {
                connection.commit();
                return;
              }
              int no = claimed.getInt(1);
              statement.executeUpdate("INSERT INTO public.bench_effect (no) VALUES (" + no + ")");
              statement.executeUpdate("UPDATE public.bench_chunk SET state = 'done' WHERE no = " + no);
              connection.commit();
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    try (Connection setup = DriverManager.getConnection(url, user, password); Statement statement = setup.createStatement()) {
      statement.execute("DROP TABLE public.bench_chunk; DROP TABLE public.bench_effect");
    }
    double rate = chunks / seconds;
    System.out.printf("[job-benchmark] ceiling: %d one-row transactions on %d JDBC connections in %.2f s → %.0f/s%n",
        chunks, connections, seconds, rate);
    return rate;
  }

  private static String stateOf(Connection db, String id) throws Exception {
    try (Statement statement = db.createStatement();
         ResultSet rows = statement.executeQuery("SELECT state FROM control.job WHERE id = '" + id + "'")) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static long count(Connection db, String sql) throws Exception {
    try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static String operatorToken(String keycloakUrl) throws Exception {
    String form = "grant_type=password&client_id=traceline-portal&username="
        + URLEncoder.encode(System.getProperty("operatorUser", "operator"), StandardCharsets.UTF_8)
        + "&password=" + URLEncoder.encode(System.getProperty("operatorPassword", "operator"), StandardCharsets.UTF_8);
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(keycloakUrl
            + "/realms/traceline/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body()).get("access_token").asText();
  }

  private static JsonNode get(String url, String token) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static JsonNode post(String url, String token, String body) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException(url + " → " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
