package io.traceline.platform.training.assessment.internal;

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

/** SQL of assessment question banks, on the caller's connection. Rows carry the key: never hand them to a learner. */
public final class QuestionRepository {

  private static final String QUESTION = "SELECT q.id, q.document_id, q.version_id, v.major, v.minor, q.kind, q.scenario, "
      + "q.prompt, q.options, q.position, q.origin_question_id, q.origin_version_id, ov.major AS origin_major, "
      + "ov.minor AS origin_minor, q.active, q.revision, q.created_at, q.created_by, q.updated_at, q.retired_at, "
      + "q.retire_reason FROM assessment_question q JOIN document_version v ON v.id = q.version_id "
      + "LEFT JOIN document_version ov ON ov.id = q.origin_version_id ";

  /** Appends a question at the end of the version's bank; {@code origin} (question, version) is null for a new one. */
  public Future<JsonObject> insert(SqlConnection connection, UUID id, UUID documentId, UUID versionId, JsonObject q,
                                   UUID originQuestionId, UUID originVersionId, String createdBy) {
    return connection.preparedQuery("INSERT INTO assessment_question (id, document_id, version_id, kind, scenario, prompt, "
            + "options, position, origin_question_id, origin_version_id, created_by) "
            + "SELECT $1, $2, $3, $4, $5, $6, $7, coalesce(max(position), 0) + 1, $8, $9, $10 "
            + "FROM assessment_question WHERE version_id = $3")
        .execute(Tuple.from(new Object[] {id, documentId, versionId, q.getString("kind"), q.getString("scenario"),
            q.getString("prompt"), q.getJsonArray("options"), originQuestionId, originVersionId, createdBy}))
        .compose(v -> find(connection, id, false));
  }

  public Future<JsonObject> find(SqlConnection connection, UUID id, boolean lock) {
    return connection.preparedQuery(QUESTION + "WHERE q.id = $1" + (lock ? " FOR UPDATE OF q" : ""))
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toQuestion(rows.iterator().next()));
  }

  /** The version's bank in its order; {@code active} null for all, true for the questions in use. */
  public Future<List<JsonObject>> ofVersion(SqlConnection connection, UUID versionId, Boolean active) {
    return connection.preparedQuery(QUESTION + "WHERE q.version_id = $1 AND ($2::boolean IS NULL OR q.active = $2) "
            + "ORDER BY q.position")
        .execute(Tuple.of(versionId, active))
        .map(QuestionRepository::toList);
  }

  /** The active questions of {@code fromVersion} not yet carried into {@code toVersion}. */
  public Future<List<JsonObject>> notYetCarried(SqlConnection connection, UUID fromVersion, UUID toVersion) {
    return connection.preparedQuery(QUESTION + "WHERE q.version_id = $1 AND q.active AND NOT EXISTS (SELECT 1 "
            + "FROM assessment_question c WHERE c.version_id = $2 AND c.origin_question_id = q.id) ORDER BY q.position")
        .execute(Tuple.of(fromVersion, toVersion))
        .map(QuestionRepository::toList);
  }

  public Future<JsonObject> update(SqlConnection connection, UUID id, JsonObject q) {
    return connection.preparedQuery("UPDATE assessment_question SET kind = $2, scenario = $3, prompt = $4, options = $5, "
            + "revision = revision + 1, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, q.getString("kind"), q.getString("scenario"), q.getString("prompt"), q.getJsonArray("options")))
        .compose(v -> find(connection, id, false));
  }

  public Future<JsonObject> retire(SqlConnection connection, UUID id, String reason) {
    return connection.preparedQuery("UPDATE assessment_question SET active = false, retired_at = now(), retire_reason = $2, "
            + "revision = revision + 1, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, reason))
        .compose(v -> find(connection, id, false));
  }

  private static List<JsonObject> toList(RowSet<Row> rows) {
    List<JsonObject> found = new ArrayList<>();
    rows.forEach(row -> found.add(toQuestion(row)));
    return found;
  }

  private static JsonObject toQuestion(Row row) {
    UUID origin = row.getUUID("origin_question_id");
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("documentId", row.getUUID("document_id").toString())
        .put("versionId", row.getUUID("version_id").toString())
        .put("version", row.getInteger("major") + "." + row.getInteger("minor"))
        .put("kind", row.getString("kind"))
        .put("scenario", row.getString("scenario"))
        .put("prompt", row.getString("prompt"))
        .put("options", row.getJsonArray("options"))
        .put("position", row.getInteger("position"))
        .put("carriedFrom", origin == null ? null : new JsonObject().put("questionId", origin.toString())
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
