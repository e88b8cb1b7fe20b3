package io.traceline.platform.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The authenticated user of a request, read from a verified access token: subject, names, the
 * organizations (tenants) the token belongs to, realm roles (platform-wide, e.g. platform-operator), the OAuth
 * client the token was issued to, and when the user last authenticated (epoch seconds; null when unknown).
 */
public record Caller(String subject, String username, String name, String email, Set<String> organizations,
                     Set<String> realmRoles, String clientId, Long authTime) {

  public static final String KEY = "traceline.caller";
  public static final String PLATFORM_OPERATOR = "platform-operator";

  public boolean belongsTo(String tenant) {
    return organizations.contains(tenant);
  }

  public boolean isPlatformOperator() {
    return realmRoles.contains(PLATFORM_OPERATOR);
  }

  /** Reads the claims Keycloak puts in an access token. */
  public static Caller fromClaims(JsonObject claims) {
    String subject = claims.getString("sub");
    String username = claims.getString("preferred_username", subject);
    String name = claims.getString("name");
    if (name == null || name.isBlank()) {
      String given = claims.getString("given_name", "");
      String family = claims.getString("family_name", "");
      name = (given + " " + family).isBlank() ? username : (given + " " + family).trim();
    }
    return new Caller(subject, username, name, claims.getString("email"), organizations(claims.getValue("organization")),
        realmRoles(claims.getJsonObject("realm_access")), claims.getString("azp"),
        // auth_time: when the user last entered their credentials (browser logins only; a password grant has none).
        claims.getValue("auth_time") instanceof Number seconds ? seconds.longValue() : null);
  }

  /**
   * The {@code organization} claim is a list of aliases, or an object keyed by alias when Keycloak's
   * mapper adds organization ids; accept both.
   */
  private static Set<String> organizations(Object claim) {
    if (claim instanceof JsonArray array) {
      List<String> aliases = new ArrayList<>();
      array.forEach(alias -> aliases.add(String.valueOf(alias)));
      return Set.copyOf(aliases);
    }
    if (claim instanceof JsonObject object) {
      return Set.copyOf(object.fieldNames());
    }
    if (claim instanceof String single) {
      return Set.of(single);
    }
    return Set.of();
  }

  private static Set<String> realmRoles(JsonObject realmAccess) {
    if (realmAccess == null || realmAccess.getJsonArray("roles") == null) {
      return Set.of();
    }
    List<String> roles = new ArrayList<>();
    realmAccess.getJsonArray("roles").forEach(role -> roles.add(String.valueOf(role)));
    return Set.copyOf(roles);
  }
}
