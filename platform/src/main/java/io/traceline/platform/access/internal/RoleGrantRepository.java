package io.traceline.platform.access.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.access.RoleGrant;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** SQL of the {@code role_grant} table; runs on the caller's connection, inside the tenant's schema. */
public final class RoleGrantRepository {

  private static final String COLUMNS = "id, user_id, user_name, role, granted_at, granted_by, granted_by_name, "
      + "grant_reason, revoked_at, revoked_by, revoked_by_name, revoke_reason";

  public Future<List<String>> activeRoles(SqlConnection connection, String userId) {
    return connection.preparedQuery("SELECT role FROM role_grant WHERE user_id = $1 AND revoked_at IS NULL ORDER BY role")
        .execute(Tuple.of(userId))
        .map(rows -> {
          List<String> roles = new ArrayList<>();
          rows.forEach(row -> roles.add(row.getString("role")));
          return roles;
        });
  }

  /** Grants in id (= time) order after {@code after}; null filters match everything. */
  public Future<List<RoleGrant>> list(SqlConnection connection, String userId, String role, Boolean active,
                                      UUID after, int limit) {
    return connection.preparedQuery("SELECT " + COLUMNS + " FROM role_grant "
            + "WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR role = $2) "
            + "AND ($3::boolean IS NULL OR (revoked_at IS NULL) = $3) AND ($4::uuid IS NULL OR id > $4) "
            + "ORDER BY id LIMIT $5")
        .execute(Tuple.of(userId, role, active, after, limit))
        .map(RoleGrantRepository::toGrants);
  }

  public Future<RoleGrant> find(SqlConnection connection, UUID id, boolean forUpdate) {
    return connection.preparedQuery("SELECT " + COLUMNS + " FROM role_grant WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""))
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toGrant(rows.iterator().next()));
  }

  /** Inserts the grant; null when the user already holds the role (the active-grant unique index). */
  public Future<RoleGrant> insert(SqlConnection connection, UUID id, String userId, String userName, String role,
                                  String grantedBy, String grantedByName, String reason) {
    return connection.preparedQuery("INSERT INTO role_grant (id, user_id, user_name, role, granted_by, granted_by_name, "
            + "grant_reason) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            + "ON CONFLICT (user_id, role) WHERE revoked_at IS NULL DO NOTHING RETURNING " + COLUMNS)
        .execute(Tuple.of(id, userId, userName, role, grantedBy, grantedByName, reason))
        .map(rows -> rows.size() == 0 ? null : toGrant(rows.iterator().next()));
  }

  public Future<RoleGrant> revoke(SqlConnection connection, UUID id, String revokedBy, String revokedByName,
                                  String reason) {
    return connection.preparedQuery("UPDATE role_grant SET revoked_at = now(), revoked_by = $2, revoked_by_name = $3, "
            + "revoke_reason = $4 WHERE id = $1 AND revoked_at IS NULL RETURNING " + COLUMNS)
        .execute(Tuple.of(id, revokedBy, revokedByName, reason))
        .map(rows -> rows.size() == 0 ? null : toGrant(rows.iterator().next()));
  }

  /** Locks the active tenant-admin grants (so two revocations cannot both remove "the other" admin) and counts them. */
  public Future<Integer> lockActiveAdmins(SqlConnection connection) {
    return connection.preparedQuery("SELECT id FROM role_grant WHERE role = 'tenant-admin' AND revoked_at IS NULL FOR UPDATE")
        .execute()
        .map(RowSet::size);
  }

  private static List<RoleGrant> toGrants(RowSet<Row> rows) {
    List<RoleGrant> grants = new ArrayList<>(rows.size());
    rows.forEach(row -> grants.add(toGrant(row)));
    return grants;
  }

  private static RoleGrant toGrant(Row row) {
    return new RoleGrant(row.getUUID("id"), row.getString("user_id"), row.getString("user_name"), row.getString("role"),
        row.getOffsetDateTime("granted_at"), row.getString("granted_by"), row.getString("granted_by_name"),
        row.getString("grant_reason"), row.getOffsetDateTime("revoked_at"), row.getString("revoked_by"),
        row.getString("revoked_by_name"), row.getString("revoke_reason"));
  }
}
