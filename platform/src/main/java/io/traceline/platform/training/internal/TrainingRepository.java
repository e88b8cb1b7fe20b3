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

/** SQL of training requirements and assignments, on the caller's connection (tenant schema). */
public final class TrainingRepository {

  private static final String REQUIREMENT = "SELECT r.id, r.document_id, d.number AS document_number, d.title AS document_title, "
      + "r.job_role_id, j.code AS job_role_code, j.name AS job_role_name, r.site_id, s.code AS site_code, "
      + "r.program_id, g.code AS program_code, g.name AS program_name, r.method, "
      + "r.pass_score, r.max_attempts, r.due_days, r.recertify_months, r.minor_revision, r.active, r.revision, r.created_at, r.created_by, "
      + "r.updated_at, r.retired_at, r.retired_by, r.retire_reason FROM training_requirement r "
      + "JOIN document d ON d.id = r.document_id JOIN job_role j ON j.id = r.job_role_id "
      + "LEFT JOIN site s ON s.id = r.site_id LEFT JOIN program g ON g.id = r.program_id ";

  private static final String ASSIGNMENT = "SELECT a.id, a.person_id, p.employee_number, p.given_name, p.family_name, "
      + "a.requirement_id, a.document_id, d.number AS document_number, d.title AS document_title, a.version_id, "
      + "v.major, v.minor, a.cycle, a.method, a.status, a.due_at, a.assigned_at, a.cause, a.job_id, a.paused_since, "
      + "a.completed_at, a.closed_at, a.close_reason, a.blocked_at, a.capa_action_id, (a.status = 'open' AND a.paused_since IS NULL AND a.due_at < now()) AS overdue, "
      // What the learner's own signature is awaited for: an on-the-job observation their trainer signed, or the
      // attendance of a classroom session their trainer signed. Evaluated for the rows answered only.
      + "(SELECT o.id FROM ojt_observation o WHERE o.assignment_id = a.id AND o.state = 'awaiting-learner' "
      + "AND a.status = 'open') AS awaiting_observation, "
      + "(SELECT ca.session_id FROM classroom_attendee ca JOIN classroom_session cs ON cs.id = ca.session_id "
      + "WHERE a.method = 'classroom' AND a.status = 'open' AND ca.person_id = a.person_id "
      + "AND ca.outcome = 'awaiting-confirmation' AND cs.version_id = a.version_id ORDER BY cs.signed_at DESC LIMIT 1) "
      + "AS awaiting_session "
      + "FROM training_assignment a JOIN person p ON p.id = a.person_id JOIN document d ON d.id = a.document_id "
      + "JOIN document_version v ON v.id = a.version_id ";

  /** Inserts a requirement; null when an active one exists for the same document, role, site and program. */
  public Future<JsonObject> insert(SqlConnection connection, UUID id, JsonObject r, String createdBy) {
    return connection.preparedQuery("INSERT INTO training_requirement (id, document_id, job_role_id, site_id, method, "
            + "pass_score, due_days, recertify_months, minor_revision, created_by, max_attempts, program_id) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, 'read-and-acknowledge'), $10, coalesce($11, 3), $12) "
            + "ON CONFLICT DO NOTHING RETURNING id")
        .execute(Tuple.from(new Object[] {id, uuid(r, "documentId"), uuid(r, "jobRoleId"), uuid(r, "siteId"),
            r.getString("method"), r.getInteger("passScore"), r.getInteger("dueDays"), r.getInteger("recertifyMonths"),
            r.getString("minorRevision"), createdBy, r.getInteger("maxAttempts"), uuid(r, "programId")}))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : find(connection, id, false));
  }

  public Future<JsonObject> find(SqlConnection connection, UUID id, boolean lock) {
    return connection.preparedQuery(REQUIREMENT + "WHERE r.id = $1" + (lock ? " FOR UPDATE OF r" : ""))
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toRequirement(rows.iterator().next()));
  }

  /** Requirements in id order after {@code after}; null filters match everything ({@code programId}: scoped to it). */
  public Future<List<JsonObject>> list(SqlConnection connection, UUID documentId, UUID jobRoleId, UUID programId,
                                       Boolean active, UUID after, int limit) {
    return connection.preparedQuery(REQUIREMENT + "WHERE ($1::uuid IS NULL OR r.document_id = $1) "
            + "AND ($2::uuid IS NULL OR r.job_role_id = $2) AND ($3::boolean IS NULL OR r.active = $3) "
            + "AND ($4::uuid IS NULL OR r.id > $4) AND ($6::uuid IS NULL OR r.program_id = $6) ORDER BY r.id LIMIT $5")
        .execute(Tuple.of(documentId, jobRoleId, active, after, limit, programId))
        .map(rows -> {
          List<JsonObject> found = new ArrayList<>();
          rows.forEach(row -> found.add(toRequirement(row)));
          return found;
        });
  }

  public Future<JsonObject> update(SqlConnection connection, UUID id, JsonObject r) {
    return connection.preparedQuery("UPDATE training_requirement SET method = $2, pass_score = $3, due_days = $4, "
            + "recertify_months = $5, minor_revision = $6, max_attempts = $7, revision = revision + 1, updated_at = now() "
            + "WHERE id = $1")
        .execute(Tuple.from(new Object[] {id, r.getString("method"), r.getInteger("passScore"), r.getInteger("dueDays"),
            r.getInteger("recertifyMonths"), r.getString("minorRevision"), r.getInteger("maxAttempts")}))
        .compose(v -> find(connection, id, false));
  }

  /** Retires the requirement and cancels its open assignments; returns how many were cancelled. */
  public Future<Long> retire(SqlConnection connection, UUID id, String by, String reason) {
    return connection.preparedQuery("UPDATE training_requirement SET active = false, retired_at = now(), retired_by = $2, "
            + "retire_reason = $3, revision = revision + 1, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, by, reason))
        .compose(v -> connection.preparedQuery("UPDATE training_assignment SET status = 'cancelled', closed_at = now(), "
                + "close_reason = 'Requirement retired: ' || $2 WHERE requirement_id = $1 AND status = 'open'")
            .execute(Tuple.of(id, reason)))
        .map(rows -> (long) rows.rowCount());
  }

  /** The document's effective version (id, label, impact, kind), or null. */
  public Future<JsonObject> effectiveVersion(SqlConnection connection, UUID documentId) {
    return connection.preparedQuery("SELECT v.id, v.major, v.minor, v.training_impact, v.revision_kind, v.effective_at, "
            + "d.status FROM document d LEFT JOIN document_version v ON v.document_id = d.id AND v.state = 'effective' "
            + "WHERE d.id = $1")
        .execute(Tuple.of(documentId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          JsonObject document = new JsonObject().put("status", row.getString("status"));
          return row.getUUID("id") == null ? document : document.put("versionId", row.getUUID("id").toString())
              .put("version", row.getInteger("major") + "." + row.getInteger("minor"))
              .put("trainingImpact", row.getString("training_impact")).put("revision", row.getString("revision_kind"));
        });
  }

  /** Whether the rows exist and are active: {@code [jobRole, site, program]} (site, program true when not asked). */
  public Future<boolean[]> referencesActive(SqlConnection connection, UUID jobRoleId, UUID siteId, UUID programId) {
    return connection.preparedQuery("SELECT EXISTS (SELECT 1 FROM job_role WHERE id = $1 AND active) AS role, "
            + "($2::uuid IS NULL OR EXISTS (SELECT 1 FROM site WHERE id = $2 AND active)) AS site, "
            + "($3::uuid IS NULL OR EXISTS (SELECT 1 FROM program WHERE id = $3 AND active)) AS program")
        .execute(Tuple.of(jobRoleId, siteId, programId))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new boolean[] {row.getBoolean("role"), row.getBoolean("site"), row.getBoolean("program")};
        });
  }

  /** Filters of the assignment list; null matches everything. {@code status} may be "overdue". */
  public record AssignmentFilter(UUID personId, UUID managerId, UUID documentId, UUID versionId, UUID requirementId,
                                 String status) {
  }

  public Future<List<JsonObject>> assignments(SqlConnection connection, AssignmentFilter f, UUID after, int limit) {
    return connection.preparedQuery(ASSIGNMENT + "WHERE ($1::uuid IS NULL OR a.person_id = $1) "
            + "AND ($2::uuid IS NULL OR p.manager_id = $2) AND ($3::uuid IS NULL OR a.document_id = $3) "
            + "AND ($4::uuid IS NULL OR a.version_id = $4) AND ($5::uuid IS NULL OR a.requirement_id = $5) "
            + "AND ($6::text IS NULL OR (CASE WHEN $6 = 'overdue' THEN a.status = 'open' AND a.paused_since IS NULL "
            + "AND a.due_at < now() AND a.blocked_at IS NULL WHEN $6 = 'blocked' THEN a.status = 'open' "
            + "AND a.blocked_at IS NOT NULL ELSE a.status = $6 END)) "
            + "AND ($7::uuid IS NULL OR a.id > $7) ORDER BY a.id LIMIT $8")
        .execute(Tuple.from(new Object[] {f.personId(), f.managerId(), f.documentId(), f.versionId(), f.requirementId(),
            f.status(), after, limit}))
        .map(rows -> {
          List<JsonObject> found = new ArrayList<>();
          rows.forEach(row -> found.add(toAssignment(row)));
          return found;
        });
  }

  public Future<JsonObject> assignment(SqlConnection connection, UUID id) {
    return connection.preparedQuery(ASSIGNMENT + "WHERE a.id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toAssignment(rows.iterator().next()));
  }

  /**
   * Completes an open (or blocked) assignment, trained at {@code trainedAt}: the recertification timer counts from when
   * the training happened, not from when it was recorded. Null when it is not open.
   */
  public Future<JsonObject> complete(SqlConnection connection, UUID id, String reason, OffsetDateTime trainedAt) {
    return connection.preparedQuery("UPDATE training_assignment SET status = 'completed', completed_at = $3, "
            + "closed_at = now(), close_reason = $2, blocked_at = NULL WHERE id = $1 AND status = 'open' RETURNING id")
        .execute(Tuple.of(id, reason, trainedAt))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : assignment(connection, id));
  }

  /** Locks the assignment row: completions, attempts and grants of one assignment happen one after another. */
  public Future<JsonObject> lockAssignment(SqlConnection connection, UUID id) {
    return connection.preparedQuery("SELECT id FROM training_assignment WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : assignment(connection, id));
  }

  /** Blocks (true) or unblocks an open assignment; false when it is not open. */
  public Future<Boolean> block(SqlConnection connection, UUID id, boolean blocked) {
    return connection.preparedQuery("UPDATE training_assignment SET blocked_at = CASE WHEN $2 THEN now() END "
            + "WHERE id = $1 AND status = 'open'")
        .execute(Tuple.of(id, blocked))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * The assessment rules for an assignment: {passScore, maxAttempts}; passScore null when not an assessment. A matrix
   * assignment has its requirement's; a CAPA training action's assignment (no requirement) carries the action's own.
   */
  public Future<JsonObject> assessmentRules(SqlConnection connection, UUID assignmentId) {
    return connection.preparedQuery("SELECT coalesce(r.pass_score, a.pass_score) AS pass_score, "
            + "coalesce(r.max_attempts, a.max_attempts, 3) AS max_attempts FROM training_assignment a "
            + "LEFT JOIN training_requirement r ON r.id = a.requirement_id WHERE a.id = $1")
        .execute(Tuple.of(assignmentId))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new JsonObject().put("passScore", row.getInteger("pass_score")).put("maxAttempts",
              row.getInteger("max_attempts"));
        });
  }

  /** The person's manager (the supervisor to tell), or null. */
  public Future<UUID> managerOf(SqlConnection connection, UUID personId) {
    return connection.preparedQuery("SELECT manager_id FROM person WHERE id = $1").execute(Tuple.of(personId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("manager_id"));
  }

  /** What binds a training record to one document version: its submission's hash and its file's SHA-256. */
  public Future<JsonObject> versionEvidence(SqlConnection connection, UUID versionId) {
    return connection.preparedQuery("SELECT record_version, record_hash, content_sha256 FROM document_version WHERE id = $1")
        .execute(Tuple.of(versionId))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new JsonObject().put("recordVersion", row.getInteger("record_version"))
              .put("recordHash", row.getString("record_hash")).put("contentSha256", row.getString("content_sha256"));
        });
  }

  /** The person linked to a login, or null. */
  public Future<UUID> personOfUser(SqlConnection connection, String userId) {
    return connection.preparedQuery("SELECT id FROM person WHERE user_id = $1").execute(Tuple.of(userId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("id"));
  }

  private static UUID uuid(JsonObject json, String key) {
    String value = json.getString(key);
    return value == null ? null : UUID.fromString(value);
  }

  private static JsonObject toRequirement(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("document", TrainingRows.document(row))
        .put("jobRole", new JsonObject().put("id", row.getUUID("job_role_id").toString())
            .put("code", row.getString("job_role_code")).put("name", row.getString("job_role_name")))
        .put("site", row.getUUID("site_id") == null ? null : new JsonObject().put("id", row.getUUID("site_id").toString())
            .put("code", row.getString("site_code")))
        .put("program", row.getUUID("program_id") == null ? null : new JsonObject()
            .put("id", row.getUUID("program_id").toString()).put("code", row.getString("program_code"))
            .put("name", row.getString("program_name")))
        .put("method", row.getString("method"))
        .put("passScore", row.getInteger("pass_score"))
        .put("maxAttempts", row.getInteger("max_attempts"))
        .put("dueDays", row.getInteger("due_days"))
        .put("recertifyMonths", row.getInteger("recertify_months"))
        .put("minorRevision", row.getString("minor_revision"))
        .put("active", row.getBoolean("active"))
        .put("revision", row.getInteger("revision"))
        .put("createdAt", TrainingRows.time(row, "created_at"))
        .put("createdBy", row.getString("created_by"))
        .put("updatedAt", TrainingRows.time(row, "updated_at"))
        .put("retiredAt", TrainingRows.time(row, "retired_at"))
        .put("retiredBy", row.getString("retired_by"))
        .put("retireReason", row.getString("retire_reason"));
  }

  private static JsonObject toAssignment(Row row) {
    boolean overdue = Boolean.TRUE.equals(row.getBoolean("overdue"));
    // Blocked (attempts exhausted) shows instead of open or overdue: the learner cannot go on until a grant.
    boolean blocked = "open".equals(row.getString("status")) && row.getOffsetDateTime("blocked_at") != null;
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("person", TrainingRows.person(row))
        .put("requirementId", TrainingRows.id(row, "requirement_id"))
        .put("document", TrainingRows.document(row))
        .put("version", TrainingRows.version(row))
        .put("cycle", row.getInteger("cycle"))
        .put("method", row.getString("method"))
        .put("status", blocked ? "blocked" : overdue ? "overdue" : row.getString("status"))
        .put("dueAt", TrainingRows.time(row, "due_at"))
        .put("assignedAt", TrainingRows.time(row, "assigned_at"))
        .put("cause", row.getString("cause"))
        .put("jobId", row.getUUID("job_id") == null ? null : row.getUUID("job_id").toString())
        .put("pausedSince", TrainingRows.time(row, "paused_since"))
        .put("completedAt", TrainingRows.time(row, "completed_at"))
        .put("closedAt", TrainingRows.time(row, "closed_at"))
        .put("closeReason", row.getString("close_reason"))
        .put("blockedAt", blocked ? TrainingRows.time(row, "blocked_at") : null)
        // A CAPA training action made it (cause capa-action): the action is why it exists, not a requirement.
        .put("capaActionId", TrainingRows.id(row, "capa_action_id"))
        .put("awaiting", awaiting(row));
  }

  /** The learner's signature an open assignment waits for, with where to give it; null when none. */
  private static JsonObject awaiting(Row row) {
    String assignment = "/me/training/" + row.getUUID("id");
    UUID observation = row.getUUID("awaiting_observation");
    if (observation != null) {
      return new JsonObject().put("kind", "learner-signature").put("observationId", observation.toString())
          .put("detail", "Your trainer signed an on-the-job observation: sign it (meaning trained) or decline it")
          .put("path", assignment + "/observations/" + observation + "/signature");
    }
    UUID session = row.getUUID("awaiting_session");
    return session == null ? null : new JsonObject().put("kind", "attendance-confirmation")
        .put("sessionId", session.toString())
        .put("detail", "Your trainer signed the attendance of a classroom session: confirm it with your signature")
        .put("path", assignment + "/attendance-confirmation");
  }
}
