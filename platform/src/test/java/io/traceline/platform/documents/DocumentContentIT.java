package io.traceline.platform.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Controlled files: uploaded to a draft, hashed, frozen by submission, downloadable for every version (DOC-5)")
class DocumentContentIT {

  private static TestPlatform platform;
  private static Api api;
  private static TenantFixture tenant;
  private static DocumentFlow flow;
  private static Person author;
  private static Person approver;
  private static Person employee;

  @BeforeAll
  static void people() {
    platform = TestPlatform.get();
    api = platform.api();
    tenant = platform.newTenant("content");
    flow = new DocumentFlow(platform, tenant);
    author = flow.member("Cara", "Author", "document-author");
    approver = flow.signer("Cole", "Approver", "approver");
    employee = flow.member("Eli", "Employee", "employee");
  }

  private static JsonObject draft(String title) {
    return flow.draft(flow.document(author, "work-instruction", "MFG", title, "medium"), author, "major",
        "read-and-acknowledge");
  }

  @Test
  @DisplayName("the file's SHA-256 is stored and served back with the exact bytes; the submission's record hash covers it, so a signature is bound to the content")
  void uploadAndDownload() throws Exception {
    JsonObject version = draft("Tablet press set-up");
    byte[] pdf = DocumentFlow.pdf("Tablet press set-up, revision 1");
    Api.Response uploaded = flow.upload(version, author, "WI tablet press.pdf", "application/pdf", pdf);
    assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
    JsonObject content = uploaded.json().getJsonObject("content");
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf));
    assertThat(content.getString("sha256")).isEqualTo(sha256);
    assertThat(content.getString("mediaType")).isEqualTo("application/pdf");
    assertThat(content.getString("fileName")).isEqualTo("WI tablet press.pdf");
    assertThat(content.getLong("size")).isEqualTo(pdf.length);
    assertThat(content.getString("uploadedBy")).isEqualTo(author.id());

    HttpResponse<byte[]> download = api.getBytes(flow.versionPath(version) + "/content", employee.token(platform));
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(pdf);
    assertThat(download.headers().firstValue("Content-Type")).contains("application/pdf");
    assertThat(download.headers().firstValue("ETag")).contains("\"" + sha256 + "\"");
    assertThat(download.headers().firstValue("Repr-Digest")).contains("sha-256=:"
        + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)) + ":");
    assertThat(download.headers().firstValue("Content-Disposition").orElseThrow())
        .contains("filename=\"WI tablet press.pdf\"");

    Api.Response submitted = flow.submit(version, author, DocumentFlow.route("sequential", List.of(), List.of(approver)),
        null);
    assertThat(submitted.status()).isEqualTo(200);
    JsonObject frozen = platform.api().get(tenant.path("/audit-trail/verification"), tenant.adminToken()).json();
    assertThat(frozen.getBoolean("intact")).isTrue();
    assertThat(platform.queryLong("SELECT count(*) FROM t_" + tenant.slug() + ".record_version WHERE record_type = "
        + "'document-version' AND record_id = '" + version.getString("id") + "' AND content->'content'->>'sha256' = '"
        + sha256 + "' AND content_hash = '" + submitted.json().getString("recordHash") + "'")).isEqualTo(1);
  }

  @Test
  @DisplayName("after submission the file cannot change (409), before it the author may replace it; others may not upload (403)")
  void frozenAfterSubmission() {
    JsonObject version = draft("Blister line changeover");
    assertThat(flow.upload(version, employee, "x.pdf", "application/pdf", DocumentFlow.pdf("x")).status()).isEqualTo(403);
    assertThat(flow.upload(version, author, "a.pdf", "application/pdf", DocumentFlow.pdf("first")).status()).isEqualTo(200);
    Api.Response replaced = flow.upload(version, author, "b.pdf", "application/pdf", DocumentFlow.pdf("second"));
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.json().getJsonObject("content").getString("fileName")).isEqualTo("b.pdf");
    assertThat(flow.submit(version, author, DocumentFlow.route("sequential", List.of(), List.of(approver)), null).status())
        .isEqualTo(200);
    Api.Response late = flow.upload(version, author, "c.pdf", "application/pdf", DocumentFlow.pdf("third"));
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.json().getString("type")).endsWith("/content-frozen");
    assertThat(flow.sign(version, approver, "approved", null).status()).isEqualTo(201);
    assertThat(flow.upload(version, author, "d.pdf", "application/pdf", DocumentFlow.pdf("fourth")).status())
        .isEqualTo(409);
    assertThat(flow.version(version, author).getJsonObject("content").getString("fileName")).isEqualTo("b.pdf");
    // The next version starts without a file and without signatures; the old one keeps both.
    JsonObject next = flow.draft(new JsonObject().put("id", version.getString("documentId")), author, "minor", "none");
    assertThat(next.getValue("content")).isNull();
    assertThat(next.getValue("recordVersion")).isNull();
    assertThat(api.get(flow.versionPath(next) + "/content", author.token(platform)).status()).isEqualTo(404);
    assertThat(api.getBytes(flow.versionPath(version) + "/content", author.token(platform)).body())
        .isEqualTo(DocumentFlow.pdf("second"));
  }

  @Test
  @DisplayName("limits: too large is a 413, an unaccepted type a 415, content that is not what its type says a 422, a missing part or not multipart a 4xx — and nothing is stored")
  void limitsAndTypes() {
    JsonObject version = draft("Granulator cleaning");
    String token = author.token(platform);
    byte[] big = new byte[(int) TestPlatform.DOCUMENT_MAX_BYTES + 1];
    System.arraycopy("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII), 0, big, 0, 9);
    Api.Response tooBig = flow.upload(version, author, "big.pdf", "application/pdf", big);
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(tooBig.isProblem()).isTrue();
    byte[] atLimit = Arrays.copyOf(big, (int) TestPlatform.DOCUMENT_MAX_BYTES);
    assertThat(flow.upload(version, author, "limit.pdf", "application/pdf", atLimit).status()).isEqualTo(200);

    JsonObject other = draft("Coating pan cleaning");
    Api.Response exe = flow.upload(other, author, "tool.exe", "application/x-msdownload", new byte[] {'M', 'Z', 0, 1});
    assertThat(exe.status()).isEqualTo(415);
    assertThat(exe.json().getString("detail")).contains("application/pdf");
    Api.Response disguised = flow.upload(other, author, "tool.pdf", "application/pdf", new byte[] {'M', 'Z', 0, 1});
    assertThat(disguised.status()).isEqualTo(422);
    Api.Response binaryText = flow.upload(other, author, "notes.txt", "text/plain", new byte[] {'a', 0, (byte) 0xff});
    assertThat(binaryText.status()).isEqualTo(422);
    Api.Response empty = flow.upload(other, author, "empty.pdf", "application/pdf", new byte[0]);
    assertThat(empty.status()).isEqualTo(422);
    Api.Response wrongPart = api.putMultipart(flow.versionPath(other) + "/content", token, "document", "a.pdf",
        "application/pdf", DocumentFlow.pdf("a"), Map.of());
    assertThat(wrongPart.status()).isEqualTo(400);
    Api.Response json = api.send("PUT", flow.versionPath(other) + "/content", token, "{\"file\":\"x\"}", "application/json");
    assertThat(json.status()).isEqualTo(415);
    assertThat(json.isProblem()).isTrue();
    assertThat(flow.version(other, author).getValue("content")).isNull();
    // Markdown and DOCX (a ZIP container) are accepted.
    assertThat(flow.upload(other, author, "wi.md", "text/markdown", "# Coating pan\n\n1. Stop the pan."
        .getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
    assertThat(flow.upload(other, author, "wi.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        new byte[] {'P', 'K', 3, 4, 20, 0}).status()).isEqualTo(200);
    // The platform keeps answering on the same client after refusals that left bodies unread.
    assertThat(api.get(tenant.path("/me"), token).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("another tenant's token cannot download or upload a file of this tenant")
  void tenantWall() {
    JsonObject version = draft("Sieve integrity check");
    assertThat(flow.upload(version, author, "s.pdf", "application/pdf", DocumentFlow.pdf("sieve")).status()).isEqualTo(200);
    TenantFixture other = platform.newTenant("contentx");
    Api.Response download = api.get(flow.versionPath(version) + "/content", other.adminToken());
    assertThat(download.status()).isEqualTo(404);
    Api.Response upload = api.putMultipart(flow.versionPath(version) + "/content", other.adminToken(), "file", "evil.pdf",
        "application/pdf", DocumentFlow.pdf("evil"), Map.of());
    assertThat(upload.status()).isEqualTo(404);
    assertThat(flow.version(version, author).getJsonObject("content").getString("fileName")).isEqualTo("s.pdf");
  }
}
