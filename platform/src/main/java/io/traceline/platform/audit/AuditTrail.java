package io.traceline.platform.audit;

import java.util.List;

import io.traceline.platform.audit.internal.AuditRepository;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * The audit trail every feature writes through (P11-1, Annex 11 §9): call {@link #record} on the
 * connection of the transaction that makes the change, so the change and its audit event commit or
 * roll back together.
 *
 * <p>Events of a tenant form one hash chain. Appending locks the chain's head row until the transaction
 * ends: concurrent writers of a tenant append one after another, and the chain never forks or reorders.
 * Record events after the transaction's own writes (the lock is then held for the shortest time, and two
 * transactions cannot deadlock on a business row and the head).
 */
public final class AuditTrail {

  private final AuditRepository repository = new AuditRepository();

  public Future<AuditRecord> record(SqlConnection connection, AuditEvent event) {
    return repository.append(connection, event);
  }

  /** The trail of one record and its parts (entity type → ids), in chain order: for a record's export (P11-6). */
  public Future<List<AuditRecord>> history(SqlConnection connection, java.util.Map<String, List<String>> entities) {
    List<String> types = new java.util.ArrayList<>();
    List<String> ids = new java.util.ArrayList<>();
    entities.forEach((type, entityIds) -> entityIds.forEach(id -> {
      types.add(type);
      ids.add(id);
    }));
    return repository.ofEntities(connection, types, ids);
  }
}
