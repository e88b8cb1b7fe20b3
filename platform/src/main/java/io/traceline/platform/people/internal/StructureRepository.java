package io.traceline.platform.people.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.people.StructureKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** SQL of the {@code site}, {@code department}, {@code job_role} and {@code program} tables, on the caller's connection (tenant schema). */
public final class StructureRepository {

  private static final String COMMON = "t.id, t.code, t.name, t.active, t.revision, t.created_at, t.updated_at";

  /** Inserts the record; null when its code is taken (per tenant; a department's per site). */
  public Future<JsonObject> insert(SqlConnection connection, StructureKind kind, UUID id, JsonObject values) {
    String sql = switch (kind) {
      case SITE -> "INSERT INTO site (id, code, name, country, timezone) VALUES ($1, $2, $3, $4, $5)";
      case DEPARTMENT -> "INSERT INTO department (id, code, name, site_id) VALUES ($1, $2, $3, $4)";
      case JOB_ROLE -> "INSERT INTO job_role (id, code, name, description) VALUES ($1, $2, $3, $4)";
      case PROGRAM -> "INSERT INTO program (id, code, name, sponsor_name) VALUES ($1, $2, $3, $4)";
    };
    Tuple tuple = Tuple.of(id, values.getString("code"), values.getString("name"));
    switch (kind) {
      case SITE -> tuple.addString(values.getString("country")).addString(values.getString("timezone"));
      case DEPARTMENT -> tuple.addUUID(UUID.fromString(values.getString("siteId")));
      case JOB_ROLE -> tuple.addString(values.getString("description"));
      case PROGRAM -> tuple.addString(values.getString("sponsorName"));
    }
    return connection.preparedQuery(sql + " ON CONFLICT DO NOTHING RETURNING id").execute(tuple)
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : find(connection, kind, id, false));
  }

  public Future<JsonObject> find(SqlConnection connection, StructureKind kind, UUID id, boolean forUpdate) {
    return connection.preparedQuery(select(kind) + " WHERE t.id = $1" + (forUpdate ? " FOR UPDATE OF t" : ""))
        .execute(Tuple.of(id))
        .map(rows -> first(kind, rows));
  }

  /**
   * Records in (code, id) order after the record {@code after}; null filters match everything. {@code siteId} filters
   * departments only.
   */
  public Future<List<JsonObject>> list(SqlConnection connection, StructureKind kind, Boolean active, String text,
                                       UUID siteId, UUID after, int limit) {
    boolean bySite = kind == StructureKind.DEPARTMENT;
    Tuple parameters = Tuple.of(active, text, after, limit);
    if (bySite) {
      parameters.addUUID(siteId);
    }
    return connection.preparedQuery(select(kind) + " WHERE ($1::boolean IS NULL OR t.active = $1) "
            + "AND ($2::text IS NULL OR strpos(lower(t.code || ' ' || t.name), lower($2)) > 0) "
            + "AND ($3::uuid IS NULL OR (t.code, t.id) > (SELECT a.code, a.id FROM " + table(kind) + " a WHERE a.id = $3)) "
            + (bySite ? "AND ($5::uuid IS NULL OR t.site_id = $5) " : "")
            + "ORDER BY t.code, t.id LIMIT $4")
        .execute(parameters)
        .map(rows -> {
          List<JsonObject> found = new ArrayList<>(rows.size());
          rows.forEach(row -> found.add(toJson(kind, row)));
          return found;
        });
  }

  /** Sets the editable fields (columns of the same names) and the active flag to {@code merged}'s, as a new revision. */
  public Future<JsonObject> update(SqlConnection connection, StructureKind kind, UUID id, JsonObject merged) {
    StringBuilder assignments = new StringBuilder("active = $2");
    Tuple tuple = Tuple.of(id, merged.getBoolean("active"));
    for (String field : kind.editable()) {
      tuple.addString(merged.getString(field));
      assignments.append(", ").append(column(field)).append(" = $").append(tuple.size());
    }
    return connection.preparedQuery("UPDATE " + table(kind) + " SET " + assignments
            + ", revision = revision + 1, updated_at = now() WHERE id = $1")
        .execute(tuple)
        .compose(updated -> find(connection, kind, id, false));
  }

  private static String table(StructureKind kind) {
    return switch (kind) {
      case SITE -> "site";
      case DEPARTMENT -> "department";
      case JOB_ROLE -> "job_role";
      case PROGRAM -> "program";
    };
  }

  /** The column of an editable field: sponsorName is sponsor_name. */
  private static String column(String field) {
    return field.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
  }

  private static String select(StructureKind kind) {
    return switch (kind) {
      case SITE -> "SELECT " + COMMON + ", t.country, t.timezone FROM site t";
      case DEPARTMENT -> "SELECT " + COMMON + ", t.site_id, s.code AS site_code, s.name AS site_name "
          + "FROM department t JOIN site s ON s.id = t.site_id";
      case JOB_ROLE -> "SELECT " + COMMON + ", t.description FROM job_role t";
      case PROGRAM -> "SELECT " + COMMON + ", t.sponsor_name FROM program t";
    };
  }

  private static JsonObject first(StructureKind kind, RowSet<Row> rows) {
    return rows.size() == 0 ? null : toJson(kind, rows.iterator().next());
  }

  private static JsonObject toJson(StructureKind kind, Row row) {
    JsonObject json = new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("code", row.getString("code"))
        .put("name", row.getString("name"));
    switch (kind) {
      case SITE -> json.put("country", row.getString("country")).put("timezone", row.getString("timezone"));
      case DEPARTMENT -> json.put("site", new JsonObject().put("id", row.getUUID("site_id").toString())
          .put("code", row.getString("site_code")).put("name", row.getString("site_name")));
      case JOB_ROLE -> json.put("description", row.getString("description"));
      case PROGRAM -> json.put("sponsorName", row.getString("sponsor_name"));
    }
    return json
        .put("active", row.getBoolean("active"))
        .put("revision", row.getInteger("revision"))
        .put("createdAt", Times.instant(row, "created_at"))
        .put("updatedAt", Times.instant(row, "updated_at"));
  }
}
