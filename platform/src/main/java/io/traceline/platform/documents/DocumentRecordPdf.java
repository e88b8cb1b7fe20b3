package io.traceline.platform.documents;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import io.traceline.platform.pdf.RecordPdf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A document's complete record as a PDF (P11-6, 11.10(b): accurate and complete copies in human-readable form), from
 * the same JSON the export answers with, so both forms say the same: the document; each version with its state, dates,
 * change summary, training impact and file (name, size, SHA-256); its review and approval rounds; every signature's
 * manifestation (printed name, date and time with zone, meaning) with the record version and hash it is bound to and
 * whether that record is still intact; then the audit trail of the document and its versions in chain order. Tenant,
 * generated-at, who exported it and "Page n of m" on every page (from {@link RecordPdf}). Times print in UTC, named.
 */
final class DocumentRecordPdf {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

  private DocumentRecordPdf() {
  }

  static byte[] render(JsonObject record, String tenantName) {
    JsonObject document = record.getJsonObject("document");
    JsonObject exporter = record.getJsonObject("exportedBy");
    try (RecordPdf pdf = RecordPdf.start("Document record " + document.getString("number") + " "
        + document.getString("title"), tenantName, Instant.parse(record.getString("exportedAt")), ZoneId.of("UTC"))) {
      JsonObject program = document.getJsonObject("program");
      pdf.fields(List.of(
          new String[] {"Document", document.getString("number") + " " + document.getString("title")},
          new String[] {"Type, department, risk", document.getString("type") + ", " + document.getString("department")
              + ", risk " + document.getString("riskClass")},
          new String[] {"Program", program == null ? "none (tenant-wide)" : program.getString("code") + " "
              + program.getString("name")},
          new String[] {"Status", document.getString("status") + (document.getString("nextReviewAt") == null ? ""
              : ", next periodic review " + when(document.getString("nextReviewAt")))},
          new String[] {"Exported by", exporter.getString("name") + " (" + exporter.getString("id") + ") at "
              + when(record.getString("exportedAt"))}));
      JsonArray versions = record.getJsonArray("versions");
      for (int i = 0; i < versions.size(); i++) {
        version(pdf, versions.getJsonObject(i));
      }
      trail(pdf, record.getJsonArray("auditTrail"));
      return pdf.finish();
    }
  }

  private static void version(RecordPdf pdf, JsonObject version) {
    pdf.heading("Version " + version.getString("version") + " — " + version.getString("state"));
    JsonObject content = version.getJsonObject("content");
    pdf.fields(List.of(
        new String[] {"Revision", version.getString("revision") + ": " + version.getString("changeSummary")},
        new String[] {"Training impact", version.getString("trainingImpact")
            + (version.getString("impactJustification") == null ? "" : " (" + version.getString("impactJustification")
                + ")")},
        new String[] {"Author", version.getString("authorName") + ", created " + when(version.getString("createdAt"))},
        new String[] {"Submitted / approved", when(version.getString("submittedAt")) + " / "
            + when(version.getString("approvedAt")) + (version.getString("approvedByName") == null ? ""
                : " by " + version.getString("approvedByName"))},
        new String[] {"Effective", when(version.getString("effectiveAt"))
            + (version.getString("supersededAt") == null ? "" : ", superseded " + when(version.getString("supersededAt")))
            + (version.getString("endedAt") == null ? "" : ", ended " + when(version.getString("endedAt")) + " ("
                + version.getString("endReason") + ")")},
        new String[] {"File", content == null ? "none" : content.getString("fileName") + ", " + content.getLong("size")
            + " bytes, SHA-256 " + content.getString("sha256")}));
    JsonArray steps = version.getJsonArray("routeSteps", new JsonArray());
    if (!steps.isEmpty()) {
      List<List<String>> rows = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        JsonObject step = steps.getJsonObject(i);
        rows.add(List.of(String.valueOf(step.getValue("round")), step.getString("stage"), step.getString("assigneeName"),
            step.getString("state"), when(step.getString("decidedAt")),
            step.getString("comments") == null ? "" : step.getString("comments")));
      }
      pdf.table(new float[] {0.8f, 1.3f, 2.2f, 1.2f, 2.2f, 3f}, List.of("Round", "Stage", "Assignee", "State",
          "Decided", "Comments"), rows);
    }
    JsonArray submissions = version.getJsonArray("submissions", new JsonArray());
    for (int i = 0; i < submissions.size(); i++) {
      JsonObject submission = submissions.getJsonObject(i);
      pdf.paragraph("Record version " + submission.getValue("version") + " frozen at submission: hash "
          + submission.getString("contentHash") + (submission.getBoolean("intact", false) ? " — intact (re-hashed now)"
              : " — NOT INTACT: the stored content no longer matches its hash"));
    }
    JsonArray signatures = version.getJsonArray("signatures", new JsonArray());
    for (int i = 0; i < signatures.size(); i++) {
      pdf.signature(signatures.getJsonObject(i));
    }
  }

  private static void trail(RecordPdf pdf, JsonArray events) {
    pdf.heading("Audit trail (" + events.size() + " events, chain order)");
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      JsonObject event = events.getJsonObject(i);
      JsonObject entity = event.getJsonObject("entity");
      rows.add(List.of(String.valueOf(event.getValue("seq")), when(event.getString("occurredAt")),
          event.getJsonObject("actor").getString("name"), event.getString("action"),
          entity.getString("type") + (entity.getValue("version") == null ? "" : " v" + entity.getValue("version")),
          event.getString("reason") == null ? "" : event.getString("reason"),
          shortHash(event.getString("hash"))));
    }
    pdf.table(new float[] {0.7f, 1.9f, 1.6f, 2.8f, 1.8f, 2.4f, 1.2f}, List.of("Seq", "When", "Who", "Action", "Entity",
        "Reason", "Hash"), rows);
  }

  static String shortHash(String hash) {
    return hash == null ? "" : hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
  }

  private static String when(String instant) {
    return instant == null ? "—" : WHEN.format(Instant.parse(instant).atOffset(ZoneOffset.UTC));
  }
}
