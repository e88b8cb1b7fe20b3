package io.traceline.platform.people.internal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The set-based SQL of a bulk upsert of people, on the caller's connection (tenant schema): the rows go into temporary
 * tables (dropped at the end of the transaction) with one statement, are resolved against the tenant's sites,
 * departments, job roles, programs and people, checked with a few queries, and written with a handful of statements whatever
 * their number. Nothing here goes row by row.
 */
public final class BulkRepository {

  /** The request's rows as columns: index {@code i} of each array is the row {@code n[i]}. */
  public record Rows(Integer[] n, String[] employeeNumber, String[] givenName, String[] familyName, String[] email,
                     String[] status, String[] siteCode, String[] departmentCode, String[] managerNumber,
                     Boolean[] contractor, LocalDate[] hiredOn, String[] userId, Boolean[] userIdGiven, Boolean[] hasRoles,
                     Integer[] roleRow, Integer[] roleIndex, String[] roleCode, Boolean[] hasPrograms,
                     Integer[] programRow, Integer[] programIndex, String[] programCode) {
  }

  /** A rule a row breaks: the row, the field (a JSON pointer below the row) and what is wrong. */
  public record Problem(int row, String field, String message) {
  }

  /** What the upsert did to one row's person. */
  public record Outcome(UUID personId, boolean created, boolean changed) {
  }

  /** Loads the rows and resolves their references (sites, departments, job roles, existing people, managers). */
  public Future<Void> load(SqlConnection connection, Rows rows) {
    return connection.query("CREATE TEMP TABLE bulk_person (n integer PRIMARY KEY, employee_number text NOT NULL, "
            + "given_name text, family_name text, email text, status text, site_code text, department_code text, "
            + "manager_number text, contractor boolean, hired_on date, user_id text, has_roles boolean, has_programs boolean, "
            + "person_id uuid, existed boolean, old_status text, old_site_id uuid, old_department_id uuid, "
            + "site_id uuid, department_id uuid, manager_id uuid, "
            + "written boolean NOT NULL DEFAULT false, roles_changed boolean NOT NULL DEFAULT false) ON COMMIT DROP; "
            + "CREATE TEMP TABLE bulk_person_role (n integer, i integer, code text, job_role_id uuid) ON COMMIT DROP; "
            + "CREATE TEMP TABLE bulk_person_program (n integer, i integer, code text, program_id uuid) ON COMMIT DROP")
        .execute()
        .compose(created -> connection.preparedQuery("INSERT INTO bulk_person (n, employee_number, given_name, "
                + "family_name, email, status, site_code, department_code, manager_number, contractor, hired_on, user_id, "
                + "has_roles, person_id, existed, old_status, old_site_id, old_department_id, site_id, department_id, "
                + "has_programs) "
                + "SELECT u.n, u.employee_number, u.given_name, u.family_name, u.email, u.status, u.site_code, "
                + "u.department_code, u.manager_number, u.contractor, u.hired_on, "
                // A row without userId keeps the person's login link; one with userId null removes it.
                + "CASE WHEN u.user_id_given THEN u.user_id ELSE p.user_id END, u.has_roles, "
                + "coalesce(p.id, uuid_v7()), p.id IS NOT NULL, p.status, p.site_id, p.department_id, s.id, d.id, "
                + "u.has_programs "
                + "FROM unnest($1::integer[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], "
                + "$8::text[], $9::text[], $10::boolean[], $11::date[], $12::text[], $13::boolean[], $14::boolean[], "
                + "$15::boolean[]) AS u (n, employee_number, given_name, family_name, email, status, site_code, "
                + "department_code, manager_number, contractor, hired_on, user_id, user_id_given, has_roles, has_programs) "
                + "LEFT JOIN person p ON p.employee_number = u.employee_number "
                + "LEFT JOIN site s ON s.code = u.site_code "
                + "LEFT JOIN department d ON d.site_id = s.id AND d.code = u.department_code")
            .execute(Tuple.from(new Object[] {rows.n(), rows.employeeNumber(), rows.givenName(), rows.familyName(),
                rows.email(), rows.status(), rows.siteCode(), rows.departmentCode(), rows.managerNumber(),
                rows.contractor(), rows.hiredOn(), rows.userId(), rows.userIdGiven(), rows.hasRoles(), rows.hasPrograms()})))
        .compose(loaded -> connection.preparedQuery("INSERT INTO bulk_person_role (n, i, code, job_role_id) "
                + "SELECT u.n, u.i, u.code, j.id FROM unnest($1::integer[], $2::integer[], $3::text[]) AS u (n, i, code) "
                + "LEFT JOIN job_role j ON j.code = u.code")
            .execute(Tuple.of(rows.roleRow(), rows.roleIndex(), rows.roleCode())))
        .compose(loaded -> connection.preparedQuery("INSERT INTO bulk_person_program (n, i, code, program_id) "
                + "SELECT u.n, u.i, u.code, g.id FROM unnest($1::integer[], $2::integer[], $3::text[]) AS u (n, i, code) "
                + "LEFT JOIN program g ON g.code = u.code")
            .execute(Tuple.of(rows.programRow(), rows.programIndex(), rows.programCode())))
        .compose(loaded -> connection.query("CREATE INDEX ON bulk_person (employee_number); "
            + "CREATE INDEX ON bulk_person (person_id); ANALYZE bulk_person; ANALYZE bulk_person_role; "
            + "ANALYZE bulk_person_program").execute())
        // A manager is a person of this request (the first row with that number) or of the tenant.
        .compose(indexed -> connection.query("UPDATE bulk_person b SET manager_id = coalesce("
            + "(SELECT m.person_id FROM bulk_person m WHERE m.employee_number = b.manager_number ORDER BY m.n LIMIT 1), "
            + "(SELECT p.id FROM person p WHERE p.employee_number = b.manager_number)) "
            + "WHERE b.manager_number IS NOT NULL").execute())
        .mapEmpty();
  }

  /** The rules the loaded rows break against the tenant's data, by row and field. */
  public Future<List<Problem>> problems(SqlConnection connection) {
    return connection.query("SELECT n, 'siteCode' AS field, 'no site has code ' || site_code AS message "
            + "FROM bulk_person WHERE site_id IS NULL "
            + "UNION ALL SELECT b.n, 'siteCode', 'site ' || b.site_code || ' is deactivated' "
            + "FROM bulk_person b JOIN site s ON s.id = b.site_id WHERE NOT s.active AND b.old_site_id IS DISTINCT FROM s.id "
            + "UNION ALL SELECT n, 'departmentCode', 'site ' || site_code || ' has no department ' || department_code "
            + "FROM bulk_person WHERE site_id IS NOT NULL AND department_id IS NULL "
            + "UNION ALL SELECT b.n, 'departmentCode', 'department ' || b.department_code || ' is deactivated' "
            + "FROM bulk_person b JOIN department d ON d.id = b.department_id "
            + "WHERE NOT d.active AND b.old_department_id IS DISTINCT FROM d.id "
            + "UNION ALL SELECT n, 'managerEmployeeNumber', 'no person has employee number ' || manager_number "
            + "|| ' (in this request or the tenant)' FROM bulk_person WHERE manager_number IS NOT NULL AND manager_id IS NULL "
            + "UNION ALL SELECT r.n, 'jobRoleCodes/' || r.i, 'no job role has code ' || r.code "
            + "FROM bulk_person_role r WHERE r.job_role_id IS NULL "
            + "UNION ALL SELECT r.n, 'jobRoleCodes/' || r.i, 'job role ' || r.code || ' is deactivated' "
            + "FROM bulk_person_role r JOIN job_role j ON j.id = r.job_role_id JOIN bulk_person b ON b.n = r.n "
            + "WHERE NOT j.active AND NOT EXISTS (SELECT 1 FROM person_job_role h WHERE h.person_id = b.person_id "
            + "AND h.job_role_id = j.id AND h.valid_to IS NULL) "
            + "UNION ALL SELECT r.n, 'programCodes/' || r.i, 'no program has code ' || r.code "
            + "FROM bulk_person_program r WHERE r.program_id IS NULL "
            + "UNION ALL SELECT r.n, 'programCodes/' || r.i, 'program ' || r.code || ' is deactivated' "
            + "FROM bulk_person_program r JOIN program g ON g.id = r.program_id JOIN bulk_person b ON b.n = r.n "
            + "WHERE NOT g.active AND NOT EXISTS (SELECT 1 FROM person_program h WHERE h.person_id = b.person_id "
            + "AND h.program_id = g.id AND h.valid_to IS NULL) "
            + "UNION ALL SELECT b.n, 'userId', 'the login is linked to employee ' || p.employee_number "
            + "FROM bulk_person b JOIN person p ON p.user_id = b.user_id AND p.id <> b.person_id "
            + "UNION ALL SELECT n, 'status', 'a terminated person stays terminated (a rehire gets a new employee number)' "
            + "FROM bulk_person WHERE old_status = 'terminated' AND status <> 'terminated' "
            + "ORDER BY 1, 2")
        .execute()
        .map(rows -> {
          List<Problem> problems = new ArrayList<>(rows.size());
          rows.forEach(row -> problems.add(new Problem(row.getInteger(0), row.getString(1), row.getString(2))));
          return problems;
        })
        .compose(problems -> cycles(connection).map(cycles -> {
          problems.addAll(cycles);
          return problems;
        }));
  }

  /**
   * Rows whose manager chain, once the request is applied, never reaches someone without a manager: they close a
   * cycle (or lead into one). Found top-down from the people without a manager, through an indexed copy of the manager
   * relation, so a long chain costs its length, not its square.
   */
  private Future<List<Problem>> cycles(SqlConnection connection) {
    return connection.query("CREATE TEMP TABLE bulk_manager ON COMMIT DROP AS "
            + "SELECT person_id AS id, manager_id FROM bulk_person "
            + "UNION ALL SELECT p.id, p.manager_id FROM person p "
            + "WHERE NOT EXISTS (SELECT 1 FROM bulk_person b WHERE b.person_id = p.id); "
            + "CREATE INDEX ON bulk_manager (manager_id); ANALYZE bulk_manager")
        .execute()
        .compose(created -> connection.query("WITH RECURSIVE rooted (id) AS ("
                + "SELECT id FROM bulk_manager WHERE manager_id IS NULL "
                + "UNION SELECT m.id FROM bulk_manager m JOIN rooted r ON m.manager_id = r.id) "
                + "SELECT b.n FROM bulk_person b WHERE b.manager_id IS NOT NULL AND b.manager_number <> b.employee_number "
                + "AND NOT EXISTS (SELECT 1 FROM rooted r WHERE r.id = b.person_id) ORDER BY b.n")
            .execute())
        .map(rows -> {
          List<Problem> problems = new ArrayList<>(rows.size());
          rows.forEach(row -> problems.add(new Problem(row.getInteger(0), "managerEmployeeNumber",
              "the manager chain from here comes back to a person it passed (a cycle)")));
          return problems;
        });
  }

  /** The people of the rows who exist already. */
  public Future<List<UUID>> existing(SqlConnection connection) {
    return connection.query("SELECT person_id FROM bulk_person WHERE existed ORDER BY n").execute()
        .map(rows -> {
          List<UUID> ids = new ArrayList<>(rows.size());
          rows.forEach(row -> ids.add(row.getUUID(0)));
          return ids;
        });
  }

  /**
   * Writes the rows: inserts new people and updates those whose details differ (a new revision); moves statuses
   * (effective {@code effectiveOn}; a new person's active status since the hire); for rows that list job roles, ends
   * the holdings not listed and opens those not held (from {@code effectiveOn}, a new person's from the hire), and the
   * same for rows that list programs; ends a terminated person's holdings and memberships; and writes the outbox events
   * of all that.
   */
  public Future<List<Outcome>> write(SqlConnection connection, LocalDate effectiveOn, String reason, String by) {
    return connection.preparedQuery("WITH upserted AS (INSERT INTO person (id, employee_number, given_name, family_name, "
            + "email, status, status_since, site_id, department_id, manager_id, contractor, user_id, hired_on) "
            + "SELECT person_id, employee_number, given_name, family_name, email, status, "
            + "CASE WHEN status = 'active' THEN hired_on ELSE $1 END, site_id, department_id, manager_id, contractor, "
            + "user_id, hired_on FROM bulk_person ORDER BY n "
            + "ON CONFLICT (employee_number) DO UPDATE SET given_name = EXCLUDED.given_name, "
            + "family_name = EXCLUDED.family_name, email = EXCLUDED.email, status = EXCLUDED.status, "
            + "status_since = CASE WHEN person.status = EXCLUDED.status THEN person.status_since ELSE $1 END, "
            + "site_id = EXCLUDED.site_id, department_id = EXCLUDED.department_id, manager_id = EXCLUDED.manager_id, "
            + "contractor = EXCLUDED.contractor, user_id = EXCLUDED.user_id, hired_on = EXCLUDED.hired_on, "
            + "revision = person.revision + 1, updated_at = now() "
            + "WHERE (person.given_name, person.family_name, person.email, person.status, person.site_id, "
            + "person.department_id, person.manager_id, person.contractor, person.user_id, person.hired_on) "
            + "IS DISTINCT FROM (EXCLUDED.given_name, EXCLUDED.family_name, EXCLUDED.email, EXCLUDED.status, "
            + "EXCLUDED.site_id, EXCLUDED.department_id, EXCLUDED.manager_id, EXCLUDED.contractor, EXCLUDED.user_id, "
            + "EXCLUDED.hired_on) RETURNING id) "
            + "UPDATE bulk_person b SET written = true FROM upserted u WHERE u.id = b.person_id")
        .execute(Tuple.of(effectiveOn))
        .compose(upserted -> connection.preparedQuery("INSERT INTO person_event (id, kind, person_id, effective_on, reason) "
                + "SELECT uuid_v7(), e.kind, b.person_id, e.effective_on, $2 FROM bulk_person b CROSS JOIN LATERAL (VALUES "
                + "(CASE WHEN NOT b.existed AND b.status <> 'terminated' THEN 'hired' END, b.hired_on), "
                + "(CASE WHEN b.status = 'on_leave' AND b.old_status IS DISTINCT FROM 'on_leave' THEN 'leave-started' END, "
                + "  greatest($1, b.hired_on)), "
                + "(CASE WHEN b.status = 'active' AND b.old_status = 'on_leave' THEN 'returned' END, $1), "
                + "(CASE WHEN b.status = 'terminated' AND b.old_status IN ('active', 'on_leave') THEN 'terminated' END, $1)"
                + ") AS e (kind, effective_on) WHERE e.kind IS NOT NULL ORDER BY b.n")
            .execute(Tuple.of(effectiveOn, reason)))
        .compose(statuses -> connection.preparedQuery("WITH desired AS (SELECT DISTINCT b.person_id, r.job_role_id, "
                + "CASE WHEN b.existed THEN $1 ELSE b.hired_on END AS valid_from "
                + "FROM bulk_person b JOIN bulk_person_role r ON r.n = b.n WHERE b.has_roles), "
                + "closed AS (UPDATE person_job_role h SET valid_to = greatest(h.valid_from, $1), end_reason = $2, "
                + "ended_at = now(), ended_by = $3 FROM bulk_person b WHERE h.person_id = b.person_id AND h.valid_to IS NULL "
                + "AND (b.status = 'terminated' OR (b.has_roles AND NOT EXISTS (SELECT 1 FROM desired d "
                + "WHERE d.person_id = h.person_id AND d.job_role_id = h.job_role_id))) "
                + "RETURNING h.person_id, h.job_role_id, h.valid_to), "
                + "opened AS (INSERT INTO person_job_role (id, person_id, job_role_id, valid_from, start_reason, created_by) "
                + "SELECT uuid_v7(), d.person_id, d.job_role_id, d.valid_from, $2, $3 FROM desired d "
                + "WHERE NOT EXISTS (SELECT 1 FROM person_job_role h WHERE h.person_id = d.person_id "
                + "AND h.job_role_id = d.job_role_id AND h.valid_to IS NULL) "
                + "RETURNING person_id, job_role_id, valid_from), "
                + "recorded AS (INSERT INTO person_event (id, kind, person_id, job_role_id, effective_on, reason) "
                + "SELECT uuid_v7(), 'role-lost', person_id, job_role_id, valid_to, $2 FROM closed "
                + "UNION ALL SELECT uuid_v7(), 'role-gained', person_id, job_role_id, valid_from, $2 FROM opened "
                + "RETURNING person_id) "
                + "UPDATE bulk_person b SET roles_changed = true WHERE b.person_id IN (SELECT person_id FROM recorded)")
            .execute(Tuple.of(effectiveOn, reason, by)))
        // Program memberships follow the rows that list them exactly as job roles do (SPN-1).
        .compose(roles -> connection.preparedQuery("WITH desired AS (SELECT DISTINCT b.person_id, r.program_id, "
                + "CASE WHEN b.existed THEN $1 ELSE b.hired_on END AS valid_from "
                + "FROM bulk_person b JOIN bulk_person_program r ON r.n = b.n WHERE b.has_programs), "
                + "closed AS (UPDATE person_program h SET valid_to = greatest(h.valid_from, $1), end_reason = $2, "
                + "ended_at = now(), ended_by = $3 FROM bulk_person b WHERE h.person_id = b.person_id AND h.valid_to IS NULL "
                + "AND (b.status = 'terminated' OR (b.has_programs AND NOT EXISTS (SELECT 1 FROM desired d "
                + "WHERE d.person_id = h.person_id AND d.program_id = h.program_id))) "
                + "RETURNING h.person_id, h.program_id, h.valid_to), "
                + "opened AS (INSERT INTO person_program (id, person_id, program_id, valid_from, start_reason, created_by) "
                + "SELECT uuid_v7(), d.person_id, d.program_id, d.valid_from, $2, $3 FROM desired d "
                + "WHERE NOT EXISTS (SELECT 1 FROM person_program h WHERE h.person_id = d.person_id "
                + "AND h.program_id = d.program_id AND h.valid_to IS NULL) "
                + "RETURNING person_id, program_id, valid_from), "
                + "recorded AS (INSERT INTO person_event (id, kind, person_id, program_id, effective_on, reason) "
                + "SELECT uuid_v7(), 'program-left', person_id, program_id, valid_to, $2 FROM closed "
                + "UNION ALL SELECT uuid_v7(), 'program-joined', person_id, program_id, valid_from, $2 FROM opened "
                + "RETURNING person_id) "
                + "UPDATE bulk_person b SET roles_changed = true WHERE b.person_id IN (SELECT person_id FROM recorded)")
            .execute(Tuple.of(effectiveOn, reason, by)))
        .compose(programs -> connection.query("SELECT person_id, NOT existed, written OR roles_changed FROM bulk_person "
            + "ORDER BY n").execute())
        .map(rows -> {
          List<Outcome> outcomes = new ArrayList<>(rows.size());
          rows.forEach(row -> outcomes.add(new Outcome(row.getUUID(0), row.getBoolean(1), row.getBoolean(2))));
          return outcomes;
        });
  }
}
