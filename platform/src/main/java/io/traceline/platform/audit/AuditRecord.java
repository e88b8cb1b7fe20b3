package io.traceline.platform.audit;

import java.time.OffsetDateTime;

import io.traceline.platform.integrity.CanonicalJson;
import io.vertx.core.json.JsonObject;

/**
 * An event as the trail holds it: its place in the chain ({@code seq}), the database time it was appended,
 * the event, and the hashes that chain it, both SHA-256 over RFC 8785 canonical JSON so an export can be
 * verified offline:
 * <ul>
 *   <li>{@code contentHash} over what the event says: {@code {actor, action, entity, before, after, reason, source}};</li>
 *   <li>{@code hash} over the link: {@code {contentHash, occurredAt, prevHash, seq}}, {@code prevHash} being the
 *       hash of the event before (64 zeros for the first).</li>
 * </ul>
 * The database computes the link when it appends (it owns the clock and the order); the platform computes
 * the content hash before, outside the chain's lock.
 */
public record AuditRecord(long seq, OffsetDateTime occurredAt, AuditEvent event, String prevHash, String hash) {

  /** SHA-256 of the canonical JSON of the event's content. */
  public static String contentHash(AuditEvent event) {
    return CanonicalJson.hash(content(event));
  }

  public String contentHash() {
    return contentHash(event);
  }

  /** The link hash this record should carry, recomputed from its content, time, place and predecessor. */
  public String computeHash() {
    return CanonicalJson.hash(new JsonObject().put("contentHash", contentHash()).put("occurredAt",
        CanonicalJson.timestamp(occurredAt)).put("prevHash", prevHash).put("seq", seq));
  }

  public JsonObject toJson() {
    return new JsonObject().put("seq", seq).put("occurredAt", CanonicalJson.timestamp(occurredAt))
        .mergeIn(content(event))
        .put("contentHash", contentHash())
        .put("prevHash", prevHash)
        .put("hash", hash);
  }

  private static JsonObject content(AuditEvent event) {
    AuditEvent.Source source = event.source();
    return new JsonObject()
        .put("actor", new JsonObject().put("id", event.actor().id()).put("name", event.actor().name()))
        .put("action", event.action())
        .put("entity", new JsonObject().put("type", event.entityType()).put("id", event.entityId())
            .put("version", event.entityVersion()))
        .put("before", event.before())
        .put("after", event.after())
        .put("reason", event.reason())
        .put("source", new JsonObject().put("clientId", source.clientId()).put("ip", source.ip())
            .put("forwardedFor", source.forwardedFor()).put("traceId", source.traceId()));
  }
}
