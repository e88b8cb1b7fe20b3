package io.traceline.platform.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A person's training file and certificates: JSON and PDF with the version each record covers and its signatures' manifestation; read by the person, their manager and training staff, nobody else (P11-6, P11-3, RPT-2)")
class TrainingFileIT {

  private static TrainingWorld world;
  private static Api api;
  private static TenantFixture tenant;
  private static Person learner;
  private static String personId;
  private static JsonObject acknowledged;
  private static JsonObject lateEntry;
  private static JsonObject openVersion;

  @BeforeAll
  static void plant() {
    world = new TrainingWorld("trainfile");
    api = world.api;
    tenant = world.tenant;
    learner = world.learner("Nora", "Byrne");
    // One read-and-acknowledge signed by the learner.
    JsonObject gowning = world.effective(world.document("Gowning for grade A", "read-and-acknowledge", null, null, 12));
    JsonObject assignment = world.assignment(learner, gowning);
    assertThat(api.getBytes(world.mePath(assignment, "/content"), learner.token(world.platform)).statusCode()).isEqualTo(200);
    Api.Response signed = api.post(world.mePath(assignment, "/acknowledgement"), learner.token(world.platform),
        new JsonObject().put("reauthentication", DocumentFlow.password(learner)));
    assertThat(signed.status()).as(signed.toString()).isEqualTo(201);
    acknowledged = signed.json().getJsonObject("completion");
    // One classroom session entered late by the coordinator, with the supervisor as trainer.
    JsonObject classroom = world.assignment(learner, world.effective(world.document("Aseptic behaviour", "classroom",
        null, null, null)));
    String trainer = world.platform.queryString("SELECT id::text FROM " + world.schema + ".person WHERE employee_number = 'SUP-1'");
    OffsetDateTime trainedAt = world.platform.databaseNow().minusDays(3).truncatedTo(ChronoUnit.SECONDS);
    Api.Response late = api.post(tenant.path("/training-assignments/" + classroom.getString("id") + "/completion"),
        world.admin, new JsonObject().put("trainedAt", trainedAt.toInstant().toString()).put("trainerId", trainer)
            .put("reference", "Attendance sheet 2026-44").put("reason", "Entered from the paper sheet after the outage")
            .put("reauthentication", DocumentFlow.password(world.trainingAdmin)));
    assertThat(late.status()).as(late.toString()).isEqualTo(201);
    lateEntry = late.json();
    // One still open.
    openVersion = world.effective(world.document("Line clearance", "read-and-acknowledge", null, null, null));
    Api.Response mine = api.get(tenant.path("/me/training-file"), learner.token(world.platform));
    assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
    personId = mine.json().getJsonObject("person").getString("id");
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @Test
  @DisplayName("the JSON file: the person, a qualification per document, every completion pinned to its version with the signatures behind it (none for a coordinator's late entry, which carries its reason), and what is still open")
  void jsonFile() {
    Api.Response response = api.get(tenant.path("/people/" + personId + "/training-file"), world.admin);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    JsonObject file = response.json();
    JsonObject person = file.getJsonObject("person");
    assertThat(person.getString("name")).isEqualTo("Nora Byrne");
    assertThat(person.getJsonObject("site").getString("timezone")).isEqualTo("Europe/Dublin");
    assertThat(person.getJsonObject("manager").getString("name")).isEqualTo("Sol Supervisor");
    assertThat(person.getJsonArray("jobRoles").getJsonObject(0).getString("code")).isEqualTo("ASEPTIC-OP");
    assertThat(person.getBoolean("hasLogin")).isTrue();

    JsonArray completions = file.getJsonArray("completions");
    assertThat(completions).hasSize(2);
    JsonObject ack = find(completions, acknowledged.getString("id"));
    assertThat(ack.getJsonObject("version").getString("version")).isEqualTo("1.0");
    JsonArray signatures = ack.getJsonArray("signatures");
    assertThat(signatures).hasSize(1);
    assertThat(signatures.getJsonObject(0).getString("meaning")).isEqualTo("read-and-understood");
    assertThat(signatures.getJsonObject(0).getString("manifestation")).startsWith("Signed by Nora Byrne (")
        .contains(" UTC, meaning: read-and-understood");
    JsonObject late = find(completions, lateEntry.getString("id"));
    assertThat(late.getBoolean("late")).isTrue();
    assertThat(late.getString("reason")).isEqualTo("Entered from the paper sheet after the outage");
    // Signed by the coordinator who recorded it (meaning "recorded").
    assertThat(late.getJsonArray("signatures")).hasSize(1);
    assertThat(late.getJsonArray("signatures").getJsonObject(0).getString("manifestation"))
        .startsWith("Signed by Tia Coordinator (").endsWith(" UTC, meaning: recorded");
    assertThat(late.getJsonObject("trainer").getString("name")).isEqualTo("Sol Supervisor");

    assertThat(file.getJsonArray("qualifications").stream().map(JsonObject.class::cast)
        .filter(q -> "document".equals(q.getString("kind"))).map(q -> q.getJsonObject("document").getString("title")))
        .contains("Gowning for grade A", "Aseptic behaviour", "Line clearance");
    assertThat(file.getJsonArray("openAssignments").stream().map(JsonObject.class::cast)
        .map(a -> a.getJsonObject("version").getString("id"))).containsExactly(openVersion.getString("id"));
    assertThat(file.getJsonObject("tenant").getString("slug")).isEqualTo(tenant.slug());
  }

  @Test
  @DisplayName("the PDF file and a certificate say the same in words: tenant, generated-at and 'Page n of m' on every page, times in the site's zone, the signature's manifestation and the record version it is bound to")
  void pdfs() throws IOException {
    var file = api.getBytes(tenant.path("/people/" + personId + "/training-file"), world.admin, "application/pdf");
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("Content-Type")).hasValue("application/pdf");
    String text = text(file.body());
    assertThat(text).contains("Training file: Nora Byrne (", "Page 1 of ", "Generated ", "Gowning for grade A",
        "Aseptic behaviour", "Line clearance", "Entered from the paper sheet after the outage", "Sol Supervisor",
        "Signed by Nora Byrne", "meaning: read-and-understood", "training-assignment", "Europe/Dublin");
    // November in Dublin: GMT, named.
    assertThat(text).containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} (GMT|IST)");

    var certificate = api.getBytes(tenant.path("/training-completions/" + acknowledged.getString("id") + "/certificate"),
        learner.token(world.platform));
    assertThat(certificate.statusCode()).isEqualTo(200);
    assertThat(certificate.headers().firstValue("Content-Type")).hasValue("application/pdf");
    String words = text(certificate.body());
    assertThat(words).contains("Certificate of training", "Nora Byrne", "Gowning for grade A", "version 1.0",
        "read-and-acknowledge", "Signed by Nora Byrne", "meaning: read-and-understood", acknowledged.getString("id"),
        "Page 1 of 1");
    String lateWords = text(api.getBytes(tenant.path("/training-completions/" + lateEntry.getString("id") + "/certificate"),
        world.admin).body());
    assertThat(lateWords).contains("late entry: Entered from the paper sheet after the outage",
        "Signed by Tia Coordinator", "meaning: recorded", "Signed record training-completion-entry", "Sol Supervisor");
  }

  @Test
  @DisplayName("the person and their manager read the file; another employee gets 403; an unknown person or completion 404; another tenant's token reads nothing")
  void access() {
    assertThat(api.get(tenant.path("/people/" + personId + "/training-file"), learner.token(world.platform)).status())
        .isEqualTo(200);
    assertThat(api.get(tenant.path("/people/" + personId + "/training-file"), world.supervisor.token(world.platform))
        .status()).isEqualTo(200);
    Person colleague = world.learner("Cal", "Colleague");
    String token = colleague.token(world.platform);
    Api.Response refused = api.get(tenant.path("/people/" + personId + "/training-file"), token);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(api.getBytes(tenant.path("/training-completions/" + acknowledged.getString("id") + "/certificate"), token)
        .statusCode()).isEqualTo(403);
    assertThat(api.get(tenant.path("/people/" + java.util.UUID.randomUUID() + "/training-file"), world.admin).status())
        .isEqualTo(404);
    assertThat(api.getBytes(tenant.path("/training-completions/" + java.util.UUID.randomUUID() + "/certificate"),
        world.admin).statusCode()).isEqualTo(404);
    assertThat(api.get(tenant.path("/people/not-a-uuid/training-file"), world.admin).status()).isEqualTo(400);

    TenantFixture stranger = world.platform.newTenant("trainfileb");
    world.platform.grantRole(stranger, stranger.adminUserId(), "training-admin");
    String strangerToken = stranger.adminToken();
    for (TenantFixture target : List.of(tenant, stranger)) {
      assertThat(api.get(target.path("/people/" + personId + "/training-file"), strangerToken).status())
          .as(target.slug()).isEqualTo(404);
      assertThat(api.getBytes(target.path("/training-completions/" + acknowledged.getString("id") + "/certificate"),
          strangerToken).statusCode()).as(target.slug()).isEqualTo(404);
    }
    assertThat(api.get(stranger.path("/me/training-file"), strangerToken).status()).isEqualTo(404);
  }

  private static JsonObject find(JsonArray items, String id) {
    return items.stream().map(JsonObject.class::cast).filter(item -> id.equals(item.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + id + " in " + items.encode()));
  }

  private static String text(byte[] pdf) throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
    }
  }
}
