package io.traceline.platform.http;

import java.util.function.BiFunction;

import io.traceline.tenants.TenantRegistry;
import io.vertx.core.Future;
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
  private final BiFunction<TenantContext, Caller, Future<Void>> admission;

  public TenantGate(TenantRegistry registry) {
    this(registry, (tenant, caller) -> Future.succeededFuture());
  }

  /**
   * {@code admission} decides, after the tenant is known, whether this user may still enter it (a deactivated
   * user is refused at their next request: TEN-4); it fails with the problem to answer.
   */
  public TenantGate(TenantRegistry registry, BiFunction<TenantContext, Caller, Future<Void>> admission) {
    this.registry = registry;
    this.admission = admission;
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
          TenantContext context = new TenantContext(tenant.slug(), tenant.schemaName(), tenant.organizationId());
          rc.put(TenantContext.KEY, context);
          admission.apply(context, caller).onSuccess(admitted -> rc.next()).onFailure(rc::fail);
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
