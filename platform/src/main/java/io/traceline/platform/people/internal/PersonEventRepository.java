package io.traceline.platform.people.internal;

import java.time.LocalDate;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** Writes the {@code person_event} outbox in the caller's transaction; training consumes it. */
public final class PersonEventRepository {

  /** {@code jobRoleId} only for role-gained and role-lost. */
  public Future<Void> insert(SqlConnection connection, String kind, UUID personId, UUID jobRoleId, LocalDate effectiveOn,
                             String reason) {
    return insert(connection, kind, personId, jobRoleId, null, effectiveOn, reason);
  }

  /** {@code jobRoleId} only for role-gained and role-lost, {@code programId} only for program-joined and program-left. */
  public Future<Void> insert(SqlConnection connection, String kind, UUID personId, UUID jobRoleId, UUID programId,
                             LocalDate effectiveOn, String reason) {
    return connection.preparedQuery("INSERT INTO person_event (id, kind, person_id, job_role_id, program_id, "
            + "effective_on, reason) VALUES (uuid_v7(), $1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(kind, personId, jobRoleId, programId, effectiveOn, reason))
        .mapEmpty();
  }
}
