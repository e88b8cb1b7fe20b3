package io.traceline.platform.training;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.traceline.platform.access.ApplicationRole;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.training.internal.TrainingRepository;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Reading assignments (TRN-3): everyone's for training and quality staff and auditors, one's own, a supervisor's team,
 * everyone on one document version; and the progress of the fan-out jobs that made them.
 */
public final class AssignmentService {

  /** Who reads everyone's training: training and quality staff, tenant admins, auditors. */
  public static final Set<String> READERS = Set.of(ApplicationRole.TRAINING_ADMIN.id(), ApplicationRole.QUALITY_MANAGER.id(),
      ApplicationRole.TENANT_ADMIN.id(), ApplicationRole.AUDITOR.id());

  private final TenantScope tenantScope;
  private final RoleCheck roles;
  private final JobQueue jobs;
  private final TrainingRepository repository = new TrainingRepository();
  private final MyAssignments mine = new MyAssignments();

  public AssignmentService(TenantScope tenantScope, RoleCheck roles, JobQueue jobs) {
    this.tenantScope = tenantScope;
    this.roles = roles;
    this.jobs = jobs;
  }

  /** Any assignments, filtered: training admins, quality managers, tenant admins and auditors. */
  public Future<List<JsonObject>> list(TenantContext tenant, Caller caller, TrainingRepository.AssignmentFilter filter,
                                       UUID after, int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), READERS)
        .compose(v -> repository.assignments(connection, filter, after, limit)));
  }

  /** The caller's own training (the person linked to their login); 404 when no person is linked. */
  public Future<List<JsonObject>> mine(TenantContext tenant, Caller caller, String status, UUID after, int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> person(connection, caller)
        .compose(person -> repository.assignments(connection,
            new TrainingRepository.AssignmentFilter(person, null, null, null, null, status), after, limit)));
  }

  /** One of the caller's own assignments, with what it awaits from them; 404 for someone else's. */
  public Future<JsonObject> myAssignment(TenantContext tenant, Caller caller, UUID assignmentId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> mine.find(connection, caller, assignmentId, false));
  }

  /** The training of the people the caller manages (supervisor role). */
  public Future<List<JsonObject>> team(TenantContext tenant, Caller caller, String status, UUID after, int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), ApplicationRole.SUPERVISOR, ApplicationRole.TRAINING_ADMIN,
                ApplicationRole.QUALITY_MANAGER)
            .compose(v -> person(connection, caller))
            .compose(manager -> repository.assignments(connection,
                new TrainingRepository.AssignmentFilter(null, manager, null, null, null, status), after, limit)));
  }

  /** A fan-out or reconciliation job of this tenant, with its progress; 404 for another tenant's or none. */
  public Future<JsonObject> job(TenantContext tenant, Caller caller, UUID jobId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), READERS))
        .compose(v -> jobs.describe(jobId, tenant.slug()))
        .compose(job -> job != null && job.getString("kind").startsWith("training.") ? Future.succeededFuture(job)
            : Future.failedFuture(ProblemException.notFound("No training job " + jobId)));
  }

  private Future<UUID> person(io.vertx.sqlclient.SqlConnection connection, Caller caller) {
    return repository.personOfUser(connection, caller.subject()).compose(person -> person != null
        ? Future.succeededFuture(person)
        : Future.failedFuture(ProblemException.notFound("Your login is not linked to a person of this tenant")));
  }
}
