package io.traceline.platform.audit;

import io.vertx.core.json.JsonObject;

/**
 * The audit trail as CSV (RFC 4180): one line per event, values quoted when needed. A cell that a
 * spreadsheet would run as a formula (starting with = + - @ or a control character) is prefixed with an
 * apostrophe (OWASP "CSV injection"); the API's JSON carries the exact values, and the hashes are over those.
 */
final class AuditCsv {

  static final String HEADER = "seq,occurred_at,actor_id,actor_name,action,entity_type,entity_id,entity_version,"
      + "before,after,reason,client_id,client_ip,forwarded_for,trace_id,content_hash,prev_hash,hash\r\n";

  private AuditCsv() {
  }

  static String row(AuditRecord record) {
    JsonObject json = record.toJson();
    AuditEvent event = record.event();
    return String.join(",",
        String.valueOf(record.seq()),
        cell(json.getString("occurredAt")),
        cell(event.actor().id()),
        cell(event.actor().name()),
        cell(event.action()),
        cell(event.entityType()),
        cell(event.entityId()),
        event.entityVersion() == null ? "" : event.entityVersion().toString(),
        cell(event.before() == null ? null : event.before().encode()),
        cell(event.after() == null ? null : event.after().encode()),
        cell(event.reason()),
        cell(event.source().clientId()),
        cell(event.source().ip()),
        cell(event.source().forwardedFor()),
        cell(event.source().traceId()),
        cell(record.contentHash()),
        cell(record.prevHash()),
        cell(record.hash())) + "\r\n";
  }

  static String cell(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    String text = value;
    char first = text.charAt(0);
    if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
      text = "'" + text;
    }
    if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
      return "\"" + text.replace("\"", "\"\"") + "\"";
    }
    return text;
  }
}
