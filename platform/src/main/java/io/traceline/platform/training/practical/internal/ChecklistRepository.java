package io.traceline.platform.training.practical.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.training.internal.TrainingRows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** SQL of on-the-job checklists (one per document version), on the caller's connection. */
public final class ChecklistRepository {

  private static final String ITEM = "SELECT i.id, i.document_id, i.version_id, v.major, v.minor, i.text, i.criteria, "
      + "i.position, i.origin_item_id, i.origin_version_id, ov.major AS origin_major, ov.minor AS origin_minor, i.active, "
      + "i.revision, i.created_at, i.created_by, i.updated_at, i.retired_at, i.retire_reason FROM ojt_checklist_item i "
      + "JOIN document_version v ON v.id = i.version_id LEFT JOIN document_version ov ON ov.id = i.origin_version_id ";

  /** Appends an item at the end of the version's checklist; {@code origin} (item, version) is null for a new one. */
  public Future<JsonObject> insert(SqlConnection connection, UUID id, UUID documentId, UUID versionId, JsonObject item,
                                   UUID originItemId, UUID originVersionId, String createdBy) {
    return connection.preparedQuery("INSERT INTO ojt_checklist_item (id, document_id, version_id, text, criteria, position, "
            + "origin_item_id, origin_version_id, created_by) "
            + "SELECT $1, $2, $3, $4, $5, coalesce(max(position), 0) + 1, $6, $7, $8 FROM ojt_checklist_item "
            + "WHERE version_id = $3")
        .execute(Tuple.from(new Object[] {id, documentId, versionId, item.getString("text"), item.getString("criteria"),
            originItemId, originVersionId, createdBy}))
        .compose(v -> find(connection, id, false));
  }

  public Future<JsonObject> find(SqlConnection connection, UUID id, boolean lock) {
    return connection.preparedQuery(ITEM + "WHERE i.id = $1" + (lock ? " FOR UPDATE OF i" : ""))
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toItem(rows.iterator().next()));
  }

  /** The version's checklist in its order; {@code active} null for all, true for the items in use. */
  public Future<List<JsonObject>> ofVersion(SqlConnection connection, UUID versionId, Boolean active) {
    return connection.preparedQuery(ITEM + "WHERE i.version_id = $1 AND ($2::boolean IS NULL OR i.active = $2) "
            + "ORDER BY i.position")
        .execute(Tuple.of(versionId, active))
        .map(ChecklistRepository::toList);
  }

  /** The active items of {@code fromVersion} not yet carried into {@code toVersion}. */
  public Future<List<JsonObject>> notYetCarried(SqlConnection connection, UUID fromVersion, UUID toVersion) {
    return connection.preparedQuery(ITEM + "WHERE i.version_id = $1 AND i.active AND NOT EXISTS (SELECT 1 "
            + "FROM ojt_checklist_item c WHERE c.version_id = $2 AND c.origin_item_id = i.id) ORDER BY i.position")
        .execute(Tuple.of(fromVersion, toVersion))
        .map(ChecklistRepository::toList);
  }

  public Future<JsonObject> update(SqlConnection connection, UUID id, JsonObject item) {
    return connection.preparedQuery("UPDATE ojt_checklist_item SET text = $2, criteria = $3, revision = revision + 1, "
            + "updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, item.getString("text"), item.getString("criteria")))
        .compose(v -> find(connection, id, false));
  }

  public Future<JsonObject> retire(SqlConnection connection, UUID id, String reason) {
    return connection.preparedQuery("UPDATE ojt_checklist_item SET active = false, retired_at = now(), retire_reason = $2, "
            + "revision = revision + 1, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, reason))
        .compose(v -> find(connection, id, false));
  }

  private static List<JsonObject> toList(RowSet<Row> rows) {
    List<JsonObject> found = new ArrayList<>();
    rows.forEach(row -> found.add(toItem(row)));
    return found;
  }

  private static JsonObject toItem(Row row) {
    UUID origin = row.getUUID("origin_item_id");
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("documentId", row.getUUID("document_id").toString())
        .put("versionId", row.getUUID("version_id").toString())
        .put("version", row.getInteger("major") + "." + row.getInteger("minor"))
        .put("text", row.getString("text"))
        .put("criteria", row.getString("criteria"))
        .put("position", row.getInteger("position"))
        .put("carriedFrom", origin == null ? null : new JsonObject().put("itemId", origin.toString())
            .put("versionId", row.getUUID("origin_version_id").toString())
            .put("version", row.getInteger("origin_major") + "." + row.getInteger("origin_minor")))
        .put("active", row.getBoolean("active"))
        .put("revision", row.getInteger("revision"))
        .put("createdAt", TrainingRows.time(row, "created_at"))
        .put("createdBy", row.getString("created_by"))
        .put("updatedAt", TrainingRows.time(row, "updated_at"))
        .put("retiredAt", TrainingRows.time(row, "retired_at"))
        .put("retireReason", row.getString("retire_reason"));
  }
}
