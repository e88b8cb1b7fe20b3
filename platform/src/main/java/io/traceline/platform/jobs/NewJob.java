package io.traceline.platform.jobs;

import java.time.Instant;

import io.vertx.core.json.JsonObject;

/**
 * A job to enqueue. {@code dedupeKey} (optional) makes the enqueue idempotent per tenant and kind: a
 * cause that fires twice names the same key and gets the same job.
 */
public record NewJob(String tenant, String kind, JsonObject payload, Instant runAt, String dedupeKey, String createdBy) {
}
