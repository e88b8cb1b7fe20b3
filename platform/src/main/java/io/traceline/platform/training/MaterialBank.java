package io.traceline.platform.training;

import java.util.List;
import java.util.UUID;

import io.traceline.platform.http.Caller;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Training material kept per document version as a list of entries (an assessment's questions, an on-the-job
 * checklist's items): read by its keepers, changed with If-Match and a reason, retired rather than deleted, carried
 * forward from an earlier version of the same document. Each entry carries its {@code revision} (the ETag).
 */
public interface MaterialBank {

  Future<List<JsonObject>> list(TenantContext tenant, Caller caller, UUID documentId, UUID versionId, Boolean active);

  Future<JsonObject> get(TenantContext tenant, Caller caller, UUID documentId, UUID versionId, UUID entryId);

  Future<JsonObject> create(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId, UUID versionId,
                            JsonObject body, String reason);

  Future<JsonObject> update(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId, UUID versionId,
                            UUID entryId, int expected, JsonObject changes, String reason);

  Future<JsonObject> retire(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId, UUID versionId,
                            UUID entryId, String reason);

  Future<List<JsonObject>> carryForward(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                        UUID versionId, UUID fromVersionId, String reason);
}
