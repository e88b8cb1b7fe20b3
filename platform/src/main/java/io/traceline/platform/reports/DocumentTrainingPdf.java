package io.traceline.platform.reports;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import io.traceline.platform.pdf.RecordPdf;
import io.vertx.core.json.JsonObject;

/**
 * The auditor's question as a PDF (P11-6): on every page the tenant, when it was generated and "Page n of m" (from
 * {@link RecordPdf}); the document, the version the verdicts are about and the instant; the totals; then one row per
 * person with the completion that counts and its signature's manifestation (printed name, date and time with zone,
 * meaning). The report spans sites and time zones, so every time prints in UTC, named.
 */
final class DocumentTrainingPdf {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

  private DocumentTrainingPdf() {
  }

  static byte[] render(DocumentTrainingReport.Prepared prepared, List<DocumentTrainingLine> lines,
                       DocumentTrainingReport.Totals totals) {
    JsonObject head = prepared.head();
    JsonObject document = head.getJsonObject("document");
    JsonObject version = head.getJsonObject("version");
    try (RecordPdf pdf = RecordPdf.start("Training on " + document.getString("number") + " " + document.getString("title"),
        head.getJsonObject("tenant").getString("name"), prepared.generatedAt(), ZoneId.of("UTC"))) {
      pdf.fields(List.of(
          new String[] {"Document", document.getString("number") + " " + document.getString("title") + " (risk "
              + document.getString("riskClass") + ")"},
          new String[] {head.getBoolean("versionChosen") ? "Version asked about" : "Version in force",
              version == null ? "none: no version was effective at the instant" : version.getString("version")
                  + ", effective " + when(version.getString("effectiveAt"))
                  + (version.getString("endedAt") == null ? "" : " until " + when(version.getString("endedAt")))},
          new String[] {"As of", when(head.getString("asOf")) + (prepared.asOfAsked() ? "" : " (when generated)")},
          new String[] {"People", totals.people() + ": " + totals.of(DocumentTrainingLine.CURRENT) + " current, "
              + totals.of(DocumentTrainingLine.NOT_CURRENT) + " not current, " + totals.of(DocumentTrainingLine.OVERDUE)
              + " overdue, " + totals.of(DocumentTrainingLine.NOT_REQUIRED) + " not required"}));
      pdf.paragraph("Current: qualified on this version (or an earlier one no revision since asked training of). "
          + "Not current: trained only on an older version, never trained, recertification lapsed, or effectiveness not "
          + "yet verified. Overdue: not current, with training open past its due date. Not required: no requirement "
          + "applied to the person; their training is shown for the record.");
      if (lines.isEmpty()) {
        pdf.paragraph("Nobody: no requirement applied to anyone and nobody had trained on the document.");
        return pdf.finish();
      }
      List<List<String>> rows = new ArrayList<>(lines.size());
      for (DocumentTrainingLine line : lines) {
        DocumentTrainingLine.Completion c = line.completion();
        rows.add(List.of(
            line.name() + " (" + line.employeeNumber() + ")" + ("active".equals(line.personStatus()) ? ""
                : ", " + line.personStatus().replace('_', ' ')),
            line.jobRoles().isEmpty() ? "—" : String.join(", ", line.jobRoles()),
            line.siteCode() + " / " + line.departmentName(),
            line.verdict() + (line.verdict().equals(line.status()) || DocumentTrainingLine.CURRENT.equals(line.verdict())
                || DocumentTrainingLine.NOT_REQUIRED.equals(line.verdict()) ? "" : " (" + line.status() + ")"),
            c == null ? "—" : c.version() + ", " + when(DocumentTrainingLine.time(c.trainedAt())),
            c == null ? "—" : c.method() + (c.result() == null ? "" : ", " + c.result())
                + (c.score() == null ? "" : " " + c.score() + "%") + (c.signature() == null ? "" : ", signed"),
            c == null || c.trainer() == null ? "—" : c.trainer()));
      }
      pdf.table(new float[] {2.4f, 1.6f, 2f, 2.2f, 2.1f, 3f, 1.5f}, List.of("Person", "Job roles",
          "Site / department", "Verdict", "Trained on", "Method, result", "Trainer"), rows);
      // Manifestations at full width, so a printed name and username read whole (a table column would cut them).
      pdf.heading("Signatures of the completions that count");
      for (DocumentTrainingLine line : lines) {
        DocumentTrainingLine.Completion c = line.completion();
        if (c != null && c.signature() != null) {
          pdf.paragraph(line.name() + " (" + line.employeeNumber() + "), version " + c.version() + ": "
              + c.signature().manifestation() + "; bound to " + c.signature().recordType() + " "
              + c.signature().recordId() + " version " + c.signature().recordVersion() + ", signature "
              + c.signature().id());
        }
      }
      return pdf.finish();
    }
  }

  private static String when(String instant) {
    return instant == null ? "—" : WHEN.format(Instant.parse(instant).atOffset(ZoneOffset.UTC));
  }
}
