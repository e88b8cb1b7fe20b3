package io.traceline.platform.audit.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditQuery;
import io.traceline.platform.audit.AuditRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** SQL of the audit trail; runs on the caller's connection, inside the tenant's schema. */
public final class AuditRepository {

  private static final String COLUMNS = "seq, occurred_at, actor_id, actor_name, action, entity_type, entity_id, "
      + "entity_version, before_value, after_value, reason, client_id, client_ip, forwarded_for, trace_id, prev_hash, hash";

  /**
   * Appends through the schema's {@code audit_append}: one statement locks the chain head (until the transaction
   * ends), stamps the database's clock, links the event and moves the head. The content hash is computed here,
   * before, so the head stays locked for this one round trip and the commit.
   */
  private static final String APPEND = "SELECT out_seq, out_occurred_at, out_prev_hash, out_hash FROM audit_append("
      + "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

  public Future<AuditRecord> append(SqlConnection connection, AuditEvent event) {
    AuditEvent.Source source = event.source();
    Tuple values = Tuple.tuple().addString(event.actor().id()).addString(event.actor().name()).addString(event.action())
        .addString(event.entityType()).addString(event.entityId()).addInteger(event.entityVersion())
        .addValue(event.before()).addValue(event.after()).addString(event.reason())
        .addString(source.clientId()).addString(source.ip()).addString(source.forwardedFor())
        .addString(source.traceId()).addString(AuditRecord.contentHash(event));
    return connection.preparedQuery(APPEND).execute(values).map(rows -> {
      Row row = rows.iterator().next();
      return new AuditRecord(row.getLong("out_seq"), row.getOffsetDateTime("out_occurred_at"), event,
          row.getString("out_prev_hash"), row.getString("out_hash"));
    });
  }

  /** The head: the sequence number and hash of the last event (0 and the genesis hash for an empty trail). */
  public Future<Row> head(SqlConnection connection) {
    return connection.preparedQuery("SELECT seq, last_hash FROM audit_chain_head WHERE id").execute()
        .map(rows -> rows.iterator().next());
  }

  /** Events matching the query after its cursor, in its order, at most {@code limit}, none past {@code maxSeq}. */
  public Future<List<AuditRecord>> find(SqlConnection connection, AuditQuery query, Long after, long maxSeq, int limit) {
    boolean descending = query.descending();
    String sql = "SELECT " + COLUMNS + " FROM audit_event WHERE seq <= $9 "
        + "AND ($1::text IS NULL OR entity_type = $1) AND ($2::text IS NULL OR entity_id = $2) "
        + "AND ($3::text IS NULL OR actor_id = $3) AND ($4::text IS NULL OR action = $4) "
        + "AND ($5::timestamptz IS NULL OR occurred_at >= $5) AND ($6::timestamptz IS NULL OR occurred_at < $6) "
        + "AND ($7::bigint IS NULL OR seq " + (descending ? "<" : ">") + " $7) "
        + "ORDER BY seq " + (descending ? "DESC" : "ASC") + " LIMIT $8";
    Tuple params = Tuple.tuple().addString(query.entityType()).addString(query.entityId())
        .addString(query.actorId()).addString(query.action()).addOffsetDateTime(query.from())
        .addOffsetDateTime(query.to()).addLong(after).addInteger(limit).addLong(maxSeq);
    return connection.preparedQuery(sql).execute(params).map(AuditRepository::toRecords);
  }

  /** Every event about the given entities (parallel lists of types and ids), in chain order. */
  public Future<List<AuditRecord>> ofEntities(SqlConnection connection, List<String> types, List<String> ids) {
    return connection.preparedQuery("SELECT " + COLUMNS + " FROM audit_event WHERE (entity_type, entity_id) IN "
            + "(SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY seq")
        .execute(Tuple.tuple().addArrayOfString(types.toArray(new String[0])).addArrayOfString(ids.toArray(new String[0])))
        .map(AuditRepository::toRecords);
  }

  /** An event as stored, with the content hash the database linked it with. */
  public record Stored(AuditRecord record, String storedContentHash) {
  }

  /** Events in chain order with {@code seq > after}, at most {@code limit}: the verifier's pages. */
  public Future<List<Stored>> chainPage(SqlConnection connection, long after, long maxSeq, int limit) {
    return connection.preparedQuery("SELECT " + COLUMNS + ", content_hash FROM audit_event WHERE seq > $1 AND seq <= $2 "
            + "ORDER BY seq LIMIT $3")
        .execute(Tuple.of(after, maxSeq, limit))
        .map(rows -> {
          List<Stored> page = new ArrayList<>(rows.size());
          rows.forEach(row -> page.add(new Stored(toRecord(row), row.getString("content_hash"))));
          return page;
        });
  }

  private static List<AuditRecord> toRecords(RowSet<Row> rows) {
    List<AuditRecord> records = new ArrayList<>(rows.size());
    rows.forEach(row -> records.add(toRecord(row)));
    return records;
  }

  static AuditRecord toRecord(Row row) {
    OffsetDateTime occurredAt = row.getOffsetDateTime("occurred_at");
    AuditEvent event = new AuditEvent(new AuditEvent.Actor(row.getString("actor_id"), row.getString("actor_name")),
        row.getString("action"), row.getString("entity_type"), row.getString("entity_id"), row.getInteger("entity_version"),
        json(row.getValue("before_value")), json(row.getValue("after_value")), row.getString("reason"),
        new AuditEvent.Source(row.getString("client_id"), row.getString("client_ip"), row.getString("forwarded_for"),
            row.getString("trace_id")));
    return new AuditRecord(row.getLong("seq"), occurredAt, event, row.getString("prev_hash"), row.getString("hash"));
  }

  private static JsonObject json(Object value) {
    return value instanceof JsonObject object ? object : null;
  }
}
