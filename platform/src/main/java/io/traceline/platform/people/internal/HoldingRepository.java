package io.traceline.platform.people.internal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * SQL of {@code person_job_role}: job roles a person holds over time (PPL-2), each the period [validFrom, validTo),
 * on the caller's connection (tenant schema). Holdings are ended, never deleted.
 */
public final class HoldingRepository {

  private static final String COLUMNS = "h.id, h.person_id, h.job_role_id, j.code, j.name, h.valid_from, h.valid_to, "
      + "h.start_reason, h.created_at, h.created_by, h.end_reason, h.ended_at, h.ended_by, "
      + "NOT " + PersonRepository.NOT_ENDED + " AS ended";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM person_job_role h JOIN job_role j ON j.id = h.job_role_id ";

  /** Every holding of the person, oldest first. */
  public Future<List<JsonObject>> list(SqlConnection connection, UUID personId) {
    return connection.preparedQuery(SELECT + "WHERE h.person_id = $1 ORDER BY h.valid_from, h.id")
        .execute(Tuple.of(personId))
        .map(HoldingRepository::toList);
  }

  public Future<JsonObject> find(SqlConnection connection, UUID personId, UUID id) {
    return connection.preparedQuery(SELECT + "WHERE h.person_id = $1 AND h.id = $2")
        .execute(Tuple.of(personId, id))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()));
  }

  /** Opens a holding; null when the person already has one of this role without an end date. */
  public Future<JsonObject> open(SqlConnection connection, UUID id, UUID personId, UUID jobRoleId, LocalDate from,
                                 String reason, String by) {
    return connection.preparedQuery("INSERT INTO person_job_role (id, person_id, job_role_id, valid_from, start_reason, "
            + "created_by) VALUES ($1, $2, $3, $4, $5, $6) "
            + "ON CONFLICT (person_id, job_role_id) WHERE valid_to IS NULL DO NOTHING RETURNING id")
        .execute(Tuple.of(id, personId, jobRoleId, from, reason, by))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : find(connection, personId, id));
  }

  /** Ends the holding at {@code to}; null when it already had an end date. */
  public Future<JsonObject> end(SqlConnection connection, UUID personId, UUID id, LocalDate to, String reason, String by) {
    return connection.preparedQuery("UPDATE person_job_role SET valid_to = $3, end_reason = $4, ended_at = now(), "
            + "ended_by = $5 WHERE person_id = $1 AND id = $2 AND valid_to IS NULL RETURNING id")
        .execute(Tuple.of(personId, id, to, reason, by))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : find(connection, personId, id));
  }

  /**
   * Ends every holding of the person without an end date at {@code to} (a holding that would only start later ends
   * when it starts: an empty period) and returns them.
   */
  public Future<List<JsonObject>> endAll(SqlConnection connection, UUID personId, LocalDate to, String reason, String by) {
    return connection.preparedQuery("WITH closed AS (UPDATE person_job_role SET valid_to = greatest(valid_from, $2), "
            + "end_reason = $3, ended_at = now(), ended_by = $4 WHERE person_id = $1 AND valid_to IS NULL RETURNING *) "
            + "SELECT " + COLUMNS + " FROM closed h JOIN job_role j ON j.id = h.job_role_id ORDER BY h.valid_from, h.id")
        .execute(Tuple.of(personId, to, reason, by))
        .map(HoldingRepository::toList);
  }

  private static List<JsonObject> toList(RowSet<Row> rows) {
    List<JsonObject> holdings = new ArrayList<>(rows.size());
    rows.forEach(row -> holdings.add(toJson(row)));
    return holdings;
  }

  private static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("personId", row.getUUID("person_id").toString())
        .put("jobRole", new JsonObject().put("id", row.getUUID("job_role_id").toString()).put("code", row.getString("code"))
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
