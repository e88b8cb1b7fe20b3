package io.traceline.platform.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.DocumentFlow;
import io.traceline.platform.testing.JobCluster;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sponsor programs: program-scoped requirements reach only the program's members; joining assigns, leaving cancels, in bulk too; the qualification check follows (TRN-1, SPN-1)")
class ProgramScopeIT {

  private static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();

  private static TestPlatform platform;
  private static Api api;
  private static TenantFixture tenant;
  private static String schema;
  private static DocumentFlow flow;
  private static JobCluster cluster;
  private static Person author;
  private static Person approver;
  private static String admin;
  /** Signs late entries (a completion recorded after the fact carries its recorder's signature). */
  private static Person trainingAdmin;
  private static JsonObject operator;
  private static JsonObject northstar;
  private static JsonObject aurelia;

  @BeforeAll
  static void organisation() {
    platform = TestPlatform.get();
    api = platform.api();
    tenant = platform.newTenant("programs");
    schema = "t_" + tenant.slug();
    flow = new DocumentFlow(platform, tenant);
    author = flow.member("Adam", "Author", "document-author");
    approver = flow.signer("Alba", "Approver", "approver");
    trainingAdmin = flow.signer("Tara", "Trainer", "training-admin");
    admin = trainingAdmin.token(platform);
    JsonObject boston = created("/sites", new JsonObject().put("code", "BOS").put("name", "Boston").put("country", "US")
        .put("timezone", "America/New_York"));
    created("/departments", new JsonObject().put("siteId", boston.getString("id")).put("code", "FIL")
        .put("name", "Fill and finish"));
    operator = created("/job-roles", new JsonObject().put("code", "ASEPTIC-OP").put("name", "Aseptic Operator"));
    northstar = created("/programs", new JsonObject().put("code", "NST-201").put("name", "NST-201 antibody fill-finish")
        .put("sponsorName", "Northstar Therapeutics"));
    aurelia = created("/programs", new JsonObject().put("code", "AUR-07").put("name", "AUR-07 vector")
        .put("sponsorName", "Aurelia Biosciences"));
    cluster = new JobCluster(1);
    cluster.startInJvm(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static JsonObject created(String collection, JsonObject body) {
    Api.Response response = api.post(tenant.path(collection), admin, body.put("reason", "Set up for the program test"));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  /** A row of the bulk upsert: an aseptic operator at Boston (or without roles), in {@code programs} when not null. */
  private static JsonObject row(String number, String status, boolean operatorRole, String... programs) {
    JsonObject row = new JsonObject().put("employeeNumber", number).put("givenName", "Emp").put("familyName", number)
        .put("siteCode", "BOS").put("departmentCode", "FIL").put("status", status).put("hiredOn", "2024-01-08")
        .put("jobRoleCodes", operatorRole ? new JsonArray().add("ASEPTIC-OP") : new JsonArray());
    if (programs != null) {
      row.put("programCodes", new JsonArray(List.of((Object[]) programs)));
    }
    return row;
  }

  private static Api.Response upsert(JsonObject... rows) {
    return api.post(tenant.path("/people/bulk"), admin, new JsonObject().put("people", new JsonArray(List.of((Object[]) rows)))
        .put("reason", "HR feed"));
  }

  /** A document of {@code program} (a code), effective, with a requirement for operators scoped to the program. */
  private static JsonObject programDocument(String title, String programCode, JsonObject program, Integer recertifyMonths) {
    Api.Response document = api.post(tenant.path("/documents"), author.token(platform), new JsonObject()
        .put("title", title).put("type", "sop").put("ownerId", author.id()).put("department", "FIL")
        .put("riskClass", "medium").put("reviewIntervalMonths", 24).put("programCode", programCode));
    assertThat(document.status()).as(document.toString()).isEqualTo(201);
    assertThat(document.json().getJsonObject("program").getString("code")).isEqualTo(programCode);
    JsonObject body = new JsonObject().put("documentId", document.json().getString("id"))
        .put("jobRoleId", operator.getString("id")).put("programId", program.getString("id"))
        .put("method", "read-and-acknowledge").put("dueDays", 21).put("reason", "Sponsor-specific procedure");
    if (recertifyMonths != null) {
      body.put("recertifyMonths", recertifyMonths);
    }
    Api.Response requirement = api.post(tenant.path("/training-requirements"), admin, body);
    assertThat(requirement.status()).as(requirement.toString()).isEqualTo(201);
    assertThat(requirement.json().getJsonObject("program").getString("code")).isEqualTo(programCode);
    return document.json().put("requirement", requirement.json());
  }

  private static String personId(String number) {
    return platform.queryString("SELECT id::text FROM " + schema + ".person WHERE employee_number = '" + number + "'");
  }

  private static long count(String where) {
    return platform.queryLong("SELECT count(*) FROM " + schema + ".training_assignment a JOIN " + schema
        + ".person p ON p.id = a.person_id WHERE " + where);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
      Thread.sleep(100);
    }
  }

  private static void settle() throws InterruptedException {
    await("training jobs", () -> platform.queryLong("SELECT count(*) FROM control.job WHERE tenant = '" + tenant.slug()
        + "' AND kind LIKE 'training.%' AND state IN ('scheduled', 'running') AND run_at <= now()") == 0);
  }

  private static Api.Response join(String personId, JsonObject program, String reason) {
    return api.post(tenant.path("/people/" + personId + "/programs"), admin, new JsonObject()
        .put("programId", program.getString("id")).put("validFrom", TODAY).put("reason", reason));
  }

  @Test
  @DisplayName("a program-scoped requirement fans out to the role's program members only; joining assigns (cause program-joined), a second firing adds nothing, leaving cancels saying so, rejoining starts a new cycle; a revision reaches the members of the day")
  void membersOnly() throws Exception {
    // A program of this test's own, so the other tests' people are not its members.
    JsonObject fanOut = created("/programs", new JsonObject().put("code", "FO-PRG").put("name", "Fan-out programme")
        .put("sponsorName", "Northstar Therapeutics"));
    Api.Response hired = upsert(row("FO-1", "active", true, "FO-PRG"), row("FO-2", "active", true, "FO-PRG", "AUR-07"),
        row("FO-3", "active", true, "AUR-07"), row("FO-4", "active", true), row("FO-5", "active", false, "FO-PRG"),
        row("FO-6", "on_leave", true, "FO-PRG"));
    assertThat(hired.status()).as(hired.toString()).isEqualTo(200);
    settle();
    JsonObject document = programDocument("Northstar batch record review", "FO-PRG", fanOut, null);
    JsonObject v1 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();

    // Only the active operators who are FO-PRG members: not AUR-07's, not the operator outside programs, not the
    // member without the role, not the member on leave.
    String ofV1 = "a.version_id = '" + v1.getString("id") + "'";
    assertThat(platform.queryString("SELECT string_agg(p.employee_number, ',' ORDER BY p.employee_number) FROM " + schema
        + ".training_assignment a JOIN " + schema + ".person p ON p.id = a.person_id WHERE " + ofV1)).isEqualTo("FO-1,FO-2");
    assertThat(platform.queryLong("SELECT (after_value->>'assigned')::bigint FROM " + schema + ".audit_event WHERE action = "
        + "'training.fan-out' AND entity_id = '" + v1.getString("id") + "'")).as("people its only chunk assigned").isEqualTo(2);

    // Joining the program is a trigger like gaining a role: the current version is assigned by the job runtime.
    String fo4 = personId("FO-4");
    Api.Response joined = join(fo4, fanOut, "Moved onto the Northstar line");
    assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
    assertThat(joined.json().getJsonObject("program").getString("code")).isEqualTo("FO-PRG");
    assertThat(joined.header("Location")).endsWith("/people/" + fo4 + "/programs/" + joined.json().getString("id"));
    settle();
    String mine = ofV1 + " AND p.employee_number = 'FO-4'";
    assertThat(count(mine + " AND a.cause = 'program-joined' AND a.status = 'open'")).isEqualTo(1);
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".audit_event WHERE action = 'person.program-joined' "
        + "AND entity_id = '" + fo4 + "' AND reason = 'Moved onto the Northstar line'")).isEqualTo(1);
    Api.Response file = api.get(tenant.path("/people/" + fo4 + "/training-file"), admin);
    assertThat(file.status()).as(file.toString()).isEqualTo(200);
    assertThat(file.json().getJsonObject("person").getJsonArray("programs").getJsonObject(0).getString("sponsorName"))
        .isEqualTo("Northstar Therapeutics");
    Api.Response person = api.get(tenant.path("/people/" + fo4), admin);
    assertThat(person.json().getJsonArray("programs").getJsonObject(0).getString("code")).isEqualTo("FO-PRG");
    assertThat(api.get(tenant.path("/people?programId=" + fanOut.getString("id")), admin).json().getJsonArray("items")
        .stream().map(p -> ((JsonObject) p).getString("employeeNumber")).toList())
        .containsExactly("FO-1", "FO-2", "FO-4", "FO-5", "FO-6");

    // Firing twice: joining again is a 409; the same event delivered again and the fan-out's chunks run again add
    // nothing.
    assertThat(join(fo4, fanOut, "Again").status()).isEqualTo(409);
    platform.queryLong("WITH again AS (INSERT INTO " + schema + ".person_event (id, kind, person_id, program_id, "
        + "effective_on, reason) VALUES (" + schema + ".uuid_v7(), 'program-joined', '" + fo4 + "', '"
        + fanOut.getString("id") + "', current_date, 'delivered twice') RETURNING 1) SELECT count(*) FROM again");
    assertThat(join(personId("FO-3"), fanOut, "Also on Northstar now").status()).isEqualTo(201);
    settle();
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".person_event WHERE consumed_at IS NULL")).isZero();
    assertThat(count(mine)).isEqualTo(1);
    assertThat(count(ofV1 + " AND p.employee_number = 'FO-3' AND a.cause = 'program-joined'")).isEqualTo(1);
    String job = platform.queryString("SELECT id::text FROM control.job WHERE dedupe_key = 'revision:" + v1.getString("id") + "'");
    platform.queryLong("WITH again AS (UPDATE control.job_chunk SET state = 'pending', next_attempt_at = now() "
        + "WHERE job_id = '" + job + "' RETURNING 1), running AS (UPDATE control.job SET state = 'running', "
        + "finished_at = NULL WHERE id = '" + job + "' RETURNING 1) SELECT count(*) FROM again");
    settle();
    assertThat(count(ofV1)).isEqualTo(4);
    assertThat(platform.queryLong("SELECT count(*) FROM (SELECT 1 FROM " + schema + ".training_assignment GROUP BY "
        + "person_id, requirement_id, version_id, cycle HAVING count(*) > 1) d")).isZero();

    // Leaving the program cancels what it asked, saying why; the membership stays as history.
    Api.Response left = api.post(tenant.path("/people/" + fo4 + "/programs/" + joined.json().getString("id") + "/ending"),
        admin, new JsonObject().put("validTo", TODAY).put("reason", "Back to the general line"));
    assertThat(left.status()).as(left.toString()).isEqualTo(200);
    assertThat(left.json().getString("validTo")).isEqualTo(TODAY);
    settle();
    assertThat(count(mine + " AND a.status = 'cancelled' AND a.close_reason = 'No longer required: program FO-PRG left'"))
        .isEqualTo(1);
    assertThat(api.get(tenant.path("/people/" + fo4 + "/programs"), admin).json().getJsonArray("items")).hasSize(1);
    assertThat(api.post(tenant.path("/people/" + fo4 + "/programs/" + joined.json().getString("id") + "/ending"), admin,
        new JsonObject().put("reason", "Again")).status()).isEqualTo(409);
    // Rejoined: a new cycle; the cancellation stays in the history.
    assertThat(join(fo4, fanOut, "Back on Northstar").status()).isEqualTo(201);
    settle();
    assertThat(count(mine + " AND a.status = 'open' AND a.cycle = 2 AND a.cause = 'program-joined'")).isEqualTo(1);

    // Leaving through the HR feed (an empty programCodes) cancels the same way; a row without programCodes keeps them.
    assertThat(upsert(row("FO-1", "active", true, new String[0]), row("FO-2", "active", true, (String[]) null)).status())
        .isEqualTo(200);
    settle();
    assertThat(count(ofV1 + " AND p.employee_number = 'FO-1' AND a.status = 'cancelled' AND a.close_reason = "
        + "'No longer required: program FO-PRG left'")).isEqualTo(1);
    assertThat(count(ofV1 + " AND p.employee_number = 'FO-2' AND a.status = 'open'")).isEqualTo(1);

    // A revision: the members of the day, no one else.
    JsonObject v2 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();
    assertThat(platform.queryString("SELECT string_agg(p.employee_number, ',' ORDER BY p.employee_number) FROM " + schema
        + ".training_assignment a JOIN " + schema + ".person p ON p.id = a.person_id WHERE a.version_id = '"
        + v2.getString("id") + "'")).isEqualTo("FO-2,FO-3,FO-4");
    // The v1 assignments still open (FO-2's, FO-3's, FO-4's second cycle) are superseded; FO-1's cancelled one is not.
    // The only chunk's audit event says both what it assigned and what it superseded.
    assertThat(count(ofV1 + " AND a.status = 'superseded' AND a.close_reason = 'Superseded by version 2.0'"))
        .isEqualTo(3);
    assertThat(count(ofV1 + " AND p.employee_number = 'FO-1' AND a.status = 'cancelled'")).isEqualTo(1);
    JsonObject audited = new JsonObject(platform.queryString("SELECT after_value::text FROM " + schema + ".audit_event "
        + "WHERE action = 'training.fan-out' AND entity_id = '" + v2.getString("id") + "'"));
    assertThat(audited.getLong("chunks")).isEqualTo(1);
    assertThat(audited.getLong("assigned")).isEqualTo(3);
    assertThat(audited.getLong("superseded")).as("open v1 assignments its only chunk superseded").isEqualTo(3);
  }

  @Test
  @DisplayName("a document required of a whole role and, by a second requirement, of the role's members in a program: one fan-out assigns the first to every holder and the second to the members only, audited with both counted")
  void roleWideAndProgramScoped() throws Exception {
    JsonObject own = created("/programs", new JsonObject().put("code", "MX-PRG").put("name", "Mixed line programme")
        .put("sponsorName", "Northstar Therapeutics"));
    assertThat(upsert(row("MX-IN", "active", true, "MX-PRG"), row("MX-OUT", "active", true)).status()).isEqualTo(200);
    settle();
    JsonObject document = programDocument("Mixed line clearance", "MX-PRG", own, null);
    Api.Response roleWide = api.post(tenant.path("/training-requirements"), admin, new JsonObject()
        .put("documentId", document.getString("id")).put("jobRoleId", operator.getString("id"))
        .put("method", "read-and-acknowledge").put("dueDays", 14).put("reason", "Every operator clears lines"));
    assertThat(roleWide.status()).as(roleWide.toString()).isEqualTo(201);
    JsonObject v1 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();

    String ofV1 = "a.version_id = '" + v1.getString("id") + "' AND p.employee_number LIKE 'MX-%'";
    String programScoped = document.getJsonObject("requirement").getString("id");
    assertThat(count(ofV1 + " AND a.requirement_id = '" + roleWide.json().getString("id") + "'")).isEqualTo(2);
    assertThat(platform.queryString("SELECT string_agg(p.employee_number, ',') FROM " + schema + ".training_assignment a "
        + "JOIN " + schema + ".person p ON p.id = a.person_id WHERE " + ofV1 + " AND a.requirement_id = '" + programScoped
        + "'")).isEqualTo("MX-IN");
    JsonObject audited = new JsonObject(platform.queryString("SELECT after_value::text FROM " + schema + ".audit_event "
        + "WHERE action = 'training.fan-out' AND entity_id = '" + v1.getString("id") + "'"));
    assertThat(audited.getLong("assigned")).as("both requirements' assignments, in one audit event").isEqualTo(
        count("a.version_id = '" + v1.getString("id") + "'"));
  }

  @Test
  @DisplayName("the point-of-use check says not-required for a role holder outside the program and not-current for a member who has not trained; a recertification timer assigns the next cycle only to someone still in the program")
  void qualificationAndRecertification() throws Exception {
    JsonObject own = created("/programs", new JsonObject().put("code", "QR-PRG").put("name", "Vector harvest programme")
        .put("sponsorName", "Aurelia Biosciences"));
    assertThat(upsert(row("QC-IN", "active", true, "QR-PRG"), row("QC-OUT", "active", true, "NST-201"),
        row("QC-GONE", "active", true, "QR-PRG")).status()).isEqualTo(200);
    settle();
    JsonObject document = programDocument("Aurelia vector harvest", "QR-PRG", own, 12);
    JsonObject v1 = flow.effective(document, author, approver, "major", "full-retraining");
    settle();
    String number = document.getString("number");
    JsonObject outside = api.get(tenant.path("/qualification-checks?person=QC-OUT&document=" + number), admin).json();
    assertThat(outside.getString("status")).as(outside.toString()).isEqualTo("not-required");
    assertThat(outside.getBoolean("allowed")).isFalse();
    JsonObject member = api.get(tenant.path("/qualification-checks?person=QC-IN&document=" + number), admin).json();
    assertThat(member.getString("status")).as(member.toString()).isEqualTo("not-current");
    // The document's qualification list names the members only.
    Api.Response list = api.get(tenant.path("/documents/" + document.getString("id") + "/qualifications"), admin);
    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    assertThat(list.json().getJsonArray("items").stream().map(i -> ((JsonObject) i).getJsonObject("person")
        .getString("employeeNumber")).toList()).containsExactlyInAnyOrder("QC-IN", "QC-GONE");
    // So does the auditor's question: a role holder outside the program is nobody the document concerns.
    Api.Response report = api.get(tenant.path("/reports/document-training?document=" + number), admin);
    assertThat(report.status()).as(report.toString()).isEqualTo(200);
    assertThat(report.json().getJsonArray("items").stream().map(i -> ((JsonObject) i).getJsonObject("person")
        .getString("employeeNumber")).toList()).containsExactlyInAnyOrder("QC-IN", "QC-GONE");

    // Both members complete (recorded after the fact); then QC-GONE leaves the program. When the timers fire, only
    // QC-IN, still a member, gets the next cycle.
    for (String who : List.of("QC-IN", "QC-GONE")) {
      String assignment = platform.queryString("SELECT a.id::text FROM " + schema + ".training_assignment a JOIN " + schema
          + ".person p ON p.id = a.person_id WHERE p.employee_number = '" + who + "' AND a.version_id = '"
          + v1.getString("id") + "'");
      Api.Response done = api.post(tenant.path("/training-assignments/" + assignment + "/completion"), admin,
          new JsonObject().put("trainedAt", Instant.now().minusSeconds(7200).toString())
              .put("reason", "Trained in the Aurelia kick-off session")
              .put("reauthentication", DocumentFlow.password(trainingAdmin)));
      assertThat(done.status()).as(done.toString()).isEqualTo(201);
    }
    assertThat(api.get(tenant.path("/qualification-checks?person=QC-IN&document=" + number), admin).json()
        .getString("status")).isEqualTo("qualified");
    assertThat(upsert(row("QC-GONE", "active", true, new String[0])).status()).isEqualTo(200);
    settle();
    assertThat(api.get(tenant.path("/qualification-checks?person=QC-GONE&document=" + number), admin).json()
        .getBoolean("allowed")).as("trained, but what counts is the training record: still qualified on it").isTrue();
    platform.queryLong("WITH due AS (UPDATE control.job SET run_at = now() WHERE tenant = '" + tenant.slug()
        + "' AND kind = 'training.recertification' RETURNING 1) SELECT count(*) FROM due");
    settle();
    assertThat(count("a.version_id = '" + v1.getString("id") + "' AND a.cycle = 2 AND a.cause = 'recertification'"))
        .isEqualTo(1);
    assertThat(count("a.version_id = '" + v1.getString("id") + "' AND a.cycle = 2 AND p.employee_number = 'QC-IN'"))
        .isEqualTo(1);
  }

  @Test
  @DisplayName("programs are tenant structure: a code taken is a 409, a change needs If-Match and a reason, a retired program takes no new members, documents or requirements; one active requirement per document, role, site and program")
  void structureRules() {
    JsonObject old = created("/programs", new JsonObject().put("code", "OLD-1").put("name", "Old programme")
        .put("sponsorName", "Former sponsor"));
    assertThat(old.getBoolean("active")).isTrue();
    Api.Response taken = api.post(tenant.path("/programs"), admin, new JsonObject().put("code", "OLD-1").put("name", "X")
        .put("sponsorName", "Y"));
    assertThat(taken.status()).isEqualTo(409);
    Api.Response byAuthor = api.post(tenant.path("/programs"), author.token(platform), new JsonObject().put("code", "AUT-1")
        .put("name", "X").put("sponsorName", "Y"));
    assertThat(byAuthor.status()).isEqualTo(403);
    String path = tenant.path("/programs/" + old.getString("id"));
    JsonObject retire = new JsonObject().put("active", false).put("sponsorName", "Former sponsor plc")
        .put("reason", "Sponsor contract ended");
    assertThat(api.send("PATCH", path, admin, retire.encode(), "application/json").status()).isEqualTo(428);
    Api.Response retired = api.send("PATCH", path, admin, retire.encode(), "application/json", Map.of("If-Match", "\"1\""));
    assertThat(retired.status()).as(retired.toString()).isEqualTo(200);
    assertThat(retired.json().getBoolean("active")).isFalse();
    assertThat(retired.json().getString("sponsorName")).isEqualTo("Former sponsor plc");
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".audit_event WHERE action = 'program.updated' "
        + "AND entity_id = '" + old.getString("id") + "' AND before_value->>'sponsorName' = 'Former sponsor' "
        + "AND after_value->>'sponsorName' = 'Former sponsor plc'")).isEqualTo(1);
    assertThat(api.get(tenant.path("/programs?active=true"), author.token(platform)).json().getJsonArray("items").stream()
        .map(p -> ((JsonObject) p).getString("code")).toList()).contains("NST-201").doesNotContain("OLD-1");

    assertThat(upsert(row("SR-1", "active", true)).status()).isEqualTo(200);
    Api.Response member = join(personId("SR-1"), old, "Onto a retired programme");
    assertThat(member.status()).isEqualTo(422);
    assertThat(member.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/programId");
    Api.Response document = api.post(tenant.path("/documents"), author.token(platform), new JsonObject()
        .put("title", "Unknown program").put("type", "sop").put("ownerId", author.id()).put("department", "FIL")
        .put("riskClass", "low").put("reviewIntervalMonths", 24).put("programCode", "NOPE-1"));
    assertThat(document.status()).isEqualTo(422);
    assertThat(document.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/programCode");
    assertThat(api.post(tenant.path("/documents"), author.token(platform), new JsonObject()
        .put("title", "Retired program").put("type", "sop").put("ownerId", author.id()).put("department", "FIL")
        .put("riskClass", "low").put("reviewIntervalMonths", 24).put("programCode", "OLD-1")).status()).isEqualTo(422);

    // A document moves into a program and out again with If-Match and a reason; the list filters by program code.
    JsonObject plain = flow.document(author, "sop", "FIL", "Shared gowning", "low");
    assertThat(plain.getValue("program")).isNull();
    Api.Response moved = api.send("PATCH", tenant.path("/documents/" + plain.getString("id")), author.token(platform),
        new JsonObject().put("programCode", "AUR-07").put("reason", "Aurelia-specific now").encode(), "application/json",
        Map.of("If-Match", "\"1\""));
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    assertThat(moved.json().getJsonObject("program").getString("sponsorName")).isEqualTo("Aurelia Biosciences");
    assertThat(api.get(tenant.path("/documents?program=AUR-07&q=Shared"), author.token(platform)).json()
        .getJsonArray("items")).hasSize(1);
    Api.Response out = api.send("PATCH", tenant.path("/documents/" + plain.getString("id")), author.token(platform),
        new JsonObject().putNull("programCode").put("reason", "Shared again").encode(), "application/json",
        Map.of("If-Match", "\"2\""));
    assertThat(out.status()).as(out.toString()).isEqualTo(200);
    assertThat(out.json().getValue("program")).isNull();
    assertThat(api.get(tenant.path("/documents?program=AUR-07&q=Shared"), author.token(platform)).json()
        .getJsonArray("items")).isEmpty();

    // Uniqueness includes the program scope: the same document and role may be required once per program.
    JsonObject requirement = new JsonObject().put("documentId", plain.getString("id")).put("jobRoleId", operator.getString("id"))
        .put("method", "classroom");
    assertThat(api.post(tenant.path("/training-requirements"), admin, requirement.copy()
        .put("programId", northstar.getString("id"))).status()).isEqualTo(201);
    assertThat(api.post(tenant.path("/training-requirements"), admin, requirement.copy()
        .put("programId", northstar.getString("id"))).status()).isEqualTo(409);
    assertThat(api.post(tenant.path("/training-requirements"), admin, requirement.copy()
        .put("programId", aurelia.getString("id"))).status()).isEqualTo(201);
    assertThat(api.post(tenant.path("/training-requirements"), admin, requirement.copy()).status()).isEqualTo(201);
    Api.Response retiredScope = api.post(tenant.path("/training-requirements"), admin, requirement.copy()
        .put("programId", old.getString("id")));
    assertThat(retiredScope.status()).isEqualTo(422);
    assertThat(retiredScope.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/programId");
    assertThat(api.get(tenant.path("/training-requirements?programId=" + aurelia.getString("id") + "&documentId="
        + plain.getString("id")), admin).json().getJsonArray("items")).hasSize(1);
  }

  @Test
  @DisplayName("the bulk upsert names programs by code: an unknown or retired code, or programs for a leaver, is a 422 pointing at the row's field and writes nothing")
  void bulkRefusals() {
    long people = platform.queryLong("SELECT count(*) FROM " + schema + ".person");
    long memberships = platform.queryLong("SELECT count(*) FROM " + schema + ".person_program");
    long events = platform.queryLong("SELECT count(*) FROM " + schema + ".person_event");
    Api.Response refused = upsert(row("BR-1", "active", true, "NST-201"), row("BR-2", "active", true, "AUR-07", "NOPE-9"),
        row("BR-3", "terminated", false, "NST-201"));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("pointer")).toList())
        .containsExactly("/people/1/programCodes/1", "/people/2/programCodes");
    assertThat(refused.json().getJsonArray("errors").getJsonObject(0).getString("message"))
        .isEqualTo("no program has code NOPE-9");
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".person")).isEqualTo(people);
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".person_program")).isEqualTo(memberships);
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".person_event")).isEqualTo(events);

    Api.Response written = upsert(row("BR-1", "active", true, "NST-201", "AUR-07"));
    assertThat(written.status()).as(written.toString()).isEqualTo(200);
    String br1 = personId("BR-1");
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".person_event WHERE person_id = '" + br1
        + "' AND kind = 'program-joined'")).isEqualTo(2);
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".audit_event WHERE action = 'person.created' "
        + "AND entity_id = '" + br1 + "' AND jsonb_array_length(after_value->'programs') = 2")).isEqualTo(1);
    // The same rows again change nothing.
    JsonObject again = upsert(row("BR-1", "active", true, "AUR-07", "NST-201")).json();
    assertThat(again.getLong("unchanged")).isEqualTo(1);
  }

  @Test
  @DisplayName("another tenant's token neither reads nor changes this tenant's programs or memberships")
  void tenantWall() throws Exception {
    TenantFixture other = platform.newTenant("programswall");
    String otherAdmin = other.adminToken();
    assertThat(upsert(row("TW-1", "active", true, "NST-201")).status()).isEqualTo(200);
    settle(); // the hire's reconciliation audits itself: counted before the attempts, not during them
    String tw1 = personId("TW-1");
    String membership = platform.queryString("SELECT id::text FROM " + schema + ".person_program WHERE person_id = '"
        + tw1 + "'");
    long audit = platform.queryLong("SELECT count(*) FROM " + schema + ".audit_event");
    String program = tenant.path("/programs/" + northstar.getString("id"));
    List<Api.Response> attempts = List.of(
        api.get(tenant.path("/programs"), otherAdmin),
        api.get(program, otherAdmin),
        api.send("PATCH", program, otherAdmin, new JsonObject().put("active", false).put("reason", "x").encode(),
            "application/json", Map.of("If-Match", "\"1\"")),
        api.post(tenant.path("/programs"), otherAdmin, new JsonObject().put("code", "EVIL").put("name", "x")
            .put("sponsorName", "x")),
        api.get(tenant.path("/people/" + tw1 + "/programs"), otherAdmin),
        api.post(tenant.path("/people/" + tw1 + "/programs"), otherAdmin, new JsonObject()
            .put("programId", aurelia.getString("id")).put("reason", "x")),
        api.post(tenant.path("/people/" + tw1 + "/programs/" + membership + "/ending"), otherAdmin,
            new JsonObject().put("reason", "x")));
    for (Api.Response attempt : attempts) {
      assertThat(attempt.status()).as(attempt.toString()).isEqualTo(404);
      assertThat(attempt.isProblem()).isTrue();
    }
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".audit_event")).isEqualTo(audit);
    assertThat(platform.queryLong("SELECT count(*) FROM " + schema + ".person_program WHERE person_id = '" + tw1
        + "' AND valid_to IS NULL")).isEqualTo(1);
    assertThat(api.get(program, admin).json().getBoolean("active")).isTrue();
    // And the other tenant's own program list is its own.
    assertThat(api.get(other.path("/programs"), otherAdmin).json().getJsonArray("items")).isEmpty();
  }
}
