package io.traceline.platform.access;

import java.time.OffsetDateTime;

import io.traceline.platform.integrity.CanonicalJson;
import io.vertx.core.json.JsonObject;

/** A user as the tenant knows them: active or deactivated (TEN-4), with the username they first used. */
public record AppUser(String userId, String username, String name, boolean active, OffsetDateTime firstSeenAt,
                      OffsetDateTime statusChangedAt, String statusChangedBy, String statusChangedByName,
                      String statusReason) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("userId", userId)
        .put("username", username)
        .put("name", name)
        .put("active", active)
        .put("firstSeenAt", CanonicalJson.timestamp(firstSeenAt))
        .put("statusChangedAt", CanonicalJson.timestamp(statusChangedAt))
        .put("statusChangedBy", statusChangedBy == null ? null
            : new JsonObject().put("id", statusChangedBy).put("name", statusChangedByName))
        .put("statusReason", statusReason);
  }
}
