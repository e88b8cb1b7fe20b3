package io.traceline.platform.jobs;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.vertx.core.json.JsonObject;

/** A durable unit of scheduled work (a row of {@code control.job}). */
public record Job(UUID id, String tenant, String kind, JsonObject payload, OffsetDateTime runAt, String state,
                  Integer chunksTotal, String lastError, OffsetDateTime createdAt, OffsetDateTime plannedAt,
                  OffsetDateTime finishedAt, String createdBy) {
}
