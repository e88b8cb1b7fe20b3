package io.traceline.platform.signatures;

import io.traceline.platform.integrity.CanonicalJson;
import io.vertx.core.json.JsonObject;

/**
 * What a signer asks to sign, and how they re-authenticate: {@code password} (username and password entered
 * again, checked against the identity provider) or {@code fresh-login} (the caller's token comes from a
 * login whose {@code auth_time} is seconds old, e.g. an OIDC authorization with {@code max_age=0}).
 */
public record SignatureRequest(String recordType, String recordId, int recordVersion, String meaning, String method,
                               String username, String password) {

  public static final String PASSWORD = "password";
  public static final String FRESH_LOGIN = "fresh-login";

  public static SignatureRequest fromJson(JsonObject body) {
    JsonObject reauthentication = body.getJsonObject("reauthentication", new JsonObject());
    return new SignatureRequest(body.getString("recordType"), body.getString("recordId"), body.getInteger("recordVersion"),
        body.getString("meaning"), reauthentication.getString("method"), reauthentication.getString("username"),
        reauthentication.getString("password"));
  }

  /** Identifies the request for idempotency: everything but the password. */
  public String fingerprint() {
    return CanonicalJson.hash(new JsonObject().put("recordType", recordType).put("recordId", recordId)
        .put("recordVersion", recordVersion).put("meaning", meaning).put("method", method).put("username", username));
  }

  @Override
  public String toString() {
    return "SignatureRequest[" + recordType + "/" + recordId + " v" + recordVersion + ", " + meaning + ", " + method + "]";
  }
}
