package io.traceline.platform.people;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.people.internal.BulkRepository;
import io.traceline.platform.people.internal.PersonRepository;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Bulk upsert of people keyed by employee number (PPL-1, PPL-2; an HR feed): thousands of rows in one transaction,
 * all or nothing. Every rule every row breaks is reported at once (422, one error per field with its JSON pointer) and
 * nothing is written; otherwise new people are created, changed ones updated, unchanged ones left alone, statuses and
 * (for rows that list them) job role holdings and program memberships follow the rows, with their outbox events. The work is set-based in SQL;
 * each created or updated person gets an audit event with the values before and after, and the upsert one more.
 */
public final class BulkUpsertService {

  /** Most rule problems a refusal lists; the detail says how many there were. */
  static final int MAX_PROBLEMS = 1000;
  private static final Set<String> STATUSES = Set.of("active", "on_leave", "terminated");

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final BulkRepository bulk = new BulkRepository();
  private final PersonEventListener listener;
  private final PersonRepository people = new PersonRepository();

  public BulkUpsertService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, PersonEventListener listener) {
    this.listener = listener;
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
  }

  /** Upserts {@code rows} (people as the API's bulk row); the answer counts created, updated and unchanged people. */
  public Future<JsonObject> upsert(TenantContext tenant, Caller caller, RequestOrigin origin, JsonArray rows,
                                   String effectiveOn, String reason) {
    LocalDate date = PeopleDates.notLater(PeopleDates.parse(effectiveOn, "/effectiveOn", PeopleDates.today()),
        "/effectiveOn");
    List<Problem.FieldError> local = new ArrayList<>();
    BulkRepository.Rows columns = columns(rows, local);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), PeopleRoles.PEOPLE_WRITERS)
            .compose(v -> people.lockManagerRelation(connection))
            .compose(v -> bulk.load(connection, columns))
            .compose(v -> bulk.problems(connection))
            .compose(found -> {
              List<Problem.FieldError> errors = new ArrayList<>(local);
              found.forEach(problem -> errors.add(new Problem.FieldError(pointer(problem.row(), problem.field()),
                  problem.message())));
              errors.sort(Comparator.comparingInt((Problem.FieldError error) -> row(error.pointer()))
                  .thenComparing(Problem.FieldError::pointer));
              return errors.isEmpty() ? Future.succeededFuture() : Future.failedFuture(refusal(errors));
            })
            .compose(v -> bulk.existing(connection))
            .compose(existing -> people.findAll(connection, existing))
            .compose(before -> bulk.write(connection, date, reason, caller.subject())
                .compose(outcomes -> audit(connection, caller, origin, before, outcomes, date, reason)))
            .compose(result -> result.getLong("created") + result.getLong("updated") == 0 ? Future.succeededFuture(result)
                : listener.eventsWritten(connection, tenant).map(result)));
  }

  /** Audits each created or updated person (before and after) and the upsert itself; answers the counts. */
  private Future<JsonObject> audit(SqlConnection connection, Caller caller, RequestOrigin origin, List<JsonObject> before,
                                   List<BulkRepository.Outcome> outcomes, LocalDate date, String reason) {
    Map<String, JsonObject> beforeById = before.stream().collect(Collectors.toMap(person -> person.getString("id"),
        Function.identity()));
    List<UUID> changed = outcomes.stream().filter(BulkRepository.Outcome::changed).map(BulkRepository.Outcome::personId)
        .toList();
    long created = outcomes.stream().filter(BulkRepository.Outcome::created).count();
    long updated = changed.size() - created;
    JsonObject result = new JsonObject().put("rows", outcomes.size()).put("created", created).put("updated", updated)
        .put("unchanged", outcomes.size() - changed.size()).put("effectiveOn", date.toString());
    return people.findAll(connection, changed).compose(after -> {
      // Appended in this order on the one connection (pipelined, not one round trip each), after the writes.
      List<Future<?>> recorded = new ArrayList<>(after.size() + 1);
      for (JsonObject person : after) {
        JsonObject previous = beforeById.get(person.getString("id"));
        recorded.add(audit.record(connection, PeopleService.event(caller, origin,
            previous == null ? "person.created" : "person.updated", person).withValues(previous, person)
            .withReason(reason)));
      }
      recorded.add(audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin),
          "people.bulk-upserted", "person-bulk-upsert", Ids.newId().toString()).withValues(null, result)
          .withReason(reason)));
      return Future.all(recorded).map(all -> result);
    });
  }

  /**
   * The rows as columns for the database, and the rules a row breaks on its own (a status, a date, an employee number
   * or login twice in the request, a self-manager, a terminated person with job roles or programs) into {@code errors}.
   */
  private static BulkRepository.Rows columns(JsonArray rows, List<Problem.FieldError> errors) {
    int size = rows.size();
    Integer[] n = new Integer[size];
    String[] employeeNumber = new String[size];
    String[] givenName = new String[size];
    String[] familyName = new String[size];
    String[] email = new String[size];
    String[] status = new String[size];
    String[] siteCode = new String[size];
    String[] departmentCode = new String[size];
    String[] managerNumber = new String[size];
    Boolean[] contractor = new Boolean[size];
    LocalDate[] hiredOn = new LocalDate[size];
    String[] userId = new String[size];
    Boolean[] userIdGiven = new Boolean[size];
    Boolean[] hasRoles = new Boolean[size];
    Boolean[] hasPrograms = new Boolean[size];
    List<Integer> programRow = new ArrayList<>();
    List<Integer> programIndex = new ArrayList<>();
    List<String> programCode = new ArrayList<>();
    List<Integer> roleRow = new ArrayList<>();
    List<Integer> roleIndex = new ArrayList<>();
    List<String> roleCode = new ArrayList<>();
    Map<String, Integer> firstRowOfNumber = new HashMap<>();
    Map<String, Integer> firstRowOfLogin = new HashMap<>();
    for (int i = 0; i < size; i++) {
      JsonObject row = rows.getJsonObject(i);
      n[i] = i;
      employeeNumber[i] = row.getString("employeeNumber");
      givenName[i] = row.getString("givenName");
      familyName[i] = row.getString("familyName");
      email[i] = row.getString("email");
      status[i] = row.getString("status");
      siteCode[i] = row.getString("siteCode");
      departmentCode[i] = row.getString("departmentCode");
      managerNumber[i] = row.getString("managerEmployeeNumber");
      contractor[i] = row.getBoolean("contractor", false);
      userId[i] = row.getString("userId");
      userIdGiven[i] = row.containsKey("userId");
      JsonArray codes = row.getJsonArray("jobRoleCodes");
      hasRoles[i] = codes != null;
      JsonArray programs = row.getJsonArray("programCodes");
      hasPrograms[i] = programs != null;
      if (!STATUSES.contains(status[i])) {
        errors.add(new Problem.FieldError(pointer(i, "status"), "one of active, on_leave, terminated"));
      }
      try {
        hiredOn[i] = LocalDate.parse(row.getString("hiredOn"));
      } catch (DateTimeParseException e) {
        errors.add(new Problem.FieldError(pointer(i, "hiredOn"), "a date such as 2026-03-31"));
      }
      Integer first = firstRowOfNumber.putIfAbsent(employeeNumber[i], i);
      if (first != null) {
        errors.add(new Problem.FieldError(pointer(i, "employeeNumber"), "employee number " + employeeNumber[i]
            + " is also in row " + first));
      }
      Integer firstLogin = userId[i] == null ? null : firstRowOfLogin.putIfAbsent(userId[i], i);
      if (firstLogin != null) {
        errors.add(new Problem.FieldError(pointer(i, "userId"), "the login is also in row " + firstLogin));
      }
      if (employeeNumber[i].equals(managerNumber[i])) {
        errors.add(new Problem.FieldError(pointer(i, "managerEmployeeNumber"), "a person cannot manage themselves"));
      }
      if (codes != null && !codes.isEmpty() && "terminated".equals(status[i])) {
        errors.add(new Problem.FieldError(pointer(i, "jobRoleCodes"), "a terminated person holds no job roles"));
      }
      for (int j = 0; codes != null && j < codes.size(); j++) {
        roleRow.add(i);
        roleIndex.add(j);
        roleCode.add(codes.getString(j));
      }
      if (programs != null && !programs.isEmpty() && "terminated".equals(status[i])) {
        errors.add(new Problem.FieldError(pointer(i, "programCodes"), "a terminated person works on no programs"));
      }
      for (int j = 0; programs != null && j < programs.size(); j++) {
        programRow.add(i);
        programIndex.add(j);
        programCode.add(programs.getString(j));
      }
    }
    return new BulkRepository.Rows(n, employeeNumber, givenName, familyName, email, status, siteCode, departmentCode,
        managerNumber, contractor, hiredOn, userId, userIdGiven, hasRoles, roleRow.toArray(Integer[]::new),
        roleIndex.toArray(Integer[]::new), roleCode.toArray(String[]::new), hasPrograms,
        programRow.toArray(Integer[]::new), programIndex.toArray(Integer[]::new), programCode.toArray(String[]::new));
  }

  private static ProblemException refusal(List<Problem.FieldError> errors) {
    long rowsAffected = errors.stream().map(error -> row(error.pointer())).distinct().count();
    List<Problem.FieldError> listed = errors.size() > MAX_PROBLEMS ? errors.subList(0, MAX_PROBLEMS) : errors;
    return ProblemException.unprocessable(rowsAffected + (rowsAffected == 1 ? " row breaks" : " rows break")
        + " a rule (" + errors.size() + " problems" + (listed.size() < errors.size() ? ", the first " + listed.size()
        + " listed" : "") + "); nothing was written", listed);
  }

  private static String pointer(int row, String field) {
    return "/people/" + row + "/" + field;
  }

  private static int row(String pointer) {
    return Integer.parseInt(pointer.split("/")[2]);
  }
}
