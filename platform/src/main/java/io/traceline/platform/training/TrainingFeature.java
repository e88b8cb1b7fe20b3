package io.traceline.platform.training;

import java.util.List;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.documents.DocumentContentService;
import io.traceline.platform.jobs.JobKind;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.records.RecordVersions;
import io.traceline.platform.signatures.SignatureService;
import io.traceline.platform.training.assessment.AssessmentHandlers;
import io.traceline.platform.training.assessment.AssessmentService;
import io.traceline.platform.training.assessment.AttemptGrantService;
import io.traceline.platform.training.assessment.QuestionBankService;
import io.traceline.platform.training.classroom.SessionHandlers;
import io.traceline.platform.training.classroom.SessionService;
import io.traceline.platform.training.classroom.SessionSigning;
import io.traceline.platform.training.practical.ChecklistService;
import io.traceline.platform.training.practical.ObservationHandlers;
import io.traceline.platform.training.practical.ObservationService;
import io.traceline.platform.qualifications.QualificationService;
import io.traceline.tenants.TenantScope;

/**
 * Training, assembled: the handlers and the job kinds. The triggers (which other features call in their transactions)
 * are made first, because document control needs them and training needs document control's files.
 */
public final class TrainingFeature {

  public final TrainingTriggers triggers;
  public final TrainingHandlers handlers;
  public final CompletionHandlers completionHandlers;
  public final MaterialBankHandlers questionBankHandlers;
  public final AssessmentHandlers assessmentHandlers;
  public final MaterialBankHandlers checklistHandlers;
  public final ObservationHandlers observationHandlers;
  public final SessionHandlers sessionHandlers;
  public final List<JobKind> jobKinds;

  public TrainingFeature(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, JobQueue jobs, RecordVersions records,
                         SignatureService signatures, TrainingTriggers triggers, DocumentContentService files,
                         List<AssignmentCompletedListener> completionListeners) {
    this.triggers = triggers;
    CompletionRecords completionRecords = new CompletionRecords(audit, triggers, completionListeners);
    this.handlers = new TrainingHandlers(new RequirementService(tenantScope, audit, roles, jobs, triggers),
        new AssignmentService(tenantScope, roles, jobs),
        new CompletionService(tenantScope, records, signatures, completionRecords));
    this.completionHandlers = new CompletionHandlers(new TrainingContentService(tenantScope, audit, files),
        new LateCompletionService(tenantScope, roles, records, signatures, completionRecords), new CompletionQueries(tenantScope, roles));
    this.questionBankHandlers = new MaterialBankHandlers(new QuestionBankService(tenantScope, audit, roles), "questionId",
        "the question");
    this.assessmentHandlers = new AssessmentHandlers(new AssessmentService(tenantScope, audit, records, signatures,
        completionRecords), new AttemptGrantService(tenantScope, audit, roles));
    // On-the-job and classroom sign-offs ask the qualifications feature whether the trainer may train on the document.
    TrainerCheck trainers = new TrainerCheck(new QualificationService());
    this.checklistHandlers = new MaterialBankHandlers(new ChecklistService(tenantScope, audit, roles), "itemId",
        "the checklist item");
    this.observationHandlers = new ObservationHandlers(new ObservationService(tenantScope, audit, roles, records, signatures,
        completionRecords, trainers));
    this.sessionHandlers = new SessionHandlers(new SessionService(tenantScope, audit, roles, trainers),
        new SessionSigning(tenantScope, audit, records, signatures, completionRecords, trainers));
    this.jobKinds = List.of(new FanOutJob(audit), new PersonEventsJob(audit, jobs), new RecertificationJob(audit));
  }
}
