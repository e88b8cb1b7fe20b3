package io.traceline.platform.access;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.traceline.platform.access.internal.AppUserRepository;
import io.traceline.platform.access.internal.PersonRepository;
import io.traceline.platform.access.internal.RoleGrantRepository;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.tenants.IdentityDirectory;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Who the caller is in a tenant, the tenant's application role grants (TEN-3) and its users' access
 * (TEN-4). Only tenant admins grant, revoke, deactivate and reactivate; tenant admins and auditors read.
 * A tenant always keeps one tenant admin. Every change is audited in its own transaction (Annex 11 §12).
 */
public final class AccessService {

  private static final Set<String> GRANT_READERS = Set.of(ApplicationRole.TENANT_ADMIN.id(), ApplicationRole.AUDITOR.id());
  private static final Set<String> USER_READERS = Set.of(ApplicationRole.TENANT_ADMIN.id(), ApplicationRole.AUDITOR.id(),
      ApplicationRole.QUALITY_MANAGER.id());
  static final String ROLE_GRANT = "role-grant";
  static final String USER = "user";

  private final TenantScope tenantScope;
  private final IdentityDirectory directory;
  private final WorkerExecutor workers;
  private final RoleGrantRepository grants = new RoleGrantRepository();
  private final RoleCheck roleCheck = new RoleCheck();
  private final PersonRepository people = new PersonRepository();
  private final AppUserRepository users = new AppUserRepository();
  private final AuditTrail audit;

  public AccessService(TenantScope tenantScope, IdentityDirectory directory, WorkerExecutor workers, AuditTrail audit) {
    this.tenantScope = tenantScope;
    this.directory = directory;
    this.workers = workers;
    this.audit = audit;
  }

  public Future<JsonObject> me(TenantContext tenant, Caller caller) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> grants.activeRoles(connection, caller.subject())
        .compose(roles -> people.findByUser(connection, caller.subject()).map(person -> new JsonObject()
            .put("tenant", tenant.slug())
            .put("user", new JsonObject()
                .put("id", caller.subject())
                .put("username", caller.username())
                .put("name", caller.name())
                .put("email", caller.email()))
            .put("person", person)
            .put("roles", new JsonArray(roles)))));
  }

  public Future<List<RoleGrant>> list(TenantContext tenant, Caller caller, String userId, String role, Boolean active,
                                      UUID after, int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> requireAnyRole(connection, caller, GRANT_READERS)
        .compose(v -> grants.list(connection, userId, role, active, after, limit)));
  }

  public Future<RoleGrant> get(TenantContext tenant, Caller caller, UUID id) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> requireAnyRole(connection, caller, GRANT_READERS)
        .compose(v -> grants.find(connection, id, false))
        .compose(AccessService::found));
  }

  public Future<RoleGrant> grant(TenantContext tenant, Caller caller, RequestOrigin origin, String userId,
                                 ApplicationRole role, String reason) {
    // Check the caller first: a non-admin learns nothing about which users exist.
    return tenantScope.inTransaction(tenant.schemaName(), connection -> requireTenantAdmin(connection, caller))
        .compose(v -> member(tenant, userId))
        .compose(member -> tenantScope.inTransaction(tenant.schemaName(), connection ->
            requireTenantAdmin(connection, caller)
                .compose(v -> knownUser(connection, userId, member))
                .compose(v -> grants.insert(connection, Ids.newId(), userId, member.name(), role.id(), caller.subject(),
                    caller.name(), reason))
                .compose(granted -> granted == null
                    ? Future.failedFuture(ProblemException.conflict("The user already holds the role " + role.id()))
                    : audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin),
                            "role.granted", ROLE_GRANT, granted.id().toString())
                            .withValues(null, granted.toJson()).withReason(reason))
                        .map(granted))));
  }

  public Future<RoleGrant> revoke(TenantContext tenant, Caller caller, RequestOrigin origin, UUID id, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> requireTenantAdmin(connection, caller)
        .compose(v -> grants.find(connection, id, true))
        .compose(AccessService::found)
        .compose(grant -> {
          if (!grant.active()) {
            return Future.failedFuture(ProblemException.conflict("The grant was already revoked at " + grant.revokedAt()));
          }
          if (!ApplicationRole.TENANT_ADMIN.id().equals(grant.role())) {
            return Future.succeededFuture(grant);
          }
          return grants.lockActiveAdmins(connection).compose(admins -> admins > 1 ? Future.succeededFuture(grant)
              : Future.failedFuture(ProblemException.conflict("This is the tenant's last tenant-admin grant; "
                  + "grant the role to someone else first")));
        })
        .compose(before -> grants.revoke(connection, before.id(), caller.subject(), caller.name(), reason)
            .compose(after -> audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller),
                    AuditEvent.Source.of(origin), "role.revoked", ROLE_GRANT, after.id().toString())
                    .withValues(before.toJson(), after.toJson()).withReason(reason))
                .map(after))));
  }

  /** The tenant's users as it knows them (everyone who used it or was granted a role), by username. */
  public Future<List<AppUser>> users(TenantContext tenant, Caller caller, Boolean active, String after, int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> requireAnyRole(connection, caller, USER_READERS)
        .compose(v -> users.list(connection, active, after, limit)));
  }

  /**
   * Deactivates (or reactivates) the user in this tenant (TEN-4, 11.10(d)): their next request is refused
   * although their token is still valid; their login, their other tenants and their records are untouched.
   */
  public Future<AppUser> setActive(TenantContext tenant, Caller caller, RequestOrigin origin, String userId,
                                   boolean active, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> requireTenantAdmin(connection, caller)
            .compose(v -> users.find(connection, userId, false)))
        .compose(known -> known != null ? Future.succeededFuture()
            // A member who never used the tenant: learn their username from the identity provider first.
            : member(tenant, userId).compose(member -> tenantScope.inTransaction(tenant.schemaName(),
                connection -> knownUser(connection, userId, member))))
        .compose(v -> tenantScope.inTransaction(tenant.schemaName(), connection -> requireTenantAdmin(connection, caller)
            .compose(ok -> users.find(connection, userId, true))
            .compose(before -> {
              if (before.active() == active) {
                return Future.failedFuture(ProblemException.conflict("The user is already "
                    + (active ? "active" : "deactivated")));
              }
              if (!active && userId.equals(caller.subject())) {
                return Future.failedFuture(ProblemException.conflict("You cannot deactivate yourself"));
              }
              // The caller is an active tenant admin and not the user, so the tenant keeps an active admin.
              return users.setActive(connection, userId, active, caller.subject(), caller.name(), reason)
                  .compose(after -> audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller),
                          AuditEvent.Source.of(origin), active ? "user.reactivated" : "user.deactivated", USER, userId)
                          .withValues(before.toJson(), after.toJson()).withReason(reason))
                      .map(after));
            })));
  }

  /** Records the user in the tenant's users, refusing a username the tenant knows as another person's (11.100(a)). */
  private Future<Void> knownUser(SqlConnection connection, String userId, Member member) {
    return users.insert(connection, userId, member.username(), member.name()).compose(inserted -> inserted
        ? Future.<Void>succeededFuture()
        : users.findByUsername(connection, member.username()).compose(holder -> holder == null
            || holder.userId().equals(userId) ? Future.<Void>succeededFuture()
            : Future.failedFuture(ProblemException.unprocessable("In this tenant the username '" + member.username()
                + "' belongs to another person; a username is never reused",
                List.of(new Problem.FieldError("/userId", "this user's username belonged to another person"))))));
  }

  private record Member(String username, String name) {
  }

  /** The user's username and printed name, when they are a member of the tenant's organization. Blocking: on a worker. */
  private Future<Member> member(TenantContext tenant, String userId) {
    return workers.<Member>executeBlocking(() -> {
      if (!directory.isMember(tenant.organizationId(), userId)) {
        return null;
      }
      return directory.findUser(userId).map(user -> new Member(user.getUsername(), printedName(user))).orElse(null);
    }, false).compose(member -> member != null ? Future.succeededFuture(member)
        : Future.failedFuture(ProblemException.unprocessable("The user is not a member of this tenant",
            List.of(new Problem.FieldError("/userId", "no member of this tenant has this id")))));
  }

  private static String printedName(UserRepresentation user) {
    String name = ((user.getFirstName() == null ? "" : user.getFirstName()) + " "
        + (user.getLastName() == null ? "" : user.getLastName())).strip();
    return name.isEmpty() ? user.getUsername() : name;
  }

  private Future<Void> requireTenantAdmin(SqlConnection connection, Caller caller) {
    return requireAnyRole(connection, caller, Set.of(ApplicationRole.TENANT_ADMIN.id()));
  }

  private Future<Void> requireAnyRole(SqlConnection connection, Caller caller, Set<String> allowed) {
    return roleCheck.requireAny(connection, caller.subject(), allowed).mapEmpty();
  }

  private static Future<RoleGrant> found(RoleGrant grant) {
    return grant != null ? Future.succeededFuture(grant) : Future.failedFuture(ProblemException.notFound("No such role grant"));
  }
}
