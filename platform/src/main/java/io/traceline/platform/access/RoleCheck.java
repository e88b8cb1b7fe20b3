package io.traceline.platform.access;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.traceline.platform.access.internal.RoleGrantRepository;
import io.traceline.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/** Checks a user's application roles in the tenant, on the caller's connection (inside the tenant's schema). */
public final class RoleCheck {

  private final RoleGrantRepository grants = new RoleGrantRepository();

  public Future<List<String>> activeRoles(SqlConnection connection, String userId) {
    return grants.activeRoles(connection, userId);
  }

  /** Succeeds when the user holds one of the roles; fails with a 403 problem otherwise. */
  public Future<List<String>> requireAny(SqlConnection connection, String userId, ApplicationRole... allowed) {
    Set<String> ids = Arrays.stream(allowed).map(ApplicationRole::id).collect(Collectors.toCollection(java.util.TreeSet::new));
    return requireAny(connection, userId, ids);
  }

  public Future<List<String>> requireAny(SqlConnection connection, String userId, Set<String> allowed) {
    return grants.activeRoles(connection, userId).compose(roles -> roles.stream().anyMatch(allowed::contains)
        ? Future.succeededFuture(roles)
        : Future.failedFuture(ProblemException.forbidden("This needs one of the application roles " + allowed)));
  }
}
