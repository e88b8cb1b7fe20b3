package io.traceline.tenants;

import java.util.function.Function;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Runs a unit of work inside one tenant's schema. One shared pool serves every tenant: each unit of
 * work is a transaction whose first statement sets a transaction-local {@code search_path}, so
 * unqualified table names resolve to that tenant's schema only and nothing leaks back into the pool
 * when the connection is returned (DESIGN.md §3). The schema name comes from the registry, never
 * from request input.
 */
public final class TenantScope {

  private final Pool pool;

  public TenantScope(Pool pool) {
    this.pool = pool;
  }

  public <T> Future<T> inTransaction(String schemaName, Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(connection -> connection
        .preparedQuery("SELECT set_config('search_path', $1, true)")
        .execute(Tuple.of(schemaName))
        .compose(ignored -> work.apply(connection)));
  }
}
