package io.traceline.platform.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import io.traceline.tenants.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Admits a request to the tenant its path names only when the token belongs to that tenant's
 * organization (TEN-2). A tenant the token does not belong to answers exactly like one that does not
 * exist, and is decided before any database access, so neither the status nor the time taken tells
 * whether another tenant exists.
 *
 * <p>A ready tenant's slug, schema and organization never change (a tenant leaves the ready state only through a new
 * provisioning, which registers a new slug), so they are remembered after the first request: a request costs no
 * registry read. The user's admission (TEN-4) is decided on every request, never remembered; routes that read it in
 * their own single statement (the point-of-use check) are named by {@code admitsItself}, and the gate leaves it to them.
 */
public final class TenantGate implements Handler<RoutingContext> {

  private final TenantRegistry registry;
  private final BiFunction<TenantContext, Caller, Future<Admitted>> admission;
  private final Predicate<RoutingContext> admitsItself;
  private final Map<String, TenantContext> ready = new ConcurrentHashMap<>();

  public TenantGate(TenantRegistry registry) {
    this(registry, (tenant, caller) -> Future.succeededFuture(Admitted.PLAIN));
  }

  public TenantGate(TenantRegistry registry, BiFunction<TenantContext, Caller, Future<Admitted>> admission) {
    this(registry, admission, rc -> false);
  }

  /**
   * {@code admission} decides, after the tenant is known, whether this user may still enter it (a deactivated
   * user is refused at their next request: TEN-4); it fails with the problem to answer. For requests {@code
   * admitsItself} accepts, the route's handler decides admission itself (it must: the gate does not).
   */
  public TenantGate(TenantRegistry registry, BiFunction<TenantContext, Caller, Future<Admitted>> admission,
                    Predicate<RoutingContext> admitsItself) {
    this.registry = registry;
    this.admission = admission;
    this.admitsItself = admitsItself;
  }

  @Override
  public void handle(RoutingContext rc) {
    String slug = rc.pathParam("tenant");
    Caller caller = BearerAuthentication.caller(rc);
    if (slug == null || !caller.belongsTo(slug)) {
      rc.fail(noSuchTenant(slug));
      return;
    }
    TenantContext known = ready.get(slug);
    if (known != null) {
      admit(rc, known, caller);
      return;
    }
    registry.find(slug)
        .onSuccess(tenant -> {
          if (tenant == null || !tenant.isReady()) {
            rc.fail(noSuchTenant(slug));
            return;
          }
          TenantContext context = new TenantContext(tenant.slug(), tenant.schemaName(), tenant.organizationId());
          ready.put(slug, context);
          admit(rc, context, caller);
        })
        .onFailure(rc::fail);
  }

  private void admit(RoutingContext rc, TenantContext tenant, Caller caller) {
    rc.put(TenantContext.KEY, tenant);
    if (admitsItself.test(rc)) {
      rc.next();
      return;
    }
    admission.apply(tenant, caller).onSuccess(admitted -> {
      rc.put(Admitted.KEY, admitted);
      rc.next();
    }).onFailure(rc::fail);
  }

  private static ProblemException noSuchTenant(String slug) {
    return ProblemException.notFound("No tenant '" + slug + "' for this token");
  }

  public static TenantContext tenant(RoutingContext rc) {
    return rc.get(TenantContext.KEY);
  }

  /** What admission learnt; {@link Admitted#PLAIN} for routes that admit themselves. */
  public static Admitted admitted(RoutingContext rc) {
    Admitted admitted = rc.get(Admitted.KEY);
    return admitted == null ? Admitted.PLAIN : admitted;
  }
}
