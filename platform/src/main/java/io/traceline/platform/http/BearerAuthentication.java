package io.traceline.platform.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.web.RoutingContext;

/**
 * Verifies the bearer access token against the realm's published keys, issuer, expiry and audience,
 * and puts the {@link Caller} on the request. Every failure is the same 401: a client learns nothing
 * about why a forged token failed.
 */
public final class BearerAuthentication implements Handler<RoutingContext> {

  private static final String PREFIX = "bearer ";

  private final OAuth2Auth oauth2;
  private final String audience;

  /** {@code audience}: what the token's {@code aud} claim must contain (TRACELINE_KEYCLOAK_AUDIENCE). */
  public BearerAuthentication(OAuth2Auth oauth2, String audience) {
    this.oauth2 = oauth2;
    this.audience = audience;
  }

  @Override
  public void handle(RoutingContext rc) {
    String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.length() <= PREFIX.length() || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      rc.response().putHeader("WWW-Authenticate", "Bearer");
      rc.fail(ProblemException.unauthorized("Send an access token: Authorization: Bearer <token>"));
      return;
    }
    String token = header.substring(PREFIX.length()).trim();
    oauth2.authenticate(new TokenCredentials(token))
        .onSuccess(user -> {
          JsonObject claims = user.attributes().getJsonObject("accessToken");
          if (claims == null || !hasAudience(claims, audience)) {
            rejectToken(rc);
            return;
          }
          rc.put(Caller.KEY, Caller.fromClaims(claims));
          rc.next();
        })
        .onFailure(failure -> rejectToken(rc));
  }

  private static void rejectToken(RoutingContext rc) {
    rc.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    rc.fail(ProblemException.unauthorized("The access token is not valid here: expired, not signed by the "
        + "realm, or not meant for this API"));
  }

  /**
   * vertx-auth-oauth2 checks the audience only of tokens that have an {@code aud} claim, so a token of any
   * client of the realm without one (Keycloak's {@code admin-cli}, for one) would pass: require it here.
   */
  static boolean hasAudience(JsonObject claims, String audience) {
    Object aud = claims.getValue("aud");
    if (aud instanceof String single) {
      return single.equals(audience);
    }
    return aud instanceof JsonArray many && many.contains(audience);
  }

  /** The caller of a request that passed this handler. */
  public static Caller caller(RoutingContext rc) {
    return rc.get(Caller.KEY);
  }
}
