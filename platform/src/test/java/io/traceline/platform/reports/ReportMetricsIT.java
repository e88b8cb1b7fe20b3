package io.traceline.platform.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.traceline.platform.training.TrainingWorld;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A gowning procedure operators acknowledge; three operators hired (on 2024-01-08, by the HR feed) after its first
 * version became effective, so their hiring assigned it: Ann acknowledges in time, Bob after his due date, Cid not at all
 * (overdue). Then version 2 becomes effective and everyone retrains. The CAPA metric and the assessment pass rate are
 * checked on the quality loop's own fixture ({@code QualityLoopIT}).
 */
@DisplayName("Metrics (RPT-3): completion rate by department, time to qualification of new hires, overdue trend, retraining latency per revision — exact numbers with numerators and denominators; bad input; readers only, audited; tenant walls")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportMetricsIT {

  private static TrainingWorld world;
  private static Api api;
  private static TenantFixture tenant;
  private static Person ann;
  private static Person bob;
  private static Person cid;
  private static JsonObject document;
  private static JsonObject v1;
  private static OffsetDateTime afterFirstRound;

  @BeforeAll
  static void plant() {
    world = new TrainingWorld("metrics");
    api = world.api;
    tenant = world.tenant;
    document = world.document("Gowning", "read-and-acknowledge", "medium", null, null, null);
    v1 = world.effective(document);
    ann = world.learner("Ann", "Early");
    bob = world.learner("Bob", "Late");
    cid = world.learner("Cid", "Open");
    world.settle();
    acknowledge(ann, v1);
    // Bob's and Cid's were due before today (the schema's owner moves the dates); Bob acknowledges late.
    moveDue(bob, "now() - interval '1 day'");
    moveDue(cid, "now() - interval '2 days'");
    acknowledge(bob, v1);
    afterFirstRound = world.platform.databaseNow();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @Test
  @Order(1)
  @DisplayName("completion rate: assignments due in the period by department — on time, late, overdue, with the rate")
  void completionRate() {
    JsonObject metric = metric("completion-rate", "from=" + at(afterFirstRound.minusDays(30)) + "&to="
        + at(afterFirstRound.plusDays(60)));
    assertThat(metric.getString("metric")).isEqualTo("completion-rate");
    JsonArray departments = metric.getJsonArray("departments");
    assertThat(departments).hasSize(1);
    JsonObject fil = departments.getJsonObject(0);
    assertThat(fil.getString("site")).isEqualTo("CRK");
    assertThat(fil.getString("code")).isEqualTo("FIL");
    assertThat(fil.copy().put("name", null)).isEqualTo(new JsonObject().put("site", "CRK").put("code", "FIL")
        .put("name", null).put("due", 3).put("onTime", 1).put("late", 1).put("notYetDue", 0).put("overdue", 1)
        .put("onTimeRate", 0.3333));
    assertThat(metric.getJsonObject("totals").getLong("due")).isEqualTo(3);
    // Another department's view is empty; a period before the assignments has none due.
    assertThat(metric("completion-rate", "department=FIL&site=CRK").getJsonObject("totals").getLong("due")).isEqualTo(2);
    assertThat(metric("completion-rate", "to=" + at(afterFirstRound.minusDays(10))).getJsonArray("departments"))
        .isEmpty();
  }

  @Test
  @Order(2)
  @DisplayName("time to qualification: people hired in the period, qualified when all their hiring's training is done, with median and 90th percentile days")
  void timeToQualification() {
    JsonObject metric = metric("time-to-qualification", "from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:00Z");
    long hires = world.count("${schema}.person_event WHERE kind = 'hired' AND effective_on = '2024-01-08'");
    JsonObject fil = metric.getJsonArray("departments").getJsonObject(0);
    assertThat(fil.getLong("hires")).isEqualTo(hires);
    assertThat(fil.getLong("qualified")).isEqualTo(2);
    assertThat(fil.getLong("inTraining")).isEqualTo(1);
    assertThat(fil.getLong("nothingRequired")).as("the supervisor holds no role the matrix maps").isEqualTo(hires - 3);
    double expected = (afterFirstRound.toEpochSecond() - OffsetDateTime.parse("2024-01-08T00:00:00Z").toEpochSecond())
        / 86400.0;
    assertThat(fil.getDouble("medianDays")).isBetween(expected - 1, expected + 0.1);
    assertThat(fil.getDouble("p90Days")).isGreaterThanOrEqualTo(fil.getDouble("medianDays"));
    assertThat(metric("time-to-qualification", "").getJsonArray("departments")).as("nobody hired this year").isEmpty();
  }

  @Test
  @Order(3)
  @DisplayName("overdue trend: overdue training at the end of each week of the period")
  void overdueTrend() {
    OffsetDateTime to = world.platform.databaseNow();
    JsonObject metric = metric("overdue-trend", "step=week&from=" + at(to.minusDays(21)) + "&to=" + at(to));
    assertThat(metric.getString("step")).isEqualTo("week");
    JsonArray series = metric.getJsonArray("series");
    assertThat(series.stream().map(point -> ((JsonObject) point).getLong("overdue")).toList()).containsExactly(0L, 0L, 1L);
    assertThat(series.getJsonObject(2).getString("at")).isEqualTo(to.toInstant().toString());
    assertThat(metric("overdue-trend", "").getJsonArray("series")).hasSize(12);
  }

  @Test
  @Order(4)
  @DisplayName("retraining latency: version 2's retraining counted as it completes; the latency once nobody is open")
  void retrainingLatency() {
    JsonObject v2 = world.effective(document);
    acknowledge(ann, v2);
    acknowledge(bob, v2);
    JsonObject open = revision(v2);
    assertThat(open.getLong("assigned")).isEqualTo(3);
    assertThat(open.getLong("completed")).isEqualTo(2);
    assertThat(open.getLong("open")).isEqualTo(1);
    assertThat(open.getValue("latencyDays")).as("Cid is still open").isNull();
    assertThat(open.getDouble("medianDays")).isBetween(0.0, 0.1);
    acknowledge(cid, v2);
    JsonObject done = revision(v2);
    assertThat(done.getLong("open")).isZero();
    assertThat(done.getString("lastCompletedAt")).isNotNull();
    assertThat(done.getDouble("latencyDays")).isBetween(0.0, 0.1);
    assertThat(done.getJsonObject("document").getString("number")).isEqualTo(document.getString("number"));
  }

  @Test
  @Order(5)
  @DisplayName("bad input is a problem (malformed time 400, unknown metric or step 400, reversed or too long period 422, unknown site 422); an employee is refused; every answer is audited with its parameters")
  void badInputRolesAndAudit() {
    long before = world.count("${schema}.audit_event WHERE action = 'report.generated'");
    assertThat(get("completion-rate", "from=yesterday").status()).isEqualTo(400);
    assertThat(get("happiness", "").status()).isEqualTo(400);
    assertThat(get("overdue-trend", "step=day").status()).isEqualTo(400);
    assertThat(get("completion-rate", "from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z").status()).isEqualTo(422);
    assertThat(get("completion-rate", "from=2010-01-01T00:00:00Z&to=2025-01-01T00:00:00Z").status()).isEqualTo(422);
    Api.Response unknown = get("completion-rate", "site=ZRH");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("site");
    assertThat(api.get(tenant.path("/reports/metrics/completion-rate"), ann.token(world.platform)).status())
        .isEqualTo(403);
    assertThat(world.count("${schema}.audit_event WHERE action = 'report.generated'")).isEqualTo(before);

    metric("overdue-trend", "step=week&site=CRK");
    JsonObject event = new JsonObject(world.platform.queryString("SELECT after_value::text FROM " + world.schema
        + ".audit_event WHERE action = 'report.generated' ORDER BY seq DESC LIMIT 1"));
    assertThat(event.getString("metric")).isEqualTo("overdue-trend");
    assertThat(event.getString("step")).isEqualTo("week");
    assertThat(event.getJsonObject("filters").getString("site")).isEqualTo("CRK");
    assertThat(world.platform.queryString("SELECT entity_id FROM " + world.schema + ".audit_event "
        + "WHERE action = 'report.generated' ORDER BY seq DESC LIMIT 1")).isEqualTo("metrics/overdue-trend");
  }

  @Test
  @Order(6)
  @DisplayName("tenants are walls: another tenant's admin gets 404 here, and their own metrics know nothing of this tenant")
  void crossTenant() {
    TenantFixture other = world.platform.newTenant("metricswall");
    for (String metric : List.of("completion-rate", "overdue-trend", "capa-effectiveness")) {
      assertThat(api.get(tenant.path("/reports/metrics/" + metric), other.adminToken()).status()).isEqualTo(404);
    }
    Api.Response own = api.get(other.path("/reports/metrics/completion-rate?to=" + at(afterFirstRound.plusDays(60))),
        other.adminToken());
    assertThat(own.status()).as(own.toString()).isEqualTo(200);
    assertThat(own.json().getJsonObject("totals").getLong("due")).isZero();
  }

  // --- helpers

  private static JsonObject revision(JsonObject version) {
    OffsetDateTime now = world.platform.databaseNow();
    JsonObject metric = metric("retraining-latency", "from=" + at(now.minusDays(1)) + "&to=" + at(now.plusDays(1)));
    return metric.getJsonArray("revisions").stream().map(JsonObject.class::cast)
        .filter(r -> r.getJsonObject("version").getString("id").equals(version.getString("id")))
        .findFirst().orElseThrow();
  }

  private static JsonObject metric(String metric, String query) {
    Api.Response response = get(metric, query);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private static Api.Response get(String metric, String query) {
    return api.get(tenant.path("/reports/metrics/" + metric + (query.isEmpty() ? "" : "?" + query)),
        world.trainingAdmin.token(world.platform));
  }

  private static void moveDue(Person learner, String when) {
    world.platform.queryLong("WITH moved AS (UPDATE " + world.schema + ".training_assignment SET due_at = " + when
        + " WHERE version_id = '" + v1.getString("id") + "' AND person_id = '" + world.personId(learner)
        + "' RETURNING 1) SELECT count(*) FROM moved");
  }

  private static void acknowledge(Person learner, JsonObject version) {
    JsonObject assignment = world.assignment(learner, version);
    String token = learner.token(world.platform);
    assertThat(api.getBytes(world.mePath(assignment, "/content"), token).statusCode()).isEqualTo(200);
    Api.Response done = api.post(world.mePath(assignment, "/acknowledgement"), token,
        new JsonObject().put("reauthentication", DocumentFlow.password(learner)));
    assertThat(done.status()).as(done.toString()).isEqualTo(201);
  }

  private static String at(OffsetDateTime time) {
    return URLEncoder.encode(time.toInstant().toString(), StandardCharsets.UTF_8);
  }
}
