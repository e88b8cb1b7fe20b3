package io.traceline.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Assessment submission with its signature (issue 7): every learner of one tenant submits a passing attempt at once
 * ({@code -Dconcurrency} at a time), each submission an electronic signature (the learner's password checked by
 * Keycloak), scored on the server, completing the assignment with its completion record. Throughput and p50 / p99 of
 * the submission, against a ceiling measured in the same run: Keycloak's password grant of the signing client for the
 * same learners at the same concurrency (what each submission waits for). A benchmark, not a test: run it by hand
 * against a dev run (load-tests/README.md).
 *
 * <p>Setup (not measured): a tenant ({@code -Dtenant}, default {@code as_bench}) of {@code -Dlearners} people holding
 * the benchmark's job role, each with a login (created in Keycloak, added to the organization, linked to the person
 * as the schema owner), the employee role and the signature policy acknowledged; one document trained by assessment
 * (pass score 80) with a bank of five single-choice questions, approved and effective, its fan-out awaited; every
 * learner's attempt started (not measured) so that only submissions are timed. Reuse needs a new tenant name.
 */
public final class AssessmentSubmissionBenchmark {

  private static final int QUESTIONS = 5;

  public static void main(String[] args) throws Exception {
    int learners = Integer.getInteger("learners", 100);
    int concurrency = Integer.getInteger("concurrency", 8);
    String slug = System.getProperty("tenant", "as_bench");
    String password = System.getProperty("benchPassword", "Assess-bench-1");
    String signingSecret = System.getProperty("signingClientSecret", "traceline-signing-dev-secret");
    LoadTestSettings settings = LoadTestSettings.fromSystemProperties();
    SetupHttp http = new SetupHttp();
    PlatformSetup setup = new PlatformSetup(settings, http);
    setup.awaitPlatformAndKeycloak();
    String jdbcUrl = System.getProperty("jdbcUrl", "jdbc:postgresql://localhost:54329/traceline");
    try (Connection owner = DriverManager.getConnection(jdbcUrl, System.getProperty("jdbcUser", "postgres"),
        System.getProperty("jdbcPassword", ""))) {
      Instant started = Instant.now();
      FanOutTenant tenant = FanOutTenant.prepare(setup, settings, http, owner, slug, learners, password);
      String api = settings.baseUrl() + "/api/v1/t/" + slug;
      String domain = slug.replace("_", "") + ".bench.example";
      List<PasswordGrant> tokens = new ArrayList<>();
      List<String> usernames = new ArrayList<>();
      KeycloakAdmin keycloak = setup.keycloakAdmin();
      try (PreparedStatement link = owner.prepareStatement("UPDATE " + tenant.schema() + ".person SET user_id = ? "
          + "WHERE employee_number = ?")) {
        for (int i = 1; i <= learners; i++) {
          String username = "learner" + i + "@" + domain;
          String userId = keycloak.ensureUser(username, "Lea" + i, "Learner", password);
          keycloak.addOrganizationMember(tenant.organizationId(), userId);
          link.setString(1, userId);
          link.setString(2, String.format("FO%07d", i));
          link.executeUpdate();
          tenant.grant(userId, "employee");
          usernames.add(username);
          tokens.add(PasswordGrant.user(http, settings.keycloakUrl(), settings.realm(), settings.portalClientId(),
              username, password, "openid organization:" + slug));
        }
      }
      for (int i = 0; i < learners; i++) {
        acknowledgePolicy(http, api, tokens.get(i).accessToken(), usernames.get(i), password);
      }

      // The document, its bank (key kept here to answer), approved and effective; its fan-out assigns every learner.
      ObjectNode training = SetupHttp.JSON.createObjectNode().put("method", "assessment").put("passScore", 80)
          .put("maxAttempts", 5);
      FanOutTenant.Revision revision = tenant.draft("Assessment benchmark " + Instant.now(), training);
      Map<String, String> rightOption = new HashMap<>();
      for (int q = 1; q <= QUESTIONS; q++) {
        ObjectNode question = SetupHttp.JSON.createObjectNode().put("kind", "single-choice")
            .put("prompt", "Benchmark question " + q).put("reason", "Assessment benchmark bank");
        ArrayNode options = question.putArray("options");
        for (int o = 1; o <= 4; o++) {
          options.addObject().put("text", "Option " + o).put("correct", o == 1);
        }
        JsonNode created = FanOutTenant.require(http.sendJson("POST", URI.create(tenant.versionPath(revision)
            + "/questions"), tenant.authorToken(), question), 201, "adding question " + q).json();
        for (JsonNode option : created.path("options")) {
          if (option.path("correct").asBoolean()) {
            rightOption.put(created.path("id").asText(), option.path("id").asText());
          }
        }
      }
      tenant.submit(revision, null);
      tenant.approve(revision);
      List<String> attempts = awaitAssignmentsAndStart(http, api, tokens, revision.versionId());
      log(String.format(Locale.ROOT, "%d learners set up, assigned and their attempts started in %d s", learners,
          Duration.between(started, Instant.now()).toSeconds()));

      // Measured: every learner submits a passing attempt, signing with their password.
      long[] submitNanos = new long[learners];
      ExecutorService pool = Executors.newFixedThreadPool(concurrency);
      long burst = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < learners; i++) {
        int learner = i;
        done.add(pool.submit(() -> {
          String token = tokens.get(learner).accessToken();
          String attempt = attempts.get(learner);
          JsonNode paper = http.get(URI.create(api + "/me/training/" + attemptAssignment(attempt) + "/attempts/"
              + attemptId(attempt)), token).json();
          ObjectNode body = SetupHttp.JSON.createObjectNode();
          ArrayNode answers = body.putArray("answers");
          for (JsonNode question : paper.path("questions")) {
            String id = question.path("questionId").asText();
            answers.addObject().put("questionId", id).putArray("optionIds").add(rightOption.get(id));
          }
          body.putObject("reauthentication").put("method", "password").put("username", usernames.get(learner))
              .put("password", password);
          long start = System.nanoTime();
          SetupHttp.Response submitted = http.sendJson("POST", URI.create(api + "/me/training/"
              + attemptAssignment(attempt) + "/attempts/" + attemptId(attempt) + "/submission"), token, body);
          submitNanos[learner] = System.nanoTime() - start;
          JsonNode result = FanOutTenant.require(submitted, 201, "submitting learner " + learner + "'s attempt").json();
          if (!result.toString().contains("\"passed\":true")) {
            throw new IllegalStateException("learner " + learner + " did not pass: " + SetupHttp.abbreviate(result.toString()));
          }
          return null;
        }));
      }
      for (Future<?> each : done) {
        each.get();
      }
      double platformSeconds = (System.nanoTime() - burst) / 1e9;

      // The ceiling: the signing client's password grant for the same learners, at the same concurrency.
      URI tokenUrl = URI.create(settings.keycloakUrl() + "/realms/" + settings.realm() + "/protocol/openid-connect/token");
      String client = "client_id=traceline-signing&client_secret=" + encode(signingSecret);
      long[] grantNanos = new long[learners];
      long ceiling = System.nanoTime();
      done.clear();
      for (int i = 0; i < learners; i++) {
        int learner = i;
        done.add(pool.submit(() -> {
          long start = System.nanoTime();
          SetupHttp.Response granted = http.send(HttpRequest.newBuilder(tokenUrl)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(client + "&grant_type=password&scope=openid&username="
                  + encode(usernames.get(learner)) + "&password=" + encode(password))).build());
          grantNanos[learner] = System.nanoTime() - start;
          FanOutTenant.require(granted, 200, "the signing client's password grant");
          return null;
        }));
      }
      for (Future<?> each : done) {
        each.get();
      }
      double ceilingSeconds = (System.nanoTime() - ceiling) / 1e9;
      pool.shutdown();

      Arrays.sort(submitNanos);
      Arrays.sort(grantNanos);
      long completions = count(owner, "SELECT count(*) FROM " + tenant.schema() + ".training_completion WHERE version_id = '"
          + revision.versionId() + "'");
      log("");
      log(String.format(Locale.ROOT, "SUMMARY %d signed assessment submissions on %s, %d at a time (%d completion records)",
          learners, slug, concurrency, completions));
      log(String.format(Locale.ROOT, "  submission (platform): %.1f/s, p50 %.0f ms, p99 %.0f ms", learners / platformSeconds,
          percentile(submitNanos, 50), percentile(submitNanos, 99)));
      log(String.format(Locale.ROOT, "  Keycloak password grant (ceiling): %.1f/s, p50 %.0f ms, p99 %.0f ms",
          learners / ceilingSeconds, percentile(grantNanos, 50), percentile(grantNanos, 99)));
      log(String.format(Locale.ROOT, "  platform / ceiling: throughput %.2f, p50 %.2fx, p99 %.2fx",
          (learners / platformSeconds) / (learners / ceilingSeconds),
          percentile(submitNanos, 50) / percentile(grantNanos, 50), percentile(submitNanos, 99) / percentile(grantNanos, 99)));
    }
  }

  private static void acknowledgePolicy(SetupHttp http, String api, String token, String username, String password) {
    JsonNode policy = http.get(URI.create(api + "/signature-policy"), token).json();
    if (policy.path("acknowledgedAt").isNull() || policy.path("acknowledgedAt").isMissingNode()) {
      ObjectNode body = SetupHttp.JSON.createObjectNode().put("recordType", "signature-policy")
          .put("recordId", "signature-policy").put("recordVersion", policy.path("version").asInt())
          .put("meaning", "acknowledged");
      body.putObject("reauthentication").put("method", "password").put("username", username).put("password", password);
      FanOutTenant.require(http.sendJson("POST", URI.create(api + "/signatures"), token, body), 201,
          "acknowledging the signature policy as " + username);
    }
  }

  /** Waits for each learner's assignment on the version and starts its attempt; "assignmentId/attemptId" each. */
  private static List<String> awaitAssignmentsAndStart(SetupHttp http, String api, List<PasswordGrant> tokens,
                                                       String versionId) throws InterruptedException {
    List<String> attempts = new ArrayList<>();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    for (PasswordGrant learner : tokens) {
      String assignment = null;
      while (assignment == null) {
        for (JsonNode item : http.get(URI.create(api + "/me/training?status=open&limit=200"), learner.accessToken())
            .json().path("items")) {
          if (versionId.equals(item.path("version").path("id").asText())) {
            assignment = item.path("id").asText();
          }
        }
        if (assignment == null) {
          if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("no assignment of version " + versionId + " after 2 minutes");
          }
          Thread.sleep(200);
        }
      }
      JsonNode attempt = FanOutTenant.require(http.sendJson("POST", URI.create(api + "/me/training/" + assignment
          + "/attempts"), learner.accessToken(), SetupHttp.JSON.createObjectNode()), 201, "starting an attempt").json();
      attempts.add(assignment + "/" + attempt.path("id").asText());
    }
    return attempts;
  }

  private static String attemptAssignment(String pair) {
    return pair.substring(0, pair.indexOf('/'));
  }

  private static String attemptId(String pair) {
    return pair.substring(pair.indexOf('/') + 1);
  }

  private static long count(Connection owner, String sql) throws java.sql.SQLException {
    try (var statement = owner.createStatement(); var rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static double percentile(long[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
  }

  private static void log(String line) {
    System.out.println("[traceline-assessment] " + line);
  }
}
