package io.traceline.platform.access;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.traceline.platform.access.internal.PersonRepository;
import io.traceline.platform.access.internal.RoleGrantRepository;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
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
 * Who the caller is in a tenant, and the tenant's application role grants (TEN-3). Only tenant admins
 * grant and revoke; tenant admins and auditors read the grants. A tenant always keeps one tenant admin.
 */
public final class AccessService {

  private static final Set<String> GRANT_READERS = Set.of(ApplicationRole.TENANT_ADMIN.id(), ApplicationRole.AUDITOR.id());

  private final TenantScope tenantScope;
  private final IdentityDirectory directory;
  private final WorkerExecutor workers;
  private final RoleGrantRepository grants = new RoleGrantRepository();
  private final PersonRepository people = new PersonRepository();

  public AccessService(TenantScope tenantScope, IdentityDirectory directory, WorkerExecutor workers) {
    this.tenantScope = tenantScope;
    this.directory = directory;
    this.workers = workers;
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

  public Future<RoleGrant> grant(TenantContext tenant, Caller caller, String userId, ApplicationRole role, String reason) {
    // Check the caller first: a non-admin learns nothing about which users exist.
    return tenantScope.inTransaction(tenant.schemaName(), connection -> requireTenantAdmin(connection, caller))
        .compose(v -> memberPrintedName(tenant, userId))
        .compose(userName -> tenantScope.inTransaction(tenant.schemaName(), connection ->
            requireTenantAdmin(connection, caller)
                .compose(v -> grants.insert(connection, Ids.newId(), userId, userName, role.id(), caller.subject(),
                    caller.name(), reason))
                .compose(granted -> granted != null ? Future.succeededFuture(granted)
                    : Future.failedFuture(ProblemException.conflict("The user already holds the role " + role.id())))));
  }

  public Future<RoleGrant> revoke(TenantContext tenant, Caller caller, UUID id, String reason) {
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
        .compose(grant -> grants.revoke(connection, grant.id(), caller.subject(), caller.name(), reason)));
  }

  /** The user's printed name, when they are a member of the tenant's organization. Blocking: on a worker. */
  private Future<String> memberPrintedName(TenantContext tenant, String userId) {
    return workers.<String>executeBlocking(() -> {
      if (!directory.isMember(tenant.organizationId(), userId)) {
        return null;
      }
      return directory.findUser(userId).map(AccessService::printedName).orElse(null);
    }, false).compose(name -> name != null ? Future.succeededFuture(name)
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
    return grants.activeRoles(connection, caller.subject()).compose(roles -> roles.stream().anyMatch(allowed::contains)
        ? Future.succeededFuture()
        : Future.failedFuture(ProblemException.forbidden("This needs one of the application roles " + allowed)));
  }

  private static Future<RoleGrant> found(RoleGrant grant) {
    return grant != null ? Future.succeededFuture(grant) : Future.failedFuture(ProblemException.notFound("No such role grant"));
  }
}
