package io.traceline.platform.training.practical.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.training.internal.TrainingRows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * SQL of on-the-job observations, on the caller's connection. What was observed never changes (the database refuses
 * it); an observation only moves forward through its states.
 */
public final class ObservationRepository {

  private static final String OBSERVATION = "SELECT o.id, o.assignment_id, o.person_id, p.employee_number, p.given_name, "
      + "p.family_name, o.trainer_id, t.given_name AS trainer_given, t.family_name AS trainer_family, o.document_id, "
      + "d.number AS document_number, d.title AS document_title, o.version_id, v.major, v.minor, o.observed_at, o.location, "
      + "o.results, o.outcome, o.state, o.record_version, o.recorded_at, o.recorded_by, o.recorded_by_name, "
      + "o.trainer_signature_id, o.learner_signature_id, o.closed_at, o.close_reason, o.request_hash "
      + "FROM ojt_observation o JOIN person p ON p.id = o.person_id JOIN person t ON t.id = o.trainer_id "
      + "JOIN document d ON d.id = o.document_id JOIN document_version v ON v.id = o.version_id ";

  /** What a trainer recorded: the learner's assignment, when it happened and each checklist item's result. */
  public record NewObservation(UUID id, JsonObject assignment, UUID trainerId, OffsetDateTime observedAt, String location,
                               JsonArray results, String outcome, int recordVersion, String recordedBy,
                               String recordedByName, String idempotencyKey, String requestHash) {
  }

  public Future<JsonObject> insert(SqlConnection connection, NewObservation o) {
    return connection.preparedQuery("INSERT INTO ojt_observation (id, assignment_id, person_id, trainer_id, document_id, "
            + "version_id, observed_at, location, results, outcome, record_version, recorded_by, recorded_by_name, "
            + "idempotency_key, request_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
        .execute(Tuple.from(new Object[] {o.id(), UUID.fromString(o.assignment().getString("id")),
            UUID.fromString(o.assignment().getJsonObject("person").getString("id")), o.trainerId(),
            UUID.fromString(o.assignment().getJsonObject("document").getString("id")),
            UUID.fromString(o.assignment().getJsonObject("version").getString("id")), o.observedAt(), o.location(),
            o.results(), o.outcome(), o.recordVersion(), o.recordedBy(), o.recordedByName(), o.idempotencyKey(),
            o.requestHash()}))
        .compose(v -> find(connection, o.id(), false));
  }

  public Future<JsonObject> find(SqlConnection connection, UUID id, boolean lock) {
    return connection.preparedQuery(OBSERVATION + "WHERE o.id = $1" + (lock ? " FOR UPDATE OF o" : ""))
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toObservation(rows.iterator().next()));
  }

  /** The assignment's observation awaiting a signature (its trainer's or its learner's), locked; null when none. */
  public Future<JsonObject> pending(SqlConnection connection, UUID assignmentId) {
    return connection.preparedQuery(OBSERVATION + "WHERE o.assignment_id = $1 AND o.state IN ('unsigned', "
            + "'awaiting-learner') FOR UPDATE OF o")
        .execute(Tuple.of(assignmentId))
        .map(rows -> rows.size() == 0 ? null : toObservation(rows.iterator().next()));
  }

  /** The observation a trainer recorded with this Idempotency-Key, with its {@code requestHash}; null when none. */
  public Future<JsonObject> findByKey(SqlConnection connection, String recordedBy, String key) {
    return connection.preparedQuery(OBSERVATION + "WHERE o.recorded_by = $1 AND o.idempotency_key = $2")
        .execute(Tuple.of(recordedBy, key))
        .map(rows -> rows.size() == 0 ? null : toObservation(rows.iterator().next())
            .put("requestHash", rows.iterator().next().getString("request_hash")));
  }

  /** Every observation of the assignment, oldest first. */
  public Future<List<JsonObject>> ofAssignment(SqlConnection connection, UUID assignmentId) {
    return connection.preparedQuery(OBSERVATION + "WHERE o.assignment_id = $1 ORDER BY o.recorded_at, o.id")
        .execute(Tuple.of(assignmentId))
        .map(rows -> {
          List<JsonObject> found = new ArrayList<>();
          rows.forEach(row -> found.add(toObservation(row)));
          return found;
        });
  }

  /** Moves an unsigned observation to its signed state with the trainer's signature. */
  public Future<JsonObject> trainerSigned(SqlConnection connection, UUID id, String state, UUID signatureId) {
    return move(connection, "state = $2, trainer_signature_id = $3", Tuple.of(id, state, signatureId));
  }

  /** Completes an observation awaiting its learner with the learner's signature. */
  public Future<JsonObject> learnerSigned(SqlConnection connection, UUID id, UUID signatureId) {
    return move(connection, "state = 'completed', learner_signature_id = $2", Tuple.of(id, signatureId));
  }

  /** Closes the observation without completing anything ({@code withdrawn}, {@code declined}), with the reason. */
  public Future<JsonObject> close(SqlConnection connection, UUID id, String state, String reason) {
    return move(connection, "state = $2, close_reason = $3, closed_at = now()", Tuple.of(id, state, reason));
  }

  private Future<JsonObject> move(SqlConnection connection, String set, Tuple values) {
    UUID id = values.getUUID(0);
    return connection.preparedQuery("UPDATE ojt_observation SET " + set + " WHERE id = $1").execute(values)
        .compose(v -> find(connection, id, false));
  }

  private static JsonObject toObservation(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("assignmentId", row.getUUID("assignment_id").toString())
        .put("person", TrainingRows.person(row))
        .put("trainer", new JsonObject().put("id", row.getUUID("trainer_id").toString())
            .put("name", row.getString("trainer_given") + " " + row.getString("trainer_family")))
        .put("document", TrainingRows.document(row))
        .put("version", TrainingRows.version(row))
        .put("observedAt", TrainingRows.time(row, "observed_at"))
        .put("location", row.getString("location"))
        .put("items", row.getJsonArray("results"))
        .put("outcome", row.getString("outcome"))
        .put("state", row.getString("state"))
        .put("recordVersion", row.getInteger("record_version"))
        .put("recordedAt", TrainingRows.time(row, "recorded_at"))
        .put("recordedBy", new JsonObject().put("id", row.getString("recorded_by")).put("name",
            row.getString("recorded_by_name")))
        .put("trainerSignatureId", TrainingRows.id(row, "trainer_signature_id"))
        .put("learnerSignatureId", TrainingRows.id(row, "learner_signature_id"))
        .put("closedAt", TrainingRows.time(row, "closed_at"))
        .put("closeReason", row.getString("close_reason"));
  }
}
