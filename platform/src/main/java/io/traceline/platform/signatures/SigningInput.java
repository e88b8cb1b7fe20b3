package io.traceline.platform.signatures;

import java.util.List;

import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** What every signing endpoint checks before it signs: complete credentials, and a well-formed Idempotency-Key. */
public final class SigningInput {

  private SigningInput() {
  }

  /** A 400 problem when a password re-authentication lacks the username or the password. */
  public static void requireCredentials(JsonObject reauthentication) {
    if (SignatureRequest.PASSWORD.equals(reauthentication.getString("method"))
        && (reauthentication.getString("username") == null || reauthentication.getString("password") == null)) {
      throw ProblemException.badRequest("Signing with a password needs the username and the password",
          List.of(new Problem.FieldError("/reauthentication", "username and password are required")));
    }
  }

  /** The request's Idempotency-Key (null when absent); a 400 problem when it is blank or longer than 200 characters. */
  public static String idempotencyKey(RoutingContext rc) {
    String key = rc.request().getHeader("Idempotency-Key");
    if (key != null && (key.isBlank() || key.length() > 200)) {
      throw ProblemException.badRequest("An Idempotency-Key has 1 to 200 characters",
          List.of(new Problem.FieldError("Idempotency-Key", "1 to 200 characters")));
    }
    return key;
  }
}
