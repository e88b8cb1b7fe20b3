package io.traceline.platform.reports;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import io.traceline.platform.pdf.RecordPdf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A compliance view as JSON, CSV (RFC 4180, one line per group then a line of totals, each repeating the dimension,
 * filters and instant) and PDF (the view's parameters, then a table of groups and the totals, with tenant, generated-at
 * and page numbers on every page). Groups are few (sites, departments, roles, programs, documents), so each form is
 * built whole.
 */
final class ComplianceFormats {

  static final String CSV_HEADER = "by,site,code,name,people,required,current,not_current,overdue,expired,"
      + "pending_effectiveness,on_leave,compliance_rate,as_of,filters\r\n";
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

  private ComplianceFormats() {
  }

  static JsonObject json(ComplianceReport.Prepared prepared, ComplianceReport.Result result) {
    JsonArray groups = new JsonArray();
    result.groups().forEach(group -> groups.add(group.toJson()));
    return prepared.head().put("groups", groups).put("totals", result.totals().toJson());
  }

  static String csv(ComplianceReport.Prepared prepared, ComplianceReport.Result result) {
    String suffix = "," + DocumentTrainingCsv.cell(prepared.at().toInstant().toString()) + ","
        + DocumentTrainingCsv.cell(filters(prepared));
    StringBuilder out = new StringBuilder(CSV_HEADER);
    String by = prepared.request().by();
    result.groups().forEach(group -> line(out, by, group, suffix));
    line(out, "total", result.totals(), suffix);
    return out.toString();
  }

  private static void line(StringBuilder out, String by, ComplianceGroup group, String suffix) {
    ComplianceGroup.Key key = group.key();
    Double rate = group.rate();
    out.append(String.join(",", by,
            DocumentTrainingCsv.cell(key == null ? null : key.site()),
            DocumentTrainingCsv.cell(key == null ? null : key.code()),
            DocumentTrainingCsv.cell(key == null ? null : key.name()),
            String.valueOf(group.people()), String.valueOf(group.required()), String.valueOf(group.current()),
            String.valueOf(group.notCurrent()), String.valueOf(group.overdue()), String.valueOf(group.expired()),
            String.valueOf(group.pendingEffectiveness()), String.valueOf(group.onLeave()),
            rate == null ? "" : String.valueOf(rate)))
        .append(suffix).append("\r\n");
  }

  static byte[] pdf(ComplianceReport.Prepared prepared, ComplianceReport.Result result) {
    JsonObject head = prepared.head();
    String by = prepared.request().by();
    try (RecordPdf pdf = RecordPdf.start("Training compliance by " + by, head.getJsonObject("tenant").getString("name"),
        prepared.generatedAt(), ZoneId.of("UTC"))) {
      ComplianceGroup totals = result.totals();
      pdf.fields(List.of(
          new String[] {"Grouped by", by},
          new String[] {"Filters", filters(prepared).isEmpty() ? "none" : filters(prepared)},
          new String[] {"As of", WHEN.format(prepared.at().toInstant().atOffset(ZoneOffset.UTC))
              + (prepared.request().asOf() == null ? " (when generated)" : "")},
          new String[] {"Documents covered", String.valueOf(prepared.documents().size())},
          new String[] {"Totals", totals.required() + " required trainings of " + totals.people() + " people: "
              + totals.current() + " current, " + totals.notCurrent() + " not current, " + totals.overdue()
              + " overdue" + percent(totals)}));
      pdf.paragraph("Each required training is a person and a document a job role of theirs (at their site, in their "
          + "programs) required at the instant. Current: qualified on the version in force (or an earlier one no "
          + "revision since asked training of). Not current: trained only on an older version, never trained, "
          + "recertification lapsed, or effectiveness not yet verified. Overdue: not current, with training open past "
          + "its due date. Expired and pending effectiveness are counted among those. The same rules decide each "
          + "document's own report.");
      if (result.groups().isEmpty()) {
        pdf.paragraph("Nothing was required of anyone matching the filters at the instant.");
        return pdf.finish();
      }
      List<List<String>> rows = new ArrayList<>();
      for (ComplianceGroup group : result.groups()) {
        ComplianceGroup.Key key = group.key();
        rows.add(List.of((key.site() == null ? "" : key.site() + " / ") + (key.code() == null ? "—" : key.code()),
            key.name(), String.valueOf(group.people()), String.valueOf(group.required()), String.valueOf(group.current()),
            String.valueOf(group.notCurrent()), String.valueOf(group.overdue()),
            group.expired() + " / " + group.pendingEffectiveness(), String.valueOf(group.onLeave()),
            group.rate() == null ? "—" : String.format(java.util.Locale.ROOT, "%.1f %%", group.rate() * 100)));
      }
      pdf.table(new float[] {1.6f, 3.2f, 1f, 1.1f, 1.1f, 1.1f, 1.1f, 1.5f, 1f, 1.2f}, List.of("Code", "Name",
          "People", "Required", "Current", "Not current", "Overdue", "Expired / pending eff.", "On leave", "Compliance"),
          rows);
      return pdf.finish();
    }
  }

  private static String percent(ComplianceGroup group) {
    return group.rate() == null ? "" : String.format(java.util.Locale.ROOT, " (%.1f %% compliant)", group.rate() * 100);
  }

  private static String filters(ComplianceReport.Prepared prepared) {
    JsonObject filters = prepared.head().getJsonObject("filters");
    List<String> named = new ArrayList<>();
    filters.forEach(entry -> {
      if (entry.getValue() != null) {
        named.add(entry.getKey() + "=" + entry.getValue());
      }
    });
    return String.join("; ", named);
  }

  static String filename(ComplianceReport.Prepared prepared, String extension) {
    return ("compliance-by-" + prepared.request().by() + "-" + prepared.at().toInstant().toString().replace(":", "")
        + "." + extension).replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
