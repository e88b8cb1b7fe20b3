package io.traceline.platform.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.JobCluster;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A document's record: the complete export (P11-6), periodic review with reminders and the overdue list (DOC-6), filters")
class DocumentRecordIT {

  private static TestPlatform platform;
  private static Api api;
  private static TenantFixture tenant;
  private static DocumentFlow flow;
  private static Person author;
  private static Person reviewer;
  private static Person approver;
  private static Person qualityManager;
  private static Person auditor;
  private static Person employee;

  @BeforeAll
  static void people() {
    platform = TestPlatform.get();
    api = platform.api();
    tenant = platform.newTenant("record");
    flow = new DocumentFlow(platform, tenant);
    author = flow.member("Ines", "Author", "document-author");
    reviewer = flow.signer("Omar", "Reviewer", "reviewer");
    approver = flow.signer("Lea", "Approver", "approver");
    qualityManager = flow.member("Quentin", "Manager", "quality-manager");
    auditor = flow.member("Aud", "Itor", "auditor");
    employee = flow.member("Emil", "Employee", "employee");
  }

  @Test
  @DisplayName("the export holds the document, every version with its file, rounds, frozen submissions and signatures, and the audit trail in chain order")
  void exportIsComplete() {
    JsonObject document = flow.document(author, "sop", "EHS", "Solvent spill response", "high");
    JsonObject v1 = flow.effective(document, author, approver, "major", "full-retraining");
    JsonObject v2 = flow.withFile(flow.draft(document, author, "minor", "read-and-acknowledge"), author);
    assertThat(flow.submit(v2, author, DocumentFlow.route("sequential", List.of(reviewer), List.of(approver)), null)
        .status()).isEqualTo(200);
    assertThat(flow.act(v2, reviewer, "reject", "Add the eyewash location").status()).isEqualTo(200);
    assertThat(flow.submit(v2, author, DocumentFlow.route("sequential", List.of(reviewer), List.of(approver)), null)
        .status()).isEqualTo(200);
    assertThat(flow.sign(v2, reviewer, "reviewed", null).status()).isEqualTo(201);
    assertThat(flow.sign(v2, approver, "approved", null).status()).isEqualTo(201);

    String path = tenant.path("/documents/" + document.getString("id") + "/export");
    assertThat(api.get(path, employee.token(platform)).status()).isEqualTo(403);
    Api.Response exported = api.get(path, auditor.token(platform));
    assertThat(exported.status()).as(exported.toString()).isEqualTo(200);
    assertThat(exported.header("Content-Disposition")).contains(document.getString("number"));
    JsonObject record = exported.json();
    assertThat(record.getString("tenant")).isEqualTo(tenant.slug());
    assertThat(record.getJsonObject("document").getString("number")).isEqualTo(document.getString("number"));
    JsonArray versions = record.getJsonArray("versions");
    assertThat(versions).hasSize(2);
    JsonObject first = versions.getJsonObject(0);
    assertThat(first.getString("id")).isEqualTo(v1.getString("id"));
    assertThat(first.getString("state")).isEqualTo("superseded");
    assertThat(first.getJsonObject("content").getString("sha256")).hasSize(64);
    assertThat(first.getJsonArray("signatures")).hasSize(1);
    assertThat(first.getJsonArray("signatures").getJsonObject(0).getString("manifestation")).contains("Lea Approver")
        .contains("approved");
    JsonObject second = versions.getJsonObject(1);
    assertThat(second.getJsonArray("submissions")).hasSize(2);
    assertThat(second.getJsonArray("submissions").stream().allMatch(s -> ((JsonObject) s).getBoolean("intact"))).isTrue();
    assertThat(second.getJsonArray("routeSteps").stream().map(s -> ((JsonObject) s).getString("state")).toList())
        .containsExactly("rejected", "cancelled", "signed", "signed");
    assertThat(second.getJsonArray("signatures")).hasSize(2);
    assertThat(second.getJsonArray("signatures").stream()
        .allMatch(s -> ((JsonObject) s).getJsonObject("record").getInteger("version") == 2)).isTrue();

    JsonArray trail = record.getJsonArray("auditTrail");
    List<String> actions = trail.stream().map(e -> ((JsonObject) e).getString("action")).toList();
    assertThat(actions).startsWith("document.created").contains("document-version.content-uploaded",
        "document-version.submit", "document-version.reject", "signature.applied", "document-version.approve");
    List<Long> sequence = trail.stream().map(e -> ((JsonObject) e).getLong("seq")).toList();
    assertThat(sequence).isSorted();
    // The owner may export their own document; a stranger tenant may not see it at all.
    assertThat(api.get(path, author.token(platform)).status()).isEqualTo(200);
    assertThat(api.get(path, platform.newTenant("recordx").adminToken()).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("the same record as a PDF (format=pdf or Accept): tenant, generated-at, exporter, page numbers; every version with its file hash, rounds and intact submissions; each signature's manifestation and binding; the audit trail — readers only, tenant walls")
  void exportAsPdf() throws IOException {
    // A tenant of its own: the periodic-review test counts its tenant's review timers.
    TenantFixture own = platform.newTenant("recordpdf");
    DocumentFlow ownFlow = new DocumentFlow(platform, own);
    Person writer = ownFlow.member("Ines", "Writer", "document-author");
    Person signer = ownFlow.signer("Lea", "Signer", "approver");
    Person inspector = ownFlow.member("Aud", "Inspector", "auditor");
    Person manager = ownFlow.member("Quentin", "Quality", "quality-manager");
    Person staff = ownFlow.member("Emil", "Staff", "employee");
    JsonObject document = ownFlow.document(writer, "sop", "EHS", "Eyewash station checks", "medium");
    ownFlow.effective(document, writer, signer, "major", "full-retraining");
    ownFlow.effective(document, writer, signer, "minor", "read-and-acknowledge");
    String path = own.path("/documents/" + document.getString("id") + "/export");
    var byAccept = api.getBytes(path, inspector.token(platform), "application/pdf");
    assertThat(byAccept.statusCode()).isEqualTo(200);
    assertThat(byAccept.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/pdf");
    assertThat(byAccept.headers().firstValue("Content-Disposition").orElse(""))
        .contains(document.getString("number") + "-record.pdf");
    String text = text(byAccept.body());
    // Long hashes wrap over lines in the PDF: compare them without the line breaks.
    String unwrapped = text.replace(" ", "");
    assertThat(text).contains("Document record " + document.getString("number") + " Eyewash station checks")
        .contains("Tenant " + own.slug().toUpperCase(java.util.Locale.ROOT)).contains("Page 1 of ")
        .containsPattern("Generated \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC")
        .contains("Exported by Aud Inspector");
    assertThat(text).contains("Version 1.0 — superseded").contains("Version 1.1 — effective");
    JsonObject record = api.get(path, inspector.token(platform)).json();
    JsonObject first = record.getJsonArray("versions").getJsonObject(0);
    assertThat(unwrapped).contains(first.getJsonObject("content").getString("sha256"));
    assertThat(text).contains("— intact (re-hashed now)");
    JsonObject signature = first.getJsonArray("signatures").getJsonObject(0);
    assertThat(text).contains(signature.getString("manifestation"));
    assertThat(unwrapped).contains(signature.getJsonObject("record").getString("hash"));
    assertThat(text).containsPattern("Signed by Lea Signer \\(\\S+\\) on \\d{4}-\\d\\d-\\d\\d "
        + "\\d\\d:\\d\\d:\\d\\d UTC, meaning: approved");
    assertThat(text).contains("Audit trail (");
    assertThat(unwrapped).contains("document.created").contains("document-version.approve");

    var byParameter = api.getBytes(path + "?format=pdf", manager.token(platform), "*/*");
    assertThat(byParameter.statusCode()).isEqualTo(200);
    assertThat(text(byParameter.body())).contains("Exported by Quentin Quality");
    assertThat(api.getBytes(path + "?format=pdf", staff.token(platform), "*/*").statusCode()).isEqualTo(403);
    assertThat(api.get(path + "?format=docx", inspector.token(platform)).status()).isEqualTo(400);
    assertThat(api.getBytes(path + "?format=pdf", tenant.adminToken(), "*/*").statusCode()).isEqualTo(404);
  }

  private static String text(byte[] pdf) throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
    }
  }

  @Test
  @DisplayName("an effective document is due for review one interval after it became effective; a review confirms it and moves the date; overdue ones are listed as such")
  void periodicReview() throws Exception {
    JsonObject document = flow.document(author, "policy", "EHS", "Hot work permit policy", "low");
    JsonObject draftOnly = flow.document(author, "policy", "EHS", "Confined space policy", "low");
    String documentPath = tenant.path("/documents/" + document.getString("id"));
    Api.Response notYet = api.post(documentPath + "/periodic-reviews", author.token(platform),
        new JsonObject().put("outcome", "current").put("comments", "Still valid"));
    assertThat(notYet.status()).isEqualTo(409);
    flow.effective(document, author, approver, "major", "read-and-acknowledge");
    JsonObject effective = api.get(documentPath, employee.token(platform)).json();
    OffsetDateTime due = OffsetDateTime.parse(effective.getString("nextReviewAt"));
    assertThat(due).isBetween(OffsetDateTime.now().plusMonths(24).minusMinutes(5), OffsetDateTime.now().plusMonths(24));
    // The reminder is a timer 30 days before the due date (not "a month": 30 days before a due date on the 7th of
    // December is exactly 23 months ahead, a moment before now() + 23 months).
    assertThat(platform.queryLong("SELECT count(*) FROM control.job WHERE kind = 'document.review-due' AND tenant = '"
        + tenant.slug() + "' AND run_at BETWEEN now() + interval '24 months' - interval '30 days' - interval '5 minutes' "
        + "AND now() + interval '24 months' - interval '30 days'"))
        .isEqualTo(1);

    // Pretend two years have passed: the review date lies behind us.
    platform.queryLong("WITH moved AS (UPDATE t_" + tenant.slug() + ".document SET next_review_at = now() - interval '1 day' "
        + "WHERE id = '" + document.getString("id") + "' RETURNING 1) SELECT count(*) FROM moved");
    JsonObject overdue = api.get(documentPath, employee.token(platform)).json();
    assertThat(overdue.getBoolean("reviewOverdue")).isTrue();
    JsonArray listed = api.get(tenant.path("/documents?department=EHS&reviewDueBefore=" + Instant.now()),
        employee.token(platform)).json().getJsonArray("items");
    assertThat(listed.stream().map(d -> ((JsonObject) d).getString("id")).toList())
        .contains(document.getString("id")).doesNotContain(draftOnly.getString("id"));

    assertThat(api.post(documentPath + "/periodic-reviews", employee.token(platform),
        new JsonObject().put("outcome", "current").put("comments", "Looks fine")).status()).isEqualTo(403);
    Api.Response reviewed = api.post(documentPath + "/periodic-reviews", qualityManager.token(platform),
        new JsonObject().put("outcome", "current").put("comments", "Reviewed with EHS: still accurate"));
    assertThat(reviewed.status()).as(reviewed.toString()).isEqualTo(200);
    assertThat(reviewed.json().getBoolean("reviewOverdue")).isFalse();
    assertThat(reviewed.json().getString("lastReviewedAt")).isNotNull();
    assertThat(OffsetDateTime.parse(reviewed.json().getString("nextReviewAt"))).isAfter(OffsetDateTime.now().plusMonths(23));
    assertThat(platform.queryLong("SELECT count(*) FROM t_" + tenant.slug() + ".audit_event WHERE action = "
        + "'document.periodic-review' AND reason = 'Reviewed with EHS: still accurate'")).isEqualTo(1);
  }

  @Test
  @DisplayName("the review-due reminder fires on the job runtime: one 'document-review-due' outbox event and one audit event, nothing for a date that moved")
  void reviewReminderFires() throws Exception {
    JsonObject document = flow.document(author, "form", "EHS", "Permit form", "low");
    flow.effective(document, author, approver, "major", "none");
    String schema = "t_" + tenant.slug();
    // Bring the reminder forward to now (as if 23 months had passed).
    platform.queryLong("WITH due AS (UPDATE control.job SET run_at = now() WHERE kind = 'document.review-due' AND "
        + "payload->>'documentId' = '" + document.getString("id") + "' RETURNING 1) SELECT count(*) FROM due");
    try (JobCluster cluster = new JobCluster(1)) {
      cluster.startInJvm(0);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (Instant.now().isBefore(deadline) && platform.queryLong("SELECT count(*) FROM control.job WHERE kind = "
          + "'document.review-due' AND payload->>'documentId' = '" + document.getString("id") + "' AND state = 'succeeded'") == 0) {
        Thread.sleep(250);
      }
    }
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".document_event WHERE kind = 'document-review-due' "
        + "AND document_id = '" + document.getString("id") + "'")).isEqualTo(1);
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".audit_event WHERE action = 'document.review-due' "
        + "AND entity_id = '" + document.getString("id") + "'")).isEqualTo(1);
  }
}
