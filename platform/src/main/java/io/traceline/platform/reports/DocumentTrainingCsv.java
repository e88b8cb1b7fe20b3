package io.traceline.platform.reports;

import io.traceline.platform.signatures.Signature;

/**
 * The auditor's question as CSV (RFC 4180): a header line, then one line per person. Every line repeats the document,
 * the version the verdicts are about and the instant, so a file cut into pieces (or pasted into a spreadsheet) still
 * says what it answers. A cell a spreadsheet would run as a formula (starting with = + - @ or a control character) is
 * prefixed with an apostrophe (OWASP "CSV injection"); the JSON form carries the exact values.
 */
final class DocumentTrainingCsv {

  static final String HEADER = "document,report_version,as_of,employee_number,name,person_status,site,department,"
      + "job_roles,required,verdict,status,reason,trained_version,covers_version,trained_at,recorded_at,late,method,"
      + "result,score,pass_score,trainer,signed_by,signed_at,signature_meaning,signature_manifestation,signature_id,"
      + "expires_at,open_training_due_at,completion_id,person_id\r\n";

  private DocumentTrainingCsv() {
  }

  /** The cells every line repeats: document number, version label, instant. */
  static String prefix(DocumentTrainingReport.Prepared prepared) {
    return String.join(",", cell(prepared.subject().number()),
        cell(prepared.version() == null ? null : prepared.version().label()),
        cell(prepared.at().toInstant().toString())) + ",";
  }

  static void append(StringBuilder out, String prefix, DocumentTrainingLine line) {
    DocumentTrainingLine.Completion c = line.completion();
    Signature s = c == null ? null : c.signature();
    out.append(prefix).append(String.join(",",
        cell(line.employeeNumber()),
        cell(line.name()),
        cell(line.personStatus()),
        cell(line.siteCode()),
        cell(line.departmentCode()),
        cell(String.join("; ", line.jobRoles())),
        String.valueOf(line.required()),
        line.verdict(),
        line.status(),
        line.reason(),
        cell(c == null ? null : c.version()),
        c == null ? "" : String.valueOf(line.coversVersion()),
        cell(c == null ? null : DocumentTrainingLine.time(c.trainedAt())),
        cell(c == null ? null : DocumentTrainingLine.time(c.recordedAt())),
        c == null || c.late() == null ? "" : String.valueOf(c.late()),
        cell(c == null ? null : c.method()),
        cell(c == null ? null : c.result()),
        c == null || c.score() == null ? "" : String.valueOf(c.score()),
        c == null || c.passScore() == null ? "" : String.valueOf(c.passScore()),
        cell(c == null ? null : c.trainer()),
        cell(s == null ? null : s.signerName()),
        cell(s == null ? null : DocumentTrainingLine.time(s.signedAt())),
        cell(s == null ? null : s.meaning()),
        cell(s == null ? null : s.manifestation()),
        cell(s == null ? null : s.id().toString()),
        cell(DocumentTrainingLine.time(line.expiresAt())),
        cell(DocumentTrainingLine.time(line.openDueAt())),
        cell(c == null || c.completionId() == null ? null : c.completionId().toString()),
        line.personId().toString())).append("\r\n");
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
