package io.traceline.platform.access;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.vertx.core.json.JsonObject;

/** One grant of an application role to a user; revoked grants remain as history. */
public record RoleGrant(UUID id, String userId, String userName, String role, OffsetDateTime grantedAt,
                        String grantedBy, String grantedByName, String reason, OffsetDateTime revokedAt,
                        String revokedBy, String revokedByName, String revokeReason) {

  public boolean active() {
    return revokedAt == null;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("userId", userId)
        .put("userName", userName)
        .put("role", role)
        .put("active", active())
        .put("grantedAt", grantedAt.toInstant().toString())
        .put("grantedBy", new JsonObject().put("id", grantedBy).put("name", grantedByName))
        .put("reason", reason)
        .put("revokedAt", revokedAt == null ? null : revokedAt.toInstant().toString())
        .put("revokedBy", revokedAt == null ? null : new JsonObject().put("id", revokedBy).put("name", revokedByName))
        .put("revokeReason", revokeReason);
  }
}
