package io.traceline.platform.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
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

  public BearerAuthentication(OAuth2Auth oauth2) {
    this.oauth2 = oauth2;
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
          rc.put(Caller.KEY, Caller.fromClaims(claims(user)));
          rc.next();
        })
        .onFailure(failure -> {
          rc.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
          rc.fail(ProblemException.unauthorized("The access token is not valid here: expired, not signed by the "
              + "realm, or not meant for this API"));
        });
  }

  private static JsonObject claims(User user) {
    JsonObject decoded = user.attributes().getJsonObject("accessToken");
    return decoded != null ? decoded : user.principal();
  }

  /** The caller of a request that passed this handler. */
  public static Caller caller(RoutingContext rc) {
    return rc.get(Caller.KEY);
  }
}
