package io.traceline.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Bearer tokens must name the API as their audience")
class BearerAuthenticationTest {

  private static final String API = "traceline-api";

  @Test
  @DisplayName("an aud claim naming the API, alone or among others, is accepted")
  void accepted() {
    assertThat(BearerAuthentication.hasAudience(new JsonObject().put("aud", API), API)).isTrue();
    assertThat(BearerAuthentication.hasAudience(new JsonObject().put("aud", new JsonArray().add("account").add(API)), API))
        .isTrue();
  }

  @Test
  @DisplayName("a token without an aud claim, with an empty one or one for other audiences is refused")
  void refused() {
    assertThat(BearerAuthentication.hasAudience(new JsonObject().put("azp", "admin-cli"), API)).isFalse();
    assertThat(BearerAuthentication.hasAudience(new JsonObject().putNull("aud"), API)).isFalse();
    assertThat(BearerAuthentication.hasAudience(new JsonObject().put("aud", new JsonArray()), API)).isFalse();
    assertThat(BearerAuthentication.hasAudience(new JsonObject().put("aud", "account"), API)).isFalse();
    assertThat(BearerAuthentication.hasAudience(new JsonObject().put("aud", new JsonArray().add("account")), API)).isFalse();
    assertThat(BearerAuthentication.hasAudience(new JsonObject().put("aud", "traceline-api-other"), API)).isFalse();
    assertThat(BearerAuthentication.hasAudience(new JsonObject().put("aud", 42), API)).isFalse();
  }
}
