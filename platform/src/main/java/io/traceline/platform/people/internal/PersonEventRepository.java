package io.traceline.platform.people.internal;

import java.time.LocalDate;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** Writes the {@code person_event} outbox in the caller's transaction; training consumes it (not yet). */
public final class PersonEventRepository {

  /** {@code jobRoleId} only for role-gained and role-lost. */
  public Future<Void> insert(SqlConnection connection, String kind, UUID personId, UUID jobRoleId, LocalDate effectiveOn,
                             String reason) {
    return connection.preparedQuery("INSERT INTO person_event (id, kind, person_id, job_role_id, effective_on, reason) "
            + "VALUES (uuid_v7(), $1, $2, $3, $4, $5)")
        .execute(Tuple.of(kind, personId, jobRoleId, effectiveOn, reason))
        .mapEmpty();
  }
}
