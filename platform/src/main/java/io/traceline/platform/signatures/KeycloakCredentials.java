package io.traceline.platform.signatures;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.traceline.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a signer's username and password against Keycloak at each signing (11.200(a)): the password grant
 * of a confidential client that can do nothing else. Keycloak's brute-force detection counts the failures,
 * so repeated wrong passwords lock the account. The session a successful check creates is logged out at
 * once. Non-blocking (Vert.x web client).
 */
public final class KeycloakCredentials {

  private static final Logger LOG = LoggerFactory.getLogger(KeycloakCredentials.class);

  private final WebClient web;
  private final String tokenUrl;
  private final String logoutUrl;
  private final String clientId;
  private final String clientSecret;

  public KeycloakCredentials(WebClient web, String realmUrl, String clientId, String clientSecret) {
    this.web = web;
    this.tokenUrl = realmUrl + "/protocol/openid-connect/token";
    this.logoutUrl = realmUrl + "/protocol/openid-connect/logout";
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  /** The outcome of one check: who the credentials belong to, or null when Keycloak refused them. */
  public record Verified(String subject, String username, String name) {
  }

  /**
   * Verified when the credentials are right and the account usable; a null result when Keycloak refused them
   * (wrong password, unknown user, locked or disabled account: Keycloak does not say which). A failure of
   * Keycloak itself or of the client's configuration fails with a 502 problem.
   */
  public Future<Verified> check(String username, String password) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "password").add("client_id", clientId).add("client_secret", clientSecret)
        .add("username", username).add("password", password).add("scope", "openid");
    return web.postAbs(tokenUrl).sendForm(form)
        .recover(failure -> Future.failedFuture(ProblemException.badGateway("The identity provider did not answer: "
            + failure.getMessage())))
        .compose(response -> {
          JsonObject body = parse(response.bodyAsString());
          if (response.statusCode() == 200 && body.containsKey("access_token")) {
            JsonObject claims = claims(body.getString("access_token"));
            logout(body.getString("refresh_token"));
            return Future.succeededFuture(new Verified(claims.getString("sub"), claims.getString("preferred_username"),
                claims.getString("name")));
          }
          if ("invalid_grant".equals(body.getString("error"))) {
            return Future.succeededFuture(null);
          }
          LOG.error("The signing client cannot check credentials: HTTP {} {}", response.statusCode(), body.encode());
          return Future.failedFuture(ProblemException.badGateway("The identity provider refused the signing client "
              + "(check TRACELINE_KEYCLOAK_SIGNING_CLIENT_ID and _SECRET)"));
        });
  }

  /** Ends the session the check created; a failure only leaves a session to expire on its own. */
  private void logout(String refreshToken) {
    if (refreshToken == null) {
      return;
    }
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("client_id", clientId).add("client_secret", clientSecret).add("refresh_token", refreshToken);
    web.postAbs(logoutUrl).sendForm(form)
        .onSuccess(response -> {
          if (response.statusCode() >= 300) {
            LOG.warn("Logging out a signing check's session answered HTTP {}", response.statusCode());
          }
        })
        .onFailure(failure -> LOG.warn("Logging out a signing check's session failed: {}", failure.toString()));
  }

  private static JsonObject parse(String body) {
    try {
      return body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  /** The token came straight from Keycloak over this connection, so its claims are read without re-verifying. */
  private static JsonObject claims(String jwt) {
    String[] parts = jwt.split("\\.");
    return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }
}
