package io.traceline.platform.demo;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.jobs.NewJob;
import io.traceline.platform.training.FanOutJob;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The demo's training matrix: each department's documents map to the job roles that work under them (aseptic
 * procedures to operators and supervisors, laboratory ones to the QC roles, EHS ones to everyone …), with methods by
 * risk (high: on-the-job for production work instructions, else an assessment; medium: classroom for SOPs, else
 * read-and-acknowledge; low: read-and-acknowledge) and
 * yearly recertification for fill-finish; a sponsor program's documents only for the program's members. Each effective document's fan-out is enqueued like any other, so the demo's
 * assignments are made by the job runtime, due from the day the demo was seeded.
 */
final class DemoTraining {

  /** Document department → the job roles (codes) mapped to its documents. */
  static final String[][] ROLES_BY_DEPARTMENT = {
      {"FIL", "ASEPTIC-OP", "PROD-SUP"}, {"QC", "QC-MICRO", "QC-CHEM", "EM-TECH"},
      {"MFG", "USP-TECH", "DSP-TECH", "PROD-SUP", "MFG-ENG"}, {"QA", "QA-SPEC", "QA-BRR", "QA-MGR", "TRN-COORD"},
      {"ENG", "MAINT-TECH", "METRO-TECH", "MFG-ENG"}, {"VAL", "VAL-ENG"}, {"WHS", "WH-OP"},
      {"EHS", "ASEPTIC-OP", "EM-TECH", "USP-TECH", "DSP-TECH", "QC-MICRO", "QC-CHEM", "MAINT-TECH", "WH-OP"}};

  private final JobQueue jobs;
  private final int chunkSize;

  DemoTraining(JobQueue jobs, int chunkSize) {
    this.jobs = jobs;
    this.chunkSize = chunkSize;
  }

  /** Maps the demo documents to roles and enqueues their fan-outs, unless the tenant has a matrix already. */
  Future<Void> seed(SqlConnection connection, String tenant) {
    return connection.query("SELECT count(*) AS n FROM training_requirement").execute()
        .compose(rows -> rows.iterator().next().getLong("n") > 0 ? Future.succeededFuture() : map(connection, tenant));
  }

  private Future<Void> map(SqlConnection connection, String tenant) {
    List<String> departments = new ArrayList<>();
    List<String> roles = new ArrayList<>();
    for (String[] entry : ROLES_BY_DEPARTMENT) {
      for (int i = 1; i < entry.length; i++) {
        departments.add(entry[0]);
        roles.add(entry[i]);
      }
    }
    // A document of a sponsor program is required only of the program's members (SPN-1): its requirements carry it.
    return connection.preparedQuery("INSERT INTO training_requirement (id, document_id, job_role_id, method, pass_score, "
            + "due_days, recertify_months, minor_revision, created_by, program_id) "
            + "SELECT uuid_v7(), d.id, j.id, m.method, CASE WHEN m.method = 'assessment' THEN 80 END, "
            + "CASE d.risk_class WHEN 'high' THEN 14 WHEN 'medium' THEN 30 ELSE 60 END, "
            + "CASE WHEN d.department = 'FIL' THEN 12 END, 'read-and-acknowledge', $3, d.program_id "
            + "FROM document d JOIN unnest($1::text[], $2::text[]) AS map (department, role) ON map.department = d.department "
            + "JOIN job_role j ON j.code = map.role "
            + "CROSS JOIN LATERAL (SELECT CASE WHEN d.risk_class = 'high' AND d.department IN ('FIL', 'MFG') "
            + "AND d.type = 'work-instruction' THEN 'on-the-job' "
            + "WHEN d.risk_class = 'high' THEN 'assessment' WHEN d.risk_class = 'medium' AND d.type = 'sop' THEN 'classroom' "
            + "ELSE 'read-and-acknowledge' END AS method) m "
            + "WHERE d.status = 'effective'")
        .execute(Tuple.tuple().addArrayOfString(departments.toArray(new String[0]))
            .addArrayOfString(roles.toArray(new String[0])).addString(DemoDocuments.SEEDER))
        .compose(v -> connection.query("SELECT d.id AS document_id, v.id AS version_id, v.major, v.minor FROM document d "
            + "JOIN document_version v ON v.document_id = d.id AND v.state = 'effective' "
            + "WHERE EXISTS (SELECT 1 FROM training_requirement r WHERE r.document_id = d.id) ORDER BY d.number").execute())
        .compose(versions -> {
          OffsetDateTime now = OffsetDateTime.now();
          List<Future<?>> enqueued = new ArrayList<>();
          versions.forEach(row -> {
            JsonObject payload = FanOutJob.payload("requirement-added", row.getUUID("document_id"), row.getUUID("version_id"),
                row.getInteger("major") + "." + row.getInteger("minor"), "full-retraining", "major", null, now)
                .put("chunkSize", chunkSize);
            enqueued.add(jobs.enqueue(connection, new NewJob(tenant, FanOutJob.NAME, payload, now.toInstant(),
                "demo-matrix:" + row.getUUID("version_id"), AuditEvent.Actor.SYSTEM.id())));
          });
          return Future.all(enqueued).mapEmpty();
        });
  }
}
