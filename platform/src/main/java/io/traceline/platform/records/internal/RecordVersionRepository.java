package io.traceline.platform.records.internal;

import java.util.ArrayList;
import java.util.List;

import io.traceline.platform.records.RecordVersion;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** SQL of {@code record_version}; runs on the caller's connection, inside the tenant's schema. */
public final class RecordVersionRepository {

  private static final String COLUMNS = "record_type, record_id, version, content, content_hash, created_at, created_by, "
      + "created_by_name, reason";

  public Future<RecordVersion> latest(SqlConnection connection, String recordType, String recordId) {
    return connection.preparedQuery("SELECT " + COLUMNS + " FROM record_version WHERE record_type = $1 AND record_id = $2 "
            + "ORDER BY version DESC LIMIT 1")
        .execute(Tuple.of(recordType, recordId))
        .map(RecordVersionRepository::first);
  }

  public Future<RecordVersion> find(SqlConnection connection, String recordType, String recordId, int version) {
    return connection.preparedQuery("SELECT " + COLUMNS + " FROM record_version WHERE record_type = $1 AND record_id = $2 "
            + "AND version = $3")
        .execute(Tuple.of(recordType, recordId, version))
        .map(RecordVersionRepository::first);
  }

  /** Every version of one record, oldest first. */
  public Future<List<RecordVersion>> history(SqlConnection connection, String recordType, String recordId) {
    return connection.preparedQuery("SELECT " + COLUMNS + " FROM record_version WHERE record_type = $1 AND record_id = $2 "
            + "ORDER BY version")
        .execute(Tuple.of(recordType, recordId))
        .map(rows -> {
          List<RecordVersion> versions = new ArrayList<>(rows.size());
          rows.forEach(row -> versions.add(toVersion(row)));
          return versions;
        });
  }

  /** Inserts the version; null when it exists already. */
  public Future<RecordVersion> insert(SqlConnection connection, String recordType, String recordId, int version,
                                      JsonObject content, String hash, String createdBy, String createdByName,
                                      String reason) {
    return connection.preparedQuery("INSERT INTO record_version (record_type, record_id, version, content, content_hash, "
            + "created_by, created_by_name, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
            + "ON CONFLICT (record_type, record_id, version) DO NOTHING RETURNING " + COLUMNS)
        .execute(Tuple.tuple().addString(recordType).addString(recordId).addInteger(version).addValue(content)
            .addString(hash).addString(createdBy).addString(createdByName).addString(reason))
        .map(RecordVersionRepository::first);
  }

  /** Versions in key order after {@code after} (null: from the start). */
  public Future<List<RecordVersion>> page(SqlConnection connection, RecordVersion after, int limit) {
    Tuple params = after == null ? Tuple.of(null, null, null, limit)
        : Tuple.of(after.recordType(), after.recordId(), after.version(), limit);
    return connection.preparedQuery("SELECT " + COLUMNS + " FROM record_version "
            + "WHERE $1::text IS NULL OR (record_type, record_id, version) > ($1, $2, $3::integer) "
            + "ORDER BY record_type, record_id, version LIMIT $4")
        .execute(params)
        .map(rows -> {
          List<RecordVersion> versions = new ArrayList<>(rows.size());
          rows.forEach(row -> versions.add(toVersion(row)));
          return versions;
        });
  }

  private static RecordVersion first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : toVersion(rows.iterator().next());
  }

  private static RecordVersion toVersion(Row row) {
    Object content = row.getValue("content");
    return new RecordVersion(row.getString("record_type"), row.getString("record_id"), row.getInteger("version"),
        content instanceof JsonObject object ? object : new JsonObject().put("value", content),
        row.getString("content_hash"), row.getOffsetDateTime("created_at"), row.getString("created_by"),
        row.getString("created_by_name"), row.getString("reason"));
  }
}
