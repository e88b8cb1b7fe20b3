package io.traceline.platform.documents.internal;

import io.traceline.platform.documents.DocumentContentStore;
import io.traceline.platform.http.TenantContext;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;

/**
 * The embedded default store: files in the tenant schema's append-only {@code content_blob} table, each in its own
 * short transaction (a file stored for an upload that then fails is kept, unreferenced, like any object store would).
 */
public final class PostgresContentStore implements DocumentContentStore {

  private final TenantScope tenantScope;

  public PostgresContentStore(TenantScope tenantScope) {
    this.tenantScope = tenantScope;
  }

  @Override
  public Future<Void> put(TenantContext tenant, String sha256, Buffer bytes) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> connection
        .preparedQuery("INSERT INTO content_blob (sha256, size_bytes, bytes) VALUES ($1, $2, $3) "
            + "ON CONFLICT (sha256) DO NOTHING")
        .execute(Tuple.of(sha256, (long) bytes.length(), bytes))
        .mapEmpty());
  }

  @Override
  public Future<Buffer> get(TenantContext tenant, String sha256) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> connection
        .preparedQuery("SELECT bytes FROM content_blob WHERE sha256 = $1")
        .execute(Tuple.of(sha256))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBuffer("bytes")));
  }
}
