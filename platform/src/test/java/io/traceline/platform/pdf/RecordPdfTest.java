package io.traceline.platform.pdf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonObject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Record PDFs: what a reader (and a text extractor) finds on every page")
class RecordPdfTest {

  private static final Instant GENERATED = Instant.parse("2026-11-22T07:40:12Z");

  @Test
  @DisplayName("every page names the record, the tenant, when it was generated with its zone, and 'Page n of m'; a long table continues over pages with its header repeated")
  void headersFootersAndLongTables() throws IOException {
    List<List<String>> rows = new ArrayList<>();
    for (int i = 1; i <= 120; i++) {
      rows.add(List.of(String.format("E-%04d", i), "Operator " + i, i % 2 == 0 ? "current" : "not current"));
    }
    byte[] pdf;
    try (RecordPdf record = RecordPdf.start("Training file of Zoë Ångström", "Meridian Biologics", GENERATED,
        ZoneId.of("Europe/Dublin"))) {
      record.heading("Completions").table(new float[] {1, 2, 1}, List.of("Employee", "Name", "Verdict"), rows);
      pdf = record.finish();
    }
    try (PDDocument document = Loader.loadPDF(pdf)) {
      int pages = document.getNumberOfPages();
      assertThat(pages).isGreaterThan(1);
      for (int page = 1; page <= pages; page++) {
        String text = text(document, page);
        assertThat(text).contains("Training file of Zoë Ångström · Meridian Biologics")
            .contains("Generated 2026-11-22 07:40:12 GMT · Page " + page + " of " + pages)
            .contains("Employee");
      }
      String all = new PDFTextStripper().getText(document);
      assertThat(all).contains("E-0001", "E-0120", "Operator 120", "not current");
      assertThat(document.getDocumentInformation().getTitle()).isEqualTo("Training file of Zoë Ångström");
    }
  }

  @Test
  @DisplayName("a signature prints its manifestation (printed name, date and time with zone, meaning) and the record version and hash it is bound to")
  void signatureManifestation() throws IOException {
    JsonObject signature = new JsonObject().put("id", "0193a0f0-5b2e-7cc1-9a51-3f2d1c0b9e11")
        .put("record", new JsonObject().put("type", "training-assignment").put("id", "0193a0f0-0000-7000-8000-000000000001")
            .put("version", 1).put("hash", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
        .put("manifestation", "Signed by Łukasz Żółw (lzolw) on 2026-11-21 14:03:09 UTC, meaning: read-and-understood");
    byte[] pdf;
    try (RecordPdf record = RecordPdf.start("Certificate", "Meridian Biologics", GENERATED, ZoneId.of("UTC"))) {
      record.paragraph("This certifies that the person below completed the training named.").signature(signature);
      pdf = record.finish();
    }
    try (PDDocument document = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
      assertThat(text).contains("Signed by Łukasz Żółw (lzolw) on 2026-11-21 14:03:09 UTC, meaning: read-and-understood")
          .contains("training-assignment 0193a0f0-0000-7000-8000-000000000001, version 1")
          .contains("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b")
          .contains("Generated 2026-11-22 07:40:12 UTC · Page 1 of 1");
    }
  }

  @Test
  @DisplayName("long values wrap instead of running off the page, and characters the font lacks print as '?' instead of failing")
  void wrappingAndMissingGlyphs() throws IOException {
    String longReason = "The operator completed the on-the-job practical on the filling line under supervision "
        .repeat(6).strip();
    byte[] pdf;
    try (RecordPdf record = RecordPdf.start("Completion", "Meridian", GENERATED, ZoneId.of("UTC"))) {
      record.fields(List.of(new String[] {"Late entry reason", longReason}, new String[] {"Trainer", "王芳"},
          new String[] {"Score", null}));
      pdf = record.finish();
    }
    try (PDDocument document = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(document);
      assertThat(text.lines().filter(line -> line.contains("on-the-job practical")).count()).isGreaterThan(1);
      assertThat(text).contains("??").contains("—");
    }
  }

  private static String text(PDDocument document, int page) throws IOException {
    PDFTextStripper stripper = new PDFTextStripper();
    stripper.setStartPage(page);
    stripper.setEndPage(page);
    return stripper.getText(document);
  }
}
