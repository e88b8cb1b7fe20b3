package io.traceline.platform.audit;

import java.util.Objects;

import io.traceline.platform.http.Caller;
import io.traceline.platform.http.RequestOrigin;
import io.vertx.core.json.JsonObject;

/**
 * One change to record in the audit trail: who did what to which entity (and which version of it), the
 * values before and after, why, and from where. The time is never the caller's: the database's clock
 * stamps the event when it joins the chain.
 */
public record AuditEvent(Actor actor, String action, String entityType, String entityId, Integer entityVersion,
                         JsonObject before, JsonObject after, String reason, Source source) {

  public AuditEvent {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(entityType, "entityType");
    Objects.requireNonNull(entityId, "entityId");
    source = source == null ? Source.NONE : source;
  }

  /** An event with no version, values or reason yet; add them with the {@code with…} copies. */
  public static AuditEvent of(Actor actor, Source source, String action, String entityType, String entityId) {
    return new AuditEvent(actor, action, entityType, entityId, null, null, null, null, source);
  }

  public AuditEvent withVersion(Integer version) {
    return new AuditEvent(actor, action, entityType, entityId, version, before, after, reason, source);
  }

  public AuditEvent withValues(JsonObject beforeValue, JsonObject afterValue) {
    return new AuditEvent(actor, action, entityType, entityId, entityVersion, beforeValue, afterValue, reason, source);
  }

  public AuditEvent withReason(String why) {
    return new AuditEvent(actor, action, entityType, entityId, entityVersion, before, after, why, source);
  }

  /** Who: the identity provider's subject and the printed name at the time. */
  public record Actor(String id, String name) {

    /** The platform itself (initial records, scheduled work). */
    public static final Actor SYSTEM = new Actor("system:traceline", "Traceline");

    public Actor {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
    }

    public static Actor of(Caller caller) {
      return new Actor(caller.subject(), caller.name());
    }
  }

  /** From where: OAuth client, peer address, X-Forwarded-For as received, trace id. */
  public record Source(String clientId, String ip, String forwardedFor, String traceId) {

    public static final Source NONE = new Source(null, null, null, null);

    public static Source of(RequestOrigin origin) {
      return new Source(origin.clientId(), origin.ip(), origin.forwardedFor(), origin.traceId());
    }
  }
}
