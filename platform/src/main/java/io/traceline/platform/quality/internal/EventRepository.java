package io.traceline.platform.quality.internal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** SQL of quality events, their numbers and the references they name, on the caller's connection (tenant schema). */
public final class EventRepository {

  private static final String EVENT = "SELECT e.id, e.number, e.kind, e.audit_source, e.title, e.description, e.severity, "
      + "e.status, e.occurred_on, e.due_on, e.owner_id, e.owner_name, e.process, e.root_cause_category, e.document_ids, "
      + "e.person_ids, e.job_role_ids, e.revision, e.created_at, e.created_by, e.created_by_name, e.updated_at, "
      + "e.closed_at, e.closure_signature_id, e.approval_signature_id, e.end_reason, "
      + "(e.status NOT IN ('closed', 'cancelled') AND e.due_on < current_date) AS overdue, "
      + "(SELECT coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'number', d.number, 'title', d.title) ORDER BY d.number), "
      + "  '[]') FROM document d WHERE d.id = ANY(e.document_ids)) AS documents, "
      + "(SELECT coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'employeeNumber', p.employee_number, 'name', "
      + "  p.given_name || ' ' || p.family_name) ORDER BY p.employee_number), '[]') FROM person p "
      + "  WHERE p.id = ANY(e.person_ids)) AS people, "
      + "(SELECT coalesce(jsonb_agg(jsonb_build_object('id', j.id, 'code', j.code, 'name', j.name) ORDER BY j.code), '[]') "
      + "  FROM job_role j WHERE j.id = ANY(e.job_role_ids)) AS job_roles, "
      + "(SELECT jsonb_build_object('id', c.id, 'number', c.number, 'rootCauseCategory', c.root_cause_category) "
      + "  FROM capa c WHERE c.id = e.repeat_of_capa_id) AS repeat_of, "
      + "(SELECT coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'number', c.number, 'status', c.status) "
      + "  ORDER BY c.number), '[]') FROM capa_source s JOIN capa c ON c.id = s.capa_id WHERE s.event_id = e.id) AS capas "
      + "FROM quality_event e ";

  /** The next number of a prefix (DEV-0001…): gapless, taken under the prefix's row lock until the caller commits. */
  public Future<String> nextNumber(SqlConnection connection, String prefix) {
    return connection.preparedQuery("INSERT INTO quality_number (prefix, last) VALUES ($1, 1) ON CONFLICT (prefix) "
            + "DO UPDATE SET last = quality_number.last + 1 RETURNING last")
        .execute(Tuple.of(prefix))
        .map(rows -> prefix + "-" + String.format("%04d", rows.iterator().next().getInteger("last")));
  }

  /** A new event's columns. */
  public record NewEvent(UUID id, String number, String kind, String auditSource, String title, String description,
                         String severity, LocalDate occurredOn, LocalDate dueOn, String ownerId, String ownerName,
                         String process, String rootCauseCategory, UUID[] documentIds, UUID[] personIds,
                         UUID[] jobRoleIds, String createdBy, String createdByName) {
  }

  public Future<JsonObject> insert(SqlConnection connection, NewEvent e) {
    return connection.preparedQuery("INSERT INTO quality_event (id, number, kind, audit_source, title, description, "
            + "severity, occurred_on, due_on, owner_id, owner_name, process, root_cause_category, document_ids, person_ids, "
            + "job_role_ids, created_by, created_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
            + "$14, $15, $16, $17, $18)")
        .execute(Tuple.tuple().addUUID(e.id()).addString(e.number()).addString(e.kind()).addString(e.auditSource())
            .addString(e.title()).addString(e.description()).addString(e.severity()).addLocalDate(e.occurredOn())
            .addLocalDate(e.dueOn()).addString(e.ownerId()).addString(e.ownerName()).addString(e.process())
            .addString(e.rootCauseCategory()).addArrayOfUUID(e.documentIds()).addArrayOfUUID(e.personIds())
            .addArrayOfUUID(e.jobRoleIds()).addString(e.createdBy()).addString(e.createdByName()))
        .compose(v -> find(connection, e.id(), false));
  }

  public Future<JsonObject> find(SqlConnection connection, UUID id, boolean lock) {
    Future<Void> locked = lock
        ? connection.preparedQuery("SELECT id FROM quality_event WHERE id = $1 FOR UPDATE").execute(Tuple.of(id)).mapEmpty()
        : Future.succeededFuture();
    return locked.compose(v -> connection.preparedQuery(EVENT + "WHERE e.id = $1").execute(Tuple.of(id)))
        .map(rows -> rows.size() == 0 ? null : toEvent(rows.iterator().next()));
  }

  /** Filters of the event list; null matches everything. */
  public record Filter(String kind, String status, String severity, String ownerId, Boolean overdue, UUID documentId,
                       Boolean repeat) {
  }

  public Future<List<JsonObject>> list(SqlConnection connection, Filter f, UUID after, int limit) {
    return connection.preparedQuery(EVENT + "WHERE ($1::text IS NULL OR e.kind = $1) AND ($2::text IS NULL OR e.status = $2) "
            + "AND ($3::text IS NULL OR e.severity = $3) AND ($4::text IS NULL OR e.owner_id = $4) "
            + "AND ($5::boolean IS NULL OR (e.status NOT IN ('closed', 'cancelled') AND e.due_on < current_date) = $5) "
            + "AND ($6::uuid IS NULL OR e.document_ids @> ARRAY[$6::uuid]) "
            + "AND ($7::boolean IS NULL OR (e.repeat_of_capa_id IS NOT NULL) = $7) "
            + "AND ($8::uuid IS NULL OR e.id > $8) ORDER BY e.id LIMIT $9")
        .execute(Tuple.from(new Object[] {f.kind(), f.status(), f.severity(), f.ownerId(), f.overdue(), f.documentId(),
            f.repeat(), after, limit}))
        .map(rows -> {
          List<JsonObject> found = new ArrayList<>();
          rows.forEach(row -> found.add(toEvent(row)));
          return found;
        });
  }

  /** Moves the event to {@code status}; the extra assignments ({@code $3}…) set what the move records. */
  public Future<Boolean> move(SqlConnection connection, UUID id, String from, String to, String assignments,
                              Object... values) {
    Object[] all = new Object[3 + values.length];
    all[0] = id;
    all[1] = from;
    all[2] = to;
    System.arraycopy(values, 0, all, 3, values.length);
    return connection.preparedQuery("UPDATE quality_event SET status = $3, revision = revision + 1, updated_at = now()"
            + (assignments.isEmpty() ? "" : ", " + assignments) + " WHERE id = $1 AND status = $2")
        .execute(Tuple.from(all))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Void> setRootCause(SqlConnection connection, UUID id, String category) {
    return connection.preparedQuery("UPDATE quality_event SET root_cause_category = $2 WHERE id = $1")
        .execute(Tuple.of(id, category)).mapEmpty();
  }

  public Future<Void> flagRepeat(SqlConnection connection, UUID id, UUID capaId) {
    return connection.preparedQuery("UPDATE quality_event SET repeat_of_capa_id = $2 WHERE id = $1")
        .execute(Tuple.of(id, capaId)).mapEmpty();
  }

  /**
   * The latest earlier CAPA (not cancelled) with this root-cause category, made within {@code months}, whose source
   * events (other than {@code eventId}) or actions concern one of the documents, or whose source events name the same
   * process: {id, number}, or null.
   */
  public Future<JsonObject> earlierCapa(SqlConnection connection, UUID eventId, String category, UUID[] documentIds,
                                        String process, int months) {
    return connection.preparedQuery("SELECT c.id, c.number FROM capa c WHERE c.root_cause_category = $2 "
            + "AND c.status <> 'cancelled' AND c.created_at >= now() - make_interval(months => $5) "
            + "AND (EXISTS (SELECT 1 FROM capa_source s JOIN quality_event e ON e.id = s.event_id WHERE s.capa_id = c.id "
            + "  AND e.id <> $1 AND (e.document_ids && $3::uuid[] OR (e.process IS NOT NULL AND $4::text IS NOT NULL "
            + "  AND lower(e.process) = lower($4)))) "
            + "OR EXISTS (SELECT 1 FROM capa_action a WHERE a.capa_id = c.id AND a.document_id = ANY($3::uuid[]))) "
            + "ORDER BY c.created_at DESC LIMIT 1")
        .execute(Tuple.tuple().addUUID(eventId).addString(category).addArrayOfUUID(documentIds).addString(process)
            .addInteger(months))
        .map(rows -> rows.size() == 0 ? null : new JsonObject().put("id", rows.iterator().next().getUUID("id").toString())
            .put("number", rows.iterator().next().getString("number")));
  }

  /** Which of {@code ids} exist in {@code table} (document, person, job_role): the missing ones' positions. */
  public Future<List<Integer>> missing(SqlConnection connection, String table, UUID[] ids, String condition) {
    return connection.preparedQuery("SELECT n FROM unnest($1::uuid[]) WITH ORDINALITY AS given(id, n) "
            + "WHERE NOT EXISTS (SELECT 1 FROM " + table + " t WHERE t.id = given.id" + (condition == null ? "" : " AND "
            + condition) + ") ORDER BY n")
        .execute(Tuple.tuple().addArrayOfUUID(ids))
        .map(rows -> {
          List<Integer> positions = new ArrayList<>();
          rows.forEach(row -> positions.add(row.getLong("n").intValue() - 1));
          return positions;
        });
  }

  /** The printed name of a user holding an active application role in the tenant, or null. */
  public Future<String> roleHolderName(SqlConnection connection, String userId) {
    return connection.preparedQuery("SELECT coalesce(max(u.name), max(g.user_name)) AS name FROM role_grant g "
            + "LEFT JOIN app_user u ON u.user_id = g.user_id WHERE g.user_id = $1 AND g.revoked_at IS NULL "
            + "AND coalesce(u.active, true) HAVING count(*) > 0")
        .execute(Tuple.of(userId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("name"));
  }

  private static JsonObject toEvent(Row row) {
    JsonObject repeatOf = row.getJsonObject("repeat_of");
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("number", row.getString("number"))
        .put("kind", row.getString("kind"))
        .put("auditSource", row.getString("audit_source"))
        .put("title", row.getString("title"))
        .put("description", row.getString("description"))
        .put("severity", row.getString("severity"))
        .put("status", row.getString("status"))
        .put("occurredOn", row.getLocalDate("occurred_on").toString())
        .put("dueOn", row.getLocalDate("due_on").toString())
        .put("overdue", row.getBoolean("overdue"))
        .put("owner", new JsonObject().put("id", row.getString("owner_id")).put("name", row.getString("owner_name")))
        .put("process", row.getString("process"))
        .put("rootCauseCategory", row.getString("root_cause_category"))
        .put("documents", row.getJsonArray("documents"))
        .put("people", row.getJsonArray("people"))
        .put("jobRoles", row.getJsonArray("job_roles"))
        .put("repeatOf", repeatOf)
        .put("capas", row.getJsonArray("capas") == null ? new JsonArray() : row.getJsonArray("capas"))
        .put("revision", row.getInteger("revision"))
        .put("createdAt", QualityRows.time(row, "created_at"))
        .put("createdBy", new JsonObject().put("id", row.getString("created_by")).put("name", row.getString("created_by_name")))
        .put("updatedAt", QualityRows.time(row, "updated_at"))
        .put("closedAt", QualityRows.time(row, "closed_at"))
        .put("endReason", row.getString("end_reason"))
        .put("approvalSignatureId", QualityRows.id(row, "approval_signature_id"))
        .put("closureSignatureId", QualityRows.id(row, "closure_signature_id"));
  }
}
