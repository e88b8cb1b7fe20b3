package io.traceline.platform.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Review and approval routes: each step an electronic signature bound to the submitted content, in order, by the right people (DOC-3, P11-3)")
class DocumentRouteIT {

  private static TestPlatform platform;
  private static Api api;
  private static TenantFixture tenant;
  private static DocumentFlow flow;
  private static Person author;
  private static Person reviewer1;
  private static Person reviewer2;
  private static Person approver1;
  private static Person approver2;
  private static Person qualityManager;

  @BeforeAll
  static void people() {
    platform = TestPlatform.get();
    api = platform.api();
    tenant = platform.newTenant("route");
    flow = new DocumentFlow(platform, tenant);
    author = flow.member("Ana", "Author", "document-author");
    reviewer1 = flow.signer("Rui", "Reviewer", "reviewer");
    reviewer2 = flow.signer("Rhea", "Reviewer", "reviewer");
    approver1 = flow.signer("Abe", "Approver", "approver");
    approver2 = flow.signer("Ada", "Approver", "approver");
    qualityManager = flow.signer("Quinn", "Manager", "quality-manager");
  }

  private static JsonObject submitted(String order, List<Person> reviewers, List<Person> approvers) {
    JsonObject document = flow.document(author, "sop", "QC", "HPLC system suitability " + order, "high");
    JsonObject version = flow.withFile(flow.draft(document, author, "major", "full-retraining"), author);
    Api.Response submitted = flow.submit(version, author, DocumentFlow.route(order, reviewers, approvers), null);
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(200);
    return submitted.json();
  }

  @Test
  @DisplayName("sequential: each reviewer in turn, then each approver in turn; out of turn is a 409; the last approval makes the version effective")
  void sequential() {
    JsonObject version = submitted("sequential", List.of(reviewer1, reviewer2), List.of(approver1, approver2));
    assertThat(version.getString("routeOrder")).isEqualTo("sequential");
    Api.Response early = flow.sign(version, reviewer2, "reviewed", null);
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.json().getString("detail")).contains("Rui Reviewer");
    Api.Response approverTooEarly = flow.sign(version, approver1, "approved", null);
    assertThat(approverTooEarly.status()).isEqualTo(409);
    assertThat(approverTooEarly.json().getString("type")).endsWith("/route-step-not-ready");
    // Nothing was signed by the refused attempts, and no password was checked for them.
    assertThat(signatures(version)).isZero();

    assertThat(flow.sign(version, reviewer1, "reviewed", null).status()).isEqualTo(201);
    assertThat(flow.sign(version, reviewer2, "reviewed", null).status()).isEqualTo(201);
    assertThat(flow.sign(version, approver2, "approved", null).status()).isEqualTo(409);
    Api.Response first = flow.sign(version, approver1, "approved", null);
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().getJsonObject("version").getString("state")).isEqualTo("in-review");
    Api.Response last = flow.sign(version, approver2, "approved", null);
    assertThat(last.status()).as(last.toString()).isEqualTo(201);
    JsonObject effective = last.json().getJsonObject("version");
    assertThat(effective.getString("state")).isEqualTo("effective");
    assertThat(effective.getString("approvedByName")).isEqualTo("Ada Approver");
    JsonArray route = last.json().getJsonArray("route");
    assertThat(route.stream().map(step -> ((JsonObject) step).getString("state")).toList())
        .containsExactly("signed", "signed", "signed", "signed");
    assertThat(route.stream().map(step -> ((JsonObject) step).getString("assigneeName")).toList())
        .containsExactly("Rui Reviewer", "Rhea Reviewer", "Abe Approver", "Ada Approver");

    // Every signature names the record version the submission froze, and its hash.
    JsonArray signatures = api.get(tenant.path("/signatures?recordType=document-version&recordId=" + version.getString("id")),
        tenant.adminToken()).json().getJsonArray("items");
    assertThat(signatures).hasSize(4);
    signatures.forEach(signature -> {
      JsonObject record = ((JsonObject) signature).getJsonObject("record");
      assertThat(record.getInteger("version")).isEqualTo(1);
      assertThat(record.getString("hash")).isEqualTo(version.getString("recordHash"));
    });
    assertThat(signatures.stream().map(signature -> ((JsonObject) signature).getString("meaning")).toList())
        .containsExactly("reviewed", "reviewed", "approved", "approved");
  }

  @Test
  @DisplayName("parallel: reviewers in any order, approvals only after every review; two approvers signing at once approve the version exactly once")
  void parallelAndConcurrent() throws Exception {
    JsonObject version = submitted("parallel", List.of(reviewer1, reviewer2), List.of(approver1, approver2));
    assertThat(flow.sign(version, reviewer2, "reviewed", null).status()).isEqualTo(201);
    assertThat(flow.sign(version, approver1, "approved", null).status()).isEqualTo(409);
    assertThat(flow.sign(version, reviewer1, "reviewed", null).status()).isEqualTo(201);

    String token1 = approver1.token(platform);
    String token2 = approver2.token(platform);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Api.Response> responses = new ArrayList<>();
    try {
      List<Callable<Api.Response>> both = List.of(() -> flow.sign(version, approver1, token1, "approved", null),
          () -> flow.sign(version, approver2, token2, "approved", null));
      for (Future<Api.Response> response : pool.invokeAll(both)) {
        responses.add(response.get());
      }
    } finally {
      pool.shutdown();
    }
    assertThat(responses).allSatisfy(response -> assertThat(response.status()).as(response.toString()).isEqualTo(201));
    String schema = "t_" + tenant.slug();
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".document_version WHERE id = '"
        + version.getString("id") + "' AND state = 'effective'")).isEqualTo(1);
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".audit_event WHERE action = "
        + "'document-version.approve' AND entity_id = '" + version.getString("id") + "'")).isEqualTo(1);
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".document_event WHERE version_id = '"
        + version.getString("id") + "'")).isEqualTo(1);
  }

  @Test
  @DisplayName("a rejection returns the version to draft with comments and ends the round; the resubmission is a new record version that carries no signatures and needs every step again")
  void rejectionStartsANewRound() {
    JsonObject version = submitted("sequential", List.of(reviewer1), List.of(approver1));
    assertThat(flow.sign(version, reviewer1, "reviewed", null).status()).isEqualTo(201);
    String firstHash = version.getString("recordHash");
    Api.Response rejected = flow.act(version, approver1, "reject", "Step 6 contradicts the validation report");
    assertThat(rejected.status()).as(rejected.toString()).isEqualTo(200);
    assertThat(rejected.json().getString("state")).isEqualTo("draft");
    assertThat(rejected.json().getString("reviewComments")).isEqualTo("Step 6 contradicts the validation report");
    assertThat(flow.sign(version, approver1, "approved", null).status()).isEqualTo(409);

    // The author fixes the file and submits again: record version 2, a new hash, no signatures yet.
    assertThat(flow.upload(version, author, "fixed.pdf", "application/pdf", DocumentFlow.pdf("Step 6 corrected"))
        .status()).isEqualTo(200);
    Api.Response again = flow.submit(version, author, DocumentFlow.route("sequential", List.of(reviewer1),
        List.of(approver1)), null);
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.json().getInteger("recordVersion")).isEqualTo(2);
    assertThat(again.json().getString("recordHash")).isNotEqualTo(firstHash);
    assertThat(api.get(tenant.path("/signatures?recordType=document-version&recordId=" + version.getString("id")
        + "&recordVersion=2"), tenant.adminToken()).json().getJsonArray("items")).isEmpty();
    // A signature meant for what the reviewer saw in round 1 is refused.
    Api.Response stale = api.post(flow.versionPath(version) + "/signatures", reviewer1.token(platform), new JsonObject()
        .put("meaning", "reviewed").put("recordVersion", 1).put("reauthentication", DocumentFlow.password(reviewer1)));
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.json().getString("type")).endsWith("/version-superseded");
    assertThat(flow.sign(version, approver1, "approved", null).status()).isEqualTo(409);
    assertThat(flow.sign(version, reviewer1, "reviewed", null).status()).isEqualTo(201);
    assertThat(flow.sign(version, approver1, "approved", null).json().getJsonObject("version").getString("state"))
        .isEqualTo("effective");
    String schema = "t_" + tenant.slug();
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".document_route_step WHERE version_id = '"
        + version.getString("id") + "' AND round = 1 AND state = 'rejected' AND comments LIKE 'Step 6%'")).isEqualTo(1);
  }

  @Test
  @DisplayName("the route is checked before it starts: an approver, the right roles, nobody twice, only active users; the file comes first")
  void routeRules() {
    JsonObject document = flow.document(author, "sop", "QC", "Balance calibration", "medium");
    JsonObject draft = flow.draft(document, author, "major", "full-retraining");
    Api.Response noFile = flow.submit(draft, author, DocumentFlow.route("sequential", List.of(), List.of(approver1)), null);
    assertThat(noFile.status()).isEqualTo(409);
    assertThat(noFile.json().getString("type")).endsWith("/content-missing");
    JsonObject version = flow.withFile(draft, author);

    Api.Response noApprover = flow.submit(version, author, DocumentFlow.route("sequential", List.of(reviewer1), List.of()),
        null);
    assertThat(noApprover.status()).isEqualTo(400);
    Api.Response wrongRoles = flow.submit(version, author, DocumentFlow.route("sequential", List.of(author),
        List.of(reviewer1, approver1, approver1)), null);
    assertThat(wrongRoles.status()).isEqualTo(422);
    assertThat(wrongRoles.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("pointer")).toList())
        .containsExactly("/route/reviewers/0", "/route/approvers/0", "/route/approvers/2");
    Api.Response stranger = flow.submit(version, author, new JsonObject().put("approvers",
        new JsonArray().add("no-such-user")), null);
    assertThat(stranger.status()).isEqualTo(422);
    Api.Response noRoute = api.post(flow.versionPath(version) + "/transitions", author.token(platform),
        new JsonObject().put("action", "submit"));
    assertThat(noRoute.status()).isEqualTo(422);
    assertThat(flow.version(version, author).getString("state")).isEqualTo("draft");
    assertThat(platform.queryLong("SELECT count(*) FROM t_" + tenant.slug() + ".record_version WHERE record_id = '"
        + version.getString("id") + "'")).isZero();
    // A quality manager may review (the meaning's roles), and a route without reviewers is fine.
    assertThat(flow.submit(version, author, DocumentFlow.route("parallel", List.of(qualityManager), List.of(approver2)),
        null).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a document version's signatures go through its route: the generic signing endpoint refuses them (422), and someone off the route gets 403")
  void onlyThroughTheRoute() {
    JsonObject version = submitted("sequential", List.of(), List.of(approver1));
    Api.Response generic = api.post(tenant.path("/signatures"), approver1.token(platform), new JsonObject()
        .put("recordType", "document-version").put("recordId", version.getString("id")).put("recordVersion", 1)
        .put("meaning", "approved").put("reauthentication", DocumentFlow.password(approver1)));
    assertThat(generic.status()).isEqualTo(422);
    assertThat(generic.json().getString("type")).endsWith("/signed-through-workflow");
    Api.Response offRoute = flow.sign(version, approver2, "approved", null);
    assertThat(offRoute.status()).isEqualTo(403);
    Api.Response wrongPassword = api.post(flow.versionPath(version) + "/signatures", approver1.token(platform),
        new JsonObject().put("meaning", "approved").put("reauthentication", DocumentFlow.password(approver1)
            .put("password", "not-the-password")));
    assertThat(wrongPassword.status()).isEqualTo(401);
    assertThat(signatures(version)).isZero();
    assertThat(flow.version(version, author).getString("state")).isEqualTo("in-review");
  }

  @Test
  @DisplayName("a retried approval with the same Idempotency-Key returns the first signature and approves nothing twice")
  void idempotentRetry() {
    JsonObject version = submitted("sequential", List.of(), List.of(approver1));
    Api.Response first = flow.sign(version, approver1, "approved", "approve-" + version.getString("id"));
    assertThat(first.status()).isEqualTo(201);
    Api.Response retry = flow.sign(version, approver1, "approved", "approve-" + version.getString("id"));
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.json().getJsonObject("signature").getString("id"))
        .isEqualTo(first.json().getJsonObject("signature").getString("id"));
    assertThat(retry.json().getJsonObject("version").getString("state")).isEqualTo("effective");
    assertThat(signatures(version)).isEqualTo(1);
  }

  private static long signatures(JsonObject version) {
    return platform.queryLong("SELECT count(*) FROM t_" + tenant.slug() + ".signature WHERE record_type = "
        + "'document-version' AND record_id = '" + version.getString("id") + "'");
  }
}
