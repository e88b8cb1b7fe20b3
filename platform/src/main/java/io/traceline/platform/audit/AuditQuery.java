package io.traceline.platform.audit;

import java.time.OffsetDateTime;

/** Filters of an audit trail search; null matches everything. {@code from} is inclusive, {@code to} exclusive. */
public record AuditQuery(String entityType, String entityId, String actorId, String action, OffsetDateTime from,
                         OffsetDateTime to, boolean descending) {
}
