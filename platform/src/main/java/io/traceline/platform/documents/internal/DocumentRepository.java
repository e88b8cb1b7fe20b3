package io.traceline.platform.documents.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.traceline.platform.documents.ReviewRoute;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** SQL of the {@code document} and {@code document_version} tables, on the caller's connection (tenant schema). */
public final class DocumentRepository {

  private static final String DOCUMENT_COLUMNS = "id, number, title, type, owner_id, department, risk_class, "
      + "program_id, (SELECT json_build_object('id', g.id, 'code', g.code, 'name', g.name, 'sponsorName', g.sponsor_name) "
      + "FROM program g WHERE g.id = program_id) AS program, "
      + "review_interval_months, status, revision, created_at, created_by, updated_at, next_review_at, "
      + "last_reviewed_at, (status = 'effective' AND next_review_at < now()) AS review_overdue";
  private static final String VERSION_COLUMNS = "id, document_id, major, minor, revision_kind, change_summary, "
      + "training_impact, impact_justification, state, author_id, author_name, created_at, submitted_at, approved_at, "
      + "approved_by, approved_by_name, effective_at, superseded_at, ended_at, end_reason, review_comments, "
      + "content_sha256, content_media_type, content_file_name, content_size, content_uploaded_at, content_uploaded_by, "
      + "record_version, record_hash, route_order, planned_effective_at";
  private static final String STEP_COLUMNS = "id, version_id, round, stage, position, assignee_id, assignee_name, state, "
      + "signature_id, decided_at, comments";

  /** The program with this code ({@code {id, code, active}}), or null. */
  public Future<JsonObject> program(SqlConnection connection, String code) {
    return connection.preparedQuery("SELECT id, code, active FROM program WHERE code = $1").execute(Tuple.of(code))
        .map(rows -> rows.size() == 0 ? null : new JsonObject().put("id", rows.iterator().next().getUUID("id").toString())
            .put("code", code).put("active", rows.iterator().next().getBoolean("active")));
  }

  private static UUID uuid(String value) {
    return value == null ? null : UUID.fromString(value);
  }

  /** The next sequence number of a numbering scheme such as SOP-QA (locks the scheme's row until commit). */
  public Future<Integer> nextNumber(SqlConnection connection, String scheme) {
    return connection.preparedQuery("INSERT INTO document_number_sequence (scheme, last_value) VALUES ($1, 1) "
            + "ON CONFLICT (scheme) DO UPDATE SET last_value = document_number_sequence.last_value + 1 RETURNING last_value")
        .execute(Tuple.of(scheme))
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  public Future<JsonObject> insert(SqlConnection connection, UUID id, String number, JsonObject d, String createdBy) {
    return connection.preparedQuery("INSERT INTO document (id, number, title, type, owner_id, department, risk_class, "
            + "program_id, review_interval_months, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
            + "RETURNING " + DOCUMENT_COLUMNS)
        .execute(Tuple.from(new Object[] {id, number, d.getString("title"), d.getString("type"), d.getString("ownerId"),
            d.getString("department"), d.getString("riskClass"), uuid(d.getString("programId")),
            d.getInteger("reviewIntervalMonths"), createdBy}))
        .map(DocumentRepository::oneDocument);
  }

  public Future<JsonObject> find(SqlConnection connection, UUID id, boolean forUpdate) {
    return connection.preparedQuery("SELECT " + DOCUMENT_COLUMNS + " FROM document WHERE id = $1"
            + (forUpdate ? " FOR UPDATE" : ""))
        .execute(Tuple.of(id))
        .map(DocumentRepository::oneDocument);
  }

  /**
   * Locks the document for a version's transition by its timer and returns its review interval in months; null when
   * there is no such document. Reads no more than the timer needs: the document as the API shows it names its program,
   * a relation (and its indexes) a tenant's first statement of the day would plan for.
   */
  public Future<Integer> lockForTimer(SqlConnection connection, UUID id) {
    return connection.preparedQuery("SELECT review_interval_months FROM document WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger("review_interval_months"));
  }

  /** Filters of the document list; null matches everything. */
  public record Filter(String type, String status, String ownerId, String department, String program, String text,
                       OffsetDateTime reviewDueBefore) {
  }

  /** Documents in number order after {@code after}. */
  public Future<List<JsonObject>> list(SqlConnection connection, Filter filter, String after, int limit) {
    return connection.preparedQuery("SELECT " + DOCUMENT_COLUMNS + " FROM document "
            + "WHERE ($1::text IS NULL OR type = $1) AND ($2::text IS NULL OR status = $2) "
            + "AND ($3::text IS NULL OR owner_id = $3) AND ($4::text IS NULL OR department = $4) "
            + "AND ($5::text IS NULL OR strpos(lower(number || ' ' || title), lower($5)) > 0) "
            + "AND ($6::text IS NULL OR number > $6) "
            + "AND ($8::text IS NULL OR program_id = (SELECT g.id FROM program g WHERE g.code = $8)) "
            + "AND ($9::timestamptz IS NULL OR (status = 'effective' AND next_review_at < $9)) ORDER BY number LIMIT $7")
        .execute(Tuple.from(new Object[] {filter.type(), filter.status(), filter.ownerId(), filter.department(),
            filter.text(), after, limit, filter.program(), filter.reviewDueBefore()}))
        .map(rows -> {
          List<JsonObject> found = new ArrayList<>();
          rows.forEach(row -> found.add(toDocument(row)));
          return found;
        });
  }

  public Future<JsonObject> update(SqlConnection connection, UUID id, JsonObject d) {
    return connection.preparedQuery("UPDATE document SET title = $2, owner_id = $3, risk_class = $4, program_id = $5, "
            + "review_interval_months = $6, revision = revision + 1, updated_at = now() WHERE id = $1 RETURNING "
            + DOCUMENT_COLUMNS)
        .execute(Tuple.from(new Object[] {id, d.getString("title"), d.getString("ownerId"), d.getString("riskClass"),
            uuid(d.getString("programId")), d.getInteger("reviewIntervalMonths")}))
        .map(DocumentRepository::oneDocument);
  }

  public Future<Void> setStatus(SqlConnection connection, UUID id, String status) {
    return connection.preparedQuery("UPDATE document SET status = $2, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, status)).mapEmpty();
  }

  public Future<List<JsonObject>> versions(SqlConnection connection, UUID documentId) {
    return connection.preparedQuery("SELECT " + VERSION_COLUMNS + " FROM document_version WHERE document_id = $1 "
            + "ORDER BY major, minor")
        .execute(Tuple.of(documentId))
        .map(rows -> {
          List<JsonObject> found = new ArrayList<>();
          rows.forEach(row -> found.add(toVersion(row)));
          return found;
        });
  }

  public Future<JsonObject> version(SqlConnection connection, UUID documentId, UUID versionId) {
    return connection.preparedQuery("SELECT " + VERSION_COLUMNS + " FROM document_version WHERE document_id = $1 AND id = $2")
        .execute(Tuple.of(documentId, versionId))
        .map(DocumentRepository::oneVersion);
  }

  public Future<JsonObject> effective(SqlConnection connection, UUID documentId) {
    return connection.preparedQuery("SELECT " + VERSION_COLUMNS + " FROM document_version WHERE document_id = $1 "
            + "AND state = 'effective'")
        .execute(Tuple.of(documentId))
        .map(DocumentRepository::oneVersion);
  }

  public Future<JsonObject> insertVersion(SqlConnection connection, UUID id, UUID documentId, int major, int minor,
                                          JsonObject v, String authorId, String authorName) {
    return connection.preparedQuery("INSERT INTO document_version (id, document_id, major, minor, revision_kind, "
            + "change_summary, training_impact, impact_justification, state, author_id, author_name) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10) "
            + "ON CONFLICT (document_id) WHERE state IN ('draft', 'in-review', 'approved') DO NOTHING RETURNING "
            + VERSION_COLUMNS)
        .execute(Tuple.from(new Object[] {id, documentId, major, minor, v.getString("revision"),
            v.getString("changeSummary"), v.getString("trainingImpact"), v.getString("impactJustification"),
            authorId, authorName}))
        .map(DocumentRepository::oneVersion);
  }

  /** Moves a version to {@code state}, setting the named timestamp/extra columns; null when it was not in {@code from}. */
  public Future<JsonObject> move(SqlConnection connection, UUID versionId, String from, String to, String assignments,
                                 Object... values) {
    Object[] all = new Object[values.length + 3];
    all[0] = versionId;
    all[1] = from;
    all[2] = to;
    System.arraycopy(values, 0, all, 3, values.length);
    return connection.preparedQuery("UPDATE document_version SET state = $3" + (assignments.isEmpty() ? "" : ", " + assignments)
            + " WHERE id = $1 AND state = $2 RETURNING " + VERSION_COLUMNS)
        .execute(Tuple.from(all))
        .map(DocumentRepository::oneVersion);
  }

  /** Supersedes the document's effective version, if it has one; returns it as superseded, or null. */
  public Future<JsonObject> supersedeEffective(SqlConnection connection, UUID documentId) {
    return connection.preparedQuery("UPDATE document_version SET state = 'superseded', superseded_at = now() "
            + "WHERE document_id = $1 AND state = 'effective' RETURNING " + VERSION_COLUMNS)
        .execute(Tuple.of(documentId))
        .map(DocumentRepository::oneVersion);
  }

  /** A version just made effective, and whether the document has versions numbered below it (in any state). */
  public record MadeEffective(JsonObject version, boolean hasEarlierVersions) {
  }

  /**
   * Makes the approved version effective and writes its "document version effective" event to the outbox (once per
   * version), in one statement; returns the version as effective with whether earlier versions exist (a first version
   * has nobody to supersede or to retrain from an older one, which spares its fan-out that part), or null when it was
   * not approved.
   */
  public Future<MadeEffective> makeEffective(SqlConnection connection, UUID versionId, UUID eventId) {
    return connection.preparedQuery("WITH moved AS (UPDATE document_version SET state = 'effective', effective_at = now() "
            + "WHERE id = $1 AND state = 'approved' RETURNING *), "
            + "event AS (INSERT INTO document_event (id, kind, document_id, version_id, training_impact, effective_at) "
            + "SELECT $2, 'document-version-effective', document_id, id, training_impact, effective_at FROM moved "
            + "ON CONFLICT (kind, version_id) WHERE kind = 'document-version-effective' DO NOTHING) "
            + "SELECT " + VERSION_COLUMNS + ", EXISTS (SELECT 1 FROM document_version o WHERE o.document_id = moved.document_id "
            + "AND (o.major, o.minor) < (moved.major, moved.minor)) AS has_earlier FROM moved")
        .execute(Tuple.of(versionId, eventId))
        .map(rows -> rows.size() == 0 ? null : new MadeEffective(toVersion(rows.iterator().next()),
            rows.iterator().next().getBoolean("has_earlier")));
  }

  /** The document is effective, its next periodic review due at {@code nextReviewAt} (a revision resets it). */
  public Future<Void> markEffective(SqlConnection connection, UUID documentId, OffsetDateTime nextReviewAt) {
    return connection.preparedQuery("UPDATE document SET status = 'effective', next_review_at = $2, updated_at = now() "
            + "WHERE id = $1")
        .execute(Tuple.of(documentId, nextReviewAt)).mapEmpty();
  }

  /** Names the controlled file of a draft version; null when the version is no longer a draft. */
  public Future<JsonObject> attachContent(SqlConnection connection, UUID versionId, String sha256, String mediaType,
                                          String fileName, long size, String uploadedBy) {
    return connection.preparedQuery("UPDATE document_version SET content_sha256 = $2, content_media_type = $3, "
            + "content_file_name = $4, content_size = $5, content_uploaded_at = now(), content_uploaded_by = $6 "
            + "WHERE id = $1 AND state = 'draft' RETURNING " + VERSION_COLUMNS)
        .execute(Tuple.from(new Object[] {versionId, sha256, mediaType, fileName, size, uploadedBy}))
        .map(DocumentRepository::oneVersion);
  }

  /** Freezes a draft into record version {@code round} and puts it in review; null when it is no longer a draft. */
  public Future<JsonObject> submit(SqlConnection connection, UUID versionId, int round, String recordHash,
                                   String routeOrder, OffsetDateTime plannedEffectiveAt) {
    return connection.preparedQuery("UPDATE document_version SET state = 'in-review', submitted_at = now(), "
            + "review_comments = NULL, record_version = $2, record_hash = $3, route_order = $4, planned_effective_at = $5 "
            + "WHERE id = $1 AND state = 'draft' RETURNING " + VERSION_COLUMNS)
        .execute(Tuple.from(new Object[] {versionId, round, recordHash, routeOrder, plannedEffectiveAt}))
        .map(DocumentRepository::oneVersion);
  }

  /**
   * The users among {@code ids} who hold an application role in the tenant, with those roles and whether their
   * account is active. A user who has not signed in yet is known by the name their role grants recorded.
   */
  public Future<Map<String, ReviewRoute.Assignee>> roleHolders(SqlConnection connection, List<String> ids) {
    return connection.preparedQuery("SELECT g.user_id, coalesce(max(u.name), max(g.user_name)) AS name, "
            + "bool_and(coalesce(u.active, true)) AS active, array_agg(DISTINCT g.role) AS roles "
            + "FROM role_grant g LEFT JOIN app_user u ON u.user_id = g.user_id "
            + "WHERE g.user_id = ANY($1) AND g.revoked_at IS NULL GROUP BY g.user_id")
        .execute(Tuple.tuple().addArrayOfString(ids.toArray(new String[0])))
        .map(rows -> {
          Map<String, ReviewRoute.Assignee> found = new HashMap<>();
          rows.forEach(row -> found.put(row.getString("user_id"), new ReviewRoute.Assignee(row.getString("user_id"),
              row.getString("name"), row.getBoolean("active"), Set.of(row.getArrayOfStrings("roles")))));
          return found;
        });
  }

  /** A step of a route to insert. */
  public record NewStep(String stage, int position, String assigneeId, String assigneeName) {
  }

  public Future<Void> insertSteps(SqlConnection connection, UUID versionId, int round, List<NewStep> steps) {
    List<Tuple> batch = new ArrayList<>();
    for (NewStep step : steps) {
      batch.add(Tuple.from(new Object[] {UUID.randomUUID(), versionId, round, step.stage(), step.position(),
          step.assigneeId(), step.assigneeName()}));
    }
    return connection.preparedQuery("INSERT INTO document_route_step (id, version_id, round, stage, position, "
            + "assignee_id, assignee_name) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .executeBatch(batch).mapEmpty();
  }

  /** The steps of one round in signing order (reviews, then approvals, each by position). */
  public Future<List<JsonObject>> steps(SqlConnection connection, UUID versionId, int round) {
    return connection.preparedQuery("SELECT " + STEP_COLUMNS + " FROM document_route_step WHERE version_id = $1 "
            + "AND round = $2 ORDER BY stage = 'approval', position")
        .execute(Tuple.of(versionId, round))
        .map(DocumentRepository::toSteps);
  }

  /** Every step of every round of a version, for its history. */
  public Future<List<JsonObject>> allSteps(SqlConnection connection, UUID versionId) {
    return connection.preparedQuery("SELECT " + STEP_COLUMNS + " FROM document_route_step WHERE version_id = $1 "
            + "ORDER BY round, stage = 'approval', position")
        .execute(Tuple.of(versionId))
        .map(DocumentRepository::toSteps);
  }

  public Future<Void> signStep(SqlConnection connection, UUID stepId, UUID signatureId) {
    return connection.preparedQuery("UPDATE document_route_step SET state = 'signed', signature_id = $2, "
            + "decided_at = now() WHERE id = $1 AND state = 'pending'")
        .execute(Tuple.of(stepId, signatureId)).mapEmpty();
  }

  /** Ends a round: the deciding step (if any) is rejected with the comments, every other pending step cancelled. */
  public Future<Void> closeRound(SqlConnection connection, UUID versionId, int round, UUID rejectingStep, String comments) {
    return connection.preparedQuery("UPDATE document_route_step SET decided_at = now(), "
            + "state = CASE WHEN id = $3 THEN 'rejected' ELSE 'cancelled' END, "
            + "comments = CASE WHEN id = $3 THEN $4 ELSE NULL END "
            + "WHERE version_id = $1 AND round = $2 AND state = 'pending'")
        .execute(Tuple.of(versionId, round, rejectingStep, comments)).mapEmpty();
  }

  /** Sets when a document is next due for periodic review (and, on a completed review, when it last was). */
  public Future<JsonObject> scheduleReview(SqlConnection connection, UUID documentId, OffsetDateTime nextReviewAt,
                                           boolean reviewed) {
    return connection.preparedQuery("UPDATE document SET next_review_at = $2, "
            + "last_reviewed_at = CASE WHEN $3 THEN now() ELSE last_reviewed_at END, updated_at = now(), "
            + "revision = revision + CASE WHEN $3 THEN 1 ELSE 0 END WHERE id = $1 RETURNING " + DOCUMENT_COLUMNS)
        .execute(Tuple.of(documentId, nextReviewAt, reviewed))
        .map(DocumentRepository::oneDocument);
  }

  /** Writes a "document review due" event to the outbox, once per document and due date; true when written now. */
  public Future<Boolean> insertReviewDue(SqlConnection connection, UUID documentId, OffsetDateTime dueAt) {
    return connection.preparedQuery("INSERT INTO document_event (id, kind, document_id, due_at, effective_at) "
            + "VALUES ($1, 'document-review-due', $2, $3, $3) "
            + "ON CONFLICT (kind, document_id, due_at) WHERE kind = 'document-review-due' DO NOTHING")
        .execute(Tuple.of(UUID.randomUUID(), documentId, dueAt))
        .map(rows -> rows.rowCount() == 1);
  }

  private static List<JsonObject> toSteps(RowSet<Row> rows) {
    List<JsonObject> found = new ArrayList<>();
    rows.forEach(row -> found.add(new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("round", row.getInteger("round"))
        .put("stage", row.getString("stage"))
        .put("position", row.getInteger("position"))
        .put("assigneeId", row.getString("assignee_id"))
        .put("assigneeName", row.getString("assignee_name"))
        .put("state", row.getString("state"))
        .put("signatureId", row.getUUID("signature_id") == null ? null : row.getUUID("signature_id").toString())
        .put("decidedAt", time(row, "decided_at"))
        .put("comments", row.getString("comments"))));
    return found;
  }

  private static JsonObject oneDocument(RowSet<Row> rows) {
    return rows.size() == 0 ? null : toDocument(rows.iterator().next());
  }

  private static JsonObject oneVersion(RowSet<Row> rows) {
    return rows.size() == 0 ? null : toVersion(rows.iterator().next());
  }

  private static JsonObject toDocument(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("number", row.getString("number"))
        .put("title", row.getString("title"))
        .put("type", row.getString("type"))
        .put("ownerId", row.getString("owner_id"))
        .put("department", row.getString("department"))
        .put("riskClass", row.getString("risk_class"))
        .put("program", row.getValue("program") instanceof JsonObject program ? program : null)
        .put("reviewIntervalMonths", row.getInteger("review_interval_months"))
        .put("status", row.getString("status"))
        .put("revision", row.getInteger("revision"))
        .put("createdAt", time(row, "created_at"))
        .put("createdBy", row.getString("created_by"))
        .put("updatedAt", time(row, "updated_at"))
        .put("nextReviewAt", time(row, "next_review_at"))
        .put("lastReviewedAt", time(row, "last_reviewed_at"))
        .put("reviewOverdue", Boolean.TRUE.equals(row.getBoolean("review_overdue")));
  }

  private static JsonObject toVersion(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("documentId", row.getUUID("document_id").toString())
        .put("version", row.getInteger("major") + "." + row.getInteger("minor"))
        .put("major", row.getInteger("major"))
        .put("minor", row.getInteger("minor"))
        .put("revision", row.getString("revision_kind"))
        .put("changeSummary", row.getString("change_summary"))
        .put("trainingImpact", row.getString("training_impact"))
        .put("impactJustification", row.getString("impact_justification"))
        .put("state", row.getString("state"))
        .put("authorId", row.getString("author_id"))
        .put("authorName", row.getString("author_name"))
        .put("createdAt", time(row, "created_at"))
        .put("submittedAt", time(row, "submitted_at"))
        .put("approvedAt", time(row, "approved_at"))
        .put("approvedBy", row.getString("approved_by"))
        .put("approvedByName", row.getString("approved_by_name"))
        .put("effectiveAt", time(row, "effective_at"))
        .put("supersededAt", time(row, "superseded_at"))
        .put("endedAt", time(row, "ended_at"))
        .put("endReason", row.getString("end_reason"))
        .put("reviewComments", row.getString("review_comments"))
        .put("content", row.getString("content_sha256") == null ? null : new JsonObject()
            .put("fileName", row.getString("content_file_name"))
            .put("mediaType", row.getString("content_media_type"))
            .put("size", row.getLong("content_size"))
            .put("sha256", row.getString("content_sha256"))
            .put("uploadedAt", time(row, "content_uploaded_at"))
            .put("uploadedBy", row.getString("content_uploaded_by")))
        .put("recordVersion", row.getInteger("record_version"))
        .put("recordHash", row.getString("record_hash"))
        .put("routeOrder", row.getString("route_order"))
        .put("plannedEffectiveAt", time(row, "planned_effective_at"));
  }

  private static String time(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant().toString();
  }
}
