package io.traceline.platform.documents.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** SQL of the {@code document} and {@code document_version} tables, on the caller's connection (tenant schema). */
public final class DocumentRepository {

  private static final String DOCUMENT_COLUMNS = "id, number, title, type, owner_id, department, risk_class, "
      + "sponsor_program, review_interval_months, status, revision, created_at, created_by, updated_at";
  private static final String VERSION_COLUMNS = "id, document_id, major, minor, revision_kind, change_summary, "
      + "training_impact, impact_justification, state, author_id, author_name, created_at, submitted_at, approved_at, "
      + "approved_by, approved_by_name, effective_at, superseded_at, ended_at, end_reason, review_comments";

  /** The next sequence number of a numbering scheme such as SOP-QA (locks the scheme's row until commit). */
  public Future<Integer> nextNumber(SqlConnection connection, String scheme) {
    return connection.preparedQuery("INSERT INTO document_number_sequence (scheme, last_value) VALUES ($1, 1) "
            + "ON CONFLICT (scheme) DO UPDATE SET last_value = document_number_sequence.last_value + 1 RETURNING last_value")
        .execute(Tuple.of(scheme))
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  public Future<JsonObject> insert(SqlConnection connection, UUID id, String number, JsonObject d, String createdBy) {
    return connection.preparedQuery("INSERT INTO document (id, number, title, type, owner_id, department, risk_class, "
            + "sponsor_program, review_interval_months, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
            + "RETURNING " + DOCUMENT_COLUMNS)
        .execute(Tuple.from(new Object[] {id, number, d.getString("title"), d.getString("type"), d.getString("ownerId"),
            d.getString("department"), d.getString("riskClass"), d.getString("sponsorProgram"),
            d.getInteger("reviewIntervalMonths"), createdBy}))
        .map(DocumentRepository::oneDocument);
  }

  public Future<JsonObject> find(SqlConnection connection, UUID id, boolean forUpdate) {
    return connection.preparedQuery("SELECT " + DOCUMENT_COLUMNS + " FROM document WHERE id = $1"
            + (forUpdate ? " FOR UPDATE" : ""))
        .execute(Tuple.of(id))
        .map(DocumentRepository::oneDocument);
  }

  /** Documents in number order after {@code after}; null filters match everything. */
  public Future<List<JsonObject>> list(SqlConnection connection, String type, String status, String ownerId,
                                       String department, String text, String after, int limit) {
    return connection.preparedQuery("SELECT " + DOCUMENT_COLUMNS + " FROM document "
            + "WHERE ($1::text IS NULL OR type = $1) AND ($2::text IS NULL OR status = $2) "
            + "AND ($3::text IS NULL OR owner_id = $3) AND ($4::text IS NULL OR department = $4) "
            + "AND ($5::text IS NULL OR strpos(lower(number || ' ' || title), lower($5)) > 0) "
            + "AND ($6::text IS NULL OR number > $6) ORDER BY number LIMIT $7")
        .execute(Tuple.from(new Object[] {type, status, ownerId, department, text, after, limit}))
        .map(rows -> {
          List<JsonObject> found = new ArrayList<>();
          rows.forEach(row -> found.add(toDocument(row)));
          return found;
        });
  }

  public Future<JsonObject> update(SqlConnection connection, UUID id, JsonObject d) {
    return connection.preparedQuery("UPDATE document SET title = $2, owner_id = $3, risk_class = $4, sponsor_program = $5, "
            + "review_interval_months = $6, revision = revision + 1, updated_at = now() WHERE id = $1 RETURNING "
            + DOCUMENT_COLUMNS)
        .execute(Tuple.from(new Object[] {id, d.getString("title"), d.getString("ownerId"), d.getString("riskClass"),
            d.getString("sponsorProgram"), d.getInteger("reviewIntervalMonths")}))
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

  /** Writes an event for other features (training) to the outbox; once per kind and version. */
  public Future<Void> insertEvent(SqlConnection connection, UUID id, String kind, JsonObject version) {
    return connection.preparedQuery("INSERT INTO document_event (id, kind, document_id, version_id, training_impact, "
            + "effective_at) SELECT $1, $2, document_id, id, training_impact, effective_at FROM document_version "
            + "WHERE id = $3 ON CONFLICT (kind, version_id) DO NOTHING")
        .execute(Tuple.of(id, kind, UUID.fromString(version.getString("id"))))
        .mapEmpty();
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
        .put("sponsorProgram", row.getString("sponsor_program"))
        .put("reviewIntervalMonths", row.getInteger("review_interval_months"))
        .put("status", row.getString("status"))
        .put("revision", row.getInteger("revision"))
        .put("createdAt", time(row, "created_at"))
        .put("createdBy", row.getString("created_by"))
        .put("updatedAt", time(row, "updated_at"));
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
        .put("reviewComments", row.getString("review_comments"));
  }

  private static String time(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant().toString();
  }
}
