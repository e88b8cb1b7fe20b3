package io.traceline.platform.quality.internal;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * SQL of CAPAs, their actions, the assignments training actions wait for, and the revisions quality records drive, on
 * the caller's connection (tenant schema). The affected people of a training action are computed and assigned in SQL:
 * the JVM never holds the set.
 */
public final class CapaRepository {

  /** A holding in force today, as the training matrix reads it. */
  private static final String CURRENT_HOLDING = "h.valid_from <= current_date AND (h.valid_to IS NULL OR h.valid_to > current_date)";

  private static final String CAPA = "SELECT c.id, c.number, c.title, c.description, c.status, c.owner_id, c.owner_name, "
      + "c.due_on, c.root_cause_category, c.root_cause_description, c.revision, c.created_at, c.created_by, "
      + "c.created_by_name, c.updated_at, c.closed_at, c.closure_summary, c.closure_signature_id, c.closure_record_version, "
      + "c.cancel_reason, c.effectiveness_due_on, c.effectiveness_state, c.effectiveness_comment, c.effectiveness_checked_at, "
      + "c.effectiveness_signature_id, (c.status = 'open' AND c.due_on < current_date) AS overdue, "
      + "(SELECT coalesce(jsonb_agg(jsonb_build_object('id', e.id, 'number', e.number, 'kind', e.kind, 'title', e.title, "
      + "  'status', e.status) ORDER BY e.number), '[]') FROM capa_source s JOIN quality_event e ON e.id = s.event_id "
      + "  WHERE s.capa_id = c.id) AS sources, "
      + "(SELECT jsonb_build_object('open', count(*) FILTER (WHERE a.status = 'open'), 'completed', "
      + "  count(*) FILTER (WHERE a.status = 'completed'), 'cancelled', count(*) FILTER (WHERE a.status = 'cancelled')) "
      + "  FROM capa_action a WHERE a.capa_id = c.id) AS action_counts "
      + "FROM capa c ";

  private static final String ACTION = "SELECT a.id, a.capa_id, a.kind, a.type, a.title, a.description, a.owner_id, "
      + "a.owner_name, a.due_on, a.status, a.document_id, a.version_id, a.method, a.pass_score, a.max_attempts, "
      + "a.training_due_on, a.person_ids, a.job_role_ids, a.assignment_state, a.job_id, a.created_at, a.created_by, "
      + "a.created_by_name, a.closed_at, a.closed_by, a.closed_by_name, a.close_note, "
      + "(a.status = 'open' AND a.due_on < current_date) AS overdue, d.number AS document_number, d.title AS document_title, "
      + "v.major, v.minor, v.state AS version_state, v.effective_at AS version_effective_at, "
      + "(SELECT jsonb_build_object('total', count(*), 'open', count(*) FILTER (WHERE t.status = 'open'), "
      + "  'completed', count(*) FILTER (WHERE t.status = 'completed'), "
      + "  'cancelled', count(*) FILTER (WHERE t.status = 'cancelled'), "
      + "  'superseded', count(*) FILTER (WHERE t.status = 'superseded'), "
      + "  'linked', count(*) FILTER (WHERE l.link = 'linked')) "
      + "  FROM capa_action_assignment l JOIN training_assignment t ON t.id = l.assignment_id WHERE l.action_id = a.id) "
      + "  AS assignments "
      + "FROM capa_action a LEFT JOIN document d ON d.id = a.document_id LEFT JOIN document_version v ON v.id = a.version_id ";

  private static final String LINK = "SELECT l.id, l.event_id, l.capa_id, l.action_id, l.reason, l.linked_at, l.linked_by, "
      + "l.linked_by_name, d.id AS document_id, d.number AS document_number, d.title AS document_title, v.id AS version_id, "
      + "v.major, v.minor, v.state, v.effective_at, e.number AS event_number, e.kind AS event_kind, c.number AS capa_number, "
      + "CASE WHEN v.state IN ('effective', 'superseded') THEN (SELECT jsonb_build_object('total', count(*), "
      + "  'open', count(*) FILTER (WHERE t.status = 'open'), 'completed', count(*) FILTER (WHERE t.status = 'completed'), "
      + "  'jobIds', coalesce(jsonb_agg(DISTINCT t.job_id) FILTER (WHERE t.job_id IS NOT NULL), '[]')) "
      + "  FROM training_assignment t WHERE t.version_id = v.id AND t.cause IN ('revision-effective', 'previously-trained')) "
      + "END AS retraining "
      + "FROM quality_revision_link l JOIN document d ON d.id = l.document_id JOIN document_version v ON v.id = l.version_id "
      + "LEFT JOIN quality_event e ON e.id = l.event_id LEFT JOIN capa c ON c.id = l.capa_id ";

  // ---- CAPAs

  public record NewCapa(UUID id, String number, String title, String description, String ownerId, String ownerName,
                        LocalDate dueOn, String rootCauseCategory, String rootCauseDescription, String createdBy,
                        String createdByName) {
  }

  public Future<JsonObject> insert(SqlConnection connection, NewCapa c, UUID[] sources) {
    return connection.preparedQuery("INSERT INTO capa (id, number, title, description, owner_id, owner_name, due_on, "
            + "root_cause_category, root_cause_description, created_by, created_by_name) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .execute(Tuple.from(new Object[] {c.id(), c.number(), c.title(), c.description(), c.ownerId(), c.ownerName(),
            c.dueOn(), c.rootCauseCategory(), c.rootCauseDescription(), c.createdBy(), c.createdByName()}))
        .compose(v -> connection.preparedQuery("INSERT INTO capa_source (capa_id, event_id) "
                + "SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING")
            .execute(Tuple.tuple().addUUID(c.id()).addArrayOfUUID(sources)))
        .compose(v -> find(connection, c.id(), false));
  }

  public Future<JsonObject> find(SqlConnection connection, UUID id, boolean lock) {
    Future<Void> locked = lock
        ? connection.preparedQuery("SELECT id FROM capa WHERE id = $1 FOR UPDATE").execute(Tuple.of(id)).mapEmpty()
        : Future.succeededFuture();
    return locked.compose(v -> connection.preparedQuery(CAPA + "WHERE c.id = $1").execute(Tuple.of(id)))
        .map(rows -> rows.size() == 0 ? null : toCapa(rows.iterator().next()));
  }

  /** Filters of the CAPA list; null matches everything. */
  public record Filter(String status, String ownerId, Boolean overdue, UUID sourceEventId, UUID documentId,
                       String rootCauseCategory, String effectiveness) {
  }

  public Future<List<JsonObject>> list(SqlConnection connection, Filter f, UUID after, int limit) {
    return connection.preparedQuery(CAPA + "WHERE ($1::text IS NULL OR c.status = $1) AND ($2::text IS NULL OR c.owner_id = $2) "
            + "AND ($3::boolean IS NULL OR (c.status = 'open' AND c.due_on < current_date) = $3) "
            + "AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM capa_source s WHERE s.capa_id = c.id AND s.event_id = $4)) "
            + "AND ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM capa_source s JOIN quality_event e ON e.id = s.event_id "
            + "  WHERE s.capa_id = c.id AND e.document_ids @> ARRAY[$5::uuid]) "
            + "  OR EXISTS (SELECT 1 FROM capa_action a WHERE a.capa_id = c.id AND a.document_id = $5)) "
            + "AND ($6::text IS NULL OR c.root_cause_category = $6) AND ($7::text IS NULL OR c.effectiveness_state = $7) "
            + "AND ($8::uuid IS NULL OR c.id > $8) ORDER BY c.id LIMIT $9")
        .execute(Tuple.from(new Object[] {f.status(), f.ownerId(), f.overdue(), f.sourceEventId(), f.documentId(),
            f.rootCauseCategory(), f.effectiveness(), after, limit}))
        .map(rows -> each(rows, CapaRepository::toCapa));
  }

  public Future<Void> setRootCause(SqlConnection connection, UUID id, String category, String description) {
    return connection.preparedQuery("UPDATE capa SET root_cause_category = $2, root_cause_description = $3, "
            + "revision = revision + 1, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, category, description)).mapEmpty();
  }

  public Future<Boolean> close(SqlConnection connection, UUID id, String summary, UUID signatureId, int recordVersion,
                               LocalDate effectivenessDueOn) {
    return connection.preparedQuery("UPDATE capa SET status = 'closed', closed_at = now(), closure_summary = $2, "
            + "closure_signature_id = $3, closure_record_version = $4, effectiveness_due_on = $5, "
            + "effectiveness_state = 'scheduled', revision = revision + 1, updated_at = now() WHERE id = $1 AND status = 'open'")
        .execute(Tuple.of(id, summary, signatureId, recordVersion, effectivenessDueOn))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The effectiveness check fell due (the timer): true when it moved from scheduled to due. */
  public Future<Boolean> effectivenessDue(SqlConnection connection, UUID id) {
    return connection.preparedQuery("UPDATE capa SET effectiveness_state = 'due', updated_at = now() "
            + "WHERE id = $1 AND effectiveness_state = 'scheduled'")
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Boolean> recordEffectiveness(SqlConnection connection, UUID id, String result, String comment,
                                             UUID signatureId) {
    return connection.preparedQuery("UPDATE capa SET effectiveness_state = $2, effectiveness_comment = $3, "
            + "effectiveness_signature_id = $4, effectiveness_checked_at = now(), revision = revision + 1, "
            + "updated_at = now() WHERE id = $1 AND effectiveness_state = 'due'")
        .execute(Tuple.of(id, result, comment, signatureId))
        .map(rows -> rows.rowCount() == 1);
  }

  // ---- actions

  public record NewAction(UUID id, UUID capaId, String kind, String type, String title, String description,
                          String ownerId, String ownerName, LocalDate dueOn, UUID documentId, UUID versionId,
                          String method, Integer passScore, Integer maxAttempts, LocalDate trainingDueOn,
                          UUID[] personIds, UUID[] jobRoleIds, String assignmentState, String createdBy,
                          String createdByName) {
  }

  public Future<Void> insertAction(SqlConnection connection, NewAction a) {
    return connection.preparedQuery("INSERT INTO capa_action (id, capa_id, kind, type, title, description, owner_id, "
            + "owner_name, due_on, document_id, version_id, method, pass_score, max_attempts, training_due_on, person_ids, "
            + "job_role_ids, assignment_state, created_by, created_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
            + "$10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)")
        .execute(Tuple.tuple().addUUID(a.id()).addUUID(a.capaId()).addString(a.kind()).addString(a.type())
            .addString(a.title()).addString(a.description()).addString(a.ownerId()).addString(a.ownerName())
            .addLocalDate(a.dueOn()).addUUID(a.documentId()).addUUID(a.versionId()).addString(a.method())
            .addInteger(a.passScore()).addInteger(a.maxAttempts()).addLocalDate(a.trainingDueOn())
            .addArrayOfUUID(a.personIds()).addArrayOfUUID(a.jobRoleIds()).addString(a.assignmentState())
            .addString(a.createdBy()).addString(a.createdByName()))
        .mapEmpty();
  }

  public Future<JsonObject> action(SqlConnection connection, UUID capaId, UUID actionId, boolean lock) {
    Future<Void> locked = lock
        ? connection.preparedQuery("SELECT id FROM capa_action WHERE id = $1 FOR UPDATE").execute(Tuple.of(actionId))
            .mapEmpty()
        : Future.succeededFuture();
    return locked.compose(v -> connection.preparedQuery(ACTION + "WHERE a.id = $1 AND ($2::uuid IS NULL OR a.capa_id = $2)")
            .execute(Tuple.of(actionId, capaId)))
        .map(rows -> rows.size() == 0 ? null : toAction(rows.iterator().next()));
  }

  public Future<List<JsonObject>> actions(SqlConnection connection, UUID capaId) {
    return connection.preparedQuery(ACTION + "WHERE a.capa_id = $1 ORDER BY a.id").execute(Tuple.of(capaId))
        .map(rows -> each(rows, CapaRepository::toAction));
  }

  /** Completes (or cancels) an open action with a note; false when it was no longer open. */
  public Future<Boolean> closeAction(SqlConnection connection, UUID id, String status, String by, String byName,
                                     String note) {
    return connection.preparedQuery("UPDATE capa_action SET status = $2, closed_at = now(), closed_by = $3, "
            + "closed_by_name = $4, close_note = $5 WHERE id = $1 AND status = 'open'")
        .execute(Tuple.of(id, status, by, byName, note))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The open actions waiting for this assignment, in id order (the order their rows are locked in). */
  public Future<List<UUID>> openActionsOfAssignment(SqlConnection connection, UUID assignmentId) {
    return connection.preparedQuery("SELECT DISTINCT l.action_id FROM capa_action_assignment l "
            + "JOIN capa_action a ON a.id = l.action_id WHERE l.assignment_id = $1 AND a.status = 'open' ORDER BY 1")
        .execute(Tuple.of(assignmentId))
        .map(rows -> each(rows, row -> row.getUUID("action_id")));
  }

  /**
   * {open, completed}: the action's linked assignments still open, and those completed with their completion record
   * (the passing evidence: a completion row exists only for a passed assessment or a signed acknowledgement or entry).
   */
  public Future<long[]> trainingProgress(SqlConnection connection, UUID actionId) {
    return connection.preparedQuery("SELECT count(*) FILTER (WHERE t.status = 'open') AS open, "
            + "count(*) FILTER (WHERE t.status = 'completed' AND EXISTS (SELECT 1 FROM training_completion c "
            + "  WHERE c.assignment_id = t.id)) AS completed "
            + "FROM capa_action_assignment l JOIN training_assignment t ON t.id = l.assignment_id WHERE l.action_id = $1")
        .execute(Tuple.of(actionId))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new long[] {row.getLong("open"), row.getLong("completed")};
        });
  }

  /** How many people a training action would reach: active or on leave, named or holding a named role today. */
  public Future<Long> affectedCount(SqlConnection connection, UUID[] personIds, UUID[] jobRoleIds) {
    return connection.preparedQuery("SELECT count(*) FROM (" + AFFECTED + ") affected")
        .execute(Tuple.tuple().addArrayOfUUID(personIds).addArrayOfUUID(jobRoleIds))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static final String AFFECTED = "SELECT p.id, p.status FROM person p WHERE p.status <> 'terminated' "
      + "AND (p.id = ANY($1::uuid[]) OR EXISTS (SELECT 1 FROM person_job_role h WHERE h.person_id = p.id "
      + "AND h.job_role_id = ANY($2::uuid[]) AND " + CURRENT_HOLDING + "))";

  /**
   * Makes a training action's assignments, set-based: people who hold an open assignment on the version already get it
   * linked, not duplicated; everyone else affected (including people who completed the version: the CAPA found their
   * training deficient) gets a new assignment with cause capa-action, tagged with the action, paused when on leave.
   * Safe to run twice (links are one per person and action). Returns {linked, created}.
   */
  public Future<long[]> assign(SqlConnection connection, JsonObject action, UUID jobId, OffsetDateTime dueAt) {
    UUID actionId = UUID.fromString(action.getString("id"));
    JsonObject training = action.getJsonObject("training");
    UUID[] people = ids(training.getJsonArray("personIds"));
    UUID[] roles = ids(training.getJsonArray("jobRoleIds"));
    UUID versionId = UUID.fromString(training.getJsonObject("version").getString("id"));
    UUID documentId = UUID.fromString(training.getJsonObject("document").getString("id"));
    String affected = AFFECTED.replace("$1::uuid[]", "$3::uuid[]").replace("$2::uuid[]", "$4::uuid[]");
    return connection.preparedQuery("WITH affected AS (" + affected + ") "
            + "INSERT INTO capa_action_assignment (action_id, person_id, assignment_id, link) "
            + "SELECT DISTINCT ON (t.person_id) $1, t.person_id, t.id, 'linked' FROM training_assignment t "
            + "JOIN affected ON affected.id = t.person_id WHERE t.version_id = $2 AND t.status = 'open' "
            + "ORDER BY t.person_id, t.id ON CONFLICT DO NOTHING")
        .execute(Tuple.tuple().addUUID(actionId).addUUID(versionId).addArrayOfUUID(people).addArrayOfUUID(roles))
        .compose(linked -> connection.preparedQuery("WITH affected AS (" + affected + "), made AS ("
                + "INSERT INTO training_assignment (id, person_id, requirement_id, document_id, version_id, cycle, method, "
                + "due_at, cause, job_id, paused_since, capa_action_id, pass_score, max_attempts) "
                + "SELECT uuid_v7(), p.id, NULL, $5, $2, 1, $6, $7, 'capa-action', $8, "
                + "CASE WHEN p.status = 'on_leave' THEN now() END, $1, $9, $10 FROM affected p "
                + "WHERE NOT EXISTS (SELECT 1 FROM capa_action_assignment l WHERE l.action_id = $1 AND l.person_id = p.id) "
                + "ON CONFLICT DO NOTHING RETURNING id, person_id) "
                + "INSERT INTO capa_action_assignment (action_id, person_id, assignment_id, link) "
                + "SELECT $1, person_id, id, 'created' FROM made")
            .execute(Tuple.tuple().addUUID(actionId).addUUID(versionId).addArrayOfUUID(people).addArrayOfUUID(roles)
                .addUUID(documentId).addString(training.getString("method")).addOffsetDateTime(dueAt).addUUID(jobId)
                .addInteger(training.getInteger("passScore")).addInteger(training.getInteger("maxAttempts")))
            .map(created -> new long[] {linked.rowCount(), created.rowCount()}));
  }

  public Future<Void> markAssigned(SqlConnection connection, UUID actionId, UUID jobId) {
    return connection.preparedQuery("UPDATE capa_action SET assignment_state = 'assigned', job_id = coalesce($2, job_id) "
            + "WHERE id = $1").execute(Tuple.of(actionId, jobId)).mapEmpty();
  }

  public Future<Void> markPending(SqlConnection connection, UUID actionId, UUID jobId) {
    return connection.preparedQuery("UPDATE capa_action SET assignment_state = 'pending', job_id = $2 WHERE id = $1")
        .execute(Tuple.of(actionId, jobId)).mapEmpty();
  }

  /** Locks the open assignments the action created (before the action's row: the order a completion takes). */
  public Future<Void> lockCreatedOpen(SqlConnection connection, UUID actionId) {
    return connection.preparedQuery("SELECT t.id FROM training_assignment t WHERE t.capa_action_id = $1 "
            + "AND t.status = 'open' ORDER BY t.id FOR UPDATE").execute(Tuple.of(actionId)).mapEmpty();
  }

  /** Cancels the open assignments the action created (those it linked belong to the matrix and stay); how many. */
  public Future<Long> cancelCreated(SqlConnection connection, UUID actionId, String reason) {
    return connection.preparedQuery("UPDATE training_assignment SET status = 'cancelled', closed_at = now(), "
            + "close_reason = $2 WHERE capa_action_id = $1 AND status = 'open'")
        .execute(Tuple.of(actionId, reason))
        .map(rows -> (long) rows.rowCount());
  }

  /** Linked training of the CAPA still open (or still being assigned by the job runtime). */
  public Future<Long> openTraining(SqlConnection connection, UUID capaId) {
    return connection.preparedQuery("SELECT (SELECT count(*) FROM capa_action a JOIN capa_action_assignment l "
            + "ON l.action_id = a.id JOIN training_assignment t ON t.id = l.assignment_id "
            + "WHERE a.capa_id = $1 AND a.status <> 'cancelled' AND t.status = 'open') "
            + "+ (SELECT count(*) FROM capa_action a WHERE a.capa_id = $1 AND a.assignment_state = 'pending' "
            + "AND a.status = 'open') AS open")
        .execute(Tuple.of(capaId))
        .map(rows -> rows.iterator().next().getLong("open"));
  }

  /**
   * The evidence behind a CAPA's (or one action's) training: every linked assignment with who, which version, its
   * status and, when completed, the completion record (method, result, score, when trained and recorded, signature).
   */
  public Future<JsonArray> evidence(SqlConnection connection, UUID capaId, UUID actionId) {
    return connection.preparedQuery("SELECT a.id AS action_id, t.id AS assignment_id, l.link, t.status, t.cause, "
            + "t.close_reason, p.id AS person_id, p.employee_number, p.given_name, p.family_name, d.id AS document_id, "
            + "d.number AS document_number, v.id AS version_id, v.major, v.minor, c.id AS completion_id, c.method, c.result, "
            + "c.score, c.pass_score, c.trained_at, c.recorded_at, c.signature_id, c.attempt_id "
            + "FROM capa_action a JOIN capa_action_assignment l ON l.action_id = a.id "
            + "JOIN training_assignment t ON t.id = l.assignment_id JOIN person p ON p.id = t.person_id "
            + "JOIN document d ON d.id = t.document_id JOIN document_version v ON v.id = t.version_id "
            + "LEFT JOIN training_completion c ON c.assignment_id = t.id "
            + "WHERE a.capa_id = $1 AND ($2::uuid IS NULL OR a.id = $2) ORDER BY a.id, p.employee_number, t.id")
        .execute(Tuple.of(capaId, actionId))
        .map(rows -> {
          JsonArray found = new JsonArray();
          rows.forEach(row -> {
            UUID completion = row.getUUID("completion_id");
            found.add(new JsonObject()
                .put("actionId", row.getUUID("action_id").toString())
                .put("assignmentId", row.getUUID("assignment_id").toString())
                .put("link", row.getString("link"))
                .put("status", row.getString("status"))
                .put("cause", row.getString("cause"))
                .put("closeReason", row.getString("close_reason"))
                .put("person", new JsonObject().put("id", row.getUUID("person_id").toString())
                    .put("employeeNumber", row.getString("employee_number"))
                    .put("name", row.getString("given_name") + " " + row.getString("family_name")))
                .put("document", new JsonObject().put("id", row.getUUID("document_id").toString())
                    .put("number", row.getString("document_number")))
                .put("version", new JsonObject().put("id", row.getUUID("version_id").toString())
                    .put("version", row.getInteger("major") + "." + row.getInteger("minor")))
                .put("completion", completion == null ? null : new JsonObject()
                    .put("id", completion.toString())
                    .put("method", row.getString("method"))
                    .put("result", row.getString("result"))
                    .put("score", row.getInteger("score"))
                    .put("passScore", row.getInteger("pass_score"))
                    .put("trainedAt", QualityRows.time(row, "trained_at"))
                    .put("recordedAt", QualityRows.time(row, "recorded_at"))
                    .put("signatureId", QualityRows.id(row, "signature_id"))
                    .put("attemptId", QualityRows.id(row, "attempt_id"))));
          });
          return found;
        });
  }

  // ---- revisions driven by quality records

  /** Links a revision to its cause (a change control, or a CAPA's action); false when that link exists. */
  public Future<Boolean> link(SqlConnection connection, UUID id, UUID versionId, UUID documentId, UUID eventId,
                              UUID capaId, UUID actionId, String reason, String by, String byName) {
    return connection.preparedQuery("INSERT INTO quality_revision_link (id, version_id, document_id, event_id, capa_id, "
            + "action_id, reason, linked_by, linked_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
            + "ON CONFLICT DO NOTHING")
        .execute(Tuple.from(new Object[] {id, versionId, documentId, eventId, capaId, actionId, reason, by, byName}))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<JsonArray> linksOfEvent(SqlConnection connection, UUID eventId) {
    return links(connection, "WHERE l.event_id = $1 ORDER BY l.linked_at, l.id", eventId);
  }

  public Future<JsonArray> linksOfCapa(SqlConnection connection, UUID capaId) {
    return links(connection, "WHERE l.capa_id = $1 ORDER BY l.linked_at, l.id", capaId);
  }

  public Future<JsonArray> linksOfVersion(SqlConnection connection, UUID versionId) {
    return links(connection, "WHERE l.version_id = $1 ORDER BY l.linked_at, l.id", versionId);
  }

  /** The open document-change actions a version drives (they complete when it becomes effective). */
  public Future<List<JsonObject>> openActionsOfVersion(SqlConnection connection, UUID versionId) {
    // Locked by a plain statement first: almost no revision is driven by a CAPA action, and every version that becomes
    // effective asks, so the action's full read (joins and subqueries, about 7 ms to plan in a tenant the connection
    // has not seen yet) runs only for the versions that have one.
    return connection.preparedQuery("SELECT id FROM capa_action WHERE version_id = $1 AND type = 'document-change' "
            + "AND status = 'open' ORDER BY id FOR UPDATE")
        .execute(Tuple.of(versionId))
        .compose(locked -> {
          if (locked.size() == 0) {
            return Future.succeededFuture(List.<JsonObject>of());
          }
          List<UUID> ids = new ArrayList<>(locked.size());
          locked.forEach(row -> ids.add(row.getUUID("id")));
          return connection.preparedQuery(ACTION + "WHERE a.id = ANY($1::uuid[]) ORDER BY a.id")
              .execute(Tuple.of(ids.toArray(UUID[]::new)))
              .map(rows -> each(rows, CapaRepository::toAction));
        });
  }

  private Future<JsonArray> links(SqlConnection connection, String where, UUID id) {
    return connection.preparedQuery(LINK + where).execute(Tuple.of(id)).map(rows -> {
      JsonArray found = new JsonArray();
      rows.forEach(row -> found.add(toLink(row)));
      return found;
    });
  }

  private static JsonObject toLink(Row row) {
    UUID eventId = row.getUUID("event_id");
    JsonObject cause = eventId != null
        ? new JsonObject().put("type", "quality-event").put("eventId", eventId.toString())
            .put("number", row.getString("event_number")).put("kind", row.getString("event_kind"))
        : new JsonObject().put("type", "capa-action").put("capaId", row.getUUID("capa_id").toString())
            .put("number", row.getString("capa_number")).put("actionId", row.getUUID("action_id").toString());
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("cause", cause)
        .put("document", new JsonObject().put("id", row.getUUID("document_id").toString())
            .put("number", row.getString("document_number")).put("title", row.getString("document_title")))
        .put("version", new JsonObject().put("id", row.getUUID("version_id").toString())
            .put("version", row.getInteger("major") + "." + row.getInteger("minor")).put("state", row.getString("state"))
            .put("effectiveAt", QualityRows.time(row, "effective_at")))
        .put("retraining", row.getJsonObject("retraining"))
        .put("reason", row.getString("reason"))
        .put("linkedAt", QualityRows.time(row, "linked_at"))
        .put("linkedBy", new JsonObject().put("id", row.getString("linked_by")).put("name", row.getString("linked_by_name")));
  }

  private static JsonObject toCapa(Row row) {
    String category = row.getString("root_cause_category");
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("number", row.getString("number"))
        .put("title", row.getString("title"))
        .put("description", row.getString("description"))
        .put("status", row.getString("status"))
        .put("owner", new JsonObject().put("id", row.getString("owner_id")).put("name", row.getString("owner_name")))
        .put("dueOn", QualityRows.date(row, "due_on"))
        .put("overdue", row.getBoolean("overdue"))
        .put("rootCause", category == null ? null : new JsonObject().put("category", category)
            .put("description", row.getString("root_cause_description")))
        .put("sources", row.getJsonArray("sources"))
        .put("actionCounts", row.getJsonObject("action_counts"))
        .put("revision", row.getInteger("revision"))
        .put("createdAt", QualityRows.time(row, "created_at"))
        .put("createdBy", new JsonObject().put("id", row.getString("created_by")).put("name", row.getString("created_by_name")))
        .put("updatedAt", QualityRows.time(row, "updated_at"))
        .put("closedAt", QualityRows.time(row, "closed_at"))
        .put("closureSummary", row.getString("closure_summary"))
        .put("closureSignatureId", QualityRows.id(row, "closure_signature_id"))
        .put("closureRecordVersion", row.getInteger("closure_record_version"))
        .put("cancelReason", row.getString("cancel_reason"))
        .put("effectiveness", row.getString("effectiveness_state") == null ? null : new JsonObject()
            .put("dueOn", QualityRows.date(row, "effectiveness_due_on"))
            .put("state", row.getString("effectiveness_state"))
            .put("comment", row.getString("effectiveness_comment"))
            .put("checkedAt", QualityRows.time(row, "effectiveness_checked_at"))
            .put("signatureId", QualityRows.id(row, "effectiveness_signature_id")));
  }

  private static JsonObject toAction(Row row) {
    String type = row.getString("type");
    UUID documentId = row.getUUID("document_id");
    JsonObject document = documentId == null ? null : new JsonObject().put("id", documentId.toString())
        .put("number", row.getString("document_number")).put("title", row.getString("document_title"));
    JsonObject version = documentId == null ? null : new JsonObject().put("id", row.getUUID("version_id").toString())
        .put("version", row.getInteger("major") + "." + row.getInteger("minor")).put("state", row.getString("version_state"))
        .put("effectiveAt", QualityRows.time(row, "version_effective_at"));
    JsonObject action = new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("capaId", row.getUUID("capa_id").toString())
        .put("kind", row.getString("kind"))
        .put("type", type)
        .put("title", row.getString("title"))
        .put("description", row.getString("description"))
        .put("owner", new JsonObject().put("id", row.getString("owner_id")).put("name", row.getString("owner_name")))
        .put("dueOn", QualityRows.date(row, "due_on"))
        .put("overdue", row.getBoolean("overdue"))
        .put("status", row.getString("status"))
        .put("createdAt", QualityRows.time(row, "created_at"))
        .put("createdBy", new JsonObject().put("id", row.getString("created_by")).put("name", row.getString("created_by_name")))
        .put("closedAt", QualityRows.time(row, "closed_at"))
        .put("closedBy", row.getString("closed_by") == null ? null : new JsonObject().put("id", row.getString("closed_by"))
            .put("name", row.getString("closed_by_name")))
        .put("closeNote", row.getString("close_note"))
        .put("training", null)
        .put("revision", null);
    if ("training".equals(type)) {
      action.put("training", new JsonObject()
          .put("document", document)
          .put("version", version)
          .put("method", row.getString("method"))
          .put("passScore", row.getInteger("pass_score"))
          .put("maxAttempts", row.getInteger("max_attempts"))
          .put("dueOn", QualityRows.date(row, "training_due_on"))
          .put("personIds", uuids(row.getArrayOfUUIDs("person_ids")))
          .put("jobRoleIds", uuids(row.getArrayOfUUIDs("job_role_ids")))
          .put("assignmentState", row.getString("assignment_state"))
          .put("jobId", QualityRows.id(row, "job_id"))
          .put("assignments", row.getJsonObject("assignments")));
    } else if ("document-change".equals(type)) {
      action.put("revision", new JsonObject().put("document", document).put("version", version));
    }
    return action;
  }

  private static JsonArray uuids(UUID[] values) {
    JsonArray found = new JsonArray();
    if (values != null) {
      for (UUID value : values) {
        found.add(value.toString());
      }
    }
    return found;
  }

  private static UUID[] ids(JsonArray values) {
    UUID[] found = new UUID[values == null ? 0 : values.size()];
    for (int i = 0; i < found.length; i++) {
      found[i] = UUID.fromString(values.getString(i));
    }
    return found;
  }

  private static <T> List<T> each(RowSet<Row> rows, java.util.function.Function<Row, T> map) {
    List<T> found = new ArrayList<>(rows.size());
    rows.forEach(row -> found.add(map.apply(row)));
    return found;
  }
}
