package io.traceline.platform.qualifications.internal;

import java.time.LocalDate;
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

/**
 * SQL of {@code person_qualification} (TRN-7), on the caller's connection (tenant schema). Rows are inserted, changed
 * and revoked, never deleted; the status (qualified, expired, revoked) is computed with the database's date.
 */
public final class PersonQualificationRepository {

  private static final String SELECT = "SELECT q.id, q.person_id, p.employee_number, p.given_name, p.family_name, q.kind, "
      + "q.basis, q.document_id, d.number AS document_number, d.title AS document_title, q.scope, q.granted_on, q.expires_on, "
      + "q.evidence, q.evidence_reference, q.revision, q.granted_at, q.granted_by, q.granted_by_name, q.grant_reason, "
      + "q.updated_at, q.revoked_at, q.revoked_by, q.revoked_by_name, q.revoke_reason, "
      + "CASE WHEN q.revoked_at IS NOT NULL THEN 'revoked' WHEN q.expires_on <= current_date THEN 'expired' "
      + "ELSE 'qualified' END AS status "
      + "FROM person_qualification q JOIN person p ON p.id = q.person_id LEFT JOIN document d ON d.id = q.document_id ";

  /** What a grant records besides who made it. */
  public record Grant(UUID personId, String kind, String basis, UUID documentId, String scope, LocalDate grantedOn,
                      LocalDate expiresOn, String evidence, String evidenceReference) {
  }

  /** Inserts the qualification; null when the person already holds an unrevoked one of the kind (and document). */
  public Future<JsonObject> insert(SqlConnection connection, UUID id, Grant grant, String grantedBy, String grantedByName,
                                   String reason) {
    return connection.preparedQuery("INSERT INTO person_qualification (id, person_id, kind, basis, document_id, scope, "
            + "granted_on, expires_on, evidence, evidence_reference, granted_by, granted_by_name, grant_reason) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING RETURNING id")
        .execute(Tuple.from(new Object[] {id, grant.personId(), grant.kind(), grant.basis(), grant.documentId(),
            grant.scope(), grant.grantedOn(), grant.expiresOn(), grant.evidence(), grant.evidenceReference(), grantedBy,
            grantedByName, reason}))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : find(connection, id, false));
  }

  public Future<JsonObject> find(SqlConnection connection, UUID id, boolean lock) {
    return connection.preparedQuery(SELECT + "WHERE q.id = $1" + (lock ? " FOR UPDATE OF q" : ""))
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()));
  }

  /** The qualifications with these ids, in id order. */
  public Future<List<JsonObject>> findAll(SqlConnection connection, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return connection.preparedQuery(SELECT + "WHERE q.id = ANY($1) ORDER BY q.id")
        .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new)))
        .map(PersonQualificationRepository::toList);
  }

  /** Filters of the qualification list; null matches everything. {@code status}: qualified, expired or revoked. */
  public record Filter(UUID personId, String kind, UUID documentId, String status) {
  }

  public Future<List<JsonObject>> list(SqlConnection connection, Filter filter, UUID after, int limit) {
    return connection.preparedQuery("SELECT * FROM (" + SELECT + "WHERE ($1::uuid IS NULL OR q.person_id = $1) "
            + "AND ($2::text IS NULL OR q.kind = $2) AND ($3::uuid IS NULL OR q.document_id = $3) "
            + "AND ($5::uuid IS NULL OR q.id > $5)) listed WHERE ($4::text IS NULL OR status = $4) ORDER BY id LIMIT $6")
        .execute(Tuple.of(filter.personId(), filter.kind(), filter.documentId(), filter.status(), after, limit))
        .map(PersonQualificationRepository::toList);
  }

  /** Sets the changeable fields and moves the revision on. */
  public Future<JsonObject> update(SqlConnection connection, UUID id, String scope, LocalDate expiresOn, String evidence,
                                   String evidenceReference) {
    return connection.preparedQuery("UPDATE person_qualification SET scope = $2, expires_on = $3, evidence = $4, "
            + "evidence_reference = $5, revision = revision + 1, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, scope, expiresOn, evidence, evidenceReference))
        .compose(v -> find(connection, id, false));
  }

  /** Revokes an unrevoked qualification; null when it was revoked already. */
  public Future<JsonObject> revoke(SqlConnection connection, UUID id, String by, String byName, String reason) {
    return connection.preparedQuery("UPDATE person_qualification SET revoked_at = now(), revoked_by = $2, "
            + "revoked_by_name = $3, revoke_reason = $4, revision = revision + 1, updated_at = now() "
            + "WHERE id = $1 AND revoked_at IS NULL RETURNING id")
        .execute(Tuple.of(id, by, byName, reason))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : find(connection, id, false));
  }

  /**
   * Whether the person holds an unrevoked trainer qualification for the document in force today (granted, not yet
   * expired).
   */
  public Future<Boolean> holdsTrainer(SqlConnection connection, UUID personId, UUID documentId) {
    return connection.preparedQuery("SELECT EXISTS (SELECT 1 FROM person_qualification WHERE kind = 'trainer' "
            + "AND person_id = $1 AND document_id = $2 AND revoked_at IS NULL AND granted_on <= current_date "
            + "AND (expires_on IS NULL OR expires_on > current_date)) AS holds")
        .execute(Tuple.of(personId, documentId))
        .map(rows -> rows.iterator().next().getBoolean("holds"));
  }

  private static List<JsonObject> toList(RowSet<Row> rows) {
    List<JsonObject> found = new ArrayList<>();
    rows.forEach(row -> found.add(toJson(row)));
    return found;
  }

  private static JsonObject toJson(Row row) {
    UUID documentId = row.getUUID("document_id");
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("person", new JsonObject().put("id", row.getUUID("person_id").toString())
            .put("employeeNumber", row.getString("employee_number"))
            .put("name", row.getString("given_name") + " " + row.getString("family_name")))
        .put("kind", row.getString("kind"))
        .put("basis", row.getString("basis"))
        .put("document", documentId == null ? null : new JsonObject().put("id", documentId.toString())
            .put("number", row.getString("document_number")).put("title", row.getString("document_title")))
        .put("scope", row.getString("scope"))
        .put("grantedOn", date(row, "granted_on"))
        .put("expiresOn", date(row, "expires_on"))
        .put("evidence", row.getString("evidence"))
        .put("evidenceReference", row.getString("evidence_reference"))
        .put("status", row.getString("status"))
        .put("revision", row.getInteger("revision"))
        .put("grantedAt", time(row, "granted_at"))
        .put("grantedBy", new JsonObject().put("id", row.getString("granted_by")).put("name", row.getString("granted_by_name")))
        .put("grantReason", row.getString("grant_reason"))
        .put("updatedAt", time(row, "updated_at"))
        .put("revokedAt", time(row, "revoked_at"))
        .put("revokedBy", row.getString("revoked_by") == null ? null : new JsonObject().put("id", row.getString("revoked_by"))
            .put("name", row.getString("revoked_by_name")))
        .put("revokeReason", row.getString("revoke_reason"));
  }

  private static String date(Row row, String column) {
    LocalDate value = row.getLocalDate(column);
    return value == null ? null : value.toString();
  }

  private static String time(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant().toString();
  }
}
