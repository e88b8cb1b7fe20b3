package io.traceline.platform.signatures;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import io.traceline.platform.integrity.CanonicalJson;
import io.vertx.core.json.JsonObject;

/**
 * An electronic signature (11.50, 11.70): the signer's printed name and username, the database time of
 * signing (UTC), the meaning, and the hash of the exact record version signed. {@code signatureHash} is
 * SHA-256 over the canonical JSON of all of it, so an altered or moved signature no longer verifies.
 */
public record Signature(UUID id, String recordType, String recordId, int recordVersion, String recordHash,
                        String meaning, String signerId, String signerUsername, String signerName,
                        OffsetDateTime signedAt, String method, String signatureHash) {

  private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'");

  public String computeHash() {
    return CanonicalJson.hash(manifest());
  }

  public Signature withHash() {
    return new Signature(id, recordType, recordId, recordVersion, recordHash, meaning, signerId, signerUsername,
        signerName, signedAt, method, computeHash());
  }

  /** What the signature says, as hashed. */
  private JsonObject manifest() {
    return new JsonObject()
        .put("id", id.toString())
        .put("record", new JsonObject().put("type", recordType).put("id", recordId).put("version", recordVersion)
            .put("hash", recordHash))
        .put("meaning", meaning)
        .put("signer", new JsonObject().put("id", signerId).put("username", signerUsername).put("name", signerName))
        .put("signedAt", CanonicalJson.timestamp(signedAt))
        .put("method", method);
  }

  /** The human-readable manifestation every rendering shows (11.50): name, date and time with zone, meaning. */
  public String manifestation() {
    return "Signed by " + signerName + " (" + signerUsername + ") on "
        + READABLE.format(signedAt.withOffsetSameInstant(ZoneOffset.UTC)) + ", meaning: " + meaning;
  }

  public JsonObject toJson() {
    return manifest().put("signatureHash", signatureHash).put("manifestation", manifestation());
  }
}
