package io.traceline.platform.records;

import java.time.OffsetDateTime;

import io.traceline.platform.integrity.CanonicalJson;
import io.vertx.core.json.JsonObject;

/**
 * One version of a GxP record, as it was when it was made. {@code contentHash} is SHA-256 over the RFC 8785
 * canonical JSON of {@code {recordType, recordId, version, content}}: it names this version of this record
 * and nothing else, so a signature bound to it cannot be moved to another record or version (11.70).
 */
public record RecordVersion(String recordType, String recordId, int version, JsonObject content, String contentHash,
                            OffsetDateTime createdAt, String createdBy, String createdByName, String reason) {

  public static String hashOf(String recordType, String recordId, int version, JsonObject content) {
    return CanonicalJson.hash(new JsonObject().put("recordType", recordType).put("recordId", recordId)
        .put("version", version).put("content", content));
  }

  /** The hash recomputed from the content: differs from {@link #contentHash} when the row was altered. */
  public String computeHash() {
    return hashOf(recordType, recordId, version, content);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("recordType", recordType)
        .put("recordId", recordId)
        .put("version", version)
        .put("content", content)
        .put("contentHash", contentHash)
        .put("createdAt", CanonicalJson.timestamp(createdAt))
        .put("createdBy", new JsonObject().put("id", createdBy).put("name", createdByName))
        .put("reason", reason);
  }
}
