package io.traceline.platform.demo;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.tenants.FirstAdmin;
import io.traceline.tenants.IdentityDirectory;
import io.traceline.tenants.Ids;
import io.traceline.tenants.ProvisioningRequest;
import io.traceline.tenants.SchemaMigrator;
import io.traceline.tenants.TenantProvisioner;
import io.traceline.tenants.TenantRegistry;
import io.traceline.tenants.TenantScope;
import io.traceline.tenants.TenantSlug;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev run's demo tenant: Meridian Biologics, a CDMO with three sites, their departments, sixteen job
 * roles, sponsor programs with their members, about three hundred people, and one login per application role. Generated deterministically
 * (fixed seed, name-based ids) through the same provisioning as any tenant; a second start changes nothing.
 */
public final class DemoTenantSeeder {

  public static final String SLUG = "meridian";
  public static final String DISPLAY_NAME = "Meridian Biologics (demo CDMO)";
  public static final String PASSWORD = "Traceline-demo-1";
  public static final String ADMIN_EMAIL = "admin@meridian-bio.example";
  private static final int PEOPLE = 300;
  private static final Logger LOG = LoggerFactory.getLogger(DemoTenantSeeder.class);

  /** One login per application role: e-mail (= username), given name, family name, role, department. */
  static final List<String[]> USERS = List.of(
      new String[] {ADMIN_EMAIL, "Amira", "Haddad", "tenant-admin", "BOS-QA"},
      new String[] {"qm@meridian-bio.example", "Siobhan", "Murphy", "quality-manager", "CRK-QA"},
      new String[] {"author@meridian-bio.example", "Daniel", "Okafor", "document-author", "BOS-MFG"},
      new String[] {"reviewer@meridian-bio.example", "Mei Lin", "Tan", "reviewer", "SGP-QA"},
      new String[] {"approver@meridian-bio.example", "Rafael", "Costa", "approver", "BOS-QA"},
      new String[] {"training@meridian-bio.example", "Priya", "Raman", "training-admin", "BOS-QA"},
      new String[] {"trainer@meridian-bio.example", "Tomás", "Byrne", "trainer", "CRK-FIL"},
      new String[] {"supervisor@meridian-bio.example", "Grace", "Whitfield", "supervisor", "BOS-FIL"},
      new String[] {"employee@meridian-bio.example", "Jonas", "Weber", "employee", "BOS-FIL"},
      new String[] {"auditor@meridian-bio.example", "Helen", "Brooks", "auditor", "BOS-QA"},
      new String[] {"sponsor@northstar-tx.example", "Kenji", "Watanabe", "sponsor-viewer", null});

  static final String[][] SITES = {
      {"BOS", "Boston Biologics Campus", "US", "America/New_York"},
      {"CRK", "Cork Fill-Finish Plant", "IE", "Europe/Dublin"},
      {"SGP", "Singapore Process Development Center", "SG", "Asia/Singapore"}};

  static final String[][] DEPARTMENTS = {
      {"QA", "Quality Assurance"}, {"QC", "Quality Control Laboratory"}, {"MFG", "Drug Substance Manufacturing"},
      {"FIL", "Aseptic Fill and Finish"}, {"ENG", "Engineering and Maintenance"}, {"WHS", "Warehouse and Logistics"},
      {"VAL", "Validation"}};

  /** Job roles with the departments whose people hold them. */
  static final String[][] JOB_ROLES = {
      {"ASEPTIC-OP", "Aseptic Operator", "FIL"}, {"EM-TECH", "Environmental Monitoring Technician", "QC"},
      {"USP-TECH", "Upstream Bioprocess Technician", "MFG"}, {"DSP-TECH", "Downstream Purification Technician", "MFG"},
      {"QC-MICRO", "QC Microbiologist", "QC"}, {"QC-CHEM", "QC Analytical Chemist", "QC"},
      {"QA-SPEC", "QA Specialist", "QA"}, {"QA-BRR", "QA Batch Record Reviewer", "QA"},
      {"VAL-ENG", "Validation Engineer", "VAL"}, {"MAINT-TECH", "Maintenance Technician", "ENG"},
      {"METRO-TECH", "Metrology Technician", "ENG"}, {"WH-OP", "Warehouse Operator", "WHS"},
      {"PROD-SUP", "Production Supervisor", "MFG,FIL"}, {"MFG-ENG", "Manufacturing Engineer", "MFG,ENG"},
      {"TRN-COORD", "Training Coordinator", "QA"}, {"QA-MGR", "Quality Manager", "QA"}};

  private static final String[] GIVEN = {"Aisha", "Liam", "Sofia", "Noah", "Chen", "Olivia", "Mateo", "Fatima",
      "Ethan", "Yuki", "Amara", "Lucas", "Niamh", "Arjun", "Elena", "Kwame", "Hannah", "Diego", "Ingrid", "Ravi",
      "Chloe", "Tariq", "Maya", "Sean", "Leila", "Oscar", "Ana", "Wei", "Grace", "Samuel", "Aoife", "Hiroshi",
      "Zara", "Patrick", "Isabel", "Emeka", "Nora", "Vikram", "Clara", "Declan"};
  private static final String[] FAMILY = {"Nguyen", "O'Brien", "Garcia", "Smith", "Kaur", "Murphy", "Rossi",
      "Tanaka", "Mensah", "Johansson", "Patel", "Walsh", "Lim", "Fernandes", "Kowalski", "Ahmed", "Brennan",
      "Chen", "Dubois", "Okonkwo", "Schmidt", "Reyes", "Kelly", "Ito", "Haddad", "Novak", "Singh", "Byrne",
      "Martins", "Lee", "Fitzgerald", "Andersen", "Wong", "Moreau", "Adeyemi", "Quinn"};

  private final TenantProvisioner provisioner;
  private final TenantRegistry registry;
  private final TenantScope tenantScope;
  private final IdentityDirectory directory;
  private final WorkerExecutor workers;
  private final SchemaMigrator migrator;
  private final AuditTrail audit;
  private final JobQueue jobs;
  private final DemoActivity.Endpoints activity;
  private final int fanOutChunk;

  public DemoTenantSeeder(TenantProvisioner provisioner, TenantRegistry registry, TenantScope tenantScope,
                          IdentityDirectory directory, WorkerExecutor workers, SchemaMigrator migrator, AuditTrail audit,
                          JobQueue jobs, int fanOutChunk, DemoActivity.Endpoints activity) {
    this.activity = activity;
    this.jobs = jobs;
    this.fanOutChunk = fanOutChunk;
    this.migrator = migrator;
    this.audit = audit;
    this.provisioner = provisioner;
    this.registry = registry;
    this.tenantScope = tenantScope;
    this.directory = directory;
    this.workers = workers;
  }

  public Future<Void> seed() {
    String[] admin = USERS.get(0);
    ProvisioningRequest request = new ProvisioningRequest(new TenantSlug(SLUG), DISPLAY_NAME,
        new FirstAdmin(admin[0], admin[1], admin[2]), "demo-seeder");
    return provisioner.provision(request)
        .compose(result -> result.temporaryPassword() == null ? Future.<Void>succeededFuture()
            // The demo admin signs in with the documented demo password, not a generated one.
            : workers.<Void>executeBlocking(() -> {
              directory.setPassword(result.tenant().adminUserId(), PASSWORD);
              return null;
            }, false))
        // An existing demo tenant may be behind this build's changelog (catch-up runs in the background): seed
        // only into an up-to-date schema. A tenant already up to date costs one quick Liquibase check.
        .compose(v -> workers.executeBlocking(() -> migrator.migrateTenant(new TenantSlug(SLUG)), false))
        .compose(v -> registry.find(SLUG))
        .compose(tenant -> workers.executeBlocking(() -> ensureDemoLogins(tenant.organizationId()), false)
            .compose(userIds -> tenantScope.inTransaction(tenant.schemaName(), connection -> seedPeople(connection, userIds)
                .compose(v -> DemoPrograms.seedPrograms(connection))
                .compose(v -> new DemoDocuments(audit, documentPeople(userIds)).seed(connection))
                .compose(v -> DemoPrograms.seedMemberships(connection))
                .compose(v -> new DemoTraining(jobs, fanOutChunk).seed(connection, SLUG))
                .compose(v -> new DemoQuestionBanks(audit).seed(connection))
                .compose(v -> new DemoHistory(audit, jobs, login(userIds, 5), userIds.get(8), userIds.get(6), SLUG)
                    .seed(connection))
                .compose(v -> new DemoQuality(audit, login(userIds, 1), login(userIds, 5), userIds.get(8))
                    .seed(connection)))))
        // The most recent training, done through the API as people do it (the history before it is imported).
        .compose(v -> activity == null ? Future.<Void>succeededFuture()
            : workers.executeBlocking(() -> {
              new DemoActivity(activity).run();
              return null;
            }, false).<Void>mapEmpty().recover(failure -> {
              // The demo stays usable without it; DemoTenantIT asserts the activity is there.
              LOG.warn("The demo's recent training activity could not be recorded: {}", failure.getMessage());
              return Future.succeededFuture();
            }))
        .onSuccess(v -> LOG.info("Demo tenant '{}' ready: sign in as {} / {}", SLUG, ADMIN_EMAIL, PASSWORD));
  }

  /** The demo logins who write, review, approve and own the demo's documents. */
  private static DemoDocuments.DemoPeople documentPeople(List<String> userIds) {
    return new DemoDocuments.DemoPeople(login(userIds, 2), login(userIds, 3), login(userIds, 4), login(userIds, 1));
  }

  private static DemoDocuments.Login login(List<String> userIds, int index) {
    String[] user = USERS.get(index);
    return new DemoDocuments.Login(userIds.get(index), user[0], user[1] + " " + user[2]);
  }

  /** Creates the demo logins that do not exist yet (with the demo password) and makes them members. */
  private List<String> ensureDemoLogins(String organizationId) {
    List<String> ids = new ArrayList<>();
    for (String[] user : USERS) {
      IdentityDirectory.EnsuredUser ensured = directory.ensureUser(new FirstAdmin(user[0], user[1], user[2]));
      if (ensured.temporaryPassword() != null) {
        directory.setPassword(ensured.id(), PASSWORD);
      }
      directory.ensureMember(organizationId, ensured.id());
      ids.add(ensured.id());
    }
    return ids;
  }

  private Future<Void> seedPeople(SqlConnection connection, List<String> userIds) {
    return connection.query("SELECT count(*) AS sites FROM site").execute().compose(rows -> {
      Future<Void> people = rows.iterator().next().getLong("sites") > 0 ? Future.succeededFuture() : insertOrganisation(connection);
      return people.compose(v -> linkLoginsAndGrantRoles(connection, userIds));
    });
  }

  private Future<Void> insertOrganisation(SqlConnection connection) {
    Random random = new Random(20261122L);
    List<Tuple> sites = new ArrayList<>();
    List<Tuple> departments = new ArrayList<>();
    for (String[] site : SITES) {
      sites.add(Tuple.of(id("site", site[0]), site[0], site[1], site[2], site[3]));
      for (String[] department : DEPARTMENTS) {
        if (site[0].equals("SGP") && (department[0].equals("FIL") || department[0].equals("WHS"))) {
          continue; // process development: no commercial fill line or warehouse
        }
        departments.add(Tuple.of(id("department", site[0] + "-" + department[0]), id("site", site[0]),
            department[0], department[1]));
      }
    }
    List<Tuple> jobRoles = new ArrayList<>();
    for (String[] jobRole : JOB_ROLES) {
      jobRoles.add(Tuple.of(id("job-role", jobRole[0]), jobRole[0], jobRole[1]));
    }
    List<Tuple> people = new ArrayList<>();
    List<Tuple> holdings = new ArrayList<>();
    for (int n = 1; n <= PEOPLE; n++) {
      Tuple department = departments.get(n <= departments.size() ? n - 1 : random.nextInt(departments.size()));
      String departmentCode = department.getString(2);
      String number = String.format("MB-%05d", n);
      UUID personId = id("person", number);
      boolean leadsDepartment = n <= departments.size();
      // The first person of each department leads it; everyone else reports to their department's lead.
      UUID manager = leadsDepartment ? null : id("person", String.format("MB-%05d", departments.indexOf(department) + 1));
      int roll = random.nextInt(100);
      String status = roll < 94 ? "active" : roll < 98 ? "on_leave" : "terminated";
      String given = GIVEN[random.nextInt(GIVEN.length)];
      String family = FAMILY[random.nextInt(FAMILY.length)];
      LocalDate hired = LocalDate.of(2016, 1, 4).plusDays(random.nextInt(3600));
      people.add(Tuple.of(personId, number, given, family,
          (given + "." + family).toLowerCase().replaceAll("[^a-z.]", "") + n + "@meridian-bio.example", status)
          .addUUID(department.getUUID(1)).addUUID(department.getUUID(0)).addUUID(manager)
          .addBoolean(random.nextInt(100) < 8).addLocalDate(hired));
      List<String[]> fitting = new ArrayList<>();
      for (String[] jobRole : JOB_ROLES) {
        if (List.of(jobRole[2].split(",")).contains(departmentCode) && !jobRole[0].equals("QA-MGR")
            && !jobRole[0].equals("PROD-SUP")) {
          fitting.add(jobRole);
        }
      }
      if (leadsDepartment) {
        String lead = departmentCode.equals("QA") ? "QA-MGR" : departmentCode.equals("MFG") || departmentCode.equals("FIL")
            ? "PROD-SUP" : null;
        if (lead != null) {
          holdings.add(Tuple.of(id("holding", number + lead), personId, id("job-role", lead), hired));
        }
      }
      if (!fitting.isEmpty()) {
        String[] main = fitting.get(random.nextInt(fitting.size()));
        holdings.add(Tuple.of(id("holding", number + main[0]), personId, id("job-role", main[0]), hired));
        if (fitting.size() > 1 && random.nextInt(100) < 25) {
          String[] second = fitting.get(random.nextInt(fitting.size()));
          if (second != main) {
            holdings.add(Tuple.of(id("holding", number + second[0]), personId, id("job-role", second[0]),
                hired.plusMonths(6 + random.nextInt(30))));
          }
        }
      }
    }
    LOG.info("Seeding demo organisation: {} sites, {} departments, {} job roles, {} people, {} role holdings",
        sites.size(), departments.size(), jobRoles.size(), people.size(), holdings.size());
    return connection.preparedQuery("INSERT INTO site (id, code, name, country, timezone) VALUES ($1, $2, $3, $4, $5)")
        .executeBatch(sites)
        .compose(v -> connection.preparedQuery("INSERT INTO department (id, site_id, code, name) VALUES ($1, $2, $3, $4)")
            .executeBatch(departments))
        .compose(v -> connection.preparedQuery("INSERT INTO job_role (id, code, name) VALUES ($1, $2, $3)")
            .executeBatch(jobRoles))
        // Department leads first: everyone else's manager must exist.
        .compose(v -> connection.preparedQuery("INSERT INTO person (id, employee_number, given_name, family_name, email, "
                + "status, site_id, department_id, manager_id, contractor, hired_on) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
            .executeBatch(people))
        .compose(v -> connection.preparedQuery("INSERT INTO person_job_role (id, person_id, job_role_id, valid_from) "
                + "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
            .executeBatch(holdings))
        .mapEmpty();
  }

  /** Each demo login becomes (or is linked to) a person and holds its application role. */
  private Future<Void> linkLoginsAndGrantRoles(SqlConnection connection, List<String> userIds) {
    List<Tuple> people = new ArrayList<>();
    List<Tuple> grants = new ArrayList<>();
    for (int i = 0; i < USERS.size(); i++) {
      String[] user = USERS.get(i);
      String userId = userIds.get(i);
      if (user[4] != null) {
        String site = user[4].substring(0, 3);
        String number = String.format("MB-9%04d", i + 1);
        people.add(Tuple.of(id("person", number), number, user[1], user[2], user[0], "active")
            .addUUID(id("site", site)).addUUID(id("department", user[4])).addUUID(null)
            .addBoolean(false).addLocalDate(LocalDate.of(2021, 3, 1)).addString(userId));
      }
      grants.add(Tuple.of(Ids.newId(), userId, user[1] + " " + user[2], user[3], "Demo data: the " + user[3]
          + " of the demo tenant"));
    }
    return connection.preparedQuery("INSERT INTO person (id, employee_number, given_name, family_name, email, status, "
            + "site_id, department_id, manager_id, contractor, hired_on, user_id) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (employee_number) DO NOTHING")
        .executeBatch(people)
        // The demo employee works as an aseptic operator under the demo supervisor, so both have training to show.
        .compose(v -> connection.preparedQuery("INSERT INTO person_job_role (id, person_id, job_role_id, valid_from) "
                + "VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING")
            .executeBatch(List.of(
                Tuple.of(id("holding", "MB-90009ASEPTIC-OP"), id("person", "MB-90009"), id("job-role", "ASEPTIC-OP"),
                    LocalDate.of(2021, 3, 1)),
                Tuple.of(id("holding", "MB-90008PROD-SUP"), id("person", "MB-90008"), id("job-role", "PROD-SUP"),
                    LocalDate.of(2021, 3, 1)),
                // The demo trainer is an experienced aseptic operator: trained on what they teach.
                Tuple.of(id("holding", "MB-90007ASEPTIC-OP"), id("person", "MB-90007"), id("job-role", "ASEPTIC-OP"),
                    LocalDate.of(2021, 3, 1)))))
        .compose(v -> connection.preparedQuery("UPDATE person SET manager_id = $2 WHERE id = $1 AND manager_id IS NULL")
            .execute(Tuple.of(id("person", "MB-90009"), id("person", "MB-90008"))))
        .compose(v -> grantAll(connection, grants, 0));
  }

  /** One grant after another, each audited when it is new (Annex 11 §12: grants are audited, demo ones too). */
  private Future<Void> grantAll(SqlConnection connection, List<Tuple> grants, int index) {
    if (index == grants.size()) {
      return Future.succeededFuture();
    }
    Tuple grant = grants.get(index);
    return connection.preparedQuery("INSERT INTO role_grant (id, user_id, user_name, role, granted_by, "
            + "granted_by_name, grant_reason) VALUES ($1, $2, $3, $4, 'demo-seeder', 'Traceline demo seeder', $5) "
            + "ON CONFLICT (user_id, role) WHERE revoked_at IS NULL DO NOTHING RETURNING id")
        .execute(grant)
        .compose(rows -> rows.size() == 0 ? Future.<Void>succeededFuture()
            : audit.record(connection, AuditEvent.of(new AuditEvent.Actor("demo-seeder", "Traceline demo seeder"),
                    AuditEvent.Source.NONE, "role.granted", "role-grant", grant.getUUID(0).toString())
                .withValues(null, new io.vertx.core.json.JsonObject().put("id", grant.getUUID(0).toString())
                    .put("userId", grant.getString(1)).put("userName", grant.getString(2)).put("role", grant.getString(3)))
                .withReason(grant.getString(4))).<Void>mapEmpty())
        .compose(v -> grantAll(connection, grants, index + 1));
  }

  /** Stable ids for demo rows, so re-seeding finds the same records. */
  private static UUID id(String kind, String key) {
    return UUID.nameUUIDFromBytes(("traceline-demo:" + kind + ":" + key).getBytes(StandardCharsets.UTF_8));
  }
}
