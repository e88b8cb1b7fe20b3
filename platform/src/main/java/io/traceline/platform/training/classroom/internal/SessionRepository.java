package io.traceline.platform.training.classroom.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.traceline.platform.training.internal.TrainingRows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * SQL of classroom sessions and their attendees, on the caller's connection. A signed session is locked by the
 * database: only an attendee's confirmation changes it afterwards.
 */
public final class SessionRepository {

  private static final String SESSION = "SELECT s.id, s.document_id, d.number AS document_number, d.title AS document_title, "
      + "s.version_id, v.major, v.minor, s.trainer_id, t.employee_number AS trainer_number, t.given_name AS trainer_given, "
      + "t.family_name AS trainer_family, s.title, s.starts_at, s.ends_at, s.location, s.state, s.revision, s.created_at, "
      + "s.created_by, s.created_by_name, s.updated_at, s.record_version, s.trainer_signature_id, s.signed_at "
      + "FROM classroom_session s JOIN document d ON d.id = s.document_id JOIN document_version v ON v.id = s.version_id "
      + "JOIN person t ON t.id = s.trainer_id ";

  private static final String ATTENDEE = "SELECT a.session_id, a.person_id, p.employee_number, p.given_name, p.family_name, "
      + "(p.user_id IS NOT NULL) AS has_login, a.attendance, a.outcome, a.added_at, a.marked_at, a.marked_by, "
      + "a.confirmation_signature_id, a.confirmed_at FROM classroom_attendee a JOIN person p ON p.id = a.person_id ";

  /** A session as planned: what it trains, who trains, when and where. */
  public record Plan(UUID documentId, UUID versionId, UUID trainerId, String title, OffsetDateTime startsAt,
                     OffsetDateTime endsAt, String location) {
  }

  public Future<Void> insert(SqlConnection connection, UUID id, Plan plan, String createdBy, String createdByName) {
    return connection.preparedQuery("INSERT INTO classroom_session (id, document_id, version_id, trainer_id, title, "
            + "starts_at, ends_at, location, created_by, created_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .execute(Tuple.from(new Object[] {id, plan.documentId(), plan.versionId(), plan.trainerId(), plan.title(),
            plan.startsAt(), plan.endsAt(), plan.location(), createdBy, createdByName}))
        .mapEmpty();
  }

  /** Changes the planned details (trainer, title, times, location) and counts a revision. */
  public Future<Void> replan(SqlConnection connection, UUID id, Plan plan) {
    return connection.preparedQuery("UPDATE classroom_session SET trainer_id = $2, title = $3, starts_at = $4, ends_at = $5, "
            + "location = $6, revision = revision + 1, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, plan.trainerId(), plan.title(), plan.startsAt(), plan.endsAt(), plan.location()))
        .mapEmpty();
  }

  /** Counts a revision of the session (its attendees or their attendance changed). */
  public Future<Void> touch(SqlConnection connection, UUID id) {
    return connection.preparedQuery("UPDATE classroom_session SET revision = revision + 1, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id)).mapEmpty();
  }

  /** Locks the session: signed by its trainer, bound to the record version they signed. */
  public Future<Void> signed(SqlConnection connection, UUID id, int recordVersion, UUID signatureId) {
    return connection.preparedQuery("UPDATE classroom_session SET state = 'signed', record_version = $2, "
            + "trainer_signature_id = $3, signed_at = now(), updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, recordVersion, signatureId)).mapEmpty();
  }

  /** The session with its attendees (by employee number); null when none. */
  public Future<JsonObject> find(SqlConnection connection, UUID id, boolean lock) {
    return connection.preparedQuery(SESSION + "WHERE s.id = $1" + (lock ? " FOR UPDATE OF s" : "")).execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture()
            : attendees(connection, id).map(attendees -> toSession(rows.iterator().next()).put("attendees", attendees)));
  }

  /** Filters of the session list; null matches everything. */
  public record Filter(UUID documentId, UUID versionId, UUID trainerId, String state) {
  }

  /** Sessions in id order after {@code after}, without their attendees (read one session for them). */
  public Future<List<JsonObject>> list(SqlConnection connection, Filter f, UUID after, int limit) {
    return connection.preparedQuery(SESSION + "WHERE ($1::uuid IS NULL OR s.document_id = $1) "
            + "AND ($2::uuid IS NULL OR s.version_id = $2) AND ($3::uuid IS NULL OR s.trainer_id = $3) "
            + "AND ($4::text IS NULL OR s.state = $4) AND ($5::uuid IS NULL OR s.id > $5) ORDER BY s.id LIMIT $6")
        .execute(Tuple.from(new Object[] {f.documentId(), f.versionId(), f.trainerId(), f.state(), after, limit}))
        .map(rows -> {
          List<JsonObject> found = new ArrayList<>();
          rows.forEach(row -> found.add(toSession(row)));
          return found;
        });
  }

  private Future<JsonArray> attendees(SqlConnection connection, UUID sessionId) {
    return connection.preparedQuery(ATTENDEE + "WHERE a.session_id = $1 ORDER BY p.employee_number")
        .execute(Tuple.of(sessionId))
        .map(rows -> {
          JsonArray found = new JsonArray();
          rows.forEach(row -> found.add(toAttendee(row)));
          return found;
        });
  }

  /** Whether each person may attend a session of the version, by id: unknown, or how many open classroom assignments. */
  public Future<Map<UUID, Integer>> openClassroomAssignments(SqlConnection connection, UUID versionId, List<UUID> people) {
    return connection.preparedQuery("SELECT p.id, (SELECT count(*) FROM training_assignment a WHERE a.person_id = p.id "
            + "AND a.version_id = $1 AND a.method = 'classroom' AND a.status = 'open') AS open "
            + "FROM person p WHERE p.id = ANY($2)")
        .execute(Tuple.tuple().addUUID(versionId).addArrayOfUUID(people.toArray(new UUID[0])))
        .map(rows -> {
          Map<UUID, Integer> found = new HashMap<>();
          rows.forEach(row -> found.put(row.getUUID("id"), row.getLong("open").intValue()));
          return found;
        });
  }

  public Future<Void> addAttendees(SqlConnection connection, UUID sessionId, List<UUID> people, String addedBy) {
    return connection.preparedQuery("INSERT INTO classroom_attendee (session_id, person_id, added_by) "
            + "SELECT $1, person, $3 FROM unnest($2::uuid[]) AS person")
        .execute(Tuple.tuple().addUUID(sessionId).addArrayOfUUID(people.toArray(new UUID[0])).addString(addedBy))
        .mapEmpty();
  }

  public Future<Void> mark(SqlConnection connection, UUID sessionId, UUID personId, String attendance, String markedBy) {
    return connection.preparedQuery("UPDATE classroom_attendee SET attendance = $3, marked_at = now(), marked_by = $4 "
            + "WHERE session_id = $1 AND person_id = $2")
        .execute(Tuple.of(sessionId, personId, attendance, markedBy)).mapEmpty();
  }

  /** Records what the trainer's signature made of the attendee: absent, completed, or awaiting-confirmation. */
  public Future<Void> outcome(SqlConnection connection, UUID sessionId, UUID personId, String outcome) {
    return connection.preparedQuery("UPDATE classroom_attendee SET outcome = $3 WHERE session_id = $1 AND person_id = $2")
        .execute(Tuple.of(sessionId, personId, outcome)).mapEmpty();
  }

  /** The attendee's confirmation with their own signature; false when they were not awaiting it. */
  public Future<Boolean> confirmed(SqlConnection connection, UUID sessionId, UUID personId, UUID signatureId) {
    return connection.preparedQuery("UPDATE classroom_attendee SET outcome = 'confirmed', confirmation_signature_id = $3, "
            + "confirmed_at = now() WHERE session_id = $1 AND person_id = $2 AND outcome = 'awaiting-confirmation'")
        .execute(Tuple.of(sessionId, personId, signatureId))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * The signed session of the version where the person attended and their confirmation is awaited (or, with
   * {@code confirmed}, was given): the newest; null when none.
   */
  public Future<UUID> sessionToConfirm(SqlConnection connection, UUID personId, UUID versionId, boolean confirmed) {
    return connection.preparedQuery("SELECT s.id FROM classroom_attendee a JOIN classroom_session s ON s.id = a.session_id "
            + "WHERE a.person_id = $1 AND s.version_id = $2 AND s.state = 'signed' AND a.outcome = ANY($3) "
            + "ORDER BY s.signed_at DESC LIMIT 1")
        .execute(Tuple.tuple().addUUID(personId).addUUID(versionId).addArrayOfString(confirmed
            ? new String[] {"awaiting-confirmation", "confirmed"} : new String[] {"awaiting-confirmation"}))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("id"));
  }

  /** The person's open classroom assignments of the version, locked: what one attendance completes. */
  public Future<List<UUID>> lockOpenAssignments(SqlConnection connection, UUID personId, UUID versionId) {
    return connection.preparedQuery("SELECT id FROM training_assignment WHERE person_id = $1 AND version_id = $2 "
            + "AND method = 'classroom' AND status = 'open' ORDER BY id FOR UPDATE")
        .execute(Tuple.of(personId, versionId))
        .map(rows -> {
          List<UUID> found = new ArrayList<>();
          rows.forEach(row -> found.add(row.getUUID("id")));
          return found;
        });
  }

  private static JsonObject toSession(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("document", TrainingRows.document(row))
        .put("version", TrainingRows.version(row))
        .put("trainer", new JsonObject().put("id", row.getUUID("trainer_id").toString())
            .put("employeeNumber", row.getString("trainer_number"))
            .put("name", row.getString("trainer_given") + " " + row.getString("trainer_family")))
        .put("title", row.getString("title"))
        .put("startsAt", TrainingRows.time(row, "starts_at"))
        .put("endsAt", TrainingRows.time(row, "ends_at"))
        .put("location", row.getString("location"))
        .put("state", row.getString("state"))
        .put("revision", row.getInteger("revision"))
        .put("createdAt", TrainingRows.time(row, "created_at"))
        .put("createdBy", new JsonObject().put("id", row.getString("created_by")).put("name", row.getString("created_by_name")))
        .put("updatedAt", TrainingRows.time(row, "updated_at"))
        .put("recordVersion", row.getInteger("record_version"))
        .put("trainerSignatureId", TrainingRows.id(row, "trainer_signature_id"))
        .put("signedAt", TrainingRows.time(row, "signed_at"));
  }

  private static JsonObject toAttendee(Row row) {
    return new JsonObject()
        .put("person", TrainingRows.person(row))
        .put("hasLogin", row.getBoolean("has_login"))
        .put("attendance", row.getString("attendance"))
        .put("outcome", row.getString("outcome"))
        .put("addedAt", TrainingRows.time(row, "added_at"))
        .put("markedAt", TrainingRows.time(row, "marked_at"))
        .put("markedBy", row.getString("marked_by"))
        .put("confirmationSignatureId", TrainingRows.id(row, "confirmation_signature_id"))
        .put("confirmedAt", TrainingRows.time(row, "confirmed_at"));
  }
}
