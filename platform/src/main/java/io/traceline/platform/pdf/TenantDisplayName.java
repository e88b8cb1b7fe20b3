package io.traceline.platform.pdf;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** The tenant's display name for a human-readable copy's header (the slug when it has none). */
public final class TenantDisplayName {

  private TenantDisplayName() {
  }

  public static Future<String> of(SqlConnection connection, String slug) {
    return connection.preparedQuery("SELECT display_name FROM control.tenant WHERE slug = $1")
        .execute(Tuple.of(slug))
        .map(rows -> rows.size() == 0 || rows.iterator().next().getString("display_name") == null ? slug
            : rows.iterator().next().getString("display_name"));
  }
}
