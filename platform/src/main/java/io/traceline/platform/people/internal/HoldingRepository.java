package io.traceline.platform.people.internal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.people.HoldingKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * SQL of {@code person_job_role} and {@code person_program}: job roles a person holds and programs they work on over
 * time (PPL-2, SPN-1), each the period [validFrom, validTo), on the caller's connection (tenant schema). Holdings are
 * ended, never deleted. The two tables have the same shape; {@link HoldingKind} names which.
 */
public final class HoldingRepository {

  private static String columns(HoldingKind kind) {
    return "h.id, h.person_id, h." + kind.column() + " AS held_id, j.code, j.name, h.valid_from, h.valid_to, "
        + "h.start_reason, h.created_at, h.created_by, h.end_reason, h.ended_at, h.ended_by, "
        + "NOT " + PersonRepository.NOT_ENDED + " AS ended";
  }

  private static String select(HoldingKind kind) {
    return "SELECT " + columns(kind) + " FROM " + kind.table() + " h JOIN " + kind.structureTable() + " j ON j.id = h."
        + kind.column() + " ";
  }

  /** Every holding of the person, oldest first. */
  public Future<List<JsonObject>> list(SqlConnection connection, HoldingKind kind, UUID personId) {
    return connection.preparedQuery(select(kind) + "WHERE h.person_id = $1 ORDER BY h.valid_from, h.id")
        .execute(Tuple.of(personId))
        .map(rows -> toList(kind, rows));
  }

  public Future<JsonObject> find(SqlConnection connection, HoldingKind kind, UUID personId, UUID id) {
    return connection.preparedQuery(select(kind) + "WHERE h.person_id = $1 AND h.id = $2")
        .execute(Tuple.of(personId, id))
        .map(rows -> rows.size() == 0 ? null : toJson(kind, rows.iterator().next()));
  }

  /** Opens a holding; null when the person already has one of this role (program) without an end date. */
  public Future<JsonObject> open(SqlConnection connection, HoldingKind kind, UUID id, UUID personId, UUID heldId,
                                 LocalDate from, String reason, String by) {
    return connection.preparedQuery("INSERT INTO " + kind.table() + " (id, person_id, " + kind.column() + ", valid_from, "
            + "start_reason, created_by) VALUES ($1, $2, $3, $4, $5, $6) "
            + "ON CONFLICT (person_id, " + kind.column() + ") WHERE valid_to IS NULL DO NOTHING RETURNING id")
        .execute(Tuple.of(id, personId, heldId, from, reason, by))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : find(connection, kind, personId, id));
  }

  /** Ends the holding at {@code to}; null when it already had an end date. */
  public Future<JsonObject> end(SqlConnection connection, HoldingKind kind, UUID personId, UUID id, LocalDate to,
                                String reason, String by) {
    return connection.preparedQuery("UPDATE " + kind.table() + " SET valid_to = $3, end_reason = $4, ended_at = now(), "
            + "ended_by = $5 WHERE person_id = $1 AND id = $2 AND valid_to IS NULL RETURNING id")
        .execute(Tuple.of(personId, id, to, reason, by))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : find(connection, kind, personId, id));
  }

  /**
   * Ends every holding of the person without an end date at {@code to} (a holding that would only start later ends
   * when it starts: an empty period) and returns them.
   */
  public Future<List<JsonObject>> endAll(SqlConnection connection, HoldingKind kind, UUID personId, LocalDate to,
                                         String reason, String by) {
    return connection.preparedQuery("WITH closed AS (UPDATE " + kind.table() + " SET valid_to = greatest(valid_from, $2), "
            + "end_reason = $3, ended_at = now(), ended_by = $4 WHERE person_id = $1 AND valid_to IS NULL RETURNING *) "
            + "SELECT " + columns(kind) + " FROM closed h JOIN " + kind.structureTable() + " j ON j.id = h." + kind.column()
            + " ORDER BY h.valid_from, h.id")
        .execute(Tuple.of(personId, to, reason, by))
        .map(rows -> toList(kind, rows));
  }

  private static List<JsonObject> toList(HoldingKind kind, RowSet<Row> rows) {
    List<JsonObject> holdings = new ArrayList<>(rows.size());
    rows.forEach(row -> holdings.add(toJson(kind, row)));
    return holdings;
  }

  private static JsonObject toJson(HoldingKind kind, Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("personId", row.getUUID("person_id").toString())
        .put(kind.field(), new JsonObject().put("id", row.getUUID("held_id").toString()).put("code", row.getString("code"))
            .put("name", row.getString("name")))
        .put("validFrom", Times.date(row, "valid_from"))
        .put("validTo", Times.date(row, "valid_to"))
        .put("ended", row.getBoolean("ended"))
        .put("startReason", row.getString("start_reason"))
        .put("createdAt", Times.instant(row, "created_at"))
        .put("createdBy", row.getString("created_by"))
        .put("endReason", row.getString("end_reason"))
        .put("endedAt", Times.instant(row, "ended_at"))
        .put("endedBy", row.getString("ended_by"));
  }
}
