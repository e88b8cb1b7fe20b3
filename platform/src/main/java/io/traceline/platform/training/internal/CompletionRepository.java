package io.traceline.platform.training.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** SQL of completion records (append-only: the database refuses UPDATE and DELETE), on the caller's connection. */
public final class CompletionRepository {

  private static final String COMPLETION = "SELECT c.id, c.assignment_id, c.person_id, p.employee_number, p.given_name, "
      + "p.family_name, c.requirement_id, c.document_id, d.number AS document_number, d.title AS document_title, "
      + "c.version_id, v.major, v.minor, c.cycle, c.method, c.result, c.score, c.pass_score, c.trained_at, c.recorded_at, "
      + "c.late, c.reason, c.trainer_id, t.given_name AS trainer_given, t.family_name AS trainer_family, "
      + "c.recorded_by, c.recorded_by_name, c.signature_id, c.attempt_id, c.evidence, c.request_hash "
      + "FROM training_completion c JOIN person p ON p.id = c.person_id JOIN document d ON d.id = c.document_id "
      + "JOIN document_version v ON v.id = c.version_id LEFT JOIN person t ON t.id = c.trainer_id ";

  /** What a completion records beyond the assignment it completes. */
  public record NewCompletion(UUID id, String result, Integer score, Integer passScore, OffsetDateTime trainedAt,
                              String reason, UUID trainerId, String recordedBy, String recordedByName, UUID signatureId,
                              UUID attemptId, JsonObject evidence, String idempotencyKey, String requestHash) {
  }

  /** Inserts the completion of {@code assignment} (as {@link TrainingRepository} reads it) and reads it back. */
  public Future<JsonObject> insert(SqlConnection connection, JsonObject assignment, NewCompletion c) {
    return connection.preparedQuery("INSERT INTO training_completion (id, assignment_id, person_id, requirement_id, "
            + "document_id, version_id, cycle, method, result, score, pass_score, trained_at, reason, trainer_id, "
            + "recorded_by, recorded_by_name, signature_id, attempt_id, evidence, idempotency_key, request_hash) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)")
        .execute(Tuple.from(new Object[] {c.id(), UUID.fromString(assignment.getString("id")),
            UUID.fromString(assignment.getJsonObject("person").getString("id")),
            assignment.getString("requirementId") == null ? null : UUID.fromString(assignment.getString("requirementId")),
            UUID.fromString(assignment.getJsonObject("document").getString("id")),
            UUID.fromString(assignment.getJsonObject("version").getString("id")), assignment.getInteger("cycle"),
            assignment.getString("method"), c.result(), c.score(), c.passScore(), c.trainedAt(), c.reason(),
            c.trainerId(), c.recordedBy(), c.recordedByName(), c.signatureId(), c.attemptId(), c.evidence(),
            c.idempotencyKey(), c.requestHash()}))
        .compose(v -> find(connection, c.id()));
  }

  public Future<JsonObject> find(SqlConnection connection, UUID id) {
    return one(connection, "WHERE c.id = $1", id);
  }

  public Future<JsonObject> ofAssignment(SqlConnection connection, UUID assignmentId) {
    return one(connection, "WHERE c.assignment_id = $1", assignmentId);
  }

  /** The completion a recorder made with this Idempotency-Key, with its {@code requestHash}; null when none. */
  public Future<JsonObject> findByKey(SqlConnection connection, String recordedBy, String key) {
    return connection.preparedQuery(COMPLETION + "WHERE c.recorded_by = $1 AND c.idempotency_key = $2")
        .execute(Tuple.of(recordedBy, key))
        .map(rows -> rows.size() == 0 ? null : toCompletion(rows.iterator().next())
            .put("requestHash", rows.iterator().next().getString("request_hash")));
  }

  /** Filters of the completion list; null matches everything. */
  public record Filter(UUID personId, UUID documentId, UUID versionId, UUID assignmentId) {
  }

  public Future<List<JsonObject>> list(SqlConnection connection, Filter f, UUID after, int limit) {
    return connection.preparedQuery(COMPLETION + "WHERE ($1::uuid IS NULL OR c.person_id = $1) "
            + "AND ($2::uuid IS NULL OR c.document_id = $2) AND ($3::uuid IS NULL OR c.version_id = $3) "
            + "AND ($4::uuid IS NULL OR c.assignment_id = $4) AND ($5::uuid IS NULL OR c.id > $5) ORDER BY c.id LIMIT $6")
        .execute(Tuple.from(new Object[] {f.personId(), f.documentId(), f.versionId(), f.assignmentId(), after, limit}))
        .map(rows -> {
          List<JsonObject> found = new ArrayList<>();
          rows.forEach(row -> found.add(toCompletion(row)));
          return found;
        });
  }

  private Future<JsonObject> one(SqlConnection connection, String where, UUID id) {
    return connection.preparedQuery(COMPLETION + where).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toCompletion(rows.iterator().next()));
  }

  private static JsonObject toCompletion(Row row) {
    UUID trainer = row.getUUID("trainer_id");
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("assignmentId", row.getUUID("assignment_id").toString())
        .put("person", TrainingRows.person(row))
        .put("requirementId", TrainingRows.id(row, "requirement_id"))
        .put("document", TrainingRows.document(row))
        .put("version", TrainingRows.version(row))
        .put("cycle", row.getInteger("cycle"))
        .put("method", row.getString("method"))
        .put("result", row.getString("result"))
        .put("score", row.getInteger("score"))
        .put("passScore", row.getInteger("pass_score"))
        .put("trainedAt", TrainingRows.time(row, "trained_at"))
        .put("recordedAt", TrainingRows.time(row, "recorded_at"))
        .put("late", row.getBoolean("late"))
        .put("reason", row.getString("reason"))
        .put("trainer", trainer == null ? null : new JsonObject().put("id", trainer.toString())
            .put("name", row.getString("trainer_given") + " " + row.getString("trainer_family")))
        .put("recordedBy", new JsonObject().put("id", row.getString("recorded_by"))
            .put("name", row.getString("recorded_by_name")))
        .put("signatureId", TrainingRows.id(row, "signature_id"))
        .put("attemptId", TrainingRows.id(row, "attempt_id"))
        .put("evidence", row.getJsonObject("evidence"));
  }
}
