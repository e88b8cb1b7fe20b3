package io.traceline.platform.training.practical;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.traceline.platform.access.ApplicationRole;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.IfMatch;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.training.InOrder;
import io.traceline.platform.training.MaterialBank;
import io.traceline.platform.training.VersionMaterial;
import io.traceline.platform.training.practical.internal.ChecklistRepository;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The on-the-job checklist of a document version (TRN-1): what a trainer must see the learner do, item by item. Kept by
 * document authors and quality staff like an assessment's question bank: changed with If-Match and a reason, retired
 * (never deleted), carried forward from an earlier version (copies naming where they came from, then edited freely);
 * every change audited with the values before and after. Trainers read it too: they observe against it.
 */
public final class ChecklistService implements MaterialBank {

  static final String RECORD_TYPE = "ojt-checklist-item";
  static final Set<String> WRITERS = Set.of(ApplicationRole.DOCUMENT_AUTHOR.id(), ApplicationRole.QUALITY_MANAGER.id(),
      ApplicationRole.TRAINING_ADMIN.id());
  static final Set<String> READERS = Set.of(ApplicationRole.DOCUMENT_AUTHOR.id(), ApplicationRole.QUALITY_MANAGER.id(),
      ApplicationRole.TRAINING_ADMIN.id(), ApplicationRole.TENANT_ADMIN.id(), ApplicationRole.AUDITOR.id(),
      ApplicationRole.TRAINER.id());
  private static final String MATERIAL = "checklist";

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final ChecklistRepository items = new ChecklistRepository();

  public ChecklistService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
  }

  public Future<List<JsonObject>> list(TenantContext tenant, Caller caller, UUID documentId, UUID versionId, Boolean active) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), READERS)
        .compose(v -> VersionMaterial.state(connection, documentId, versionId))
        .compose(state -> items.ofVersion(connection, versionId, active)));
  }

  public Future<JsonObject> get(TenantContext tenant, Caller caller, UUID documentId, UUID versionId, UUID itemId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), READERS)
        .compose(v -> existing(connection, documentId, versionId, itemId, false)));
  }

  public Future<JsonObject> create(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                   UUID versionId, JsonObject body, String reason) {
    JsonObject item = normalized(body);
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), WRITERS)
        .compose(v -> VersionMaterial.requireOpen(connection, documentId, versionId, MATERIAL))
        .compose(v -> items.insert(connection, Ids.newId(), documentId, versionId, item, null, null, caller.subject()))
        .compose(created -> audit.record(connection, event(caller, origin, "ojt-checklist-item.created", created)
                .withValues(null, created).withReason(reason))
            .map(created)));
  }

  public Future<JsonObject> update(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                   UUID versionId, UUID itemId, int expected, JsonObject changes, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), WRITERS)
        .compose(v -> VersionMaterial.requireOpen(connection, documentId, versionId, MATERIAL))
        .compose(v -> existing(connection, documentId, versionId, itemId, true))
        .compose(before -> {
          IfMatch.check(before.getInteger("revision"), expected, "the checklist item");
          if (!before.getBoolean("active")) {
            return Future.failedFuture(ProblemException.conflict("The checklist item is retired: it does not change"));
          }
          JsonObject merged = new JsonObject().put("text", changes.getString("text", before.getString("text")))
              .put("criteria", changes.containsKey("criteria") ? changes.getString("criteria") : before.getString("criteria"));
          return items.update(connection, itemId, normalized(merged))
              .compose(after -> audit.record(connection, event(caller, origin, "ojt-checklist-item.updated", after)
                      .withValues(before, after).withReason(reason))
                  .map(after));
        }));
  }

  public Future<JsonObject> retire(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                   UUID versionId, UUID itemId, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), WRITERS)
        .compose(v -> VersionMaterial.requireOpen(connection, documentId, versionId, MATERIAL))
        .compose(v -> existing(connection, documentId, versionId, itemId, true))
        .compose(before -> !before.getBoolean("active")
            ? Future.failedFuture(ProblemException.conflict("The checklist item is already retired"))
            : items.retire(connection, itemId, reason)
                .compose(after -> audit.record(connection, event(caller, origin, "ojt-checklist-item.retired", after)
                        .withValues(before, after).withReason(reason))
                    .map(after))));
  }

  /**
   * Copies the active items of an earlier version of the same document into this version's checklist, each naming the
   * item and version it came from; an item already carried is not copied again. Returns the copies.
   */
  public Future<List<JsonObject>> carryForward(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                               UUID versionId, UUID fromVersionId, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), WRITERS)
        .compose(v -> VersionMaterial.requireOpen(connection, documentId, versionId, MATERIAL))
        .compose(v -> VersionMaterial.requireSource(connection, documentId, versionId, fromVersionId, MATERIAL))
        .compose(v -> items.notYetCarried(connection, fromVersionId, versionId))
        .compose(originals -> InOrder.each(originals, original -> items.insert(connection, Ids.newId(), documentId,
                versionId, original, UUID.fromString(original.getString("id")),
                UUID.fromString(original.getString("versionId")), caller.subject())
            .compose(copy -> audit.record(connection, event(caller, origin, "ojt-checklist-item.carried-forward", copy)
                    .withValues(null, copy).withReason(reason))
                .map(copy)))));
  }

  /** The item as stored ({text, criteria}), or a 422 listing every problem. */
  private static JsonObject normalized(JsonObject item) {
    List<Problem.FieldError> errors = new ArrayList<>();
    String text = blankToNull(item.getString("text"));
    String criteria = blankToNull(item.getString("criteria"));
    if (text == null) {
      errors.add(new Problem.FieldError("/text", "what the learner must do is required"));
    } else if (text.length() > 1000) {
      errors.add(new Problem.FieldError("/text", "at most 1000 characters"));
    }
    if (criteria != null && criteria.length() > 4000) {
      errors.add(new Problem.FieldError("/criteria", "at most 4000 characters"));
    }
    if (!errors.isEmpty()) {
      throw ProblemException.unprocessable("The checklist item is not valid", errors);
    }
    return new JsonObject().put("text", text).put("criteria", criteria);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private Future<JsonObject> existing(SqlConnection connection, UUID documentId, UUID versionId, UUID itemId, boolean lock) {
    return items.find(connection, itemId, lock).compose(found -> found != null
        && found.getString("versionId").equals(versionId.toString()) && found.getString("documentId").equals(documentId.toString())
        ? Future.succeededFuture(found)
        : Future.failedFuture(ProblemException.notFound("No item " + itemId + " in this version's checklist")));
  }

  private static AuditEvent event(Caller caller, RequestOrigin origin, String action, JsonObject item) {
    return AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin), action, RECORD_TYPE,
        item.getString("id")).withVersion(item.getInteger("revision"));
  }
}
