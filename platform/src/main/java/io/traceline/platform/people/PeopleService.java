package io.traceline.platform.people;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.IfMatch;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.people.internal.HoldingRepository;
import io.traceline.platform.people.internal.PersonEventRepository;
import io.traceline.platform.people.internal.PersonRepository;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * People whose training is tracked (PPL-1, PPL-3): employees and contractors, with site, department, manager and an
 * optional login. People writers create and change them (If-Match and a reason) and move their status: leave, return,
 * termination, each with an effective date and a reason. Every change is audited and writes its {@code person_event}
 * row in the same transaction; termination ends the person's role holdings and program memberships. Nothing is deleted (P11-7).
 */
public final class PeopleService {

  public static final String PERSON = "person";

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final PersonRepository people = new PersonRepository();
  private final HoldingRepository holdings = new HoldingRepository();
  private final PersonEventRepository events = new PersonEventRepository();
  private final PersonEventListener listener;

  public PeopleService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, PersonEventListener listener) {
    this.listener = listener;
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
  }

  public Future<List<JsonObject>> list(TenantContext tenant, Caller caller, PersonFilter filter, String after,
                                       int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), PeopleRoles.PEOPLE_READERS)
            .compose(v -> people.list(connection, filter, after, limit)));
  }

  public Future<JsonObject> get(TenantContext tenant, Caller caller, UUID id) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), PeopleRoles.PEOPLE_READERS)
            .compose(v -> existing(people, connection, id, false)));
  }

  /** Creates an active person (a hire): 409 when the employee number is taken, 422 for references that break a rule. */
  public Future<JsonObject> create(TenantContext tenant, Caller caller, RequestOrigin origin, JsonObject person,
                                   String reason) {
    LocalDate hiredOn = PeopleDates.parse(person.getString("hiredOn"), "/hiredOn", null);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), PeopleRoles.PEOPLE_WRITERS)
            .compose(v -> people.lockManagerRelation(connection))
            .compose(v -> checkReferences(connection, null, person))
            .compose(v -> people.insert(connection, Ids.newId(), person))
            .compose(created -> created == null
                ? Future.failedFuture(employeeNumberTaken(person.getString("employeeNumber")))
                : events.insert(connection, PersonEventKind.HIRED.id(), id(created), null, hiredOn, reason)
                    .compose(v -> audit.record(connection, event(caller, origin, "person.created", created)
                        .withValues(null, created).withReason(reason)))
                    .map(recorded -> created))
            .compose(created -> listener.eventsWritten(connection, tenant).map(created)));
  }

  /** Changes the person's details (not the status) when {@code expectedRevision} is current (412 otherwise). */
  public Future<JsonObject> update(TenantContext tenant, Caller caller, RequestOrigin origin, UUID id,
                                   int expectedRevision, JsonObject changes, String reason) {
    PeopleDates.parse(changes.getString("hiredOn"), "/hiredOn", null);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), PeopleRoles.PEOPLE_WRITERS)
            .compose(v -> people.lockManagerRelation(connection))
            .compose(v -> existing(people, connection, id, true))
            .compose(before -> {
              IfMatch.check(before.getInteger("revision"), expectedRevision, "the person");
              JsonObject merged = details(before).mergeIn(changes);
              merged.remove("reason");
              return checkReferences(connection, before, merged)
                  .compose(v -> people.update(connection, id, merged))
                  .compose(after -> audit.record(connection, event(caller, origin, "person.updated", after)
                          .withValues(before, after).withReason(reason))
                      .map(recorded -> after));
            }));
  }

  /**
   * Moves the person's status: {@code leave} (active → on leave), {@code return} (on leave → active), {@code terminate}
   * (active or on leave → terminated; final, and ends every role holding and program membership). Another move is a 409.
   */
  public Future<JsonObject> changeStatus(TenantContext tenant, Caller caller, RequestOrigin origin, UUID id, String action,
                                         String effectiveOn, String reason) {
    LocalDate date = PeopleDates.notLater(PeopleDates.parse(effectiveOn, "/effectiveOn", PeopleDates.today()),
        "/effectiveOn");
    StatusMove move = StatusMove.of(action);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), PeopleRoles.PEOPLE_WRITERS)
            .compose(v -> existing(people, connection, id, true))
            .compose(before -> {
              if (!move.from().contains(before.getString("status"))) {
                return Future.failedFuture(ProblemException.conflict("A person who is " + before.getString("status")
                    + " cannot " + action + " (only one who is " + String.join(" or ", move.from()) + " can)"));
              }
              String since = before.getString("statusSince");
              if (date.isBefore(LocalDate.parse(since == null ? before.getString("hiredOn") : since))) {
                return Future.failedFuture(ProblemException.unprocessable("The change would take effect before the "
                        + "current status (since " + (since == null ? "the hire on " + before.getString("hiredOn") : since)
                        + ")", List.of(new Problem.FieldError("/effectiveOn", "before the current status began"))));
              }
              // Termination ends the job role holdings and the program memberships alike, each with its event.
              Future<Void> endedHoldings = move == StatusMove.TERMINATE
                  ? endAll(connection, HoldingKind.JOB_ROLE, id, date, reason, caller)
                      .compose(v -> endAll(connection, HoldingKind.PROGRAM, id, date, reason, caller))
                  : Future.succeededFuture();
              return endedHoldings
                  .compose(v -> people.setStatus(connection, id, move.to(), date))
                  .compose(after -> events.insert(connection, move.event().id(), id, null, date, reason)
                      .compose(v -> audit.record(connection, event(caller, origin, "person." + move.event().id(), after)
                          .withValues(before, after).withReason(reason)))
                      .map(recorded -> after));
            })
            .compose(after -> listener.eventsWritten(connection, tenant).map(after)));
  }

  private Future<Void> endAll(SqlConnection connection, HoldingKind kind, UUID id, LocalDate date, String reason,
                              Caller caller) {
    return holdings.endAll(connection, kind, id, date, reason, caller.subject()).compose(ended ->
        Future.all(ended.stream().map(holding -> {
          UUID held = UUID.fromString(holding.getJsonObject(kind.field()).getString("id"));
          LocalDate to = LocalDate.parse(holding.getString("validTo"));
          return kind == HoldingKind.JOB_ROLE
              ? events.insert(connection, kind.lost().id(), id, held, null, to, reason)
              : events.insert(connection, kind.lost().id(), id, null, held, to, reason);
        }).toList()).mapEmpty());
  }

  /** The status moves a person may make, from which statuses, to which, and the event each writes. */
  private enum StatusMove {
    LEAVE(List.of("active"), "on_leave", PersonEventKind.LEAVE_STARTED),
    RETURN(List.of("on_leave"), "active", PersonEventKind.RETURNED),
    TERMINATE(List.of("active", "on_leave"), "terminated", PersonEventKind.TERMINATED);

    private final List<String> from;
    private final String to;
    private final PersonEventKind event;

    StatusMove(List<String> from, String to, PersonEventKind event) {
      this.from = from;
      this.to = to;
      this.event = event;
    }

    List<String> from() {
      return from;
    }

    String to() {
      return to;
    }

    PersonEventKind event() {
      return event;
    }

    static StatusMove of(String action) {
      return switch (action) {
        case "leave" -> LEAVE;
        case "return" -> RETURN;
        case "terminate" -> TERMINATE;
        default -> throw ProblemException.unprocessable("Unknown action " + action,
            List.of(new Problem.FieldError("/action", "one of leave, return, terminate")));
      };
    }
  }

  /**
   * The rules of a person's references, for a new person ({@code before} null) or a change: the site and the department
   * exist, the department is at the site, a site or department newly chosen is active; the manager exists, is not the
   * person and not below them; the login and the employee number belong to no one else.
   */
  private Future<Void> checkReferences(SqlConnection connection, JsonObject before, JsonObject person) {
    UUID self = before == null ? null : id(before);
    JsonObject previous = before == null ? null : details(before);
    Predicate<String> changed = field -> previous == null || !Objects.equals(previous.getValue(field), person.getValue(field));
    UUID siteId = UUID.fromString(person.getString("siteId"));
    UUID departmentId = UUID.fromString(person.getString("departmentId"));
    UUID managerId = person.getString("managerId") == null ? null : UUID.fromString(person.getString("managerId"));
    String userId = person.getString("userId");
    String employeeNumber = person.getString("employeeNumber");
    return people.references(connection, siteId, departmentId, managerId).compose(found -> {
      if (found.siteActive() == null || (changed.test("siteId") && !found.siteActive())) {
        return rule("/siteId", found.siteActive() == null ? "no site has this id" : "the site is deactivated");
      }
      if (found.departmentActive() == null || !found.departmentSite().equals(siteId)) {
        return rule("/departmentId", found.departmentActive() == null ? "no department has this id"
            : "the department is at another site");
      }
      if (changed.test("departmentId") && !found.departmentActive()) {
        return rule("/departmentId", "the department is deactivated");
      }
      if (!found.managerExists() || (managerId != null && managerId.equals(self))) {
        return rule("/managerId", found.managerExists() ? "a person cannot manage themselves" : "no person has this id");
      }
      return Future.<Void>succeededFuture();
    }).compose(v -> managerId == null || self == null || !changed.test("managerId") ? Future.<Void>succeededFuture()
        : people.managesUp(connection, managerId, self).compose(cycle -> cycle
            ? rule("/managerId", "this person manages the new manager (directly or further up): that would be a cycle")
            : Future.succeededFuture()))
        .compose(v -> userId == null || !changed.test("userId") ? Future.<Void>succeededFuture()
            : people.loginHolder(connection, userId, self).compose(holder -> holder == null ? Future.succeededFuture()
                : Future.failedFuture(ProblemException.conflict("The login " + userId + " is linked to employee "
                    + holder))))
        // A new person's number is checked by its insert.
        .compose(v -> self == null || !changed.test("employeeNumber") ? Future.<Void>succeededFuture()
            : people.employeeNumberTaken(connection, employeeNumber, self).compose(taken -> taken
                ? Future.failedFuture(employeeNumberTaken(employeeNumber)) : Future.succeededFuture()));
  }

  /** The writable details of a person as the create request names them. */
  private static JsonObject details(JsonObject person) {
    return new JsonObject()
        .put("employeeNumber", person.getString("employeeNumber"))
        .put("givenName", person.getString("givenName"))
        .put("familyName", person.getString("familyName"))
        .put("email", person.getString("email"))
        .put("siteId", person.getJsonObject("site").getString("id"))
        .put("departmentId", person.getJsonObject("department").getString("id"))
        .put("managerId", managerIdOf(person))
        .put("contractor", person.getBoolean("contractor"))
        .put("userId", person.getString("userId"))
        .put("hiredOn", person.getString("hiredOn"));
  }

  private static String managerIdOf(JsonObject person) {
    JsonObject manager = person.getJsonObject("manager");
    return manager == null ? null : manager.getString("id");
  }

  private static <T> Future<T> rule(String pointer, String message) {
    return Future.failedFuture(ProblemException.unprocessable("The person's " + pointer.substring(1) + " breaks a rule: "
        + message, List.of(new Problem.FieldError(pointer, message))));
  }

  private static ProblemException employeeNumberTaken(String employeeNumber) {
    return ProblemException.conflict("Employee number " + employeeNumber + " belongs to another person");
  }

  static Future<JsonObject> existing(PersonRepository people, SqlConnection connection, UUID id, boolean forUpdate) {
    return people.find(connection, id, forUpdate).compose(person -> person != null ? Future.succeededFuture(person)
        : Future.failedFuture(ProblemException.notFound("No person " + id)));
  }

  private static UUID id(JsonObject record) {
    return UUID.fromString(record.getString("id"));
  }

  static AuditEvent event(Caller caller, RequestOrigin origin, String action, JsonObject person) {
    return AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin), action, PERSON,
        person.getString("id")).withVersion(person.getInteger("revision"));
  }
}
