package io.traceline.platform.qualifications.internal;

import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** The people and documents qualifications refer to: whether they exist, and the person linked to a login. */
public final class ReferenceRepository {

  public Future<Boolean> personExists(SqlConnection connection, UUID personId) {
    return exists(connection, "SELECT EXISTS (SELECT 1 FROM person WHERE id = $1) AS found", personId);
  }

  public Future<Boolean> documentExists(SqlConnection connection, UUID documentId) {
    return exists(connection, "SELECT EXISTS (SELECT 1 FROM document WHERE id = $1) AS found", documentId);
  }

  /** The person linked to a login, or null. */
  public Future<UUID> personOfUser(SqlConnection connection, String userId) {
    return connection.preparedQuery("SELECT id FROM person WHERE user_id = $1").execute(Tuple.of(userId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("id"));
  }

  private static Future<Boolean> exists(SqlConnection connection, String sql, UUID id) {
    return connection.preparedQuery(sql).execute(Tuple.of(id)).map(rows -> rows.iterator().next().getBoolean("found"));
  }
}
