package io.traceline.platform.people.internal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.people.PersonFilter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** SQL of the {@code person} table, on the caller's connection (tenant schema). */
public final class PersonRepository {

  /** A holding that has not ended: in force today, or from a later date. An empty period never held. */
  static final String NOT_ENDED = "(h.valid_to IS NULL OR h.valid_to > greatest(h.valid_from, current_date))";

  private static final String SELECT = "SELECT p.id, p.employee_number, p.given_name, p.family_name, p.email, p.status, "
      + "p.status_since, p.contractor, p.user_id, p.hired_on, p.revision, p.created_at, p.updated_at, "
      + "p.site_id, s.code AS site_code, s.name AS site_name, "
      + "p.department_id, d.code AS department_code, d.name AS department_name, "
      + "p.manager_id, m.employee_number AS manager_number, m.given_name || ' ' || m.family_name AS manager_name, "
      + "(SELECT coalesce(json_agg(json_build_object('holdingId', h.id, 'id', j.id, 'code', j.code, 'name', j.name, "
      + "  'validFrom', h.valid_from, 'validTo', h.valid_to) ORDER BY j.code), '[]') "
      + "  FROM person_job_role h JOIN job_role j ON j.id = h.job_role_id WHERE h.person_id = p.id AND " + NOT_ENDED
      + ") AS job_roles, "
      + "(SELECT coalesce(json_agg(json_build_object('membershipId', h.id, 'id', g.id, 'code', g.code, 'name', g.name, "
      + "  'validFrom', h.valid_from, 'validTo', h.valid_to) ORDER BY g.code), '[]') "
      + "  FROM person_program h JOIN program g ON g.id = h.program_id WHERE h.person_id = p.id AND " + NOT_ENDED
      + ") AS programs "
      + "FROM person p JOIN site s ON s.id = p.site_id JOIN department d ON d.id = p.department_id "
      + "LEFT JOIN person m ON m.id = p.manager_id ";

  /** Serializes changes of the manager relation in this tenant until the transaction ends, so no two make a cycle. */
  public Future<Void> lockManagerRelation(SqlConnection connection) {
    return connection.preparedQuery("SELECT pg_advisory_xact_lock(hashtext(current_schema()), hashtext('person.manager'))")
        .execute().mapEmpty();
  }

  public Future<JsonObject> find(SqlConnection connection, UUID id, boolean forUpdate) {
    return connection.preparedQuery(SELECT + "WHERE p.id = $1" + (forUpdate ? " FOR UPDATE OF p" : ""))
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()));
  }

  /** The people with these ids, in employee-number order. */
  public Future<List<JsonObject>> findAll(SqlConnection connection, List<UUID> ids) {
    return connection.preparedQuery(SELECT + "WHERE p.id = ANY($1) ORDER BY p.employee_number")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .map(PersonRepository::toList);
  }

  /** People in employee-number order after {@code after}; null filters match everything. */
  public Future<List<JsonObject>> list(SqlConnection connection, PersonFilter filter, String after, int limit) {
    return connection.preparedQuery(SELECT + "WHERE ($1::text IS NULL OR p.status = $1) "
            + "AND ($2::uuid IS NULL OR p.site_id = $2) AND ($3::uuid IS NULL OR p.department_id = $3) "
            + "AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM person_job_role h WHERE h.person_id = p.id "
            + "  AND h.job_role_id = $4 AND " + NOT_ENDED + ")) "
            + "AND ($5::uuid IS NULL OR p.manager_id = $5) AND ($6::boolean IS NULL OR p.contractor = $6) "
            + "AND ($7::text IS NULL OR strpos(lower(p.employee_number || ' ' || p.given_name || ' ' || p.family_name), "
            + "  lower($7)) > 0) "
            + "AND ($8::text IS NULL OR p.employee_number > $8) "
            + "AND ($10::uuid IS NULL OR EXISTS (SELECT 1 FROM person_program h WHERE h.person_id = p.id "
            + "  AND h.program_id = $10 AND " + NOT_ENDED + ")) ORDER BY p.employee_number LIMIT $9")
        .execute(Tuple.from(new Object[] {filter.status(), filter.siteId(), filter.departmentId(), filter.jobRoleId(),
            filter.managerId(), filter.contractor(), filter.text(), after, limit, filter.programId()}))
        .map(PersonRepository::toList);
  }

  /** Inserts an active person; null when the employee number is taken. */
  public Future<JsonObject> insert(SqlConnection connection, UUID id, JsonObject person) {
    return connection.preparedQuery("INSERT INTO person (id, employee_number, given_name, family_name, email, status, "
            + "status_since, site_id, department_id, manager_id, contractor, user_id, hired_on) "
            + "VALUES ($1, $2, $3, $4, $5, 'active', $11, $6, $7, $8, $9, $10, $11) "
            + "ON CONFLICT (employee_number) DO NOTHING RETURNING id")
        .execute(fields(id, person))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : find(connection, id, false));
  }

  /** Replaces the person's details (not the status) with {@code person}'s, as a new revision. */
  public Future<JsonObject> update(SqlConnection connection, UUID id, JsonObject person) {
    return connection.preparedQuery("UPDATE person SET employee_number = $2, given_name = $3, family_name = $4, "
            + "email = $5, site_id = $6, department_id = $7, manager_id = $8, contractor = $9, user_id = $10, "
            + "hired_on = $11, revision = revision + 1, updated_at = now() WHERE id = $1")
        .execute(fields(id, person))
        .compose(updated -> find(connection, id, false));
  }

  public Future<JsonObject> setStatus(SqlConnection connection, UUID id, String status, LocalDate since) {
    return connection.preparedQuery("UPDATE person SET status = $2, status_since = $3, revision = revision + 1, "
            + "updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, status, since))
        .compose(updated -> find(connection, id, false));
  }

  /** The employee number of the person whose login is {@code userId}, other than {@code except}; null when none. */
  public Future<String> loginHolder(SqlConnection connection, String userId, UUID except) {
    return connection.preparedQuery("SELECT employee_number FROM person WHERE user_id = $1 AND id IS DISTINCT FROM $2")
        .execute(Tuple.of(userId, except))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /** Whether someone other than {@code except} has the employee number. */
  public Future<Boolean> employeeNumberTaken(SqlConnection connection, String employeeNumber, UUID except) {
    return connection.preparedQuery("SELECT 1 FROM person WHERE employee_number = $1 AND id <> $2")
        .execute(Tuple.of(employeeNumber, except))
        .map(rows -> rows.size() > 0);
  }

  /** Whether {@code person} is {@code manager} or above them in the manager chain (a new manager would close a cycle). */
  public Future<Boolean> managesUp(SqlConnection connection, UUID manager, UUID person) {
    return connection.preparedQuery("WITH RECURSIVE chain (id, path) AS (SELECT $1::uuid, ARRAY[$1::uuid] "
            + "UNION ALL SELECT p.manager_id, c.path || p.manager_id FROM chain c JOIN person p ON p.id = c.id "
            + "WHERE p.manager_id IS NOT NULL AND NOT p.manager_id = ANY (c.path)) "
            + "SELECT EXISTS (SELECT 1 FROM chain WHERE id = $2)")
        .execute(Tuple.of(manager, person))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /**
   * What a person's references point at: the site's active flag (null: no such site), the department's active flag
   * (null: no such department), the department's site, and whether the manager exists.
   */
  public Future<References> references(SqlConnection connection, UUID siteId, UUID departmentId, UUID managerId) {
    return connection.preparedQuery("SELECT (SELECT active FROM site WHERE id = $1) AS site_active, "
            + "d.active AS department_active, d.site_id AS department_site, "
            + "($3::uuid IS NULL OR EXISTS (SELECT 1 FROM person WHERE id = $3)) AS manager_exists "
            + "FROM (SELECT 1) one LEFT JOIN department d ON d.id = $2")
        .execute(Tuple.of(siteId, departmentId, managerId))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new References(row.getBoolean("site_active"), row.getBoolean("department_active"),
              row.getUUID("department_site"), row.getBoolean("manager_exists"));
        });
  }

  /** See {@link #references}. */
  public record References(Boolean siteActive, Boolean departmentActive, UUID departmentSite, boolean managerExists) {
  }

  private static Tuple fields(UUID id, JsonObject p) {
    return Tuple.from(new Object[] {id, p.getString("employeeNumber"), p.getString("givenName"),
        p.getString("familyName"), p.getString("email"), uuid(p.getString("siteId")), uuid(p.getString("departmentId")),
        uuid(p.getString("managerId")), p.getBoolean("contractor", false), p.getString("userId"),
        LocalDate.parse(p.getString("hiredOn"))});
  }

  private static UUID uuid(String value) {
    return value == null ? null : UUID.fromString(value);
  }

  private static List<JsonObject> toList(RowSet<Row> rows) {
    List<JsonObject> people = new ArrayList<>(rows.size());
    rows.forEach(row -> people.add(toJson(row)));
    return people;
  }

  static JsonObject toJson(Row row) {
    UUID manager = row.getUUID("manager_id");
    Object jobRoles = row.getValue("job_roles");
    Object programs = row.getValue("programs");
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("employeeNumber", row.getString("employee_number"))
        .put("givenName", row.getString("given_name"))
        .put("familyName", row.getString("family_name"))
        .put("name", row.getString("given_name") + " " + row.getString("family_name"))
        .put("email", row.getString("email"))
        .put("status", row.getString("status"))
        .put("statusSince", Times.date(row, "status_since"))
        .put("site", new JsonObject().put("id", row.getUUID("site_id").toString()).put("code", row.getString("site_code"))
            .put("name", row.getString("site_name")))
        .put("department", new JsonObject().put("id", row.getUUID("department_id").toString())
            .put("code", row.getString("department_code")).put("name", row.getString("department_name")))
        .put("manager", manager == null ? null : new JsonObject().put("id", manager.toString())
            .put("employeeNumber", row.getString("manager_number")).put("name", row.getString("manager_name")))
        .put("contractor", row.getBoolean("contractor"))
        .put("userId", row.getString("user_id"))
        .put("hiredOn", Times.date(row, "hired_on"))
        .put("jobRoles", jobRoles instanceof JsonArray array ? array : new JsonArray())
        .put("programs", programs instanceof JsonArray array ? array : new JsonArray())
        .put("revision", row.getInteger("revision"))
        .put("createdAt", Times.instant(row, "created_at"))
        .put("updatedAt", Times.instant(row, "updated_at"));
  }
}
