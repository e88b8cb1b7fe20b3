package io.traceline.platform.audit;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import io.traceline.platform.pdf.RecordPdf;

/**
 * An audit-trail extract as a PDF (P11-6): the filters it answers, the chain's head when it was read, then one row per
 * event in chain order — sequence, time (UTC, named), who, action, entity, reason and the start of the event's hash —
 * and each event's values before and after in full beneath. Tenant, generated-at and "Page n of m" on every page. The
 * full hashes are in the CSV form, which a verifier can recompute offline; this copy is for people.
 */
final class AuditTrailPdf {

  static final int MAX_EVENTS = 10_000;
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

  private AuditTrailPdf() {
  }

  static byte[] render(AuditService.Extract extract, AuditQuery query, String exportedBy, Instant generatedAt) {
    try (RecordPdf pdf = RecordPdf.start("Audit trail extract", extract.tenantName(), generatedAt, ZoneId.of("UTC"))) {
      List<AuditRecord> events = extract.events();
      pdf.fields(List.of(
          new String[] {"Filters", filters(query)},
          new String[] {"Events", events.size() + (events.isEmpty() ? "" : ", sequence " + events.get(0).seq() + " to "
              + events.get(events.size() - 1).seq())},
          new String[] {"Chain head when read", "event " + extract.headSeq() + ", hash " + extract.headHash()},
          new String[] {"Exported by", exportedBy}));
      pdf.paragraph("Each event is one link of the tenant's hash chain: its hash covers its content, time, sequence and "
          + "the previous event's hash. GET /audit-trail/verification recomputes the whole chain; the CSV form of this "
          + "extract carries every hash in full.");
      if (events.isEmpty()) {
        pdf.paragraph("No event matches the filters.");
        return pdf.finish();
      }
      List<List<String>> rows = new ArrayList<>(events.size());
      for (AuditRecord record : events) {
        AuditEvent event = record.event();
        rows.add(List.of(String.valueOf(record.seq()), WHEN.format(record.occurredAt().toInstant().atOffset(ZoneOffset.UTC)),
            event.actor().name(), event.action(), event.entityType() + " " + event.entityId()
                + (event.entityVersion() == null ? "" : " v" + event.entityVersion()),
            event.reason() == null ? "" : event.reason(), record.hash().substring(0, 12) + "…"));
      }
      pdf.table(new float[] {0.7f, 1.8f, 1.6f, 2.2f, 2.8f, 2.2f, 1.2f}, List.of("Seq", "When", "Who", "Action",
          "Entity", "Reason", "Hash"), rows);
      pdf.heading("Values before and after");
      for (AuditRecord record : events) {
        AuditEvent event = record.event();
        if (event.before() != null || event.after() != null) {
          pdf.paragraph(record.seq() + " " + event.action() + ": before " + (event.before() == null ? "—"
              : event.before().encode()) + "; after " + (event.after() == null ? "—" : event.after().encode()));
        }
      }
      return pdf.finish();
    }
  }

  private static String filters(AuditQuery query) {
    List<String> named = new ArrayList<>();
    add(named, "entity type", query.entityType());
    add(named, "entity", query.entityId());
    add(named, "actor", query.actorId());
    add(named, "action", query.action());
    add(named, "from", query.from() == null ? null : WHEN.format(query.from().toInstant().atOffset(ZoneOffset.UTC)));
    add(named, "to", query.to() == null ? null : WHEN.format(query.to().toInstant().atOffset(ZoneOffset.UTC)));
    return named.isEmpty() ? "none: the whole trail" : String.join("; ", named);
  }

  private static void add(List<String> named, String label, String value) {
    if (value != null) {
      named.add(label + " " + value);
    }
  }
}
