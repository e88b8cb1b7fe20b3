package io.traceline.platform.signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;

@DisplayName("Electronic signatures: re-authenticated, bound to the exact record version, after the policy is acknowledged (P11-3, P11-4, P11-5)")
class SignaturesIT {

  private static TestPlatform platform;
  private static Api api;
  private static TenantFixture tenant;

  @BeforeAll
  static void tenant() {
    platform = TestPlatform.get();
    api = platform.api();
    tenant = platform.newTenant("signing");
  }

  @Test
  @DisplayName("a user's first signature is refused until they have signed the signature policy acknowledgement (11.10(j))")
  void policyAcknowledgementComesFirst() {
    Person signer = qualityManager("Paula", "Policy");
    String token = signer.token(platform);
    JsonObject settings = settings();

    Api.Response refused = sign(token, settingsSignature(settings, "reviewed", signer), null);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.json().getString("type")).endsWith("/signature-policy-not-acknowledged");
    JsonObject policy = api.get(tenant.path("/signature-policy"), token).json();
    assertThat(policy.getValue("acknowledgedAt")).isNull();
    assertThat(policy.getJsonObject("content").getJsonArray("statements").encode()).contains("11.100(c)");

    Api.Response acknowledged = sign(token, request("signature-policy", "signature-policy", policy.getInteger("version"),
        "acknowledged", signer), null);
    assertThat(acknowledged.status()).as(acknowledged.toString()).isEqualTo(201);
    assertThat(acknowledged.json().getJsonObject("record").getString("hash")).isEqualTo(policy.getString("contentHash"));
    assertThat(api.get(tenant.path("/signature-policy"), token).json().getString("acknowledgedAt")).isNotNull();

    assertThat(sign(token, settingsSignature(settings, "reviewed", signer), null).status()).isEqualTo(201);
  }

  @Test
  @DisplayName("a signature holds the printed name, the database time in UTC, the meaning and the hash of the version signed; every rendering shows them")
  void signatureContent() throws SQLException {
    Person signer = acknowledged(qualityManager("Sven", "Signer"));
    JsonObject settings = settings();
    OffsetDateTime before = platform.databaseNow();

    Api.Response signed = sign(signer.token(platform), settingsSignature(settings, "approved", signer), null);

    assertThat(signed.status()).as(signed.toString()).isEqualTo(201);
    JsonObject signature = signed.json();
    assertThat(signed.location()).isEqualTo(tenant.path("/signatures/" + signature.getString("id")));
    assertThat(signature.getJsonObject("signer")).isEqualTo(new JsonObject().put("id", signer.id())
        .put("username", signer.username()).put("name", "Sven Signer"));
    assertThat(signature.getString("meaning")).isEqualTo("approved");
    assertThat(signature.getString("signedAt")).endsWith("Z");
    assertThat(OffsetDateTime.parse(signature.getString("signedAt"))).isAfterOrEqualTo(before).isBeforeOrEqualTo(platform.databaseNow());
    assertThat(signature.getJsonObject("record")).isEqualTo(new JsonObject().put("type", "tenant-settings")
        .put("id", "tenant").put("version", settings.getInteger("version")).put("hash", settings.getString("contentHash")));
    assertThat(signature.getString("manifestation")).contains("Sven Signer").contains("UTC").contains("approved");
    assertThat(signature.getString("signatureHash")).matches("[0-9a-f]{64}");

    JsonArray shown = settings().getJsonArray("signatures");
    assertThat(shown.stream().map(s -> ((JsonObject) s).getString("id"))).contains(signature.getString("id"));
    assertThat(api.get(tenant.path("/signatures/" + signature.getString("id")), tenant.adminToken()).json())
        .isEqualTo(signature);
    JsonArray audited = api.get(tenant.path("/audit-trail/events?action=signature.applied&entityType=tenant-settings&actorId=" + signer.id()),
        tenant.adminToken()).json().getJsonArray("items");
    assertThat(audited).hasSize(1);
    assertThat(audited.getJsonObject(0).getJsonObject("after").getString("id")).isEqualTo(signature.getString("id"));
  }

  @Test
  @DisplayName("a changed record is a new version without the old signatures; the old version keeps its own; a superseded or unknown version cannot be signed (11.70)")
  void changedRecordIsANewVersion() {
    Person signer = acknowledged(qualityManager("Vera", "Version"));
    JsonObject v1 = settings();
    assertThat(sign(signer.token(platform), settingsSignature(v1, "reviewed", signer), null).status()).isEqualTo(201);

    JsonObject v2 = changeSettings(v1, "Europe/Dublin", "Cork site joins the tenant");
    assertThat(v2.getInteger("version")).isEqualTo(v1.getInteger("version") + 1);
    assertThat(v2.getJsonArray("signatures")).isEmpty();
    assertThat(v2.getString("contentHash")).isNotEqualTo(v1.getString("contentHash"));
    JsonArray ofV1 = api.get(tenant.path("/signatures?recordType=tenant-settings&recordId=tenant&recordVersion="
        + v1.getInteger("version")), tenant.adminToken()).json().getJsonArray("items");
    assertThat(ofV1.stream().map(s -> ((JsonObject) s).getJsonObject("record").getString("hash")))
        .isNotEmpty().allMatch(v1.getString("contentHash")::equals);

    Api.Response superseded = sign(signer.token(platform), settingsSignature(v1, "approved", signer), null);
    assertThat(superseded.status()).as(superseded.toString()).isEqualTo(409);
    assertThat(superseded.json().getString("type")).endsWith("/version-superseded");
    Api.Response future = sign(signer.token(platform), request("tenant-settings", "tenant", 999, "approved", signer), null);
    assertThat(future.status()).isEqualTo(404);
    Api.Response unknown = sign(signer.token(platform), request("tenant-settings", "no-such-record", 1, "approved", signer), null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(sign(signer.token(platform), settingsSignature(v2, "approved", signer), null).status()).isEqualTo(201);
  }

  @Test
  @DisplayName("a wrong password is a 401, no signature is made, and the attempt is audited")
  void wrongPassword() {
    Person signer = acknowledged(qualityManager("Walter", "Wrong"));
    JsonObject body = settingsSignature(settings(), "reviewed", signer);
    body.getJsonObject("reauthentication").put("password", "not-my-password");

    Api.Response response = sign(signer.token(platform), body, null);

    assertThat(response.status()).as(response.toString()).isEqualTo(401);
    assertThat(response.json().getString("type")).endsWith("/invalid-credentials");
    assertThat(signaturesBy(signer)).isZero();
    JsonObject event = lastEvent("signature.rejected", signer);
    assertThat(event.getJsonObject("after").getString("outcome")).isEqualTo("wrong-credentials");
    assertThat(event.getJsonObject("after").encode()).doesNotContain("not-my-password");
  }

  @Test
  @DisplayName("someone else's username and password, right or wrong, are a 403 and sign nothing")
  void anotherPersonsCredentials() {
    Person signer = acknowledged(qualityManager("Otto", "Owner"));
    Person colleague = qualityManager("Clara", "Colleague");
    JsonObject body = settingsSignature(settings(), "reviewed", signer);
    body.getJsonObject("reauthentication").put("username", colleague.username()).put("password", TestPlatform.USER_PASSWORD);

    Api.Response response = sign(signer.token(platform), body, null);
    assertThat(response.status()).as(response.toString()).isEqualTo(403);
    body.getJsonObject("reauthentication").put("password", "a-guess");
    assertThat(sign(signer.token(platform), body, null).status()).isEqualTo(403);
    assertThat(signaturesBy(signer)).isZero();
    assertThat(lastEvent("signature.rejected", signer).getJsonObject("after").getString("outcome"))
        .isEqualTo("other-users-credentials");
  }

  @Test
  @DisplayName("repeated wrong passwords lock the account (Keycloak brute-force detection): then even the right one is a 401 'account-locked', recorded as a security event (11.300(d))")
  void lockout() {
    Person signer = acknowledged(qualityManager("Lars", "Locked"));
    String token = signer.token(platform);
    JsonObject wrong = settingsSignature(settings(), "reviewed", signer);
    wrong.getJsonObject("reauthentication").put("password", "wrong-1");
    for (int attempt = 0; attempt < 3; attempt++) {
      assertThat(sign(token, wrong, null).status()).isEqualTo(401);
    }

    Api.Response right = sign(token, settingsSignature(settings(), "reviewed", signer), null);

    assertThat(right.status()).as(right.toString()).isEqualTo(401);
    assertThat(right.json().getString("type")).endsWith("/account-locked");
    assertThat(signaturesBy(signer)).isZero();
    JsonObject security = lastEvent("security.signature-lockout", signer);
    assertThat(security.getJsonObject("after").getBoolean("locked")).isTrue();
    assertThat((Boolean) platform.realm().attackDetection().bruteForceUserStatus(signer.id()).get("disabled")).isTrue();
  }

  @Test
  @DisplayName("an expired access token is a 401, whatever credentials the body carries")
  void expiredToken() throws Exception {
    Person signer = acknowledged(qualityManager("Eli", "Expired"));
    String token = shortLivedToken(signer);
    long expiry = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]))).getLong("exp");
    while (Instant.now().getEpochSecond() <= expiry + 1) {
      Thread.sleep(250); // waiting for the clock to pass the token's expiry, not for a server
    }

    Api.Response response = sign(token, settingsSignature(settings(), "reviewed", signer), null);

    assertThat(response.status()).as(response.toString()).isEqualTo(401);
    assertThat(signaturesBy(signer)).isZero();
  }

  @Test
  @DisplayName("a retry with the same Idempotency-Key returns the first signature and makes nothing new; the same key for another request is a 422")
  void idempotency() {
    Person signer = acknowledged(qualityManager("Ida", "Idempotent"));
    String key = UUID.randomUUID().toString();
    JsonObject body = settingsSignature(settings(), "reviewed", signer);

    Api.Response first = sign(signer.token(platform), body, key);
    Api.Response retry = sign(signer.token(platform), body, key);

    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
    assertThat(retry.json()).isEqualTo(first.json());
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(signaturesBy(signer)).isEqualTo(1);

    Api.Response otherRequest = sign(signer.token(platform), body.copy().put("meaning", "approved"), key);
    assertThat(otherRequest.status()).as(otherRequest.toString()).isEqualTo(422);
    assertThat(otherRequest.json().getString("type")).endsWith("/idempotency-key-reused");
    assertThat(signaturesBy(signer)).isEqualTo(1);
  }

  @Test
  @DisplayName("the browser path: a token from a login seconds old signs with method fresh-login; a password-grant token (no auth_time) cannot")
  void freshLogin() {
    Person signer = acknowledged(qualityManager("Fred", "Fresh"));
    JsonObject body = settingsSignature(settings(), "reviewed", signer);
    body.put("reauthentication", new JsonObject().put("method", "fresh-login"));

    Api.Response stale = sign(signer.token(platform), body, null);
    assertThat(stale.status()).as(stale.toString()).isEqualTo(401);
    assertThat(stale.json().getString("type")).endsWith("/reauthentication-required");

    String fresh = platform.tokens().browserLogin(signer.username(), TestPlatform.USER_PASSWORD, TestPlatform.USER_PASSWORD);
    Api.Response signed = sign(fresh, body, null);
    assertThat(signed.status()).as(signed.toString()).isEqualTo(201);
    assertThat(signed.json().getString("method")).isEqualTo("fresh-login");
  }

  @Test
  @DisplayName("meanings are configured per record type and carry the roles allowed to sign with them")
  void meaningsAndRoles() {
    Person employee = platform.newMember("Emil", "Employee", tenant);
    platform.grantRole(tenant, employee.id(), "employee");
    JsonArray meanings = api.get(tenant.path("/signature-meanings?recordType=tenant-settings"), employee.token(platform))
        .json().getJsonArray("items");
    assertThat(meanings.stream().map(m -> ((JsonObject) m).getString("meaning")))
        .containsExactlyInAnyOrder("reviewed", "approved", "verified");

    Api.Response notAllowed = sign(employee.token(platform), settingsSignature(settings(), "approved", employee), null);
    assertThat(notAllowed.status()).as(notAllowed.toString()).isEqualTo(403);
    Api.Response noSuchMeaning = sign(employee.token(platform), settingsSignature(settings(), "authored", employee), null);
    assertThat(noSuchMeaning.status()).isEqualTo(422);
    assertThat(noSuchMeaning.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/meaning");
    Api.Response noSuchType = sign(employee.token(platform), request("nonsense", "x", 1, "approved", employee), null);
    assertThat(noSuchType.status()).isEqualTo(422);
    assertThat(noSuchType.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/recordType");
    Api.Response noPassword = sign(employee.token(platform), new JsonObject().put("recordType", "tenant-settings")
        .put("recordId", "tenant").put("recordVersion", 1).put("meaning", "approved")
        .put("reauthentication", new JsonObject().put("method", "password").put("username", employee.username())), null);
    assertThat(noPassword.status()).isEqualTo(400);
  }

  @Test
  @DisplayName("a signature cannot be moved to another version: the database refuses it, and one moved behind its back no longer verifies (11.70)")
  void signatureCannotBeMoved() throws SQLException {
    TenantFixture own = platform.newTenant("moved");
    String adminToken = own.adminToken();
    Person admin = new Person(own.adminUserId(), own.adminUsername(), "Ada Admin");
    JsonObject policy = api.get(own.path("/signature-policy"), adminToken).json();
    assertThat(api.send("POST", own.path("/signatures"), adminToken, request("signature-policy", "signature-policy",
        policy.getInteger("version"), "acknowledged", admin).encode(), "application/json").status()).isEqualTo(201);
    JsonObject v1 = api.get(own.path("/settings"), adminToken).json();
    Api.Response signed = api.send("POST", own.path("/signatures"), adminToken,
        settingsSignature(v1, "approved", admin).encode(), "application/json");
    assertThat(signed.status()).as(signed.toString()).isEqualTo(201);
    Api.Response v2 = api.send("PUT", own.path("/settings"), adminToken, new JsonObject()
            .put("settings", new JsonObject().put("timeZone", "Asia/Singapore")).put("reason", "Singapore site").encode(),
        "application/json", Map.of("If-Match", "\"" + v1.getInteger("version") + "\""));
    assertThat(v2.status()).as(v2.toString()).isEqualTo(200);
    String schema = "t_" + own.slug();
    String id = signed.json().getString("id");
    String move = "UPDATE " + schema + ".signature SET record_version = " + v2.json().getInteger("version")
        + " WHERE id = '" + id + "'";

    try (Connection runtime = platform.runtimeJdbc(); Statement statement = runtime.createStatement()) {
      assertThatThrownBy(() -> statement.execute(move)).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }
    try (Connection owner = platform.jdbc(); Statement statement = owner.createStatement()) {
      assertThatThrownBy(() -> statement.execute(move)).hasMessageContaining("append-only");
      statement.execute("ALTER TABLE " + schema + ".signature DISABLE TRIGGER signature_append_only");
      statement.execute(move);
      statement.execute("ALTER TABLE " + schema + ".signature ENABLE TRIGGER signature_append_only");
    }

    JsonObject report = api.get(own.path("/audit-trail/verification"), adminToken).json();
    assertThat(report.getBoolean("intact")).isFalse();
    JsonArray broken = report.getJsonObject("signatures").getJsonArray("broken");
    assertThat(broken).hasSize(1);
    assertThat(broken.getJsonObject(0).getString("id")).isEqualTo(id);
    assertThat(report.getJsonObject("auditTrail").getBoolean("intact")).isTrue();
  }

  private static Person qualityManager(String given, String family) {
    Person person = platform.newMember(given, family, tenant);
    platform.grantRole(tenant, person.id(), "quality-manager");
    return person;
  }

  private static Person acknowledged(Person person) {
    JsonObject policy = api.get(tenant.path("/signature-policy"), person.token(platform)).json();
    Api.Response response = sign(person.token(platform), request("signature-policy", "signature-policy",
        policy.getInteger("version"), "acknowledged", person), null);
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return person;
  }

  private static JsonObject settings() {
    Api.Response response = api.get(tenant.path("/settings"), tenant.adminToken());
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private static JsonObject changeSettings(JsonObject current, String timeZone, String reason) {
    Api.Response response = api.send("PUT", tenant.path("/settings"), tenant.adminToken(), new JsonObject()
            .put("settings", current.getJsonObject("content").copy().put("timeZone", timeZone)).put("reason", reason).encode(),
        "application/json", Map.of("If-Match", "\"" + current.getInteger("version") + "\""));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private static JsonObject settingsSignature(JsonObject settings, String meaning, Person signer) {
    return request("tenant-settings", "tenant", settings.getInteger("version"), meaning, signer);
  }

  private static JsonObject request(String type, String id, int version, String meaning, Person signer) {
    return new JsonObject().put("recordType", type).put("recordId", id).put("recordVersion", version).put("meaning", meaning)
        .put("reauthentication", new JsonObject().put("method", "password").put("username", signer.username())
            .put("password", TestPlatform.USER_PASSWORD));
  }

  private static Api.Response sign(String token, JsonObject body, String idempotencyKey) {
    return api.send("POST", tenant.path("/signatures"), token, body.encode(), "application/json",
        idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
  }

  private static JsonObject lastEvent(String action, Person actor) {
    JsonArray items = api.get(tenant.path("/audit-trail/events?order=desc&limit=1&action=" + action + "&actorId=" + actor.id()),
        tenant.adminToken()).json().getJsonArray("items");
    assertThat(items).as(action + " by " + actor.username()).hasSize(1);
    return items.getJsonObject(0);
  }

  private static long signaturesBy(Person signer) {
    return platform.queryLong("SELECT count(*) FROM t_" + tenant.slug() + ".signature WHERE signer_id = '" + signer.id()
        + "' AND record_type <> 'signature-policy'");
  }




  /**
   * A token that expires two seconds after it is issued: a client made for this test (as Keycloak's master admin)
   * with a two-second access token lifespan and the API's audience.
   */
  private static String shortLivedToken(Person person) {
    String clientId = "short-lived-" + UUID.randomUUID().toString().substring(0, 8);
    ClientRepresentation client = new ClientRepresentation();
    client.setClientId(clientId);
    client.setPublicClient(true);
    client.setDirectAccessGrantsEnabled(true);
    client.setStandardFlowEnabled(false);
    client.setAttributes(Map.of("access.token.lifespan", "2"));
    ProtocolMapperRepresentation audience = new ProtocolMapperRepresentation();
    audience.setName("audience");
    audience.setProtocol("openid-connect");
    audience.setProtocolMapper("oidc-audience-mapper");
    audience.setConfig(Map.of("included.client.audience", "traceline-api", "access.token.claim", "true"));
    client.setProtocolMappers(List.of(audience));
    platform.masterAdminRealm().clients().create(client).close();
    return platform.tokens().password(clientId, person.username(), TestPlatform.USER_PASSWORD, "openid organization:*");
  }
}
