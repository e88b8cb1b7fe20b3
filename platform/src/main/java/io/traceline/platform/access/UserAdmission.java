package io.traceline.platform.access;

import io.traceline.platform.access.internal.AppUserRepository;
import io.traceline.platform.http.Admitted;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.TenantContext;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, on every tenant request, whether the token's user may still enter the tenant (TEN-4): a user a
 * tenant admin deactivated is refused at their next request although their token has not expired
 * (11.10(d)), and a username the tenant knows as one person's is never accepted from another subject
 * (11.100(a): Keycloak would let a deleted user's username be given to someone new). A user the tenant has
 * never seen is registered with the username they use. One round trip per request, which also tells whether the
 * caller holds the auditor role (their reads are audited: {@code AuditorAccessLog}).
 */
public final class UserAdmission {

  private static final Logger SECURITY = LoggerFactory.getLogger("traceline.security");

  private final Pool pool;
  private final AppUserRepository users = new AppUserRepository();

  public UserAdmission(Pool pool) {
    this.pool = pool;
  }

  /** Admits the caller (or fails with the problem to answer), telling whether their reads are to be audited. */
  public Future<Admitted> admit(TenantContext tenant, Caller caller) {
    return users.entry(pool, tenant.schemaName(), caller.subject())
        .compose(entry -> enter(tenant, caller, entry.active()).map(new Admitted(entry.auditor())))
        .recover(failure -> failure instanceof PgException pg && "42P01".equals(pg.getSqlState())
            // The tenant's schema is still being brought up to date by this build's migrations.
            ? Future.succeededFuture(Admitted.PLAIN)
            : Future.failedFuture(failure));
  }

  /** Decides on a known user's flag; registers one never seen (null), unless their username is someone else's. */
  private Future<Void> enter(TenantContext tenant, Caller caller, Boolean active) {
    return active != null ? decide(active)
            : users.register(pool, tenant.schemaName(), caller.subject(), caller.username(), caller.name())
                .compose(registered -> registered ? Future.<Void>succeededFuture()
                    : users.activeFlag(pool, tenant.schemaName(), caller.subject()).compose(raced -> raced != null
                        ? decide(raced)
                        : users.holderOf(pool, tenant.schemaName(), caller.username()).compose(holder -> {
                          SECURITY.warn("Tenant {} refused subject {}: username {} belongs to subject {}", tenant.slug(),
                              caller.subject(), caller.username(), holder == null ? "?" : holder.userId());
                          return Future.failedFuture(new ProblemException(Problem.of(403, "username-reused",
                              "Username belongs to another person", "In this tenant the username '" + caller.username()
                                  + "' belongs to another person; a username is never reused (21 CFR 11.100(a)). "
                                  + "Ask the identity administrator for a username of your own")));
                        })));
  }

  /**
   * The same decision when the caller's active flag was already read in the request's own statement (the point-of-use
   * check folds it into its single statement, see {@code TenantGate}): {@code active} null means never seen, and takes
   * the full path, which registers the user.
   */
  public Future<Admitted> admitKnowing(TenantContext tenant, Caller caller, Boolean active) {
    return active == null ? admit(tenant, caller) : decide(active).map(Admitted.PLAIN);
  }

  private static Future<Void> decide(boolean active) {
    return active ? Future.succeededFuture()
        : Future.failedFuture(new ProblemException(Problem.of(403, "user-deactivated", "Access deactivated",
            "Your access to this tenant was deactivated by a tenant administrator")));
  }
}
