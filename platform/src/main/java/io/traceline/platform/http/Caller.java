package io.traceline.platform.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The authenticated user of a request, read from a verified access token: subject, names, the
 * organizations (tenants) the token belongs to, and realm roles (platform-wide, e.g. platform-operator).
 */
public record Caller(String subject, String username, String name, String email, Set<String> organizations,
                     Set<String> realmRoles) {

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
        realmRoles(claims.getJsonObject("realm_access")));
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
