package io.traceline.platform.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Takes controlled documents through the public API as people do: create, draft a version, upload its file, submit
 * it with a route, sign the route's steps with re-authentication. Shared by the document tests and, later, by the
 * features that react to documents becoming effective.
 */
public final class DocumentFlow {

  private final TestPlatform platform;
  private final Api api;
  private final TenantFixture tenant;

  public DocumentFlow(TestPlatform platform, TenantFixture tenant) {
    this.platform = platform;
    this.api = platform.api();
    this.tenant = tenant;
  }

  /** A member of the tenant with the given application roles, who has acknowledged the signature policy. */
  public Person signer(String given, String family, String... roles) {
    Person person = member(given, family, roles);
    String token = person.token(platform);
    JsonObject policy = api.get(tenant.path("/signature-policy"), token).json();
    Api.Response acknowledged = api.post(tenant.path("/signatures"), token, new JsonObject()
        .put("recordType", "signature-policy").put("recordId", "signature-policy")
        .put("recordVersion", policy.getInteger("version")).put("meaning", "acknowledged")
        .put("reauthentication", password(person)));
    assertThat(acknowledged.status()).as(acknowledged.toString()).isEqualTo(201);
    return person;
  }

  /** A member of the tenant with the given application roles. */
  public Person member(String given, String family, String... roles) {
    Person person = platform.newMember(given, family, tenant);
    for (String role : roles) {
      platform.grantRole(tenant, person.id(), role);
    }
    return person;
  }

  public JsonObject document(Person author, String type, String department, String title, String riskClass) {
    Api.Response created = api.post(tenant.path("/documents"), author.token(platform), new JsonObject()
        .put("title", title).put("type", type).put("ownerId", author.id()).put("department", department)
        .put("riskClass", riskClass).put("reviewIntervalMonths", 24));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  public JsonObject draft(JsonObject document, Person author, String revision, String trainingImpact) {
    JsonObject body = new JsonObject().put("revision", revision).put("changeSummary", "Revised section 4")
        .put("trainingImpact", trainingImpact);
    if ("none".equals(trainingImpact)) {
      body.put("impactJustification", "Editorial change only");
    }
    Api.Response created = api.post(tenant.path("/documents/" + document.getString("id") + "/versions"),
        author.token(platform), body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  public Api.Response upload(JsonObject version, Person uploader, String fileName, String mediaType, byte[] content) {
    return api.putMultipart(versionPath(version) + "/content", uploader.token(platform), "file", fileName, mediaType,
        content, Map.of());
  }

  /** Uploads a small PDF named after the version and checks it was accepted. */
  public JsonObject withFile(JsonObject version, Person uploader) {
    Api.Response uploaded = upload(version, uploader, "procedure-" + version.getString("version") + ".pdf",
        "application/pdf", pdf("Procedure text of version " + version.getString("version") + " " + version.getString("id")));
    assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
    return uploaded.json();
  }

  public Api.Response submit(JsonObject version, Person submitter, JsonObject route, Instant effectiveAt) {
    JsonObject body = new JsonObject().put("action", "submit").put("route", route);
    if (effectiveAt != null) {
      body.put("effectiveAt", effectiveAt.toString());
    }
    return api.post(versionPath(version) + "/transitions", submitter.token(platform), body);
  }

  public Api.Response act(JsonObject version, Person actor, String action, String reason) {
    JsonObject body = new JsonObject().put("action", action);
    if (reason != null) {
      body.put("reason", reason);
    }
    return api.post(versionPath(version) + "/transitions", actor.token(platform), body);
  }

  /** Signs the signer's route step with their password; {@code idempotencyKey} may be null. */
  public Api.Response sign(JsonObject version, Person signer, String meaning, String idempotencyKey) {
    return sign(version, signer, signer.token(platform), meaning, idempotencyKey);
  }

  /** As {@link #sign(JsonObject, Person, String, String)} with a token the caller holds (concurrent signing). */
  public Api.Response sign(JsonObject version, Person signer, String token, String meaning, String idempotencyKey) {
    return api.send("POST", versionPath(version) + "/signatures", token, new JsonObject()
            .put("meaning", meaning).put("reauthentication", password(signer)).encode(), "application/json",
        idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
  }

  /** Draft → file → submitted to one approver → approved and effective now; returns the effective version. */
  public JsonObject effective(JsonObject document, Person author, Person approver, String revision, String impact) {
    JsonObject version = withFile(draft(document, author, revision, impact), author);
    Api.Response submitted = submit(version, author, route("sequential", List.of(), List.of(approver)), null);
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(200);
    Api.Response signed = sign(version, approver, "approved", null);
    assertThat(signed.status()).as(signed.toString()).isEqualTo(201);
    assertThat(signed.json().getJsonObject("version").getString("state")).isEqualTo("effective");
    return signed.json().getJsonObject("version");
  }

  public JsonObject version(JsonObject version, Person reader) {
    return api.get(versionPath(version), reader.token(platform)).json();
  }

  public String versionPath(JsonObject version) {
    return tenant.path("/documents/" + version.getString("documentId") + "/versions/" + version.getString("id"));
  }

  public static JsonObject route(String order, List<Person> reviewers, List<Person> approvers) {
    return new JsonObject().put("order", order)
        .put("reviewers", new JsonArray(reviewers.stream().map(Person::id).toList()))
        .put("approvers", new JsonArray(approvers.stream().map(Person::id).toList()));
  }

  public static JsonObject password(Person person) {
    return new JsonObject().put("method", "password").put("username", person.username())
        .put("password", TestPlatform.USER_PASSWORD);
  }

  /** A small, well-formed one-page PDF showing {@code text}. */
  public static byte[] pdf(String text) {
    String stream = "BT /F1 12 Tf 72 720 Td (" + text.replace("(", "[").replace(")", "]") + ") Tj ET";
    String[] objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length " + stream.length() + " >>\nstream\n" + stream + "\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
    StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
    int[] offsets = new int[objects.length];
    for (int i = 0; i < objects.length; i++) {
      offsets[i] = pdf.length();
      pdf.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
    }
    int xref = pdf.length();
    pdf.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
    for (int offset : offsets) {
      pdf.append(String.format("%010d 00000 n \n", offset));
    }
    pdf.append("trailer\n<< /Size ").append(objects.length + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref)
        .append("\n%%EOF\n");
    return pdf.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
