package io.traceline.platform.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The demo CDMO's sponsor programs (SPN-1): Northstar Therapeutics' antibody filled at Cork and Boston, Aurelia
 * Biosciences' gene therapy vector made in Boston, and a retired program kept as history. Some documents belong to a
 * program (see {@link DemoDocuments}); the people who work on a program are its members; and the matrix scopes those
 * documents' requirements to the program (see {@link DemoTraining}), so only members are assigned them. Idempotent:
 * programs by code, memberships by name-based id.
 */
final class DemoPrograms {

  /** Code, name, sponsor, active, and the departments whose people work on it. */
  static final String[][] PROGRAMS = {
      {"NST-201", "NST-201 monoclonal antibody, clinical and commercial fill-finish", "Northstar Therapeutics", "true",
          "FIL,QC,QA"},
      {"AUR-07", "AUR-07 AAV gene therapy vector, drug substance", "Aurelia Biosciences", "true", "MFG,QC,VAL"},
      {"HLX-12", "HLX-12 bispecific, technology transfer (closed)", "Helix Biopharma", "false", ""}};

  private DemoPrograms() {
  }

  /** The program a demo document with catalog index {@code index} belongs to (its code), or null. */
  static String programOf(int index) {
    return index % 9 == 4 ? "NST-201" : index % 9 == 7 ? "AUR-07" : null;
  }

  /** The program as a document shows it ({id, code, name, sponsorName}). */
  static JsonObject shown(String code) {
    for (String[] program : PROGRAMS) {
      if (program[0].equals(code)) {
        return new JsonObject().put("id", id(code).toString()).put("code", code).put("name", program[1])
            .put("sponsorName", program[2]);
      }
    }
    throw new IllegalArgumentException("No demo program " + code);
  }

  static UUID id(String code) {
    return UUID.nameUUIDFromBytes(("traceline-demo:program:" + code).getBytes(StandardCharsets.UTF_8));
  }

  /** The programs, unless the tenant has them (by code). */
  static Future<Void> seedPrograms(SqlConnection connection) {
    List<Tuple> rows = new ArrayList<>();
    for (String[] program : PROGRAMS) {
      rows.add(Tuple.of(id(program[0]), program[0], program[1], program[2], Boolean.parseBoolean(program[3])));
    }
    return connection.preparedQuery("INSERT INTO program (id, code, name, sponsor_name, active) VALUES ($1, $2, $3, $4, $5) "
            + "ON CONFLICT (code) DO NOTHING")
        .executeBatch(rows)
        .mapEmpty();
  }

  /**
   * Members: two of every three people (not terminated) of the program's departments, from their hire or the program's
   * start in 2023, and the demo employee and supervisor on NST-201 so their training shows it.
   */
  static Future<Void> seedMemberships(SqlConnection connection) {
    List<String> codes = new ArrayList<>();
    List<String> departments = new ArrayList<>();
    for (String[] program : PROGRAMS) {
      for (String department : program[4].isEmpty() ? new String[0] : program[4].split(",")) {
        codes.add(program[0]);
        departments.add(department);
      }
    }
    return connection.preparedQuery("INSERT INTO person_program (id, person_id, program_id, valid_from, start_reason, "
            + "created_by) "
            + "SELECT md5('traceline-demo:membership:' || p.employee_number || ':' || g.code)::uuid, p.id, g.id, "
            + "greatest(p.hired_on, date '2023-01-09'), 'Demo data: works on the ' || g.sponsor_name || ' program', $3 "
            + "FROM unnest($1::text[], $2::text[]) AS map (code, department) "
            + "JOIN program g ON g.code = map.code AND g.active "
            + "JOIN department d ON d.code = map.department JOIN person p ON p.department_id = d.id "
            + "WHERE p.status <> 'terminated' AND (hashtext(p.employee_number || g.code) % 3 <> 0 "
            + "OR (g.code = 'NST-201' AND p.employee_number IN ('MB-90008', 'MB-90009'))) "
            + "ON CONFLICT DO NOTHING")
        .execute(Tuple.tuple().addArrayOfString(codes.toArray(new String[0]))
            .addArrayOfString(departments.toArray(new String[0])).addString(DemoDocuments.SEEDER))
        .mapEmpty();
  }
}
