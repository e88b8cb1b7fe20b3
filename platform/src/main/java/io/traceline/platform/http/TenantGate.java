package io.traceline.platform.http;

import io.traceline.tenants.TenantRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Admits a request to the tenant its path names only when the token belongs to that tenant's
 * organization (TEN-2). A tenant the token does not belong to answers exactly like one that does not
 * exist, and is decided before any database access, so neither the status nor the time taken tells
 * whether another tenant exists.
 */
public final class TenantGate implements Handler<RoutingContext> {

  private final TenantRegistry registry;

  public TenantGate(TenantRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(RoutingContext rc) {
    String slug = rc.pathParam("tenant");
    Caller caller = BearerAuthentication.caller(rc);
    if (slug == null || !caller.belongsTo(slug)) {
      rc.fail(noSuchTenant(slug));
      return;
    }
    registry.find(slug)
        .onSuccess(tenant -> {
          if (tenant == null || !tenant.isReady()) {
            rc.fail(noSuchTenant(slug));
            return;
          }
          rc.put(TenantContext.KEY, new TenantContext(tenant.slug(), tenant.schemaName(), tenant.organizationId()));
          rc.next();
        })
        .onFailure(rc::fail);
  }

  private static ProblemException noSuchTenant(String slug) {
    return ProblemException.notFound("No tenant '" + slug + "' for this token");
  }

  public static TenantContext tenant(RoutingContext rc) {
    return rc.get(TenantContext.KEY);
  }
}
