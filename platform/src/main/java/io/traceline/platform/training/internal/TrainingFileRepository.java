package io.traceline.platform.training.internal;

import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** The person a training file is about: who they are, where they work, the roles they hold now, who may read it. */
public final class TrainingFileRepository {

  /**
   * The person with site (and its time zone, in which the file prints times), department, manager, current job
   * roles and sponsor programs; null when there is no such person. {@code tenant} is the tenant's slug, for its display name.
   */
  public Future<JsonObject> person(SqlConnection connection, UUID personId, String tenant) {
    return connection.preparedQuery("SELECT p.id, p.employee_number, p.given_name, p.family_name, p.email, p.status, "
            + "p.contractor, p.user_id, p.hired_on, p.manager_id, s.code AS site_code, s.name AS site_name, s.timezone, "
            + "d.code AS department_code, d.name AS department_name, m.given_name AS manager_given, "
            + "m.family_name AS manager_family, (SELECT display_name FROM control.tenant WHERE slug = $2) AS tenant_name, "
            + "(SELECT json_agg(json_build_object('code', j.code, 'name', j.name, 'since', h.valid_from) ORDER BY j.code) "
            + " FROM person_job_role h JOIN job_role j ON j.id = h.job_role_id WHERE h.person_id = p.id "
            + " AND h.valid_from <= current_date AND (h.valid_to IS NULL OR h.valid_to > current_date)) AS roles, "
            // The sponsor programs they work on now: why a program's requirements apply to them (SPN-1).
            + "(SELECT json_agg(json_build_object('code', g.code, 'name', g.name, 'sponsorName', g.sponsor_name, "
            + " 'since', h.valid_from) ORDER BY g.code) FROM person_program h JOIN program g ON g.id = h.program_id "
            + " WHERE h.person_id = p.id AND h.valid_from <= current_date "
            + " AND (h.valid_to IS NULL OR h.valid_to > current_date)) AS programs "
            + "FROM person p JOIN site s ON s.id = p.site_id JOIN department d ON d.id = p.department_id "
            + "LEFT JOIN person m ON m.id = p.manager_id WHERE p.id = $1")
        .execute(Tuple.of(personId, tenant))
        .map(rows -> rows.size() == 0 ? null : toPerson(rows.iterator().next()));
  }

  /** The person linked to a login, or null. */
  public Future<UUID> personOfUser(SqlConnection connection, String userId) {
    return connection.preparedQuery("SELECT id FROM person WHERE user_id = $1").execute(Tuple.of(userId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("id"));
  }

  private static JsonObject toPerson(Row row) {
    Object roles = row.getValue("roles");
    UUID manager = row.getUUID("manager_id");
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("employeeNumber", row.getString("employee_number"))
        .put("name", row.getString("given_name") + " " + row.getString("family_name"))
        .put("email", row.getString("email"))
        .put("status", row.getString("status"))
        .put("contractor", row.getBoolean("contractor"))
        .put("hasLogin", row.getString("user_id") != null)
        .put("hiredOn", row.getLocalDate("hired_on").toString())
        .put("site", new JsonObject().put("code", row.getString("site_code")).put("name", row.getString("site_name"))
            .put("timezone", row.getString("timezone")))
        .put("department", new JsonObject().put("code", row.getString("department_code"))
            .put("name", row.getString("department_name")))
        .put("manager", manager == null ? null : new JsonObject().put("id", manager.toString())
            .put("name", row.getString("manager_given") + " " + row.getString("manager_family")))
        .put("jobRoles", roles == null ? new JsonArray() : new JsonArray(String.valueOf(roles)))
        .put("programs", row.getValue("programs") == null ? new JsonArray()
            : new JsonArray(String.valueOf(row.getValue("programs"))))
        .put("tenantName", row.getString("tenant_name"));
  }
}
