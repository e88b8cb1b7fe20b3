package io.traceline.platform.people;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.people.internal.HoldingRepository;
import io.traceline.platform.people.internal.PersonEventRepository;
import io.traceline.platform.people.internal.PersonRepository;
import io.traceline.platform.people.internal.StructureRepository;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Job roles a person holds and programs they work on, over time (PPL-2, SPN-1): a holding starts at a date with a
 * reason and ends at a date with a reason; the history stays. A person holds a role (is a member of a program) at most
 * once without an end date (the database's partial unique index). Each change writes its role-gained / role-lost
 * (program-joined / program-left) event for training, and an audit event on the person, in its transaction; the
 * person's row is locked meanwhile, so a termination and a new holding cannot cross.
 */
public final class HoldingService {

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final PersonRepository people = new PersonRepository();
  private final HoldingRepository holdings = new HoldingRepository();
  private final StructureRepository structure = new StructureRepository();
  private final PersonEventRepository events = new PersonEventRepository();
  private final PersonEventListener listener;

  public HoldingService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, PersonEventListener listener) {
    this.listener = listener;
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
  }

  public Future<List<JsonObject>> list(TenantContext tenant, Caller caller, HoldingKind kind, UUID personId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), PeopleRoles.PEOPLE_READERS)
            .compose(v -> PeopleService.existing(people, connection, personId, false))
            .compose(person -> holdings.list(connection, kind, personId)));
  }

  /**
   * Gives the person a job role (makes them a member of a program) from {@code validFrom} (today when null); 409 while
   * they hold it without an end date.
   */
  public Future<JsonObject> assign(TenantContext tenant, Caller caller, RequestOrigin origin, HoldingKind kind,
                                   UUID personId, UUID heldId, String validFrom, String reason) {
    LocalDate from = PeopleDates.parse(validFrom, "/validFrom", PeopleDates.today());
    String noun = kind.structure().noun();
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), PeopleRoles.PEOPLE_WRITERS)
            .compose(v -> PeopleService.existing(people, connection, personId, true))
            .compose(person -> {
              if ("terminated".equals(person.getString("status"))) {
                return Future.failedFuture(ProblemException.conflict("The person is terminated: they take no "
                    + (kind == HoldingKind.JOB_ROLE ? "job roles" : "programs")));
              }
              if (from.isBefore(LocalDate.parse(person.getString("hiredOn")))) {
                return Future.failedFuture(ProblemException.unprocessable("A holding starts on or after the hire",
                    List.of(new Problem.FieldError("/validFrom", "before the hire on " + person.getString("hiredOn")))));
              }
              return structure.find(connection, kind.structure(), heldId, false);
            })
            .compose(held -> {
              if (held == null || !held.getBoolean("active")) {
                return Future.failedFuture(ProblemException.unprocessable("The " + noun + " cannot be assigned",
                    List.of(new Problem.FieldError("/" + kind.idField(), held == null ? "no " + noun + " has this id"
                        : noun + " " + held.getString("code") + " is deactivated"))));
              }
              return holdings.open(connection, kind, Ids.newId(), personId, heldId, from, reason, caller.subject())
                  .compose(opened -> opened != null ? Future.succeededFuture(opened)
                      : Future.failedFuture(ProblemException.conflict("The person holds " + noun + " "
                          + held.getString("code") + " without an end date: end that holding first")));
            })
            .compose(opened -> event(connection, kind, kind.gained(), personId, heldId, from, reason)
                .compose(v -> audit.record(connection, event(caller, origin, kind.startAction(), personId)
                    .withValues(null, opened).withReason(reason)))
                .map(recorded -> opened))
            .compose(opened -> listener.eventsWritten(connection, tenant).map(opened)));
  }

  /** Ends the holding at {@code validTo} (today when null), which is not before its start; 409 when it has an end date. */
  public Future<JsonObject> end(TenantContext tenant, Caller caller, RequestOrigin origin, HoldingKind kind,
                                UUID personId, UUID holdingId, String validTo, String reason) {
    LocalDate to = PeopleDates.parse(validTo, "/validTo", PeopleDates.today());
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), PeopleRoles.PEOPLE_WRITERS)
            .compose(v -> PeopleService.existing(people, connection, personId, true))
            .compose(person -> holdings.find(connection, kind, personId, holdingId))
            .compose(before -> {
              if (before == null) {
                return Future.failedFuture(ProblemException.notFound("No holding " + holdingId + " of person " + personId));
              }
              if (before.getString("validTo") != null) {
                return Future.failedFuture(ProblemException.conflict("The holding already ends on "
                    + before.getString("validTo")));
              }
              if (to.isBefore(LocalDate.parse(before.getString("validFrom")))) {
                return Future.failedFuture(ProblemException.unprocessable("A holding ends on or after its start",
                    List.of(new Problem.FieldError("/validTo", "before the start on " + before.getString("validFrom")))));
              }
              return holdings.end(connection, kind, personId, holdingId, to, reason, caller.subject())
                  .compose(after -> event(connection, kind, kind.lost(), personId,
                          UUID.fromString(after.getJsonObject(kind.field()).getString("id")), to, reason)
                      .compose(v -> audit.record(connection, event(caller, origin, kind.endAction(), personId)
                          .withValues(before, after).withReason(reason)))
                      .map(recorded -> after));
            })
            .compose(after -> listener.eventsWritten(connection, tenant).map(after)));
  }

  private Future<Void> event(io.vertx.sqlclient.SqlConnection connection, HoldingKind kind, PersonEventKind event,
                             UUID personId, UUID heldId, LocalDate on, String reason) {
    return kind == HoldingKind.JOB_ROLE ? events.insert(connection, event.id(), personId, heldId, null, on, reason)
        : events.insert(connection, event.id(), personId, null, heldId, on, reason);
  }

  private static AuditEvent event(Caller caller, RequestOrigin origin, String action, UUID personId) {
    return AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin), action, PeopleService.PERSON,
        personId.toString());
  }
}
