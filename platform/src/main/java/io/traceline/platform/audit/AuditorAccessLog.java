package io.traceline.platform.audit;

import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.http.TenantGate;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Records every read of an auditor in the audit trail before it is answered (issue 9 item 7; 21 CFR 11.10(e), Annex 11
 * §12.4): what was read (the operation, the path with its ids, the query, the format asked for), by whom, when and from
 * where. An inspection's own trail then shows which records the inspector saw. Reports record their own access with
 * their parameters ({@code report.generated}) and are not routed through here.
 *
 * <p>Whether the caller is an auditor comes from the tenant gate's admission lookup, so other callers pay nothing. The
 * event commits before the handler runs: if it cannot be written, the read is refused, never answered unrecorded. A
 * read that the handler then refuses (403, 404) stays recorded as the attempt it was.
 */
public final class AuditorAccessLog {

  public static final String ACTION = "record.accessed";
  public static final String ENTITY_TYPE = "api-read";

  private final TenantScope tenantScope;
  private final AuditTrail audit;

  public AuditorAccessLog(TenantScope tenantScope, AuditTrail audit) {
    this.tenantScope = tenantScope;
    this.audit = audit;
  }

  /** The handler for one GET operation of the tenant API. */
  public Handler<RoutingContext> forOperation(String operationId) {
    return rc -> {
      if (!TenantGate.admitted(rc).accessAudited()) {
        rc.next();
        return;
      }
      TenantContext tenant = TenantGate.tenant(rc);
      String prefix = "/api/v1/t/" + tenant.slug();
      String path = rc.request().path();
      JsonObject read = new JsonObject()
          .put("operation", operationId)
          .put("method", rc.request().method().name())
          .put("path", path.startsWith(prefix) ? path.substring(prefix.length()) : path)
          .put("query", rc.request().query())
          .put("accept", rc.request().getHeader(HttpHeaders.ACCEPT));
      AuditEvent event = AuditEvent.of(AuditEvent.Actor.of(BearerAuthentication.caller(rc)),
              AuditEvent.Source.of(RequestOrigin.of(rc)), ACTION, ENTITY_TYPE, read.getString("path"))
          .withValues(null, read);
      tenantScope.inTransaction(tenant.schemaName(), connection -> audit.record(connection, event))
          .onSuccess(recorded -> rc.next())
          .onFailure(rc::fail);
    };
  }
}
