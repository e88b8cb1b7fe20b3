package io.traceline.platform.access.internal;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** Reads the person record linked to a login, inside the tenant's schema. */
public final class PersonRepository {

  /** The person whose login is {@code userId}, with current job roles; null when none is linked. */
  public Future<JsonObject> findByUser(SqlConnection connection, String userId) {
    return connection.preparedQuery("SELECT p.id, p.employee_number, p.given_name, p.family_name, p.status, "
            + "s.name AS site, d.name AS department, "
            + "coalesce(array_agg(jr.name ORDER BY jr.name) FILTER (WHERE jr.id IS NOT NULL), '{}') AS job_roles "
            + "FROM person p JOIN site s ON s.id = p.site_id JOIN department d ON d.id = p.department_id "
            + "LEFT JOIN person_job_role pjr ON pjr.person_id = p.id AND pjr.valid_from <= current_date "
            + "  AND (pjr.valid_to IS NULL OR pjr.valid_to > current_date) "
            + "LEFT JOIN job_role jr ON jr.id = pjr.job_role_id "
            + "WHERE p.user_id = $1 GROUP BY p.id, s.name, d.name")
        .execute(Tuple.of(userId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          var row = rows.iterator().next();
          JsonArray jobRoles = new JsonArray();
          for (String jobRole : row.getArrayOfStrings("job_roles")) {
            jobRoles.add(jobRole);
          }
          return new JsonObject()
              .put("id", row.getUUID("id").toString())
              .put("employeeNumber", row.getString("employee_number"))
              .put("name", row.getString("given_name") + " " + row.getString("family_name"))
              .put("status", row.getString("status"))
              .put("site", row.getString("site"))
              .put("department", row.getString("department"))
              .put("jobRoles", jobRoles);
        });
  }
}
