package io.traceline.platform.people;

import io.traceline.platform.http.TenantContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * Told, in the transaction of a change that wrote people events (hire, job role gained or lost, leave, return,
 * termination), that it did: training enqueues their reconciliation there, so assignments follow every change that
 * commits (PPL-2, PPL-3).
 */
public interface PersonEventListener {

  PersonEventListener NONE = (connection, tenant) -> Future.succeededFuture();

  Future<Void> eventsWritten(SqlConnection connection, TenantContext tenant);
}
