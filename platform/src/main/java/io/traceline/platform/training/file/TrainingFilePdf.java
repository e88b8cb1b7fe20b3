package io.traceline.platform.training.file;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import io.traceline.platform.pdf.RecordPdf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The human-readable training file and certificate (P11-6). Times print in the time zone of the person's site, with
 * the zone named; signatures print their manifestation (printed name, date and time with zone, meaning) and the record
 * version they are bound to. Renders the JSON the service assembled, so both forms say the same.
 */
final class TrainingFilePdf {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");

  private TrainingFilePdf() {
  }

  static byte[] trainingFile(JsonObject file) {
    JsonObject person = file.getJsonObject("person");
    ZoneId zone = zoneOf(person);
    try (RecordPdf pdf = RecordPdf.start("Training file: " + person.getString("name") + " ("
        + person.getString("employeeNumber") + ")", file.getJsonObject("tenant").getString("name"),
        Instant.parse(file.getString("generatedAt")), zone)) {
      personFields(pdf, person);

      pdf.heading("Qualifications");
      List<List<String>> rows = new ArrayList<>();
      for (JsonObject q : objects(file.getJsonArray("qualifications"))) {
        if ("document".equals(q.getString("kind"))) {
          JsonObject document = q.getJsonObject("document");
          JsonObject trained = q.getJsonObject("trainedVersion");
          JsonObject current = q.getJsonObject("currentVersion");
          rows.add(List.of(document.getString("number") + " " + document.getString("title"), q.getString("status"),
              trained == null ? "—" : trained.getString("version") + " (" + trained.getString("method") + ")",
              current == null ? "—" : current.getString("version"),
              trained == null ? "—" : when(trained.getString("completedAt"), zone), when(q.getString("expiresAt"), zone)));
        } else {
          JsonObject detail = q.getJsonObject("qualification", new JsonObject());
          JsonObject document = detail.getJsonObject("document");
          rows.add(List.of(label(q.getString("kind")) + (document == null ? "" : " for " + document.getString("number")),
              q.getString("status"), text(detail.getString("basis")), "—", text(detail.getString("grantedOn")),
              text(detail.getString("expiresOn"))));
        }
      }
      table(pdf, new float[] {4, 2, 2, 1.2f, 2.4f, 2.4f}, List.of("Document / qualification", "Status", "Trained on",
          "Current", "Completed", "Expires"), rows);

      pdf.heading("Completion records");
      List<List<String>> done = new ArrayList<>();
      for (JsonObject c : objects(file.getJsonArray("completions"))) {
        done.add(completionRow(c, zone));
      }
      table(pdf, new float[] {3.2f, 1, 2, 1.6f, 2.4f, 2.4f, 2}, List.of("Document", "Version", "Method", "Result",
          "Trained", "Recorded", "Trainer"), done);
      for (JsonObject c : objects(file.getJsonArray("completions"))) {
        JsonArray signatures = c.getJsonArray("signatures", new JsonArray());
        if (!signatures.isEmpty() || c.getBoolean("late", false)) {
          pdf.paragraph(c.getJsonObject("document").getString("number") + " version "
              + c.getJsonObject("version").getString("version") + (c.getBoolean("late", false)
              ? " — recorded late: " + text(c.getString("reason")) : ""));
          for (JsonObject signature : objects(signatures)) {
            pdf.signature(signature);
          }
        }
      }

      pdf.heading("Open training");
      List<List<String>> open = new ArrayList<>();
      for (JsonObject a : objects(file.getJsonArray("openAssignments"))) {
        open.add(List.of(a.getJsonObject("document").getString("number") + " " + a.getJsonObject("document")
                .getString("title"), a.getJsonObject("version").getString("version"), a.getString("method"),
            a.getString("status"), when(a.getString("dueAt"), zone)));
      }
      table(pdf, new float[] {4, 1, 2, 1.5f, 2.5f}, List.of("Document", "Version", "Method", "Status", "Due"), open);
      return pdf.finish();
    }
  }

  static byte[] certificate(JsonObject certificate) {
    JsonObject person = certificate.getJsonObject("person");
    JsonObject c = certificate.getJsonObject("completion");
    ZoneId zone = zoneOf(person);
    try (RecordPdf pdf = RecordPdf.start("Certificate of training", certificate.getJsonObject("tenant").getString("name"),
        Instant.parse(certificate.getString("generatedAt")), zone)) {
      JsonObject document = c.getJsonObject("document");
      pdf.paragraph(person.getString("name") + " (" + person.getString("employeeNumber") + ") completed training on "
          + document.getString("number") + " " + document.getString("title") + ", version "
          + c.getJsonObject("version").getString("version") + ".");
      JsonObject trainer = c.getJsonObject("trainer");
      JsonObject evidence = c.getJsonObject("evidence", new JsonObject());
      pdf.fields(List.of(
          new String[] {"Person", person.getString("name") + " (" + person.getString("employeeNumber") + ")"},
          new String[] {"Site / department", person.getJsonObject("site").getString("name") + " / "
              + person.getJsonObject("department").getString("name")},
          new String[] {"Document", document.getString("number") + " " + document.getString("title")},
          new String[] {"Version", c.getJsonObject("version").getString("version")},
          new String[] {"Method", c.getString("method")},
          new String[] {"Result", result(c)},
          new String[] {"Trained", when(c.getString("trainedAt"), zone)},
          new String[] {"Recorded", when(c.getString("recordedAt"), zone) + (c.getBoolean("late", false)
              ? " (late entry: " + text(c.getString("reason")) + ")" : "")},
          new String[] {"Trainer", trainer == null ? null : trainer.getString("name")},
          new String[] {"Recorded by", c.getJsonObject("recordedBy").getString("name")},
          new String[] {"Version evidence", evidence.isEmpty() ? null : evidence.encode()},
          new String[] {"Completion record", c.getString("id")}));
      pdf.heading("Signatures");
      JsonArray signatures = c.getJsonArray("signatures", new JsonArray());
      if (signatures.isEmpty()) {
        pdf.paragraph("Recorded by a coordinator without an electronic signature.");
      }
      for (JsonObject signature : objects(signatures)) {
        pdf.signature(signature);
      }
      return pdf.finish();
    }
  }

  private static void personFields(RecordPdf pdf, JsonObject person) {
    JsonObject manager = person.getJsonObject("manager");
    List<String> roles = new ArrayList<>();
    for (JsonObject role : objects(person.getJsonArray("jobRoles", new JsonArray()))) {
      roles.add(role.getString("code") + " " + role.getString("name") + " (since " + role.getString("since") + ")");
    }
    List<String> programs = new ArrayList<>();
    for (JsonObject program : objects(person.getJsonArray("programs", new JsonArray()))) {
      programs.add(program.getString("code") + " " + program.getString("sponsorName") + " (since "
          + program.getString("since") + ")");
    }
    pdf.fields(List.of(
        new String[] {"Employee number", person.getString("employeeNumber")},
        new String[] {"Name", person.getString("name")},
        new String[] {"Status", person.getString("status") + (person.getBoolean("contractor", false) ? ", contractor" : "")},
        new String[] {"Site", person.getJsonObject("site").getString("code") + " " + person.getJsonObject("site")
            .getString("name") + " (" + person.getJsonObject("site").getString("timezone") + ")"},
        new String[] {"Department", person.getJsonObject("department").getString("name")},
        new String[] {"Manager", manager == null ? null : manager.getString("name")},
        new String[] {"Job roles", roles.isEmpty() ? "none" : String.join("; ", roles)},
        new String[] {"Programs", programs.isEmpty() ? "none" : String.join("; ", programs)},
        new String[] {"Hired", person.getString("hiredOn")},
        new String[] {"Login", person.getBoolean("hasLogin", false) ? "yes" : "no (trained through a trainer)"}));
  }

  private static List<String> completionRow(JsonObject c, ZoneId zone) {
    JsonObject trainer = c.getJsonObject("trainer");
    return List.of(c.getJsonObject("document").getString("number") + " " + c.getJsonObject("document").getString("title"),
        c.getJsonObject("version").getString("version"), c.getString("method"), result(c),
        when(c.getString("trainedAt"), zone), when(c.getString("recordedAt"), zone) + (c.getBoolean("late", false)
            ? " (late)" : ""), trainer == null ? "—" : trainer.getString("name"));
  }

  private static String result(JsonObject c) {
    Integer score = c.getInteger("score");
    Integer pass = c.getInteger("passScore");
    return c.getString("result") + (score == null ? "" : " " + score + "%" + (pass == null ? "" : " (pass " + pass + "%)"));
  }

  private static void table(RecordPdf pdf, float[] widths, List<String> header, List<List<String>> rows) {
    if (rows.isEmpty()) {
      pdf.paragraph("None.");
    } else {
      pdf.table(widths, header, rows);
    }
  }

  private static ZoneId zoneOf(JsonObject person) {
    try {
      return ZoneId.of(person.getJsonObject("site").getString("timezone"));
    } catch (DateTimeException | NullPointerException e) {
      return ZoneId.of("UTC");
    }
  }

  private static String when(String instant, ZoneId zone) {
    return instant == null ? "—" : WHEN.format(Instant.parse(instant).atZone(zone));
  }

  private static String text(String value) {
    return value == null ? "—" : value;
  }

  private static String label(String kind) {
    return switch (kind) {
      case "pcqi" -> "PCQI";
      case "internal-auditor" -> "Qualified internal auditor";
      case "trainer" -> "Qualified trainer";
      default -> kind;
    };
  }

  private static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> list = new ArrayList<>();
    if (array != null) {
      array.forEach(item -> list.add((JsonObject) item));
    }
    return list;
  }
}
