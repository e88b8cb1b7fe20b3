package io.traceline.platform.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Deactivating a user refuses their next request; a username never passes to another person (TEN-4, 11.10(d), 11.100)")
class UserDeactivationIT {

  private static TestPlatform platform;
  private static Api api;
  private static TenantFixture tenant;

  @BeforeAll
  static void tenant() {
    platform = TestPlatform.get();
    api = platform.api();
    tenant = platform.newTenant("deact");
  }

  @Test
  @DisplayName("the deactivated user's still-valid token is refused at the next request, in this tenant only, until they are reactivated; both are audited")
  void deactivateAndReactivate() {
    TenantFixture other = platform.newTenant("deactb");
    Person worker = platform.newMember("Dora", "Deactivated", tenant, other);
    platform.grantRole(tenant, worker.id(), "employee");
    String token = worker.token(platform);
    assertThat(api.get(tenant.path("/me"), token).status()).isEqualTo(200);

    Api.Response deactivated = api.post(tenant.path("/users/" + worker.id() + "/deactivation"), tenant.adminToken(),
        new JsonObject().put("reason", "Left the company on 2026-11-20"));
    assertThat(deactivated.status()).as(deactivated.toString()).isEqualTo(200);
    assertThat(deactivated.json().getBoolean("active")).isFalse();

    Api.Response refused = api.get(tenant.path("/me"), token);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("type")).endsWith("/user-deactivated");
    assertThat(api.get(tenant.path("/settings"), token).status()).isEqualTo(403);
    assertThat(api.get(other.path("/me"), token).status()).as("another tenant is not affected").isEqualTo(200);

    JsonObject event = api.get(tenant.path("/audit-trail/events?action=user.deactivated&entityId=" + worker.id()),
        tenant.adminToken()).json().getJsonArray("items").getJsonObject(0);
    assertThat(event.getString("reason")).isEqualTo("Left the company on 2026-11-20");
    assertThat(event.getJsonObject("before").getBoolean("active")).isTrue();
    assertThat(event.getJsonObject("after").getBoolean("active")).isFalse();

    assertThat(api.post(tenant.path("/users/" + worker.id() + "/reactivation"), tenant.adminToken(),
        new JsonObject().put("reason", "Rehired")).status()).isEqualTo(200);
    assertThat(api.get(tenant.path("/me"), token).status()).isEqualTo(200);
    JsonArray listed = api.get(tenant.path("/users?active=true"), tenant.adminToken()).json().getJsonArray("items");
    assertThat(listed.stream().map(u -> ((JsonObject) u).getString("userId"))).contains(worker.id());
  }

  @Test
  @DisplayName("a member who never used the tenant can be deactivated before their first request")
  void deactivateBeforeFirstUse() {
    Person newcomer = platform.newMember("Nico", "Newcomer", tenant);
    assertThat(api.post(tenant.path("/users/" + newcomer.id() + "/deactivation"), tenant.adminToken(),
        new JsonObject().put("reason", "Offer withdrawn")).status()).isEqualTo(200);
    assertThat(api.get(tenant.path("/me"), newcomer.token(platform)).status()).isEqualTo(403);
  }

  @Test
  @DisplayName("deactivation needs a reason (422), the tenant-admin role (403), someone else (409), and a member (422)")
  void rules() {
    Person worker = platform.newMember("Rita", "Rules", tenant);
    platform.grantRole(tenant, worker.id(), "supervisor");
    String path = tenant.path("/users/" + worker.id() + "/deactivation");

    Api.Response noReason = api.post(path, tenant.adminToken(), new JsonObject());
    assertThat(noReason.status()).isEqualTo(422);
    assertThat(noReason.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/reason");
    assertThat(api.post(tenant.path("/users/" + tenant.adminUserId() + "/deactivation"), worker.token(platform),
        new JsonObject().put("reason", "Coup")).status()).isEqualTo(403);
    assertThat(api.post(tenant.path("/users/" + tenant.adminUserId() + "/deactivation"), tenant.adminToken(),
        new JsonObject().put("reason", "Myself")).status()).isEqualTo(409);
    assertThat(api.post(tenant.path("/users/" + java.util.UUID.randomUUID() + "/deactivation"), tenant.adminToken(),
        new JsonObject().put("reason", "Nobody")).status()).isEqualTo(422);
    assertThat(api.get(tenant.path("/me"), worker.token(platform)).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a username the tenant knows as one person's is refused for anyone else, even after the identity provider reissued it (11.100(a))")
  void usernameNeverReused() {
    Person first = platform.newMember("Sam", "Original", tenant);
    assertThat(api.get(tenant.path("/me"), first.token(platform)).status()).isEqualTo(200);
    platform.realm().users().get(first.id()).remove();

    String secondId = platform.newUser(first.username(), "Sam", "Impostor", tenant);
    assertThat(secondId).isNotEqualTo(first.id());
    Api.Response refused = api.get(tenant.path("/me"), platform.tokens().password(first.username(), TestPlatform.USER_PASSWORD));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(refused.json().getString("type")).endsWith("/username-reused");
    Api.Response grant = api.post(tenant.path("/role-grants"), tenant.adminToken(), new JsonObject().put("userId", secondId)
        .put("role", "employee").put("reason", "Should not pass"));
    assertThat(grant.status()).isEqualTo(422);
  }
}
