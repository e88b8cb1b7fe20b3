package io.traceline.platform.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Tenant settings: a versioned, content-hashed record whose every change needs If-Match and a reason and is audited (P11-1, 11.10(a), Annex 11 §12)")
class TenantSettingsIT {

  private static TestPlatform platform;
  private static Api api;
  private static TenantFixture tenant;

  @BeforeAll
  static void tenant() {
    platform = TestPlatform.get();
    api = platform.api();
    tenant = platform.newTenant("settings");
  }

  @Test
  @DisplayName("each version carries a SHA-256 over its RFC 8785 canonical form that anyone can recompute, and its version as ETag")
  void contentHash() throws Exception {
    Api.Response response = api.get(tenant.path("/settings"), tenant.adminToken());
    assertThat(response.status()).isEqualTo(200);
    JsonObject settings = response.json();
    assertThat(response.header("ETag")).isEqualTo("\"" + settings.getInteger("version") + "\"");

    String canonical = new JsonCanonicalizer(new JsonObject().put("recordType", "tenant-settings").put("recordId", "tenant")
        .put("version", settings.getInteger("version")).put("content", settings.getJsonObject("content")).encode())
        .getEncodedString();
    String recomputed = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    assertThat(settings.getString("contentHash")).isEqualTo(recomputed);
  }

  @Test
  @DisplayName("a change without a reason is a 422 pointing at /reason, and changes nothing")
  void reasonRequired() {
    JsonObject before = current();
    long events = auditCount();
    for (JsonObject body : new JsonObject[] {
        new JsonObject().put("settings", new JsonObject().put("timeZone", "Europe/Dublin")),
        new JsonObject().put("settings", new JsonObject().put("timeZone", "Europe/Dublin")).put("reason", "  ")}) {
      Api.Response response = put(body, "\"" + before.getInteger("version") + "\"");
      assertThat(response.status()).as(response.toString()).isEqualTo(422);
      assertThat(response.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/reason");
    }
    assertThat(current().getInteger("version")).isEqualTo(before.getInteger("version"));
    assertThat(auditCount()).isEqualTo(events);
  }

  @Test
  @DisplayName("a change needs If-Match: 428 without it, 412 with a stale version; nothing is overwritten")
  void optimisticLocking() {
    JsonObject before = current();
    JsonObject body = new JsonObject().put("settings", new JsonObject().put("timeZone", "Asia/Singapore"))
        .put("reason", "Move to the Singapore site's zone");

    assertThat(put(body, null).status()).isEqualTo(428);
    Api.Response stale = put(body, "\"" + (before.getInteger("version") - 1) + "\"");
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.isProblem()).isTrue();
    assertThat(current().getInteger("version")).isEqualTo(before.getInteger("version"));
  }

  @Test
  @DisplayName("a change makes a new version and one audit event with the values before and after and the reason")
  void changeIsAudited() {
    JsonObject before = current();
    Api.Response response = put(new JsonObject().put("settings", before.getJsonObject("content").copy()
        .put("defaultTrainingWindowDays", 45)).put("reason", "CAPA-0042: longer window for shift workers"),
        "\"" + before.getInteger("version") + "\"");

    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    JsonObject after = response.json();
    assertThat(after.getInteger("version")).isEqualTo(before.getInteger("version") + 1);
    assertThat(response.header("ETag")).isEqualTo("\"" + after.getInteger("version") + "\"");
    assertThat(after.getJsonObject("content").getInteger("defaultTrainingWindowDays")).isEqualTo(45);
    assertThat(after.getString("reason")).isEqualTo("CAPA-0042: longer window for shift workers");
    assertThat(after.getJsonObject("createdBy").getString("id")).isEqualTo(tenant.adminUserId());

    JsonArray events = api.get(tenant.path("/audit-trail/events?entityType=tenant-settings&action=tenant-settings.updated"
        + "&order=desc&limit=1"), tenant.adminToken()).json().getJsonArray("items");
    JsonObject event = events.getJsonObject(0);
    assertThat(event.getJsonObject("entity").getInteger("version")).isEqualTo(after.getInteger("version"));
    assertThat(event.getJsonObject("before")).isEqualTo(before.getJsonObject("content"));
    assertThat(event.getJsonObject("after")).isEqualTo(after.getJsonObject("content"));
    assertThat(event.getString("reason")).isEqualTo("CAPA-0042: longer window for shift workers");
  }

  @Test
  @DisplayName("only tenant admins change the settings; a bad time zone is a 422 and an unknown setting a 400")
  void rules() {
    Person employee = platform.newMember("Ella", "Employee", tenant);
    platform.grantRole(tenant, employee.id(), "employee");
    JsonObject before = current();
    String version = "\"" + before.getInteger("version") + "\"";
    JsonObject change = new JsonObject().put("settings", new JsonObject().put("timeZone", "Europe/Dublin"))
        .put("reason", "Trying without the role");

    assertThat(api.get(tenant.path("/settings"), employee.token(platform)).status()).isEqualTo(200);
    assertThat(api.send("PUT", tenant.path("/settings"), employee.token(platform), change.encode(), "application/json",
        Map.of("If-Match", version)).status()).isEqualTo(403);
    Api.Response badZone = put(new JsonObject().put("settings", new JsonObject().put("timeZone", "Mars/Olympus"))
        .put("reason", "Typo"), version);
    assertThat(badZone.status()).isEqualTo(422);
    assertThat(badZone.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/settings/timeZone");
    assertThat(put(new JsonObject().put("settings", new JsonObject().put("colour", "blue")).put("reason", "Unknown"),
        version).status()).isEqualTo(400);
    assertThat(current().getInteger("version")).isEqualTo(before.getInteger("version"));
  }

  private static JsonObject current() {
    return api.get(tenant.path("/settings"), tenant.adminToken()).json();
  }

  private static Api.Response put(JsonObject body, String ifMatch) {
    return api.send("PUT", tenant.path("/settings"), tenant.adminToken(), body.encode(), "application/json",
        ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
  }

  private static long auditCount() {
    return api.get(tenant.path("/audit-trail/verification"), tenant.adminToken()).json().getJsonObject("auditTrail")
        .getLong("events");
  }
}
