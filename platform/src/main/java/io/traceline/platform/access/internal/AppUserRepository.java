package io.traceline.platform.access.internal;

import java.util.ArrayList;
import java.util.List;

import io.traceline.platform.access.AppUser;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * SQL of {@code app_user}. Most methods run on the caller's connection inside the tenant's schema; the
 * admission checks run on the pool with the schema named (from the registry, never from input), because
 * they run on every request and a transaction would cost three more round trips.
 */
public final class AppUserRepository {

  private static final String COLUMNS = "user_id, username, name, active, first_seen_at, status_changed_at, "
      + "status_changed_by, status_changed_by_name, status_reason";

  /** Whether the user may enter: null when the tenant has never seen them. */
  public Future<Boolean> activeFlag(SqlClient client, String schema, String userId) {
    return client.preparedQuery("SELECT active FROM " + quote(schema) + ".app_user WHERE user_id = $1")
        .execute(Tuple.of(userId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBoolean("active"));
  }

  /** The admission's facts: the active flag (null: never seen) and whether the user holds the auditor role. */
  public record Entry(Boolean active, boolean auditor) {
  }

  /**
   * The active flag and the auditor role in one round trip: admission reads it on every request, and an auditor's reads
   * are audited (a grant may exist before the user's first request, so the role is read whether or not they were seen).
   */
  public Future<Entry> entry(SqlClient client, String schema, String userId) {
    return client.preparedQuery("SELECT (SELECT active FROM " + quote(schema) + ".app_user WHERE user_id = $1) AS active, "
            + "EXISTS (SELECT 1 FROM " + quote(schema) + ".role_grant WHERE user_id = $1 AND role = 'auditor' "
            + "AND revoked_at IS NULL) AS auditor")
        .execute(Tuple.of(userId))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Entry(row.getBoolean("active"), row.getBoolean("auditor"));
        });
  }

  /** Registers a user the tenant sees for the first time; false when the id or the username is taken. */
  public Future<Boolean> register(SqlClient client, String schema, String userId, String username, String name) {
    return client.preparedQuery("INSERT INTO " + quote(schema) + ".app_user (user_id, username, name) VALUES ($1, $2, $3) "
            + "ON CONFLICT DO NOTHING RETURNING user_id")
        .execute(Tuple.of(userId, username, name))
        .map(rows -> rows.size() == 1);
  }

  /** The user who first used this username, or null. */
  public Future<AppUser> holderOf(SqlClient client, String schema, String username) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM " + quote(schema) + ".app_user WHERE username = $1")
        .execute(Tuple.of(username))
        .map(AppUserRepository::first);
  }

  public Future<AppUser> find(SqlConnection connection, String userId, boolean forUpdate) {
    return connection.preparedQuery("SELECT " + COLUMNS + " FROM app_user WHERE user_id = $1" + (forUpdate ? " FOR UPDATE" : ""))
        .execute(Tuple.of(userId))
        .map(AppUserRepository::first);
  }

  public Future<AppUser> findByUsername(SqlConnection connection, String username) {
    return connection.preparedQuery("SELECT " + COLUMNS + " FROM app_user WHERE username = $1")
        .execute(Tuple.of(username))
        .map(AppUserRepository::first);
  }

  public Future<Boolean> insert(SqlConnection connection, String userId, String username, String name) {
    return connection.preparedQuery("INSERT INTO app_user (user_id, username, name) VALUES ($1, $2, $3) "
            + "ON CONFLICT DO NOTHING RETURNING user_id")
        .execute(Tuple.of(userId, username, name))
        .map(rows -> rows.size() == 1);
  }

  public Future<AppUser> setActive(SqlConnection connection, String userId, boolean active, String by, String byName,
                                   String reason) {
    return connection.preparedQuery("UPDATE app_user SET active = $2, status_changed_at = now(), status_changed_by = $3, "
            + "status_changed_by_name = $4, status_reason = $5 WHERE user_id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(userId, active, by, byName, reason))
        .map(AppUserRepository::first);
  }

  public Future<List<AppUser>> list(SqlConnection connection, Boolean active, String after, int limit) {
    return connection.preparedQuery("SELECT " + COLUMNS + " FROM app_user WHERE ($1::boolean IS NULL OR active = $1) "
            + "AND ($2::text IS NULL OR username > $2) ORDER BY username LIMIT $3")
        .execute(Tuple.of(active, after, limit))
        .map(rows -> {
          List<AppUser> users = new ArrayList<>(rows.size());
          rows.forEach(row -> users.add(toUser(row)));
          return users;
        });
  }

  private static String quote(String schema) {
    return "\"" + schema.replace("\"", "\"\"") + "\"";
  }

  private static AppUser first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : toUser(rows.iterator().next());
  }

  private static AppUser toUser(Row row) {
    return new AppUser(row.getString("user_id"), row.getString("username"), row.getString("name"),
        row.getBoolean("active"), row.getOffsetDateTime("first_seen_at"), row.getOffsetDateTime("status_changed_at"),
        row.getString("status_changed_by"), row.getString("status_changed_by_name"), row.getString("status_reason"));
  }
}
