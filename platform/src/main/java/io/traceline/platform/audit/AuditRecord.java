package io.traceline.platform.audit;

import java.time.OffsetDateTime;

import io.traceline.platform.integrity.CanonicalJson;
import io.vertx.core.json.JsonObject;

/**
 * An event as the trail holds it: its place in the chain ({@code seq}), the database time it was
 * appended, the event, and the hashes that chain it. {@code hash} is SHA-256 over the RFC 8785 canonical
 * form of {@link #toJson()} without the {@code hash} member, so an export can be verified offline.
 */
public record AuditRecord(long seq, OffsetDateTime occurredAt, AuditEvent event, String prevHash, String hash) {

  /** The hash this record should carry, computed from its content. */
  public String computeHash() {
    return CanonicalJson.hash(content());
  }

  public JsonObject toJson() {
    return content().put("hash", hash);
  }

  private JsonObject content() {
    AuditEvent.Source source = event.source();
    return new JsonObject()
        .put("seq", seq)
        .put("occurredAt", CanonicalJson.timestamp(occurredAt))
        .put("actor", new JsonObject().put("id", event.actor().id()).put("name", event.actor().name()))
        .put("action", event.action())
        .put("entity", new JsonObject().put("type", event.entityType()).put("id", event.entityId())
            .put("version", event.entityVersion()))
        .put("before", event.before())
        .put("after", event.after())
        .put("reason", event.reason())
        .put("source", new JsonObject().put("clientId", source.clientId()).put("ip", source.ip())
            .put("forwardedFor", source.forwardedFor()).put("traceId", source.traceId()))
        .put("prevHash", prevHash);
  }
}
