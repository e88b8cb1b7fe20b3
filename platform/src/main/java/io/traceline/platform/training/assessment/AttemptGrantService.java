package io.traceline.platform.training.assessment;

import java.util.UUID;

import io.traceline.platform.access.ApplicationRole;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.training.assessment.internal.AttemptRepository;
import io.traceline.platform.training.internal.TrainingRepository;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Further attempts for a blocked assessment: a training admin or quality manager for anyone, a supervisor for the
 * people they manage, always with a reason; the grant is kept (append-only), audited, and unblocks the assignment.
 */
public final class AttemptGrantService {

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final TrainingRepository assignments = new TrainingRepository();
  private final AttemptRepository attempts = new AttemptRepository();

  public AttemptGrantService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
  }

  /** Grants {@code count} further attempts to the blocked assignment: {grant, assignment, attemptsAllowed}. */
  public Future<JsonObject> grant(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId, int count,
                                  String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(),
            ApplicationRole.SUPERVISOR, ApplicationRole.TRAINING_ADMIN, ApplicationRole.QUALITY_MANAGER)
        .compose(held -> assignments.lockAssignment(connection, assignmentId).compose(before -> before == null
            ? Future.failedFuture(ProblemException.notFound("No assignment " + assignmentId))
            : mayGrant(connection, caller, held, before).compose(v -> {
              if (!"blocked".equals(before.getString("status"))) {
                return Future.failedFuture(new ProblemException(Problem.of(409, "not-blocked", "The assignment is not blocked",
                    "Only an assessment whose attempts are exhausted takes further attempts; this one is "
                        + before.getString("status"))));
              }
              return attempts.insertGrant(connection, Ids.newId(), assignmentId, count, reason, caller.subject(),
                      caller.name())
                  .compose(grant -> assignments.block(connection, assignmentId, false)
                      .compose(unblocked -> assignments.assignment(connection, assignmentId))
                      .compose(after -> assignments.assessmentRules(connection, assignmentId)
                          .compose(rules -> attempts.allowance(connection, assignmentId, rules.getInteger("maxAttempts")))
                          .compose(allowance -> audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller),
                                  AuditEvent.Source.of(origin), "training-assignment.attempts-granted",
                                  "training-assignment", assignmentId.toString())
                              .withValues(before, after.copy().put("grant", grant)
                                  .put("attemptsAllowed", allowance.getInteger("allowed")))
                              .withReason(reason))
                              .map(recorded -> new JsonObject().put("grant", grant).put("assignment", after)
                                  .put("attemptsUsed", allowance.getInteger("used"))
                                  .put("attemptsAllowed", allowance.getInteger("allowed"))))));
            }))));
  }

  /** A supervisor who is not also a training admin or quality manager grants only to the people they manage. */
  private Future<Void> mayGrant(SqlConnection connection, Caller caller, java.util.List<String> held, JsonObject assignment) {
    if (held.contains(ApplicationRole.TRAINING_ADMIN.id()) || held.contains(ApplicationRole.QUALITY_MANAGER.id())) {
      return Future.succeededFuture();
    }
    UUID person = UUID.fromString(assignment.getJsonObject("person").getString("id"));
    return assignments.personOfUser(connection, caller.subject()).compose(me -> assignments.managerOf(connection, person)
        .compose(manager -> me != null && me.equals(manager) ? Future.succeededFuture()
            : Future.failedFuture(ProblemException.forbidden("A supervisor grants further attempts to the people they "
                + "manage; a training admin or quality manager to anyone"))));
  }
}
