package io.traceline.platform.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.web.RoutingContext;

/**
 * Verifies the bearer access token against the realm's published keys, issuer, expiry and audience,
 * and puts the {@link Caller} on the request. Every failure is the same 401: a client learns nothing
 * about why a forged token failed.
 *
 * <p>A token that passed is remembered (by its SHA-256) until it expires, at most {@link #REMEMBERED} after it was
 * verified, so a client calling many times with one token — a kiosk or MES asking the point-of-use check hundreds of
 * times a second — costs one RSA signature verification, not one per request (it was a quarter of the CPU at 1,000
 * requests per second). Nothing is weakened: the tokens are self-contained JWTs verified locally (no introspection),
 * so a token's validity can only change by expiring, which a remembered token is checked against on every use. A
 * failed token is never remembered. The bound keeps the memory small (a digest and a caller per token).
 */
public final class BearerAuthentication implements Handler<RoutingContext> {

  private static final String PREFIX = "bearer ";

  static final Duration REMEMBERED = Duration.ofMinutes(5);
  static final int MAX_REMEMBERED = 10_000;

  private final OAuth2Auth oauth2;
  private final String audience;
  private final Clock clock;
  private final Cache<String, Verified> verified;

  /** A caller whose token was verified, and when the token expires. */
  private record Verified(Caller caller, Instant expiresAt) {
  }

  /** {@code audience}: what the token's {@code aud} claim must contain (TRACELINE_KEYCLOAK_AUDIENCE). */
  public BearerAuthentication(OAuth2Auth oauth2, String audience) {
    this.oauth2 = oauth2;
    this.audience = audience;
    this.clock = Clock.systemUTC();
    this.verified = Caffeine.newBuilder()
        .maximumSize(MAX_REMEMBERED)
        .expireAfter(Expiry.<String, Verified>creating((key, value) -> {
          Duration left = Duration.between(clock.instant(), value.expiresAt());
          return left.compareTo(REMEMBERED) < 0 ? (left.isNegative() ? Duration.ZERO : left) : REMEMBERED;
        }))
        .build();
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
    String key = digest(token);
    Verified known = verified.getIfPresent(key);
    if (known != null && known.expiresAt().isAfter(clock.instant())) {
      rc.put(Caller.KEY, known.caller());
      rc.next();
      return;
    }
    oauth2.authenticate(new TokenCredentials(token))
        .onSuccess(user -> {
          JsonObject claims = user.attributes().getJsonObject("accessToken");
          if (claims == null || !hasAudience(claims, audience)) {
            rejectToken(rc);
            return;
          }
          Caller caller = Caller.fromClaims(claims);
          if (claims.getValue("exp") instanceof Number exp) {
            verified.put(key, new Verified(caller, Instant.ofEpochSecond(exp.longValue())));
          }
          rc.put(Caller.KEY, caller);
          rc.next();
        })
        .onFailure(failure -> rejectToken(rc));
  }

  private static String digest(String token) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
  }

  /**
   * Makes the provider verify tokens locally only, after discovery filled in the realm's endpoints: a token its keys
   * cannot verify (forged, or not a JWT) would otherwise be sent to the realm's introspection or userinfo endpoint — one
   * outbound call per forged request, which an attacker could use to load the identity provider through the API. The
   * API's tokens are JWTs signed by the realm; anything else is refused here. The provider reads these options when it
   * authenticates, so this applies to the provider discovery made with them.
   */
  public static OAuth2Options verifyLocallyOnly(OAuth2Options options) {
    return options.setIntrospectionPath(null).setUserInfoPath(null);
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
