package io.traceline.platform.reports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Report formats: the parameter wins, else the first of CSV, PDF or JSON the Accept header names; CSV cells never run as formulas")
class ReportFormatsTest {

  @Test
  @DisplayName("format parameter, then Accept order, then JSON")
  void negotiation() {
    assertThat(ReportHandlers.format("pdf", "text/csv")).isEqualTo("pdf");
    assertThat(ReportHandlers.format(null, null)).isEqualTo("json");
    assertThat(ReportHandlers.format(null, "*/*")).isEqualTo("json");
    assertThat(ReportHandlers.format(null, "text/csv")).isEqualTo("csv");
    assertThat(ReportHandlers.format(null, "application/pdf, application/json;q=0.5")).isEqualTo("pdf");
    assertThat(ReportHandlers.format(null, "application/json, application/pdf")).isEqualTo("json");
    assertThat(ReportHandlers.format(null, "text/html, text/csv, application/pdf")).isEqualTo("csv");
  }

  @Test
  @DisplayName("CSV cells: quoted when they hold separators or quotes; a leading = + - @ is neutralised with an apostrophe")
  void csvCells() {
    assertThat(DocumentTrainingCsv.cell(null)).isEmpty();
    assertThat(DocumentTrainingCsv.cell("plain")).isEqualTo("plain");
    assertThat(DocumentTrainingCsv.cell("Line operator; Planner")).isEqualTo("Line operator; Planner");
    assertThat(DocumentTrainingCsv.cell("Signed by A, meaning: x")).isEqualTo("\"Signed by A, meaning: x\"");
    assertThat(DocumentTrainingCsv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(DocumentTrainingCsv.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
    assertThat(DocumentTrainingCsv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
  }
}
