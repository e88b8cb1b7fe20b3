package io.traceline.platform.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.JobCluster;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Effective dates: a version approved for a future date becomes effective then, on the job runtime, once (DOC-7)")
class DocumentEffectiveDateIT {

  @Test
  @DisplayName("on three members the timer fires once: the version becomes effective, the previous one superseded, one outbox event each")
  void timerFiresOnce() throws Exception {
    TestPlatform platform = TestPlatform.get();
    Api api = platform.api();
    TenantFixture tenant = platform.newTenant("docdate");
    DocumentFlow flow = new DocumentFlow(platform, tenant);
    Person authorPerson = flow.member("Dora", "Author", "document-author");
    Person reviewerPerson = flow.signer("Rita", "Reviewer", "reviewer");
    Person approverPerson = flow.signer("Pat", "Approver", "approver");
    String author = authorPerson.token(platform);
    String schema = "t_" + tenant.slug();

    JsonObject document = flow.document(authorPerson, "sop", "QA", "Line clearance", "medium");
    String documentPath = tenant.path("/documents/" + document.getString("id"));
    JsonObject v1 = flow.effective(document, authorPerson, approverPerson, "major", "full-retraining");
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".document_event WHERE version_id = '"
        + v1.getString("id") + "' AND training_impact = 'full-retraining'")).isEqualTo(1);

    // Reviewed, then approved for a date a few seconds ahead: approved now, effective then.
    JsonObject v2 = flow.withFile(flow.draft(document, authorPerson, "major", "read-and-acknowledge"), authorPerson);
    Instant due = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
    Api.Response submitted = flow.submit(v2, authorPerson, DocumentFlow.route("sequential", List.of(reviewerPerson),
        List.of(approverPerson)), due);
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(200);
    assertThat(submitted.json().getString("plannedEffectiveAt")).isEqualTo(due.toString());
    assertThat(flow.sign(v2, reviewerPerson, "reviewed", null).status()).isEqualTo(201);
    Api.Response approved = flow.sign(v2, approverPerson, "approved", null);
    assertThat(approved.status()).as(approved.toString()).isEqualTo(201);
    assertThat(approved.json().getJsonObject("version").getString("state")).isEqualTo("approved");
    assertThat(api.get(documentPath + "/current", author).json().getString("id")).isEqualTo(v1.getString("id"));
    assertThat(platform.queryLong("SELECT count(*) FROM control.job WHERE kind = 'document.effective' AND dedupe_key = "
        + "'document-version:" + v2.getString("id") + "'")).isEqualTo(1);

    try (JobCluster cluster = new JobCluster(3)) {
      for (int i = 0; i < 3; i++) {
        cluster.startInJvm(i);
      }
      Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
      while (Instant.now().isBefore(deadline) && platform.queryLong("SELECT count(*) FROM control.job WHERE "
          + "dedupe_key = 'document-version:" + v2.getString("id") + "' AND state = 'succeeded'") == 0) {
        Thread.sleep(250);
      }
    }
    JsonObject current = api.get(documentPath + "/current", author).json();
    assertThat(current.getString("id")).isEqualTo(v2.getString("id"));
    assertThat(current.getString("state")).isEqualTo("effective");
    assertThat(Instant.parse(current.getString("effectiveAt"))).isAfterOrEqualTo(due.minusSeconds(1));
    assertThat(api.get(documentPath + "/versions/" + v1.getString("id"), author).json().getString("state"))
        .isEqualTo("superseded");
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".document_version WHERE document_id = '"
        + document.getString("id") + "' AND state = 'effective'")).isEqualTo(1);
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".document_event WHERE version_id = '"
        + v2.getString("id") + "' AND kind = 'document-version-effective' AND training_impact = 'read-and-acknowledge'"))
        .isEqualTo(1);
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".audit_event WHERE action = "
        + "'document-version.effective' AND entity_id = '" + v2.getString("id") + "'")).isEqualTo(1);
  }

}
