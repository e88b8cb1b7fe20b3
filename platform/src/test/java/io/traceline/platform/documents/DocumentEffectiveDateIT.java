package io.traceline.platform.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.traceline.platform.testing.Api;
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
    Person authorPerson = platform.newMember("Dora", "Author", tenant);
    platform.grantRole(tenant, authorPerson.id(), "document-author");
    Person approverPerson = platform.newMember("Pat", "Approver", tenant);
    platform.grantRole(tenant, approverPerson.id(), "approver");
    String author = authorPerson.token(platform);
    String approver = approverPerson.token(platform);
    String schema = "t_" + tenant.slug();

    JsonObject document = api.post(tenant.path("/documents"), author, new JsonObject().put("title", "Line clearance")
        .put("type", "sop").put("ownerId", authorPerson.id()).put("department", "QA").put("riskClass", "medium")
        .put("reviewIntervalMonths", 24)).json();
    String documentPath = tenant.path("/documents/" + document.getString("id"));
    JsonObject v1 = version(api, documentPath, author, "major", "full-retraining");
    assertThat(transition(api, documentPath, v1, author, new JsonObject().put("action", "submit")).status()).isEqualTo(200);
    assertThat(transition(api, documentPath, v1, approver, new JsonObject().put("action", "approve")).json()
        .getString("state")).isEqualTo("effective");
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".document_event WHERE version_id = '"
        + v1.getString("id") + "' AND training_impact = 'full-retraining'")).isEqualTo(1);

    JsonObject v2 = version(api, documentPath, author, "major", "read-and-acknowledge");
    assertThat(transition(api, documentPath, v2, author, new JsonObject().put("action", "submit")).status()).isEqualTo(200);
    Instant due = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
    Api.Response approved = transition(api, documentPath, v2, approver, new JsonObject().put("action", "approve")
        .put("effectiveAt", due.toString()));
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    assertThat(approved.json().getString("state")).isEqualTo("approved");
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

  private static JsonObject version(Api api, String documentPath, String token, String revision, String impact) {
    Api.Response response = api.post(documentPath + "/versions", token, new JsonObject().put("revision", revision)
        .put("changeSummary", "Revision").put("trainingImpact", impact));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  private static Api.Response transition(Api api, String documentPath, JsonObject version, String token, JsonObject body) {
    return api.post(documentPath + "/versions/" + version.getString("id") + "/transitions", token, body);
  }
}
