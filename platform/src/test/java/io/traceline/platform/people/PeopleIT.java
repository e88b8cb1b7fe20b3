package io.traceline.platform.people;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.traceline.platform.testing.Api;
import io.traceline.platform.testing.TestPlatform;
import io.traceline.platform.testing.TestPlatform.Person;
import io.traceline.platform.testing.TestPlatform.TenantFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("People: sites, departments, job roles and people with status, manager and role holdings over time; single and bulk writes, audited, with outbox events (PPL-1 to PPL-3)")
class PeopleIT {

  private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

  private static TestPlatform platform;
  private static Api api;
  private static TenantFixture tenant;
  private static String schema;
  private static String trainingAdmin;
  private static String qualityManager;
  private static String auditor;
  private static String employee;
  private static JsonObject boston;
  private static JsonObject cork;
  private static JsonObject bostonQa;
  private static JsonObject bostonFill;
  private static JsonObject corkFill;
  private static JsonObject asepticOperator;
  private static JsonObject qaSpecialist;

  @BeforeAll
  static void organisation() {
    platform = TestPlatform.get();
    api = platform.api();
    tenant = platform.newTenant("people");
    schema = "t_" + tenant.slug();
    trainingAdmin = member("Priya", "Raman", "training-admin");
    qualityManager = member("Siobhan", "Murphy", "quality-manager");
    auditor = member("Helen", "Brooks", "auditor");
    employee = member("Jonas", "Weber", "employee");
    boston = created("/sites", trainingAdmin, new JsonObject().put("code", "BOS").put("name", "Boston Biologics Campus")
        .put("country", "US").put("timezone", "America/New_York"));
    cork = created("/sites", qualityManager, new JsonObject().put("code", "CRK").put("name", "Cork Fill-Finish Plant")
        .put("country", "IE").put("timezone", "Europe/Dublin").put("reason", "New plant opens"));
    bostonQa = department(boston, "QA", "Quality Assurance");
    bostonFill = department(boston, "FIL", "Aseptic Fill and Finish");
    department(boston, "MFG", "Drug Substance Manufacturing");
    corkFill = department(cork, "FIL", "Aseptic Fill and Finish");
    department(cork, "QC", "Quality Control Laboratory");
    asepticOperator = jobRole("ASEPTIC-OP", "Aseptic Operator");
    qaSpecialist = jobRole("QA-SPEC", "QA Specialist");
    jobRole("QC-MICRO", "QC Microbiologist");
    jobRole("PROD-SUP", "Production Supervisor");
  }

  private static String member(String given, String family, String role) {
    Person person = platform.newMember(given, family, tenant);
    platform.grantRole(tenant, person.id(), role);
    return person.token(platform);
  }

  private static JsonObject department(JsonObject site, String code, String name) {
    return created("/departments", trainingAdmin, new JsonObject().put("siteId", site.getString("id")).put("code", code)
        .put("name", name));
  }

  private static JsonObject jobRole(String code, String name) {
    return created("/job-roles", trainingAdmin, new JsonObject().put("code", code).put("name", name));
  }

  private static JsonObject created(String collection, String token, JsonObject body) {
    Api.Response response = api.post(tenant.path(collection), token, body);
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    assertThat(response.location()).isEqualTo(tenant.path(collection + "/" + response.json().getString("id")));
    assertThat(response.header("ETag")).isEqualTo("\"1\"");
    return response.json();
  }

  private static Api.Response patch(String path, String token, JsonObject body, String ifMatch) {
    return api.send("PATCH", tenant.path(path), token, body.encode(), "application/json",
        ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
  }

  private static JsonObject hire(String number, JsonObject site, JsonObject department, String managerId) {
    Api.Response response = api.post(tenant.path("/people"), trainingAdmin, new JsonObject().put("employeeNumber", number)
        .put("givenName", "Niamh").put("familyName", "Walsh " + number).put("email", number.toLowerCase() + "@example.com")
        .put("siteId", site.getString("id")).put("departmentId", department.getString("id")).put("managerId", managerId)
        .put("hiredOn", "2024-09-02").put("reason", "Hired for the new fill line"));
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json();
  }

  private static Api.Response moveStatus(JsonObject person, String action, String effectiveOn, String reason) {
    JsonObject body = new JsonObject().put("action", action).put("reason", reason);
    if (effectiveOn != null) {
      body.put("effectiveOn", effectiveOn);
    }
    return api.post(tenant.path("/people/" + person.getString("id") + "/status-changes"), trainingAdmin, body);
  }

  private static Api.Response assign(JsonObject person, JsonObject jobRole, String validFrom, String reason) {
    JsonObject body = new JsonObject().put("jobRoleId", jobRole.getString("id"));
    if (reason != null) {
      body.put("reason", reason);
    }
    if (validFrom != null) {
      body.put("validFrom", validFrom);
    }
    return api.post(tenant.path("/people/" + person.getString("id") + "/job-roles"), trainingAdmin, body);
  }

  private static long count(String sql) {
    return platform.queryLong(sql.replace("${schema}", schema));
  }

  private static long events(JsonObject person, String kind) {
    return count("SELECT count(*) FROM ${schema}.person_event WHERE person_id = '" + person.getString("id")
        + "' AND kind = '" + kind + "' AND consumed_at IS NULL");
  }

  private static List<String> items(Api.Response response, String field) {
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    List<String> values = new ArrayList<>();
    response.json().getJsonArray("items").forEach(item -> values.add(String.valueOf(((JsonObject) item).getValue(field))));
    return values;
  }

  @Test
  @DisplayName("sites, departments and job roles: unique codes (409), a department only at a known, active site (422), cursor pages in code order with filters")
  void structure() {
    assertThat(api.post(tenant.path("/sites"), trainingAdmin, new JsonObject().put("code", "BOS").put("name", "Again")
        .put("country", "US").put("timezone", "UTC")).status()).isEqualTo(409);
    Api.Response badZone = api.post(tenant.path("/sites"), trainingAdmin, new JsonObject().put("code", "ZZZ")
        .put("name", "Nowhere").put("country", "US").put("timezone", "Mars/Olympus"));
    assertThat(badZone.status()).isEqualTo(422);
    assertThat(badZone.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/timezone");
    assertThat(api.post(tenant.path("/departments"), trainingAdmin, new JsonObject().put("siteId", cork.getString("id"))
        .put("code", "FIL").put("name", "Again")).status()).isEqualTo(409);
    Api.Response unknownSite = api.post(tenant.path("/departments"), trainingAdmin, new JsonObject()
        .put("siteId", UUID.randomUUID().toString()).put("code", "QA").put("name", "Orphan"));
    assertThat(unknownSite.status()).isEqualTo(422);
    assertThat(unknownSite.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/siteId");
    assertThat(api.post(tenant.path("/job-roles"), trainingAdmin, new JsonObject().put("code", "aseptic op")
        .put("name", "Lower case")).status()).isEqualTo(400);

    // The same code at two sites is two departments; the list shows them in code order, a page at a time.
    assertThat(items(api.get(tenant.path("/departments?q=fil"), employee), "code")).containsExactly("FIL", "FIL");
    Api.Response page1 = api.get(tenant.path("/departments?limit=2"), employee);
    assertThat(items(page1, "code")).containsExactly("FIL", "FIL");
    Api.Response page2 = api.get(tenant.path("/departments?limit=2&after=" + page1.json().getString("next")), employee);
    assertThat(items(page2, "code")).containsExactly("MFG", "QA");
    Api.Response page3 = api.get(tenant.path("/departments?limit=2&after=" + page2.json().getString("next")), employee);
    assertThat(items(page3, "code")).containsExactly("QC");
    assertThat(page3.json().getString("next")).isNull();
    assertThat(items(api.get(tenant.path("/departments?siteId=" + cork.getString("id")), employee), "code"))
        .containsExactly("FIL", "QC");
    JsonObject department = api.get(tenant.path("/departments/" + corkFill.getString("id")), employee).json();
    assertThat(department.getJsonObject("site").getString("code")).isEqualTo("CRK");
    assertThat(items(api.get(tenant.path("/sites?active=true"), auditor), "code")).containsExactly("BOS", "CRK");
    assertThat(items(api.get(tenant.path("/job-roles?q=QA"), employee), "code")).containsExactly("QA-SPEC");
    assertThat(api.get(tenant.path("/job-roles/" + UUID.randomUUID()), employee).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a change to a site, department or job role needs If-Match (428) that is current (412) and a reason (422); deactivation is audited and refuses new use")
  void structureChanges() {
    JsonObject site = created("/sites", trainingAdmin, new JsonObject().put("code", "SGP").put("name", "Singapore")
        .put("country", "SG").put("timezone", "Asia/Singapore"));
    String path = "/sites/" + site.getString("id");
    JsonObject rename = new JsonObject().put("name", "Singapore Process Development Center").put("reason", "Official name");
    assertThat(patch(path, trainingAdmin, rename, null).status()).isEqualTo(428);
    assertThat(patch(path, trainingAdmin, rename, "\"9\"").status()).isEqualTo(412);
    Api.Response noReason = patch(path, trainingAdmin, new JsonObject().put("name", "X"), "\"1\"");
    assertThat(noReason.status()).isEqualTo(422);
    assertThat(noReason.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/reason");
    assertThat(patch(path, employee, rename, "\"1\"").status()).isEqualTo(403);
    Api.Response renamed = patch(path, qualityManager, rename, "\"1\"");
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    assertThat(renamed.header("ETag")).isEqualTo("\"2\"");
    assertThat(renamed.json().getString("name")).isEqualTo("Singapore Process Development Center");
    assertThat(renamed.json().getString("code")).isEqualTo("SGP");

    Api.Response deactivated = patch(path, trainingAdmin, new JsonObject().put("active", false)
        .put("reason", "Site closed after the divestment"), "\"2\"");
    assertThat(deactivated.status()).isEqualTo(200);
    assertThat(deactivated.json().getBoolean("active")).isFalse();
    assertThat(count("SELECT count(*) FROM ${schema}.audit_event WHERE action = 'site.updated' AND entity_id = '"
        + site.getString("id") + "' AND reason = 'Site closed after the divestment' AND before_value->>'active' = 'true' "
        + "AND after_value->>'active' = 'false' AND entity_version = 3")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM ${schema}.audit_event WHERE action = 'site.created' AND entity_id = '"
        + cork.getString("id") + "' AND reason = 'New plant opens'")).isEqualTo(1);
    assertThat(items(api.get(tenant.path("/sites?active=false"), employee), "code")).containsExactly("SGP");
    Api.Response onClosedSite = api.post(tenant.path("/departments"), trainingAdmin, new JsonObject()
        .put("siteId", site.getString("id")).put("code", "QA").put("name", "Quality"));
    assertThat(onClosedSite.status()).isEqualTo(422);

    JsonObject role = jobRole("EM-TECH", "Environmental Monitoring Technician");
    Api.Response retired = patch("/job-roles/" + role.getString("id"), trainingAdmin, new JsonObject().put("active", false)
        .put("description", "Merged into QC-MICRO").put("reason", "Role merged"), "\"1\"");
    assertThat(retired.status()).isEqualTo(200);
    assertThat(retired.json().getString("description")).isEqualTo("Merged into QC-MICRO");
    JsonObject person = hire("EM-1", boston, bostonQa, null);
    Api.Response toRetired = assign(person, role, null, "Covers monitoring");
    assertThat(toRetired.status()).isEqualTo(422);
    assertThat(toRetired.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/jobRoleId");
  }

  @Test
  @DisplayName("a hire is created active with a hired event and an audit event; its details change with If-Match and a reason; references are checked")
  void createAndUpdate() {
    JsonObject lead = hire("CU-001", boston, bostonFill, null);
    assertThat(lead.getString("status")).isEqualTo("active");
    assertThat(lead.getString("statusSince")).isEqualTo("2024-09-02");
    assertThat(lead.getJsonObject("site").getString("code")).isEqualTo("BOS");
    assertThat(lead.getJsonObject("department").getString("code")).isEqualTo("FIL");
    assertThat(lead.getJsonArray("jobRoles")).isEmpty();
    assertThat(events(lead, "hired")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM ${schema}.person_event WHERE person_id = '" + lead.getString("id")
        + "' AND effective_on = '2024-09-02' AND reason = 'Hired for the new fill line'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM ${schema}.audit_event WHERE action = 'person.created' AND entity_type = 'person' "
        + "AND entity_id = '" + lead.getString("id") + "' AND after_value->>'employeeNumber' = 'CU-001'")).isEqualTo(1);
    JsonObject report = hire("CU-002", boston, bostonFill, lead.getString("id"));
    assertThat(report.getJsonObject("manager").getString("employeeNumber")).isEqualTo("CU-001");

    Api.Response again = api.post(tenant.path("/people"), trainingAdmin, new JsonObject().put("employeeNumber", "CU-001")
        .put("givenName", "A").put("familyName", "B").put("siteId", boston.getString("id"))
        .put("departmentId", bostonQa.getString("id")).put("hiredOn", "2025-01-01"));
    assertThat(again.status()).isEqualTo(409);
    Api.Response wrongSite = api.post(tenant.path("/people"), trainingAdmin, new JsonObject().put("employeeNumber", "CU-003")
        .put("givenName", "A").put("familyName", "B").put("siteId", boston.getString("id"))
        .put("departmentId", corkFill.getString("id")).put("hiredOn", "2025-01-01"));
    assertThat(wrongSite.status()).isEqualTo(422);
    assertThat(wrongSite.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/departmentId");
    Api.Response unknownManager = api.post(tenant.path("/people"), trainingAdmin, new JsonObject()
        .put("employeeNumber", "CU-004").put("givenName", "A").put("familyName", "B").put("siteId", boston.getString("id"))
        .put("departmentId", bostonQa.getString("id")).put("managerId", UUID.randomUUID().toString())
        .put("hiredOn", "2025-01-01"));
    assertThat(unknownManager.status()).isEqualTo(422);
    assertThat(count("SELECT count(*) FROM ${schema}.person WHERE employee_number IN ('CU-003', 'CU-004')")).isZero();

    String path = "/people/" + lead.getString("id");
    JsonObject transfer = new JsonObject().put("siteId", cork.getString("id")).put("departmentId", corkFill.getString("id"))
        .put("contractor", true).put("userId", "kc-subject-cu-001").put("reason", "Transferred to Cork");
    assertThat(patch(path, trainingAdmin, transfer, null).status()).isEqualTo(428);
    assertThat(patch(path, trainingAdmin, transfer, "\"5\"").status()).isEqualTo(412);
    assertThat(patch(path, trainingAdmin, transfer.copy().put("reason", " "), "\"1\"").status()).isEqualTo(422);
    assertThat(patch(path, qualityManager, transfer, "\"1\"").status()).isEqualTo(403);
    Api.Response moved = patch(path, trainingAdmin, transfer, "\"1\"");
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    assertThat(moved.header("ETag")).isEqualTo("\"2\"");
    assertThat(moved.json().getJsonObject("site").getString("code")).isEqualTo("CRK");
    assertThat(moved.json().getBoolean("contractor")).isTrue();
    assertThat(moved.json().getString("userId")).isEqualTo("kc-subject-cu-001");
    assertThat(moved.json().getString("givenName")).isEqualTo("Niamh");
    assertThat(count("SELECT count(*) FROM ${schema}.audit_event WHERE action = 'person.updated' AND entity_id = '"
        + lead.getString("id") + "' AND reason = 'Transferred to Cork' AND before_value->'site'->>'code' = 'BOS' "
        + "AND after_value->'site'->>'code' = 'CRK' AND entity_version = 2")).isEqualTo(1);

    // The lead manages the report: the report cannot become the lead's manager, nor the lead their own.
    Api.Response cycle = patch(path, trainingAdmin, new JsonObject().put("managerId", report.getString("id"))
        .put("reason", "Swap"), "\"2\"");
    assertThat(cycle.status()).isEqualTo(422);
    assertThat(cycle.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/managerId");
    assertThat(patch(path, trainingAdmin, new JsonObject().put("managerId", lead.getString("id")).put("reason", "Self"),
        "\"2\"").status()).isEqualTo(422);
    Api.Response takenLogin = patch("/people/" + report.getString("id"), trainingAdmin, new JsonObject()
        .put("userId", "kc-subject-cu-001").put("reason", "Link login"), "\"1\"");
    assertThat(takenLogin.status()).isEqualTo(409);
    Api.Response unlinked = patch(path, trainingAdmin, new JsonObject().put("userId", null).put("reason", "Login closed"),
        "\"2\"");
    assertThat(unlinked.json().getString("userId")).isNull();
  }

  @Test
  @DisplayName("the people list filters by status, site, department, job role, manager, contractor and text, in employee-number order with cursor pages")
  void listAndFilters() {
    JsonObject manager = hire("LF-000", cork, corkFill, null);
    List<JsonObject> team = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      team.add(hire("LF-00" + i, cork, corkFill, manager.getString("id")));
    }
    assertThat(assign(team.get(0), asepticOperator, null, "Fill line crew").status()).isEqualTo(201);
    assertThat(assign(team.get(1), asepticOperator, "2025-01-06", "Fill line crew").status()).isEqualTo(201);
    assertThat(moveStatus(team.get(2), "leave", null, "Parental leave").status()).isEqualTo(200);
    String base = "/people?q=LF-&limit=4";
    Api.Response page1 = api.get(tenant.path(base), auditor);
    assertThat(items(page1, "employeeNumber")).containsExactly("LF-000", "LF-001", "LF-002", "LF-003");
    assertThat(page1.json().getString("next")).isEqualTo("LF-003");
    Api.Response page2 = api.get(tenant.path(base + "&after=LF-003"), auditor);
    assertThat(items(page2, "employeeNumber")).containsExactly("LF-004", "LF-005");
    assertThat(page2.json().getString("next")).isNull();
    assertThat(items(api.get(tenant.path("/people?managerId=" + manager.getString("id")), auditor), "employeeNumber"))
        .hasSize(5);
    assertThat(items(api.get(tenant.path("/people?q=lf-&jobRoleId=" + asepticOperator.getString("id")), auditor),
        "employeeNumber")).containsExactly("LF-001", "LF-002");
    assertThat(items(api.get(tenant.path("/people?q=LF&status=on_leave"), auditor), "employeeNumber"))
        .containsExactly("LF-003");
    assertThat(items(api.get(tenant.path("/people?q=LF&siteId=" + cork.getString("id") + "&departmentId="
        + corkFill.getString("id") + "&contractor=false"), auditor), "employeeNumber")).hasSize(6);
    assertThat(items(api.get(tenant.path("/people?q=LF&siteId=" + boston.getString("id")), auditor), "employeeNumber"))
        .isEmpty();
    assertThat(items(api.get(tenant.path("/people?q=walsh%20lf-004"), auditor), "employeeNumber"))
        .containsExactly("LF-004");
    JsonObject withRole = api.get(tenant.path("/people/" + team.get(0).getString("id")), auditor).json();
    assertThat(withRole.getJsonArray("jobRoles").getJsonObject(0).getString("code")).isEqualTo("ASEPTIC-OP");
    assertThat(api.get(tenant.path("/people?status=retired"), auditor).status()).isEqualTo(400);
    assertThat(api.get(tenant.path("/people?siteId=BOS"), auditor).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("leave, return and termination move the status with an effective date and a reason, write their events, and termination ends the job roles")
  void statusChanges() {
    JsonObject person = hire("SC-001", boston, bostonQa, null);
    assertThat(assign(person, qaSpecialist, "2024-09-02", "QA batch release").status()).isEqualTo(201);
    assertThat(moveStatus(person, "return", null, "Not on leave").status()).isEqualTo(409);
    assertThat(moveStatus(person, "leave", TODAY.plusDays(3).toString(), "Planned").status()).isEqualTo(422);
    assertThat(moveStatus(person, "leave", "2024-01-01", "Before the hire").status()).isEqualTo(422);
    assertThat(moveStatus(person, "leave", null, "").status()).isEqualTo(422);

    Api.Response onLeave = moveStatus(person, "leave", TODAY.minusDays(10).toString(), "Parental leave");
    assertThat(onLeave.status()).as(onLeave.toString()).isEqualTo(200);
    assertThat(onLeave.json().getString("status")).isEqualTo("on_leave");
    assertThat(onLeave.json().getString("statusSince")).isEqualTo(TODAY.minusDays(10).toString());
    assertThat(onLeave.header("ETag")).isEqualTo("\"2\"");
    assertThat(events(person, "leave-started")).isEqualTo(1);
    assertThat(moveStatus(person, "leave", null, "Again").status()).isEqualTo(409);
    assertThat(moveStatus(person, "return", TODAY.minusDays(11).toString(), "Before the leave").status()).isEqualTo(422);
    Api.Response back = moveStatus(person, "return", null, "Back from parental leave");
    assertThat(back.json().getString("status")).isEqualTo("active");
    assertThat(events(person, "returned")).isEqualTo(1);

    Api.Response terminated = moveStatus(person, "terminate", null, "Resigned");
    assertThat(terminated.status()).isEqualTo(200);
    assertThat(terminated.json().getString("status")).isEqualTo("terminated");
    assertThat(terminated.json().getJsonArray("jobRoles")).isEmpty();
    assertThat(events(person, "terminated")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM ${schema}.person_event WHERE person_id = '" + person.getString("id")
        + "' AND kind = 'role-lost' AND job_role_id = '" + qaSpecialist.getString("id") + "' AND effective_on = '"
        + TODAY + "' AND reason = 'Resigned'")).isEqualTo(1);
    JsonArray history = api.get(tenant.path("/people/" + person.getString("id") + "/job-roles"), auditor).json()
        .getJsonArray("items");
    assertThat(history).hasSize(1);
    assertThat(history.getJsonObject(0).getString("validTo")).isEqualTo(TODAY.toString());
    assertThat(history.getJsonObject(0).getString("endReason")).isEqualTo("Resigned");
    for (String action : List.of("leave", "return", "terminate")) {
      assertThat(moveStatus(person, action, null, "After the end").status()).as(action).isEqualTo(409);
    }
    assertThat(assign(person, asepticOperator, null, "Rehire?").status()).isEqualTo(409);
    assertThat(count("SELECT count(*) FROM ${schema}.audit_event WHERE entity_type = 'person' AND entity_id = '"
        + person.getString("id") + "' AND action IN ('person.leave-started', 'person.returned', 'person.terminated') "
        + "AND reason IS NOT NULL")).isEqualTo(3);
  }

  @Test
  @DisplayName("job roles are held over time: assigned from a date, ended at a date with reasons, listed as history; one open holding per role")
  void roleHoldings() {
    JsonObject person = hire("RH-001", cork, corkFill, null);
    Api.Response first = assign(person, asepticOperator, "2024-10-01", "Qualified on the fill line");
    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    JsonObject holding = first.json();
    assertThat(first.location()).isEqualTo(tenant.path("/people/" + person.getString("id") + "/job-roles/"
        + holding.getString("id")));
    assertThat(holding.getString("validFrom")).isEqualTo("2024-10-01");
    assertThat(holding.getString("validTo")).isNull();
    assertThat(holding.getBoolean("ended")).isFalse();
    assertThat(assign(person, asepticOperator, null, "Twice").status()).isEqualTo(409);
    assertThat(assign(person, qaSpecialist, "2020-01-01", "Before the hire").status()).isEqualTo(422);
    assertThat(assign(person, qaSpecialist, null, null).status()).isEqualTo(422);
    assertThat(events(person, "role-gained")).isEqualTo(1);

    String ending = "/people/" + person.getString("id") + "/job-roles/" + holding.getString("id") + "/ending";
    assertThat(api.post(tenant.path(ending), trainingAdmin, new JsonObject().put("validTo", "2024-09-30")
        .put("reason", "Before it began")).status()).isEqualTo(422);
    Api.Response ended = api.post(tenant.path(ending), trainingAdmin, new JsonObject().put("validTo", "2025-06-30")
        .put("reason", "Moved to the QA team"));
    assertThat(ended.status()).as(ended.toString()).isEqualTo(200);
    assertThat(ended.json().getString("validTo")).isEqualTo("2025-06-30");
    assertThat(ended.json().getBoolean("ended")).isTrue();
    assertThat(ended.json().getString("endReason")).isEqualTo("Moved to the QA team");
    assertThat(api.post(tenant.path(ending), trainingAdmin, new JsonObject().put("reason", "Again")).status())
        .isEqualTo(409);
    assertThat(count("SELECT count(*) FROM ${schema}.person_event WHERE person_id = '" + person.getString("id")
        + "' AND kind = 'role-lost' AND effective_on = '2025-06-30'")).isEqualTo(1);

    // The role again, later: a second holding; the history keeps both.
    assertThat(assign(person, asepticOperator, "2025-09-01", "Back on the line").status()).isEqualTo(201);
    JsonArray history = api.get(tenant.path("/people/" + person.getString("id") + "/job-roles"), trainingAdmin).json()
        .getJsonArray("items");
    assertThat(history.stream().map(item -> ((JsonObject) item).getString("validFrom")).toList())
        .containsExactly("2024-10-01", "2025-09-01");
    assertThat(history.getJsonObject(1).getString("startReason")).isEqualTo("Back on the line");
    assertThat(count("SELECT count(*) FROM ${schema}.audit_event WHERE entity_type = 'person' AND entity_id = '"
        + person.getString("id") + "' AND action IN ('person.job-role-assigned', 'person.job-role-ended')")).isEqualTo(3);
    assertThat(api.post(tenant.path("/people/" + person.getString("id") + "/job-roles/" + UUID.randomUUID() + "/ending"),
        trainingAdmin, new JsonObject().put("reason", "Unknown")).status()).isEqualTo(404);
    assertThat(api.get(tenant.path("/people/" + UUID.randomUUID() + "/job-roles"), trainingAdmin).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a bulk upsert of 5,000 people in one request creates them with managers and job roles; repeated, it changes nothing; changed rows update")
  void bulkOfFiveThousand() {
    long auditBefore = count("SELECT count(*) FROM ${schema}.audit_event");
    JsonArray rows = new JsonArray();
    long holdings = 0;
    for (int i = 0; i < 5000; i++) {
      rows.add(row(i));
      holdings += rows.getJsonObject(i).getJsonArray("jobRoleCodes", new JsonArray()).size();
    }
    // Larger than the body limit of other requests (1 MiB): the bulk upsert has its own.
    assertThat(new JsonObject().put("people", rows).encode().length()).isGreaterThan(1_048_576);
    Api.Response created = bulk(rows, "Initial load from the HR system");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    assertThat(created.json().getInteger("rows")).isEqualTo(5000);
    assertThat(created.json().getInteger("created")).isEqualTo(5000);
    assertThat(created.json().getInteger("updated")).isZero();
    assertThat(count("SELECT count(*) FROM ${schema}.person WHERE employee_number LIKE 'HR-%'")).isEqualTo(5000);
    assertThat(count("SELECT count(*) FROM ${schema}.person p JOIN ${schema}.person m ON m.id = p.manager_id "
        + "WHERE p.employee_number LIKE 'HR-%'")).isEqualTo(4999);
    assertThat(count("SELECT count(*) FROM ${schema}.person_job_role h JOIN ${schema}.person p ON p.id = h.person_id "
        + "WHERE p.employee_number LIKE 'HR-%' AND h.valid_to IS NULL")).isEqualTo(holdings);
    assertThat(count("SELECT count(*) FROM ${schema}.person_event e JOIN ${schema}.person p ON p.id = e.person_id "
        + "WHERE p.employee_number LIKE 'HR-%' AND e.kind = 'hired'")).isEqualTo(5000 - 5000 / 50);
    assertThat(count("SELECT count(*) FROM ${schema}.audit_event WHERE action = 'person.created'")).isGreaterThanOrEqualTo(5000);
    assertThat(count("SELECT count(*) FROM ${schema}.audit_event")).isEqualTo(auditBefore + 5001);
    JsonObject sample = api.get(tenant.path("/people?q=HR-00123"), auditor).json().getJsonArray("items").getJsonObject(0);
    assertThat(sample.getJsonObject("manager").getString("employeeNumber")).isEqualTo("HR-00012");
    assertThat(sample.getJsonObject("department").getString("code")).isEqualTo("FIL");

    Api.Response repeated = bulk(rows, "Nightly sync");
    assertThat(repeated.status()).as(repeated.toString()).isEqualTo(200);
    assertThat(repeated.json().getInteger("unchanged")).isEqualTo(5000);
    // + the auditor's read of the sample (every read of an auditor is recorded) + the unchanged sync's event.
    assertThat(count("SELECT count(*) FROM ${schema}.audit_event")).isEqualTo(auditBefore + 5003);

    rows.getJsonObject(10).put("familyName", "Married-Name");
    rows.getJsonObject(20).put("status", "on_leave");
    rows.getJsonObject(30).put("jobRoleCodes", new JsonArray().add("QA-SPEC"));
    rows.getJsonObject(40).put("status", "terminated").remove("jobRoleCodes");
    Api.Response changed = bulk(rows, "Nightly sync");
    assertThat(changed.json().getInteger("updated")).as(changed.toString()).isEqualTo(4);
    assertThat(changed.json().getInteger("unchanged")).isEqualTo(4996);
    assertThat(eventsOf("HR-00020", "leave-started")).isEqualTo(1);
    assertThat(eventsOf("HR-00030", "role-gained")).isEqualTo(2);
    assertThat(eventsOf("HR-00030", "role-lost")).isEqualTo(1);
    assertThat(eventsOf("HR-00040", "terminated")).isEqualTo(1);
    assertThat(eventsOf("HR-00040", "role-lost")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM ${schema}.person WHERE employee_number = 'HR-00010' AND revision = 2 "
        + "AND family_name = 'Married-Name'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM ${schema}.audit_event WHERE action = 'person.updated' AND reason = 'Nightly sync' "
        + "AND after_value->>'employeeNumber' = 'HR-00030' AND before_value->'jobRoles'->0->>'code' = 'ASEPTIC-OP' "
        + "AND after_value->'jobRoles'->0->>'code' = 'QA-SPEC'")).isEqualTo(1);
  }

  /** Row {@code i} of a synthetic HR feed: ten reports per manager, every seventh person a second role, every fiftieth a leaver. */
  private static JsonObject row(int i) {
    JsonObject row = new JsonObject().put("employeeNumber", String.format("HR-%05d", i)).put("givenName", "Person")
        .put("familyName", "Number " + i).put("email", "p" + i + "@hr.example").put("status", i % 50 == 49 ? "terminated"
            : "active").put("siteCode", i % 2 == 0 ? "BOS" : "CRK").put("departmentCode", "FIL")
        .put("contractor", i % 13 == 0).put("hiredOn", "2023-03-01")
        .put("managerEmployeeNumber", i == 0 ? null : String.format("HR-%05d", (i - 1) / 10));
    if (i % 50 != 49) {
      JsonArray roles = new JsonArray().add("ASEPTIC-OP");
      if (i % 7 == 0) {
        roles.add("PROD-SUP");
      }
      row.put("jobRoleCodes", roles);
    }
    return row;
  }

  private static long eventsOf(String employeeNumber, String kind) {
    return count("SELECT count(*) FROM ${schema}.person_event e JOIN ${schema}.person p ON p.id = e.person_id "
        + "WHERE p.employee_number = '" + employeeNumber + "' AND e.kind = '" + kind + "'");
  }

  private static Api.Response bulk(JsonArray rows, String reason) {
    return api.post(tenant.path("/people/bulk"), trainingAdmin, new JsonObject().put("people", rows).put("reason", reason));
  }

  @Test
  @DisplayName("a bulk with three bad rows answers 422 with all three row errors and writes nothing")
  void bulkWithBadRows() {
    String state = "SELECT (SELECT count(*) FROM ${schema}.person) * 1000000 + (SELECT count(*) FROM ${schema}.person_event) "
        + "* 1000 + (SELECT seq FROM ${schema}.audit_chain_head)";
    long before = count(state);
    JsonArray rows = new JsonArray();
    for (int i = 0; i < 40; i++) {
      rows.add(new JsonObject().put("employeeNumber", "BR-" + i).put("givenName", "Good").put("familyName", "Row " + i)
          .put("status", "active").put("siteCode", "CRK").put("departmentCode", "FIL").put("hiredOn", "2024-01-15")
          .put("jobRoleCodes", new JsonArray().add("ASEPTIC-OP")));
    }
    rows.getJsonObject(7).put("siteCode", "XXX");
    rows.getJsonObject(17).put("status", "retired");
    rows.getJsonObject(31).put("jobRoleCodes", new JsonArray().add("ASEPTIC-OP").add("NO-SUCH-ROLE"));
    Api.Response refused = bulk(rows, "Load with mistakes");
    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.isProblem()).isTrue();
    JsonArray errors = refused.json().getJsonArray("errors");
    assertThat(errors.stream().map(error -> ((JsonObject) error).getString("pointer")).toList())
        .containsExactly("/people/7/siteCode", "/people/17/status", "/people/31/jobRoleCodes/1");
    assertThat(errors.getJsonObject(0).getString("message")).contains("XXX");
    assertThat(refused.json().getString("detail")).contains("3 rows").contains("nothing was written");
    assertThat(count(state)).isEqualTo(before);
  }

  @Test
  @DisplayName("bulk rules across rows: duplicate employee numbers, unknown managers, manager cycles, a department of another site, a leaver made active")
  void bulkRules() {
    JsonArray rows = new JsonArray()
        .add(person("CY-1", "CY-3"))
        .add(person("CY-2", "CY-1"))
        .add(person("CY-3", "CY-2"))
        .add(person("CY-4", "NOBODY"))
        .add(person("CY-4", null))
        .add(person("CY-5", null).put("siteCode", "CRK").put("departmentCode", "QA"))
        .add(person("CY-6", null));
    Api.Response refused = bulk(rows, "Broken org chart");
    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.json().getJsonArray("errors").stream().map(error -> ((JsonObject) error).getString("pointer")).toList())
        .containsExactly("/people/0/managerEmployeeNumber", "/people/1/managerEmployeeNumber",
            "/people/2/managerEmployeeNumber", "/people/3/managerEmployeeNumber", "/people/4/employeeNumber",
            "/people/5/departmentCode");
    assertThat(count("SELECT count(*) FROM ${schema}.person WHERE employee_number LIKE 'CY-%'")).isZero();

    // A chain across the request and the tenant: an existing person cannot be put under their own report.
    assertThat(bulk(new JsonArray().add(person("CY-10", null)).add(person("CY-11", "CY-10")), "Team").status())
        .isEqualTo(200);
    Api.Response loop = bulk(new JsonArray().add(person("CY-10", "CY-11")), "Reorganisation");
    assertThat(loop.status()).isEqualTo(422);
    assertThat(loop.json().getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/people/0/managerEmployeeNumber");
    assertThat(bulk(new JsonArray().add(person("CY-11", null).put("status", "terminated")), "Left").status())
        .isEqualTo(200);
    Api.Response rehire = bulk(new JsonArray().add(person("CY-11", null)), "Back again");
    assertThat(rehire.status()).isEqualTo(422);
    assertThat(rehire.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/people/0/status");
    Api.Response future = api.post(tenant.path("/people/bulk"), trainingAdmin, new JsonObject()
        .put("people", new JsonArray().add(person("CY-12", null))).put("effectiveOn", TODAY.plusDays(1).toString())
        .put("reason", "Tomorrow"));
    assertThat(future.status()).isEqualTo(422);
  }

  private static JsonObject person(String number, String manager) {
    return new JsonObject().put("employeeNumber", number).put("givenName", "Cy").put("familyName", number)
        .put("status", "active").put("siteCode", "BOS").put("departmentCode", "QA").put("hiredOn", "2022-05-01")
        .put("managerEmployeeNumber", manager);
  }

  @Test
  @DisplayName("only tenant and training admins write people; readers read; others get 403 and nothing changes")
  void permissions() {
    JsonObject person = hire("PM-001", boston, bostonQa, null);
    long before = count("SELECT count(*) FROM ${schema}.person") + count("SELECT count(*) FROM ${schema}.person_event");
    JsonObject body = new JsonObject().put("employeeNumber", "PM-002").put("givenName", "No").put("familyName", "Way")
        .put("siteId", boston.getString("id")).put("departmentId", bostonQa.getString("id")).put("hiredOn", "2025-01-01");
    for (String token : List.of(employee, auditor, qualityManager)) {
      assertThat(api.post(tenant.path("/people"), token, body).status()).isEqualTo(403);
      assertThat(api.post(tenant.path("/people/" + person.getString("id") + "/status-changes"), token,
          new JsonObject().put("action", "terminate").put("reason", "Not mine to do")).status()).isEqualTo(403);
      assertThat(api.post(tenant.path("/people/" + person.getString("id") + "/job-roles"), token, new JsonObject()
          .put("jobRoleId", qaSpecialist.getString("id")).put("reason", "Not mine to do")).status()).isEqualTo(403);
      assertThat(api.post(tenant.path("/people/bulk"), token, new JsonObject().put("reason", "Not mine")
          .put("people", new JsonArray().add(person("PM-003", null)))).status()).isEqualTo(403);
    }
    assertThat(api.post(tenant.path("/job-roles"), employee, new JsonObject().put("code", "X").put("name", "X")).status())
        .isEqualTo(403);
    assertThat(api.post(tenant.path("/sites"), auditor, new JsonObject().put("code", "X").put("name", "X")
        .put("country", "US").put("timezone", "UTC")).status()).isEqualTo(403);
    assertThat(api.get(tenant.path("/people"), employee).status()).isEqualTo(403);
    assertThat(api.get(tenant.path("/people/" + person.getString("id")), employee).status()).isEqualTo(403);
    assertThat(api.get(tenant.path("/people/" + person.getString("id") + "/job-roles"), employee).status()).isEqualTo(403);
    assertThat(api.get(tenant.path("/people/" + person.getString("id")), qualityManager).status()).isEqualTo(200);
    assertThat(api.get(tenant.path("/people"), tenant.adminToken()).status()).isEqualTo(200);
    assertThat(api.get(tenant.path("/sites"), employee).status()).isEqualTo(200);
    assertThat(count("SELECT count(*) FROM ${schema}.person") + count("SELECT count(*) FROM ${schema}.person_event"))
        .isEqualTo(before);
  }

  @Test
  @DisplayName("bad input is a 4xx problem, never a 5xx, and writes nothing")
  void badInput() {
    long before = count("SELECT count(*) FROM ${schema}.person");
    JsonObject person = hire("BI-001", boston, bostonQa, null);
    String path = tenant.path("/people/" + person.getString("id"));
    List<Api.Response> responses = List.of(
        api.get(tenant.path("/people/not-a-uuid"), trainingAdmin),
        api.get(tenant.path("/people?limit=0"), trainingAdmin),
        api.post(tenant.path("/people"), trainingAdmin, new JsonObject().put("employeeNumber", "BI-002")),
        api.post(tenant.path("/people"), trainingAdmin, new JsonObject().put("employeeNumber", " padded ")
            .put("givenName", "A").put("familyName", "B").put("siteId", boston.getString("id"))
            .put("departmentId", bostonQa.getString("id")).put("hiredOn", "2025-01-01")),
        api.post(tenant.path("/people"), trainingAdmin, new JsonObject().put("employeeNumber", "BI-003")
            .put("givenName", "A").put("familyName", "B").put("siteId", boston.getString("id"))
            .put("departmentId", bostonQa.getString("id")).put("hiredOn", "2025-02-30")),
        api.send("POST", tenant.path("/people"), trainingAdmin, "{\"employeeNumber\":", "application/json"),
        api.send("PATCH", path, trainingAdmin, new JsonObject().put("shoeSize", 44).put("reason", "Why not").encode(),
            "application/json", Map.of("If-Match", "\"1\"")),
        api.send("PATCH", path, trainingAdmin, new JsonObject().put("givenName", "A").put("reason", "Typo").encode(),
            "application/json", Map.of("If-Match", "\"one\"")),
        api.post(path + "/status-changes", trainingAdmin, new JsonObject().put("action", "retire").put("reason", "Old")),
        api.post(path + "/status-changes", trainingAdmin, new JsonObject().put("action", "leave").put("effectiveOn", "soon")
            .put("reason", "Leave")),
        api.post(path + "/job-roles", trainingAdmin, new JsonObject().put("jobRoleId", UUID.randomUUID().toString())
            .put("reason", "Unknown role")),
        api.post(tenant.path("/people/bulk"), trainingAdmin, new JsonObject().put("people", new JsonArray())
            .put("reason", "Empty")),
        api.post(tenant.path("/people/bulk"), trainingAdmin, new JsonObject().put("people", new JsonArray()
            .add(person("BI-010", null).put("hiredOn", "yesterday"))).put("reason", "Bad date")),
        api.post(tenant.path("/people/bulk"), trainingAdmin, new JsonObject().put("people", new JsonArray()
            .add(person("BI-011", null))))
    );
    for (Api.Response response : responses) {
      assertThat(response.status()).as(response.toString()).isBetween(400, 428);
      assertThat(response.isProblem()).as(response.toString()).isTrue();
    }
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= 10_000; i++) {
      tooMany.add(person("TM-" + i, null));
    }
    assertThat(bulk(tooMany, "Too many").status()).isEqualTo(400);
    String huge = "{\"reason\":\"" + "x".repeat(9 * 1024 * 1024) + "\"}";
    assertThat(api.send("POST", tenant.path("/people/bulk"), trainingAdmin, huge, "application/json").status())
        .isEqualTo(413);
    String large = "{\"reason\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    assertThat(api.send("POST", tenant.path("/people"), trainingAdmin, large, "application/json").status()).isEqualTo(413);
    assertThat(count("SELECT count(*) FROM ${schema}.person")).isEqualTo(before + 1);
  }

  @Test
  @DisplayName("the database refuses the runtime role any delete of people data (P11-7) and a department at another site")
  void databaseGuards() throws SQLException {
    JsonObject person = hire("DG-001", boston, bostonQa, null);
    try (Connection connection = platform.runtimeJdbc(); Statement statement = connection.createStatement()) {
      for (String table : List.of("person_event", "person_job_role", "person", "department", "site", "job_role")) {
        assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM " + schema + "." + table))
            .as(table).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
      }
      assertThatThrownBy(() -> statement.executeUpdate("UPDATE " + schema + ".person SET department_id = '"
          + corkFill.getString("id") + "' WHERE id = '" + person.getString("id") + "'"))
          .isInstanceOf(SQLException.class).hasMessageContaining("person_department_at_site");
    }
  }
}
