package io.traceline.platform.reports;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.tenants.TenantScope;
import io.vertx.core.WorkerExecutor;

/** Reports, assembled: the handlers the platform routes (RPT-1, RPT-2, RPT-3, RPT-4; PDFs render on the blocking workers). */
public final class ReportFeature {

  public final ReportHandlers handlers;

  public ReportFeature(TenantScope tenantScope, RoleCheck roles, AuditTrail audit, WorkerExecutor workers) {
    this.handlers = new ReportHandlers(new DocumentTrainingReport(tenantScope, roles, audit),
        new ComplianceReport(tenantScope, roles, audit), new MetricsReport(tenantScope, roles, audit), workers);
  }
}
