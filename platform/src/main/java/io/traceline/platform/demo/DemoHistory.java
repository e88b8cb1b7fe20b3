package io.traceline.platform.demo;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.jobs.NewJob;
import io.traceline.platform.records.RecordVersion;
import io.traceline.platform.signatures.Signature;
import io.traceline.platform.training.RecertificationJob;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Half a year of training history for the demo (issue 7 item 9), so its reports have something to say: for every
 * person and requirement of the matrix, the version in force half a year ago was trained on before (transcribed from the
 * signed paper record by the training coordinator, who signs each entry "recorded", as late entries are), and every
 * revision since asked for retraining — most of it done, some of it late, some still open and overdue, an assignment
 * overtaken by the next revision superseded. Fill-finish training recertifies yearly, so its completions fall due or have
 * expired; their recertification timers are set as a completion sets them. A few people never trained (overdue).
 *
 * <p>Only at the demo's first seeding (before any assignment exists). The demo employee keeps their current training
 * open (the README's walkthrough completes it). The rows are what the product's own completion makes — assignment,
 * signed record version, signature, completion record — with the history's times; the matrix is dated to before the history. The fan-outs the matrix enqueued find these assignments
 * and add only what is missing. Imported, not replayed: one {@code training-history.imported} audit event per document.
 */
final class DemoHistory {

  private static final int HISTORY_DAYS = 200;
  private static final String RECORD_TYPE = "training-completion-entry";
  private static final Map<String, String> RESULT = Map.of("read-and-acknowledge", "acknowledged", "assessment",
      "passed", "on-the-job", "completed", "classroom", "completed");

  private final AuditTrail audit;
  private final JobQueue jobs;
  private final DemoDocuments.Login coordinator;
  private final String demoEmployeeUserId;
  private final String trainerUserId;
  private final String tenant;
  private final List<Tuple> assignments = new ArrayList<>();
  private final List<Tuple> records = new ArrayList<>();
  private final List<Tuple> signatures = new ArrayList<>();
  private final List<Tuple> completions = new ArrayList<>();
  private final List<NewJob> timers = new ArrayList<>();
  private final Map<UUID, JsonObject> imported = new HashMap<>();

  /** {@code trainer}: the login whose person observed the practicals and led the classes of the history. */
  DemoHistory(AuditTrail audit, JobQueue jobs, DemoDocuments.Login coordinator, String demoEmployeeUserId,
              String trainerUserId, String tenant) {
    this.audit = audit;
    this.jobs = jobs;
    this.coordinator = coordinator;
    this.demoEmployeeUserId = demoEmployeeUserId;
    this.trainerUserId = trainerUserId;
    this.tenant = tenant;
  }

  /** A document version a requirement trained on. */
  private record Version(UUID id, int major, int minor, OffsetDateTime effectiveAt, String impact, Integer recordVersion,
                         String recordHash, String contentSha256) {
    String label() {
      return major + "." + minor;
    }
  }

  /**
   * Imports the history when the demo is seeded for the first time: while nobody has any training yet. A demo tenant
   * of an earlier build (its assignments made, people trained through the API) keeps its own story.
   */
  Future<Void> seed(SqlConnection connection) {
    return connection.query("SELECT count(*) AS n FROM training_assignment").execute()
        .compose(rows -> rows.iterator().next().getLong("n") > 0 ? Future.succeededFuture() : importAll(connection));
  }

  private Future<Void> importAll(SqlConnection connection) {
    // Whole seconds: a signature's hash covers its time, which the database keeps to the microsecond.
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    // The matrix was set up before the history began.
    return connection.preparedQuery("UPDATE training_requirement SET created_at = $1, updated_at = $1 WHERE created_by = $2")
        .execute(Tuple.of(now.minusDays(HISTORY_DAYS + 200), DemoDocuments.SEEDER))
        .compose(v -> versions(connection))
        .compose(versions -> connection.preparedQuery("SELECT p.id AS person_id, p.employee_number, p.given_name, "
                + "p.family_name, p.user_id, h.valid_from, r.id AS requirement_id, r.method, r.due_days, "
                + "r.recertify_months, r.pass_score, d.id AS document_id, d.number, d.title, "
                + "(SELECT t.id FROM person t WHERE t.user_id = $1) AS trainer_id "
                + "FROM training_requirement r JOIN document d ON d.id = r.document_id "
                + "JOIN person_job_role h ON h.job_role_id = r.job_role_id AND h.valid_to IS NULL "
                + "JOIN person p ON p.id = h.person_id AND p.status = 'active' "
                + "  AND (r.site_id IS NULL OR r.site_id = p.site_id) "
                + "WHERE r.active AND (r.program_id IS NULL OR EXISTS (SELECT 1 FROM person_program m "
                + "  WHERE m.person_id = p.id AND m.program_id = r.program_id AND m.valid_to IS NULL)) "
                + "ORDER BY d.number, p.employee_number, r.id")
            .execute(Tuple.of(trainerUserId))
            .map(pairs -> {
              pairs.forEach(pair -> build(pair, versions.getOrDefault(pair.getUUID("document_id"), List.of()), now));
              return null;
            }))
        .compose(v -> batch(connection, "INSERT INTO training_assignment (id, person_id, requirement_id, document_id, "
            + "version_id, cycle, method, status, due_at, assigned_at, cause, closed_at, close_reason, completed_at) "
            + "VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $11, $12, $13)", assignments))
        .compose(v -> batch(connection, "INSERT INTO record_version (record_type, record_id, version, content, "
            + "content_hash, created_at, created_by, created_by_name, reason) VALUES ('" + RECORD_TYPE + "', $1, 1, $2, $3, "
            + "$4, $5, $6, 'Training record transcribed from the signed paper record')", records))
        .compose(v -> batch(connection, "INSERT INTO signature (id, record_type, record_id, record_version, record_hash, "
            + "meaning, signer_id, signer_username, signer_name, signed_at, auth_method, signature_hash) "
            + "VALUES ($1, '" + RECORD_TYPE + "', $2, 1, $3, 'recorded', $4, $5, $6, $7, 'password', $8)", signatures))
        .compose(v -> batch(connection, "INSERT INTO training_completion (id, assignment_id, person_id, requirement_id, "
            + "document_id, version_id, cycle, method, result, score, pass_score, trained_at, recorded_at, reason, "
            + "trainer_id, recorded_by, recorded_by_name, signature_id, evidence) "
            + "VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)", completions))
        .compose(v -> enqueueTimers(connection, 0))
        .compose(v -> auditImports(connection, new ArrayList<>(imported.values()), 0));
  }

  private Future<Map<UUID, List<Version>>> versions(SqlConnection connection) {
    return connection.query("SELECT document_id, id, major, minor, effective_at, training_impact, record_version, "
            + "record_hash, content_sha256 FROM document_version WHERE effective_at IS NOT NULL "
            + "ORDER BY document_id, major, minor").execute()
        .map(rows -> {
          Map<UUID, List<Version>> byDocument = new HashMap<>();
          rows.forEach(row -> byDocument.computeIfAbsent(row.getUUID("document_id"), id -> new ArrayList<>())
              .add(new Version(row.getUUID("id"), row.getInteger("major"), row.getInteger("minor"),
                  row.getOffsetDateTime("effective_at"), row.getString("training_impact"),
                  row.getInteger("record_version"), row.getString("record_hash"), row.getString("content_sha256"))));
          return byDocument;
        });
  }

  /** One person's history under one requirement. */
  private void build(Row pair, List<Version> all, OffsetDateTime now) {
    UUID personId = pair.getUUID("person_id");
    UUID requirementId = pair.getUUID("requirement_id");
    // Seeded by person and document (both named ids), so every demo tells the same story.
    Random random = new Random(personId.getLeastSignificantBits() ^ pair.getUUID("document_id").getMostSignificantBits());
    OffsetDateTime start = now.minusDays(HISTORY_DAYS);
    OffsetDateTime joined = pair.getLocalDate("valid_from").atStartOfDay().atOffset(ZoneOffset.UTC);
    List<Version> trained = all.stream().filter(v -> !"none".equals(v.impact()) && v.effectiveAt().isBefore(now)).toList();
    if (trained.isEmpty()) {
      return;
    }
    // The chain: the version in force when the history begins (if any), then every revision since.
    List<Version> chain = new ArrayList<>();
    Version base = null;
    for (Version version : trained) {
      if (!version.effectiveAt().isAfter(start)) {
        base = version;
      }
    }
    if (base != null) {
      chain.add(base);
    }
    trained.stream().filter(v -> v.effectiveAt().isAfter(start)).forEach(chain::add);
    // The version in force now; when it asked for no training (editorial), training on the one before stays current.
    UUID inForce = all.stream().filter(v -> v.effectiveAt().isBefore(now)).reduce((a, b) -> b).map(Version::id)
        .orElse(null);
    boolean demoEmployee = demoEmployeeUserId.equals(pair.getString("user_id"));
    // The demo trainer keeps up with what they teach: trained on time, yearly training renewed within the year.
    boolean demoTrainer = trainerUserId.equals(pair.getString("user_id"));
    boolean neverTrained = !demoTrainer && random.nextInt(40) == 0;
    Integer recertify = pair.getInteger("recertify_months");
    int dueDays = pair.getInteger("due_days");
    JsonObject summary = imported.computeIfAbsent(pair.getUUID("document_id"), id -> new JsonObject()
        .put("documentId", id.toString()).put("number", pair.getString("number")).put("completions", 0)
        .put("open", 0).put("superseded", 0));
    for (int i = 0; i < chain.size(); i++) {
      Version version = chain.get(i);
      Version next = i + 1 < chain.size() ? chain.get(i + 1) : null;
      boolean first = i == 0 && version == base;
      // Training recertified yearly goes back further: the matrix is older than the history.
      OffsetDateTime assigned = later(later(!first ? version.effectiveAt() : recertify != null
          ? now.minusDays(HISTORY_DAYS + 195) : start.minusDays(30 + random.nextInt(60)), version.effectiveAt()), joined);
      if (!assigned.isBefore(now.minusDays(1))) {
        return; // joined too recently: the fan-out assigns it
      }
      OffsetDateTime due = assigned.plusDays(dueDays);
      // When it was done: recertifying training spread so that some falls due soon and some has expired.
      OffsetDateTime trainedAt = first && recertify != null
          ? later(now.minusDays(demoTrainer ? 60 + random.nextInt(120) : 290 + random.nextInt(100)), assigned.plusHours(2))
          : assigned.plusDays(1 + random.nextInt(Math.max(2, dueDays + dueDays / 3))).plusHours(random.nextInt(8));
      boolean last = next == null;
      boolean current = version.id().equals(inForce);
      if (neverTrained && last && !current) {
        return; // nothing open on an old version: the fan-out assigns the one in force
      }
      boolean done = !neverTrained && trainedAt.isBefore(now.minusHours(2))
          && (next == null || trainedAt.isBefore(next.effectiveAt()))
          && (!last || !current || !demoEmployee && (demoTrainer || random.nextInt(6) != 0));
      UUID assignmentId = id("assignment", personId + ":" + requirementId + ":" + version.id());
      String cause = first ? (joined.isAfter(version.effectiveAt()) ? "hired" : "requirement-added")
          : "revision-effective";
      if (done) {
        assignments.add(Tuple.from(new Object[] {assignmentId, personId, requirementId, pair.getUUID("document_id"),
            version.id(), pair.getString("method"), "completed", due, assigned, cause, trainedAt,
            "Training recorded from the signed paper record", trainedAt}));
        complete(pair, version, assignmentId, trainedAt, random);
        summary.put("completions", summary.getInteger("completions") + 1);
        if (recertify != null && last) {
          timers.add(new NewJob(tenant, RecertificationJob.NAME, RecertificationJob.payload(assignmentId),
              trainedAt.plusMonths(recertify).minusDays(dueDays).toInstant(), "recertification:" + assignmentId,
              AuditEvent.Actor.SYSTEM.id()));
        }
      } else if (!last) {
        // Overtaken by the next revision before it was done.
        assignments.add(Tuple.from(new Object[] {assignmentId, personId, requirementId, pair.getUUID("document_id"),
            version.id(), pair.getString("method"), "superseded", due, assigned, cause, next.effectiveAt(),
            "Superseded by version " + next.label(), null}));
        summary.put("superseded", summary.getInteger("superseded") + 1);
      } else {
        assignments.add(Tuple.from(new Object[] {assignmentId, personId, requirementId, pair.getUUID("document_id"),
            version.id(), pair.getString("method"), "open", due, assigned, cause, null, null, null}));
        summary.put("open", summary.getInteger("open") + 1);
      }
    }
  }

  /** The completion record, its signed record version and the coordinator's signature, as a late entry makes them. */
  private void complete(Row pair, Version version, UUID assignmentId, OffsetDateTime trainedAt, Random random) {
    String method = pair.getString("method");
    boolean scored = "assessment".equals(method);
    Integer passScore = scored ? pair.getInteger("pass_score") : null;
    Integer score = scored ? Math.min(100, passScore + random.nextInt(101 - passScore)) : null;
    UUID trainerId = "on-the-job".equals(method) || "classroom".equals(method) ? pair.getUUID("trainer_id") : null;
    OffsetDateTime recordedAt = trainedAt.plusMinutes(20 + random.nextInt(30));
    String reference = "TR-" + pair.getString("number") + "-" + pair.getString("employee_number") + "-v"
        + version.label();
    JsonObject versionEvidence = new JsonObject().put("recordVersion", version.recordVersion())
        .put("recordHash", version.recordHash()).put("contentSha256", version.contentSha256());
    JsonObject content = new JsonObject().put("assignment", assignmentId.toString())
        .put("person", new JsonObject().put("id", pair.getUUID("person_id").toString())
            .put("employeeNumber", pair.getString("employee_number"))
            .put("name", pair.getString("given_name") + " " + pair.getString("family_name")))
        .put("document", new JsonObject().put("id", pair.getUUID("document_id").toString())
            .put("number", pair.getString("number")).put("title", pair.getString("title")))
        .put("version", new JsonObject().put("id", version.id().toString()).put("version", version.label())
            .mergeIn(versionEvidence))
        .put("method", method).put("cycle", 1).put("result", RESULT.get(method))
        .put("trainedAt", trainedAt.toInstant().toString()).put("score", score).put("passScore", passScore)
        .put("trainerId", trainerId == null ? null : trainerId.toString()).put("reference", reference)
        .put("reason", "Transcribed from the signed paper training record")
        .put("statement", "I record that this training took place as entered, from the evidence named");
    String recordHash = RecordVersion.hashOf(RECORD_TYPE, assignmentId.toString(), 1, content);
    records.add(Tuple.from(new Object[] {assignmentId.toString(), content, recordHash, recordedAt, coordinator.id(),
        coordinator.name()}));
    Signature signature = new Signature(id("signature", assignmentId.toString()), RECORD_TYPE, assignmentId.toString(), 1,
        recordHash, "recorded", coordinator.id(), coordinator.username(), coordinator.name(), recordedAt, "password", null)
        .withHash();
    signatures.add(Tuple.from(new Object[] {signature.id(), assignmentId.toString(), recordHash, coordinator.id(),
        coordinator.username(), coordinator.name(), recordedAt, signature.signatureHash()}));
    completions.add(Tuple.from(new Object[] {id("completion", assignmentId.toString()), assignmentId,
        pair.getUUID("person_id"), pair.getUUID("requirement_id"), pair.getUUID("document_id"), version.id(), method,
        RESULT.get(method), score, passScore, trainedAt, recordedAt, "Transcribed from the signed paper training record",
        trainerId, coordinator.id(), coordinator.name(), signature.id(),
        new JsonObject().put("version", versionEvidence).put("reference", reference)}));
  }

  private Future<Void> enqueueTimers(SqlConnection connection, int index) {
    if (index == timers.size()) {
      return Future.succeededFuture();
    }
    return jobs.enqueue(connection, timers.get(index)).compose(v -> enqueueTimers(connection, index + 1));
  }

  private Future<Void> auditImports(SqlConnection connection, List<JsonObject> documents, int index) {
    if (index == documents.size()) {
      return Future.succeededFuture();
    }
    JsonObject document = documents.get(index);
    return audit.record(connection, AuditEvent.of(new AuditEvent.Actor(DemoDocuments.SEEDER, "Traceline demo seeder"),
            AuditEvent.Source.NONE, "training-history.imported", "document", document.getString("documentId"))
            .withValues(null, document).withReason("Demo data: half a year of training history imported by the demo "
                + "seeder, each completion signed by the training coordinator who recorded it"))
        .compose(v -> auditImports(connection, documents, index + 1));
  }

  private static OffsetDateTime later(OffsetDateTime a, OffsetDateTime b) {
    return a.isAfter(b) ? a : b;
  }

  private static Future<Void> batch(SqlConnection connection, String sql, List<Tuple> rows) {
    return rows.isEmpty() ? Future.succeededFuture() : connection.preparedQuery(sql).executeBatch(rows).mapEmpty();
  }

  private static UUID id(String kind, String key) {
    return UUID.nameUUIDFromBytes(("traceline-demo:" + kind + ":" + key).getBytes(StandardCharsets.UTF_8));
  }
}
