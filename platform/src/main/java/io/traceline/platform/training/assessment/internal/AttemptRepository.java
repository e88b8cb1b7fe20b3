package io.traceline.platform.training.assessment.internal;

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
 * SQL of assessment attempts, their grants and the training event outbox, on the caller's connection. An attempt row
 * holds its paper with the key ({@code paper}); services strip it before anything reaches a learner.
 */
public final class AttemptRepository {

  private static final String ATTEMPT = "SELECT id, assignment_id, person_id, attempt_no, seed, paper, pass_score, state, "
      + "started_at, submitted_at, answers, correct, score, record_version, signature_id FROM assessment_attempt ";

  /** Starts attempt {@code attemptNo}; null when another attempt of the assignment is in progress (or took the number). */
  public Future<JsonObject> insert(SqlConnection connection, UUID id, UUID assignmentId, UUID personId, int attemptNo,
                                   long seed, JsonArray paper, int passScore) {
    return connection.preparedQuery("INSERT INTO assessment_attempt (id, assignment_id, person_id, attempt_no, seed, paper, "
            + "pass_score) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id")
        .execute(Tuple.from(new Object[] {id, assignmentId, personId, attemptNo, seed, paper, passScore}))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : find(connection, id, false));
  }

  public Future<JsonObject> find(SqlConnection connection, UUID id, boolean lock) {
    return connection.preparedQuery(ATTEMPT + "WHERE id = $1" + (lock ? " FOR UPDATE" : "")).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toAttempt(rows.iterator().next()));
  }

  /** The assignment's attempts, first first. */
  public Future<List<JsonObject>> ofAssignment(SqlConnection connection, UUID assignmentId) {
    return connection.preparedQuery(ATTEMPT + "WHERE assignment_id = $1 ORDER BY attempt_no").execute(Tuple.of(assignmentId))
        .map(rows -> {
          List<JsonObject> found = new ArrayList<>();
          rows.forEach(row -> found.add(toAttempt(row)));
          return found;
        });
  }

  /** {used, allowed, inProgress}: submitted attempts, the requirement's maximum plus every grant, and the open one's id. */
  public Future<JsonObject> allowance(SqlConnection connection, UUID assignmentId, int maxAttempts) {
    return connection.preparedQuery("SELECT (SELECT count(*) FROM assessment_attempt WHERE assignment_id = $1 "
            + "AND state <> 'in-progress') AS used, (SELECT coalesce(sum(attempts), 0) FROM assessment_attempt_grant "
            + "WHERE assignment_id = $1) AS granted, (SELECT max(attempt_no) FROM assessment_attempt "
            + "WHERE assignment_id = $1) AS last, (SELECT id FROM assessment_attempt WHERE assignment_id = $1 "
            + "AND state = 'in-progress') AS open")
        .execute(Tuple.of(assignmentId))
        .map(rows -> {
          Row row = rows.iterator().next();
          UUID open = row.getUUID("open");
          return new JsonObject().put("used", row.getLong("used").intValue())
              .put("allowed", maxAttempts + row.getLong("granted").intValue())
              .put("last", row.getInteger("last") == null ? 0 : row.getInteger("last"))
              .put("inProgress", open == null ? null : open.toString());
        });
  }

  /** Records the signed submission's result: final (the database refuses any later change). */
  public Future<JsonObject> submit(SqlConnection connection, UUID id, boolean passed, JsonArray answers, int correct,
                                   int score, int recordVersion, UUID signatureId) {
    return connection.preparedQuery("UPDATE assessment_attempt SET state = $2, submitted_at = clock_timestamp(), "
            + "answers = $3, correct = $4, score = $5, record_version = $6, signature_id = $7 "
            + "WHERE id = $1 AND state = 'in-progress' RETURNING id")
        .execute(Tuple.from(new Object[] {id, passed ? "passed" : "failed", answers, correct, score, recordVersion,
            signatureId}))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : find(connection, id, false));
  }

  public Future<JsonObject> insertGrant(SqlConnection connection, UUID id, UUID assignmentId, int attempts, String reason,
                                        String grantedBy, String grantedByName) {
    return connection.preparedQuery("INSERT INTO assessment_attempt_grant (id, assignment_id, attempts, reason, granted_by, "
            + "granted_by_name) VALUES ($1, $2, $3, $4, $5, $6) RETURNING granted_at")
        .execute(Tuple.of(id, assignmentId, attempts, reason, grantedBy, grantedByName))
        .map(rows -> new JsonObject().put("id", id.toString()).put("assignmentId", assignmentId.toString())
            .put("attempts", attempts).put("reason", reason)
            .put("grantedBy", new JsonObject().put("id", grantedBy).put("name", grantedByName))
            .put("grantedAt", rows.iterator().next().getOffsetDateTime("granted_at").toInstant().toString()));
  }

  /** Writes a training event to the outbox, for notifications to deliver (mail comes later). */
  public Future<Void> insertEvent(SqlConnection connection, UUID id, String kind, UUID assignmentId, UUID personId,
                                  UUID notifyPersonId, JsonObject payload) {
    return connection.preparedQuery("INSERT INTO training_event (id, kind, assignment_id, person_id, notify_person_id, "
            + "payload) VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(id, kind, assignmentId, personId, notifyPersonId, payload))
        .mapEmpty();
  }

  private static JsonObject toAttempt(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("assignmentId", row.getUUID("assignment_id").toString())
        .put("personId", row.getUUID("person_id").toString())
        .put("attemptNo", row.getInteger("attempt_no"))
        .put("seed", row.getLong("seed"))
        .put("paper", row.getJsonArray("paper"))
        .put("passScore", row.getInteger("pass_score"))
        .put("state", row.getString("state"))
        .put("startedAt", TrainingRows.time(row, "started_at"))
        .put("submittedAt", TrainingRows.time(row, "submitted_at"))
        .put("answers", row.getJsonArray("answers"))
        .put("correct", row.getInteger("correct"))
        .put("score", row.getInteger("score"))
        .put("recordVersion", row.getInteger("record_version"))
        .put("signatureId", TrainingRows.id(row, "signature_id"));
  }
}
