package io.traceline.platform.training;

import java.util.List;
import java.util.UUID;

import io.traceline.platform.access.ApplicationRole;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.IfMatch;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.training.internal.TrainingRepository;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The training matrix (TRN-1): which job role (optionally at one site, optionally only the members of one sponsor
 * program) trains on which document, by which method,
 * within which window, recertified how often, and what a minor revision asks. Adding one to a role assigns the
 * document's effective version to the role's people at once (a fan-out job in the same transaction); retiring one
 * cancels its open assignments. Every change audited with its reason; nothing deleted.
 */
public final class RequirementService {

  static final ApplicationRole[] WRITERS = {ApplicationRole.TRAINING_ADMIN, ApplicationRole.QUALITY_MANAGER,
      ApplicationRole.TENANT_ADMIN};
  /** Default due windows by the document's risk class, in days. */
  static final java.util.Map<String, Integer> DUE_DAYS_BY_RISK = java.util.Map.of("high", 14, "medium", 30, "low", 60);

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final JobQueue jobs;
  private final TrainingTriggers triggers;
  private final TrainingRepository repository = new TrainingRepository();

  public RequirementService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, JobQueue jobs,
                            TrainingTriggers triggers) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
    this.jobs = jobs;
    this.triggers = triggers;
  }

  public Future<JsonObject> create(TenantContext tenant, Caller caller, RequestOrigin origin, JsonObject body) {
    checkMethod(body);
    String reason = body.getString("reason");
    UUID documentId = UUID.fromString(body.getString("documentId"));
    UUID jobRoleId = UUID.fromString(body.getString("jobRoleId"));
    UUID siteId = body.getString("siteId") == null ? null : UUID.fromString(body.getString("siteId"));
    UUID programId = body.getString("programId") == null ? null : UUID.fromString(body.getString("programId"));
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), WRITERS)
        .compose(v -> repository.effectiveVersion(connection, documentId))
        .compose(effective -> repository.referencesActive(connection, jobRoleId, siteId, programId).compose(active -> {
          List<Problem.FieldError> errors = new java.util.ArrayList<>();
          if (effective == null) {
            errors.add(new Problem.FieldError("/documentId", "no document has this id"));
          } else if ("obsolete".equals(effective.getString("status"))) {
            errors.add(new Problem.FieldError("/documentId", "the document is obsolete"));
          }
          if (!active[0]) {
            errors.add(new Problem.FieldError("/jobRoleId", "no active job role has this id"));
          }
          if (!active[1]) {
            errors.add(new Problem.FieldError("/siteId", "no active site has this id"));
          }
          if (!active[2]) {
            errors.add(new Problem.FieldError("/programId", "no active program has this id"));
          }
          if (!errors.isEmpty()) {
            return Future.failedFuture(ProblemException.unprocessable("The requirement names what cannot be trained on "
                + "or assigned", errors));
          }
          return riskDefault(connection, documentId, body)
              .compose(complete -> repository.insert(connection, Ids.newId(), complete, caller.subject()))
              .compose(created -> created == null
                  ? Future.failedFuture(ProblemException.conflict("This job role (at this site and program scope) "
                      + "already has an active requirement for the document: change that one"))
                  : audit.record(connection, event(caller, origin, "training-requirement.created", created)
                          .withValues(null, created).withReason(reason))
                      .compose(recorded -> effective.getString("versionId") == null ? Future.succeededFuture(created)
                          : triggers.requirementAdded(connection, tenant.slug(), UUID.fromString(created.getString("id")),
                              documentId, effective, caller.subject()).map(job -> created.copy().put("fanOutJobId",
                              job.toString()))));
        })))
        .onSuccess(created -> jobs.wake());
  }

  private Future<JsonObject> riskDefault(SqlConnection connection, UUID documentId, JsonObject body) {
    if (body.getInteger("dueDays") != null) {
      return Future.succeededFuture(body);
    }
    return connection.preparedQuery("SELECT risk_class FROM document WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(documentId))
        .map(rows -> body.copy().put("dueDays", DUE_DAYS_BY_RISK.get(rows.iterator().next().getString("risk_class"))));
  }

  public Future<List<JsonObject>> list(TenantContext tenant, UUID documentId, UUID jobRoleId, UUID programId,
                                       Boolean active, UUID after, int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        repository.list(connection, documentId, jobRoleId, programId, active, after, limit));
  }

  public Future<JsonObject> get(TenantContext tenant, UUID id) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> existing(connection, id, false));
  }

  /** Changes method, window, recertification or the minor-revision rule; applies to assignments made from now on. */
  public Future<JsonObject> update(TenantContext tenant, Caller caller, RequestOrigin origin, UUID id, int expected,
                                   JsonObject changes, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), WRITERS)
        .compose(v -> existing(connection, id, true))
        .compose(before -> {
          IfMatch.check(before.getInteger("revision"), expected, "the requirement");
          if (!before.getBoolean("active")) {
            return Future.failedFuture(ProblemException.conflict("The requirement is retired: it does not change"));
          }
          JsonObject merged = new JsonObject()
              .put("method", changes.getString("method", before.getString("method")))
              .put("passScore", changes.containsKey("passScore") ? changes.getInteger("passScore")
                  : before.getInteger("passScore"))
              .put("dueDays", changes.getInteger("dueDays", before.getInteger("dueDays")))
              .put("recertifyMonths", changes.containsKey("recertifyMonths") ? changes.getInteger("recertifyMonths")
                  : before.getInteger("recertifyMonths"))
              .put("minorRevision", changes.getString("minorRevision", before.getString("minorRevision")))
              .put("maxAttempts", changes.getInteger("maxAttempts", before.getInteger("maxAttempts")));
          if (!"assessment".equals(merged.getString("method"))) {
            merged.putNull("passScore");
          }
          checkMethod(merged);
          return repository.update(connection, id, merged)
              .compose(after -> audit.record(connection, event(caller, origin, "training-requirement.updated", after)
                      .withValues(before, after).withReason(reason))
                  .map(recorded -> after));
        }));
  }

  /** Retires the requirement: its open assignments are cancelled with the reason; history stays. */
  public Future<JsonObject> retire(TenantContext tenant, Caller caller, RequestOrigin origin, UUID id, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), WRITERS)
        .compose(v -> existing(connection, id, true))
        .compose(before -> !before.getBoolean("active")
            ? Future.failedFuture(ProblemException.conflict("The requirement is already retired"))
            : repository.retire(connection, id, caller.subject(), reason)
                .compose(cancelled -> repository.find(connection, id, false)
                    .compose(after -> audit.record(connection, event(caller, origin, "training-requirement.retired", after)
                            .withValues(before, after.copy().put("assignmentsCancelled", cancelled)).withReason(reason))
                        .map(recorded -> after.copy().put("assignmentsCancelled", cancelled))))));
  }

  private Future<JsonObject> existing(SqlConnection connection, UUID id, boolean lock) {
    return repository.find(connection, id, lock).compose(found -> found != null ? Future.succeededFuture(found)
        : Future.failedFuture(ProblemException.notFound("No training requirement " + id)));
  }

  /** An assessment needs its pass score; other methods take none. */
  private static void checkMethod(JsonObject requirement) {
    boolean assessment = "assessment".equals(requirement.getString("method"));
    if (assessment != (requirement.getInteger("passScore") != null)) {
      throw ProblemException.unprocessable(assessment ? "An assessment needs a pass score"
              : "Only an assessment has a pass score",
          List.of(new Problem.FieldError("/passScore", assessment ? "required for method assessment"
              : "only with method assessment")));
    }
  }

  private static AuditEvent event(Caller caller, RequestOrigin origin, String action, JsonObject requirement) {
    return AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin), action, "training-requirement",
        requirement.getString("id")).withVersion(requirement.getInteger("revision"));
  }
}
