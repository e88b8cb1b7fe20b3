package io.traceline.platform.training.internal;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** SQL of content openings (append-only), on the caller's connection. */
public final class OpeningRepository {

  /** Records that the learner opened the version's file now (the database's clock); returns the opening. */
  public Future<JsonObject> insert(SqlConnection connection, UUID id, UUID assignmentId, UUID personId, String openedBy,
                                   String sha256) {
    return connection.preparedQuery("INSERT INTO training_content_opening (id, assignment_id, person_id, opened_by, "
            + "content_sha256) VALUES ($1, $2, $3, $4, $5) RETURNING opened_at")
        .execute(Tuple.of(id, assignmentId, personId, openedBy, sha256))
        .map(rows -> new JsonObject().put("id", id.toString()).put("assignmentId", assignmentId.toString())
            .put("openedAt", rows.iterator().next().getOffsetDateTime("opened_at").toInstant().toString())
            .put("contentSha256", sha256));
  }

  /** When the assignment's file was first opened by this person, or null when never. */
  public Future<OffsetDateTime> firstOpened(SqlConnection connection, UUID assignmentId, UUID personId) {
    return connection.preparedQuery("SELECT min(opened_at) AS first FROM training_content_opening "
            + "WHERE assignment_id = $1 AND person_id = $2")
        .execute(Tuple.of(assignmentId, personId))
        .map(rows -> rows.iterator().next().getOffsetDateTime("first"));
  }
}
