package io.traceline.platform.quality;

import java.util.List;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.documents.VersionCauses;
import io.traceline.platform.documents.VersionEffectiveListener;
import io.traceline.platform.jobs.JobKind;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.records.RecordVersions;
import io.traceline.platform.signatures.SignatureService;
import io.traceline.platform.training.AssignmentCompletedListener;
import io.traceline.tenants.TenantScope;

/**
 * Quality events and CAPA, assembled. Made before document control and training, which call it in their transactions:
 * a completed assignment may complete a training action, a version becoming effective completes the document-change
 * actions that drive it, and a version's read model names what caused it.
 */
public final class QualityFeature {

  public final QualityHandlers handlers;
  public final AssignmentCompletedListener completions;
  public final VersionEffectiveListener revisionsEffective;
  public final VersionCauses revisionCauses;
  public final List<JobKind> jobKinds;

  /**
   * {@code inlineAssignmentLimit}: above this many affected people a training action's assignments are made by the job
   * runtime rather than in the request (the platform passes its fan-out chunk size: a set larger than one chunk of a
   * revision's fan-out is work for the cluster, not for a request).
   */
  public QualityFeature(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, JobQueue jobs, RecordVersions records,
                        SignatureService signatures, int inlineAssignmentLimit) {
    SignedRecords signed = new SignedRecords(records);
    TrainingActions training = new TrainingActions(audit, jobs, inlineAssignmentLimit);
    RevisionLinks links = new RevisionLinks(audit);
    this.completions = training;
    this.revisionsEffective = links;
    this.revisionCauses = links;
    this.handlers = new QualityHandlers(
        new QualityEventService(tenantScope, audit, roles, signatures, signed, new QualitySettings(records)),
        new CapaService(tenantScope, audit, roles, jobs, signatures, signed, training));
    this.jobKinds = List.of(training, new EffectivenessDueJob(audit));
  }
}
