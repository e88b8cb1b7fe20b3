package io.traceline.platform.qualifications;

import io.micrometer.core.instrument.MeterRegistry;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.access.UserAdmission;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.tenants.TenantScope;
import io.vertx.sqlclient.Pool;

/**
 * Qualifications, assembled: the handlers the platform routes, and the service other features call in their
 * transactions (a trainer's qualification on a document, a person's status).
 */
public final class QualificationFeature {

  public final QualificationHandlers handlers;
  public final QualificationService service = new QualificationService();
  /** A person's and a document's qualifications, also on a caller's connection (a training file shows them). */
  public final QualificationViewService views;

  public QualificationFeature(Pool pool, TenantScope tenantScope, AuditTrail audit, RoleCheck roles,
                              UserAdmission admission, MeterRegistry meters) {
    this.views = new QualificationViewService(tenantScope, roles);
    this.handlers = new QualificationHandlers(new QualificationCheckService(pool, admission, meters), views,
        new PersonQualificationService(tenantScope, audit, roles));
  }
}
