package io.traceline.platform.documents;

import java.util.List;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.documents.internal.DocumentRepository;
import io.traceline.platform.documents.internal.PostgresContentStore;
import io.traceline.platform.jobs.JobKind;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.records.RecordVersions;
import io.traceline.platform.signatures.SignatureService;
import io.traceline.tenants.TenantScope;

/** Document control, assembled: its services share one repository; the platform takes the handlers and job kinds. */
public final class DocumentFeature {

  public final DocumentHandlers handlers;
  public final DocumentUploadHandler uploads;
  /** The versions' files, for features that serve them in their own context (training opens them through assignments). */
  public final DocumentContentService content;
  public final List<JobKind> jobKinds;

  public DocumentFeature(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, JobQueue jobs, RecordVersions records,
                         SignatureService signatures, long maxContentBytes, List<VersionEffectiveListener> listeners,
                         VersionCauses causes) {
    DocumentRepository repository = new DocumentRepository();
    // The embedded default; an object store implementing DocumentContentStore would be chosen here by configuration.
    DocumentContentStore store = new PostgresContentStore(tenantScope);
    DocumentLifecycle lifecycle = new DocumentLifecycle(tenantScope, audit, roles, jobs, records, signatures, repository,
        listeners);
    this.content = new DocumentContentService(tenantScope, audit, roles, store, repository);
    this.handlers = new DocumentHandlers(new DocumentService(tenantScope, audit, roles, repository, causes), lifecycle, content,
        new DocumentExport(tenantScope, roles, records, signatures, audit, repository));
    this.uploads = new DocumentUploadHandler(content, maxContentBytes);
    this.jobKinds = List.of(new DocumentEffectiveJob(lifecycle, audit, repository),
        new DocumentReviewDueJob(audit, repository));
  }
}
