package io.traceline.platform.training;

import java.util.List;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.jobs.JobKind;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.records.RecordVersions;
import io.traceline.platform.signatures.SignatureService;
import io.traceline.tenants.TenantScope;

/** Training, assembled: the triggers other features call in their transactions, the handlers, the job kinds. */
public final class TrainingFeature {

  public final TrainingTriggers triggers;
  public final TrainingHandlers handlers;
  public final List<JobKind> jobKinds;

  public TrainingFeature(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, JobQueue jobs, RecordVersions records,
                         SignatureService signatures, int fanOutChunk) {
    this.triggers = new TrainingTriggers(jobs, fanOutChunk);
    this.handlers = new TrainingHandlers(new RequirementService(tenantScope, audit, roles, jobs, triggers),
        new AssignmentService(tenantScope, roles, jobs),
        new CompletionService(tenantScope, audit, records, signatures, triggers));
    this.jobKinds = List.of(new FanOutJob(audit), new PersonEventsJob(audit, jobs), new RecertificationJob(audit));
  }
}
