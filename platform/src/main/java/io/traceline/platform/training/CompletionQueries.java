package io.traceline.platform.training;

import java.util.List;
import java.util.UUID;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.training.internal.CompletionRepository;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Reading completion records (TRN-4): training and quality staff and auditors, filtered by person, document, version. */
public final class CompletionQueries {

  private final TenantScope tenantScope;
  private final RoleCheck roles;
  private final CompletionRepository completions = new CompletionRepository();

  public CompletionQueries(TenantScope tenantScope, RoleCheck roles) {
    this.tenantScope = tenantScope;
    this.roles = roles;
  }

  public Future<List<JsonObject>> list(TenantContext tenant, Caller caller, CompletionRepository.Filter filter, UUID after,
                                       int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(),
            AssignmentService.READERS)
        .compose(v -> completions.list(connection, filter, after, limit)));
  }

  public Future<JsonObject> get(TenantContext tenant, Caller caller, UUID id) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(),
            AssignmentService.READERS)
        .compose(v -> completions.find(connection, id))
        .compose(found -> found != null ? Future.succeededFuture(found)
            : Future.failedFuture(ProblemException.notFound("No completion " + id))));
  }
}
