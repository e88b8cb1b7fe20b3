package io.traceline.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The electronic signature round trip (issue #4): {@code POST /t/{tenant}/signatures} with the signer's username
 * and password, against a running platform (a dev run), p50 and p99. A benchmark, not a test: run it by hand
 * (load-tests/README.md).
 *
 * <p>The ceiling, measured in the same run, is what Keycloak alone costs: the signing client's password grant,
 * the call the platform waits for per signature (it logs the session out without waiting). The ratio says
 * what the platform adds (token check, tenant gate, the checks, two transactions, the audit event).
 *
 * <p>Setup (not measured) provisions or reuses one tenant ({@code -DtenantPrefix}, default {@code sig}) as
 * the Gatling simulation does, and has its first admin acknowledge the signature policy. Each measured
 * signature signs the tenant settings' current version; the settings then change (not measured), so the next
 * signature has a new version to sign.
 */
public final class SignatureRoundTripBenchmark {

  public static void main(String[] args) {
    if (System.getProperty("tenants") == null) {
      System.setProperty("tenants", "1");
    }
    if (System.getProperty("tenantPrefix") == null) {
      System.setProperty("tenantPrefix", "sig");
    }
    int signatures = Integer.getInteger("signatures", 200);
    String signingSecret = System.getProperty("signingClientSecret", "traceline-signing-dev-secret");
    LoadTestSettings settings = LoadTestSettings.fromSystemProperties();
    SetupHttp http = new SetupHttp();
    PlatformSetup setup = new PlatformSetup(settings, http);
    setup.awaitPlatformAndKeycloak();
    PlatformSetup.TenantSession session = setup.prepareTenants().get(0);
    String base = settings.baseUrl() + "/api/v1/t/" + session.slug();
    String username = "admin@" + session.slug().replace("_", "") + ".example";
    String password = settings.tenantAdminPassword();

    JsonNode policy = http.get(URI.create(base + "/signature-policy"), session.admin().accessToken()).json();
    if (policy.path("acknowledgedAt").isNull() || policy.path("acknowledgedAt").isMissingNode()) {
      SetupHttp.Response acknowledged = http.sendJson("POST", URI.create(base + "/signatures"), session.admin().accessToken(),
          request("signature-policy", "signature-policy", policy.path("version").asInt(), "acknowledged", username, password));
      require(acknowledged, 201, "acknowledging the signature policy");
    }

    // Warm-up, then the measured signatures.
    long[] platformNanos = new long[signatures];
    for (int i = -10; i < signatures; i++) {
      String token = session.admin().accessToken();
      JsonNode current = http.get(URI.create(base + "/settings"), token).json();
      int version = current.path("version").asInt();
      ObjectNode body = request("tenant-settings", "tenant", version, "approved", username, password);
      long start = System.nanoTime();
      SetupHttp.Response signed = http.sendJson("POST", URI.create(base + "/signatures"), token, body);
      long took = System.nanoTime() - start;
      require(signed, 201, "signing version " + version);
      if (i >= 0) {
        platformNanos[i] = took;
      }
      ObjectNode change = SetupHttp.JSON.createObjectNode();
      change.putObject("settings").put("defaultTrainingWindowDays", 1 + (version % 300));
      change.put("reason", "Signature benchmark: next version");
      SetupHttp.Response changed = http.send(HttpRequest.newBuilder(URI.create(base + "/settings"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
          .header("If-Match", "\"" + version + "\"")
          .PUT(HttpRequest.BodyPublishers.ofString(change.toString())).build());
      require(changed, 200, "changing the settings");
    }

    // The ceiling: Keycloak's password grant with the signing client, what the platform waits for per signature.
    URI tokenUrl = URI.create(settings.keycloakUrl() + "/realms/" + settings.realm() + "/protocol/openid-connect/token");
    URI logoutUrl = URI.create(settings.keycloakUrl() + "/realms/" + settings.realm() + "/protocol/openid-connect/logout");
    String client = "client_id=traceline-signing&client_secret=" + encode(signingSecret);
    long[] keycloakNanos = new long[signatures];
    for (int i = -10; i < signatures; i++) {
      long start = System.nanoTime();
      SetupHttp.Response granted = http.send(form(tokenUrl, client + "&grant_type=password&scope=openid&username="
          + encode(username) + "&password=" + encode(password)));
      long took = System.nanoTime() - start;
      require(granted, 200, "the signing client's password grant");
      // The platform logs the check's session out without waiting for it: so does the ceiling (not timed).
      SetupHttp.Response loggedOut = http.send(form(logoutUrl, client + "&refresh_token="
          + encode(granted.json().path("refresh_token").asText())));
      require(loggedOut, 204, "logging the check's session out");
      if (i >= 0) {
        keycloakNanos[i] = took;
      }
    }

    Arrays.sort(platformNanos);
    Arrays.sort(keycloakNanos);
    System.out.println();
    System.out.println("[traceline-signatures] " + signatures + " signatures on " + session.slug() + " at " + settings.baseUrl()
        + ", sequential, after 10 warm-up requests each");
    System.out.println(String.format(Locale.ROOT, "[traceline-signatures] %-34s | %8s | %8s | %8s", "", "mean ms", "p50 ms",
        "p99 ms"));
    print("signature round trip (platform)", platformNanos);
    print("Keycloak password grant (ceiling)", keycloakNanos);
    System.out.println(String.format(Locale.ROOT, "[traceline-signatures] signature / ceiling: p50 %.2f×, p99 %.2f×",
        percentile(platformNanos, 50) / percentile(keycloakNanos, 50),
        percentile(platformNanos, 99) / percentile(keycloakNanos, 99)));
  }

  private static ObjectNode request(String type, String id, int version, String meaning, String username, String password) {
    ObjectNode body = SetupHttp.JSON.createObjectNode().put("recordType", type).put("recordId", id)
        .put("recordVersion", version).put("meaning", meaning);
    body.putObject("reauthentication").put("method", "password").put("username", username).put("password", password);
    return body;
  }

  private static HttpRequest form(URI uri, String body) {
    return HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static void require(SetupHttp.Response response, int status, String what) {
    if (response.status() != status) {
      throw new IllegalStateException(what + ": HTTP " + response.status() + " " + SetupHttp.abbreviate(response.body()));
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static void print(String label, long[] sorted) {
    System.out.println(String.format(Locale.ROOT, "[traceline-signatures] %-34s | %8.1f | %8.1f | %8.1f", label,
        Arrays.stream(sorted).average().orElse(0) / 1e6, percentile(sorted, 50), percentile(sorted, 99)));
  }

  private static double percentile(long[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
  }
}
