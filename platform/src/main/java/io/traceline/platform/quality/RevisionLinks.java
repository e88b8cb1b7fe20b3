package io.traceline.platform.quality;

import java.util.List;
import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.documents.VersionCauses;
import io.traceline.platform.documents.VersionEffectiveListener;
import io.traceline.platform.quality.internal.CapaRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Revisions driven by quality records (QE-5), seen from document control: a version's read model names the change
 * controls and CAPA actions that caused it, and a version becoming effective completes the document-change actions
 * that named it, in the transaction that makes it effective (the same one that enqueues its retraining fan-out).
 */
final class RevisionLinks implements VersionCauses, VersionEffectiveListener {

  private final AuditTrail audit;
  private final CapaRepository capas = new CapaRepository();

  RevisionLinks(AuditTrail audit) {
    this.audit = audit;
  }

  @Override
  public Future<JsonArray> causesOf(SqlConnection connection, UUID versionId) {
    return capas.linksOfVersion(connection, versionId).map(links -> {
      JsonArray causes = new JsonArray();
      links.stream().map(JsonObject.class::cast)
          .forEach(link -> causes.add(link.getJsonObject("cause").copy().put("reason", link.getString("reason"))
              .put("linkedAt", link.getString("linkedAt"))));
      return causes;
    });
  }

  @Override
  public Future<Void> versionEffective(SqlConnection connection, String tenant, JsonObject version,
                                       boolean hasEarlierVersions) {
    UUID versionId = UUID.fromString(version.getString("id"));
    return capas.openActionsOfVersion(connection, versionId).compose(actions -> complete(connection, version, actions, 0));
  }

  private Future<Void> complete(SqlConnection connection, JsonObject version, List<JsonObject> actions, int next) {
    if (next == actions.size()) {
      return Future.succeededFuture();
    }
    JsonObject before = actions.get(next);
    UUID actionId = UUID.fromString(before.getString("id"));
    return capas.closeAction(connection, actionId, "completed", AuditEvent.Actor.SYSTEM.id(), AuditEvent.Actor.SYSTEM.name(),
            "Revision " + version.getString("version") + " became effective")
        .compose(moved -> !moved ? Future.<Void>succeededFuture()
            : capas.action(connection, null, actionId, false).compose(after -> audit.record(connection,
                AuditEvent.of(AuditEvent.Actor.SYSTEM, AuditEvent.Source.NONE, "capa-action.completed",
                        CapaService.ACTION_TYPE, actionId.toString()).withValues(before, after)
                    .withReason("Completed by itself: the revision it drives (version " + version.getString("version")
                        + ") became effective; its retraining follows from the matrix")).mapEmpty()))
        .compose(v -> complete(connection, version, actions, next + 1));
  }
}
