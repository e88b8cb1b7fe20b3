package io.traceline.platform.demo;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.records.RecordVersion;
import io.traceline.platform.signatures.Signature;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The demo's quality records (issue 8): a closed deviation whose CAPA was closed with the quality manager's signature
 * (its effectiveness check scheduled); a deviation under investigation whose CAPA found a training deficiency and
 * retrains four aseptic operators — the demo employee among them — on the fill-finish SOP, half of them done (their
 * classroom session entered afterwards by the training admin, with the reason); an open change control and an open
 * nonconformance. Imported like the documents' history (signed records with their record versions and hashes, one
 * audit event per record), once: a tenant that has them is left alone.
 */
final class DemoQuality {

  private final AuditTrail audit;
  private final DemoDocuments.Login quality;
  private final DemoDocuments.Login training;
  private final String employeeUserId;

  DemoQuality(AuditTrail audit, DemoDocuments.Login quality, DemoDocuments.Login training, String employeeUserId) {
    this.audit = audit;
    this.quality = quality;
    this.training = training;
    this.employeeUserId = employeeUserId;
  }

  Future<Void> seed(SqlConnection connection) {
    return connection.query("SELECT count(*) AS n FROM quality_event").execute()
        .compose(rows -> rows.iterator().next().getLong("n") > 0 ? Future.succeededFuture() : importAll(connection));
  }

  private static UUID id(String key) {
    return UUID.nameUUIDFromBytes(("demo-quality:" + key).getBytes(StandardCharsets.UTF_8));
  }

  private Future<Void> importAll(SqlConnection connection) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    LocalDate today = now.toLocalDate();
    return connection.query("SELECT d.id AS document_id, v.id AS version_id FROM document d JOIN document_version v "
            + "ON v.document_id = d.id AND v.state = 'effective' WHERE d.department = 'FIL' AND d.type = 'sop' "
            + "ORDER BY d.number LIMIT 3").execute()
        .compose(docs -> {
          List<Row> found = new ArrayList<>();
          docs.forEach(found::add);
          if (found.size() < 3) {
            return Future.succeededFuture();
          }
          return connection.preparedQuery("SELECT p.id FROM person p JOIN person_job_role h ON h.person_id = p.id "
                  + "AND h.valid_to IS NULL JOIN job_role j ON j.id = h.job_role_id AND j.code = 'ASEPTIC-OP' "
                  + "WHERE p.status = 'active' ORDER BY (p.user_id IS NOT DISTINCT FROM $1) DESC, p.employee_number LIMIT 4")
              .execute(Tuple.of(employeeUserId))
              .compose(people -> {
                List<UUID> operators = new ArrayList<>();
                people.forEach(row -> operators.add(row.getUUID("id")));
                return records(connection, now, today, found, operators);
              });
        });
  }

  private Future<Void> records(SqlConnection connection, OffsetDateTime now, LocalDate today, List<Row> docs,
                               List<UUID> operators) {
    UUID closedDoc = docs.get(0).getUUID("document_id");
    UUID trainingDoc = docs.get(1).getUUID("document_id");
    UUID trainingVersion = docs.get(1).getUUID("version_id");
    UUID changeDoc = docs.get(2).getUUID("document_id");
    UUID dev1 = id("DEV-0001");
    UUID dev2 = id("DEV-0002");
    UUID cc1 = id("CC-0001");
    UUID nc1 = id("NC-0001");
    UUID capa1 = id("CAPA-0001");
    UUID capa2 = id("CAPA-0002");
    UUID action1 = id("CAPA-0001/1");
    UUID action2 = id("CAPA-0002/1");
    OffsetDateTime closedAt = now.minusDays(40);

    // The signed closures: the event's and the CAPA's record versions, and the quality manager's signatures on them.
    JsonObject devContent = new JsonObject().put("number", "DEV-0001").put("kind", "deviation")
        .put("title", "Glove port breach during aseptic fill").put("status", "investigating")
        .put("signing", new JsonObject().put("meaning", "closed").put("reason", "Root cause found, CAPA-0001 raised"));
    String devHash = RecordVersion.hashOf("quality-event", dev1.toString(), 1, devContent);
    Signature devSigned = new Signature(id("sig:DEV-0001"), "quality-event", dev1.toString(), 1, devHash, "closed",
        quality.id(), quality.username(), quality.name(), closedAt.minusDays(5), "password", null).withHash();
    JsonObject capaContent = new JsonObject().put("number", "CAPA-0001").put("title", "Glove port integrity")
        .put("rootCause", new JsonObject().put("category", "equipment").put("description", "Worn glove port gasket"))
        .put("actions", new JsonArray().add(new JsonObject().put("id", action1.toString()).put("type", "other")
            .put("status", "completed")))
        .put("evidence", new JsonArray())
        .put("closure", new JsonObject().put("summary", "Gaskets replaced on all ports; inspection added to the PM plan")
            .put("effectivenessCheckDays", 90));
    String capaHash = RecordVersion.hashOf("capa", capa1.toString(), 1, capaContent);
    Signature capaSigned = new Signature(id("sig:CAPA-0001"), "capa", capa1.toString(), 1, capaHash, "closed",
        quality.id(), quality.username(), quality.name(), closedAt, "password", null).withHash();

    List<Tuple> events = List.of(
        event(dev1, "DEV-0001", "deviation", "Glove port breach during aseptic fill",
            "A glove port on filling line 2 failed the post-fill integrity test.", "major", "closed", today.minusDays(80),
            today.minusDays(50), "aseptic filling", "equipment", closedDoc, closedAt.minusDays(5), devSigned.id()),
        event(dev2, "DEV-0002", "deviation", "Intervention outside the approved list",
            "An operator performed an unlisted intervention in Grade A during batch 24-117.", "major", "investigating",
            today.minusDays(12), today.plusDays(18), "aseptic filling", "training-deficiency", trainingDoc, null, null),
        event(cc1, "CC-0001", "change-control", "Second-person verification of line clearance",
            "Add an independent verification step to line clearance before each fill.", "minor", "open",
            today.minusDays(3), today.plusDays(27), "line clearance", null, changeDoc, null, null),
        event(nc1, "NC-0001", "nonconformance", "Stopper lot with particulates",
            "Incoming inspection found visible particulates in stopper lot ST-5531.", "critical", "open",
            today.minusDays(1), today.plusDays(14), "incoming inspection", null, null, null, null));

    return connection.preparedQuery("INSERT INTO record_version (record_type, record_id, version, content, content_hash, "
            + "created_at, created_by, created_by_name, reason) VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8)")
        .executeBatch(List.of(
            Tuple.from(new Object[] {"quality-event", dev1.toString(), devContent, devHash, closedAt.minusDays(5),
                quality.id(), quality.name(), "Prepared for the 'closed' signature"}),
            Tuple.from(new Object[] {"capa", capa1.toString(), capaContent, capaHash, closedAt, quality.id(),
                quality.name(), "Prepared for the closure signature"})))
        .compose(v -> connection.preparedQuery("INSERT INTO signature (id, record_type, record_id, record_version, "
                + "record_hash, meaning, signer_id, signer_username, signer_name, signed_at, auth_method, signature_hash) "
                + "VALUES ($1, $2, $3, 1, $4, 'closed', $5, $6, $7, $8, 'password', $9)")
            .executeBatch(List.of(signatureRow(devSigned), signatureRow(capaSigned))))
        .compose(v -> connection.preparedQuery("INSERT INTO quality_event (id, number, kind, title, description, severity, "
                + "status, occurred_on, due_on, owner_id, owner_name, process, root_cause_category, document_ids, "
                + "job_role_ids, created_by, created_by_name, closed_at, closure_signature_id, end_reason) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                + "(SELECT coalesce(array_agg(id), '{}') FROM job_role WHERE code = 'ASEPTIC-OP'), $10, $11, $15, $16, "
                + "CASE WHEN $15::timestamptz IS NOT NULL THEN 'Root cause found, CAPA-0001 raised' END)")
            .executeBatch(events))
        .compose(v -> connection.preparedQuery("INSERT INTO capa (id, number, title, description, status, owner_id, "
                + "owner_name, due_on, root_cause_category, root_cause_description, created_by, created_by_name, closed_at, "
                + "closure_summary, closure_signature_id, closure_record_version, effectiveness_due_on, effectiveness_state) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $6, $7, $11, $12, $13, $14, $15, $16)")
            .executeBatch(List.of(
                Tuple.from(new Object[] {capa1, "CAPA-0001", "Glove port integrity", "Replace worn gaskets and inspect "
                    + "them in preventive maintenance", "closed", quality.id(), quality.name(), today.minusDays(45),
                    "equipment", "Worn glove port gasket", closedAt, "Gaskets replaced on all ports; inspection added "
                    + "to the PM plan", capaSigned.id(), 1, closedAt.toLocalDate().plusDays(90), "scheduled"}),
                Tuple.from(new Object[] {capa2, "CAPA-0002", "Retrain aseptic operators on permitted interventions",
                    "Operators were trained by reading only; the intervention list needs practice", "open", quality.id(),
                    quality.name(), today.plusDays(45), "training-deficiency", "The permitted-interventions list was "
                    + "read and acknowledged but never practised", null, null, null, null, null, null}))))
        .compose(v -> connection.preparedQuery("INSERT INTO capa_source (capa_id, event_id) VALUES ($1, $2)")
            .executeBatch(List.of(Tuple.of(capa1, dev1), Tuple.of(capa2, dev2))))
        .compose(v -> connection.preparedQuery("INSERT INTO capa_action (id, capa_id, kind, type, title, owner_id, owner_name, "
                + "due_on, status, document_id, version_id, method, training_due_on, person_ids, assignment_state, "
                + "created_by, created_by_name, closed_at, closed_by, closed_by_name, close_note) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $6, $7, $16, $17, $18, $19)")
            .executeBatch(List.of(
                Tuple.from(new Object[] {action1, capa1, "corrective", "other", "Replace the glove port gaskets",
                    quality.id(), quality.name(), today.minusDays(50), "completed", null, null, null, null, new UUID[0],
                    null, closedAt.minusDays(2), quality.id(), quality.name(), "Work order WO-88412 done"}),
                Tuple.from(new Object[] {action2, capa2, "corrective", "training", "Practise the permitted interventions",
                    quality.id(), quality.name(), today.plusDays(30), "open", trainingDoc, trainingVersion,
                    "read-and-acknowledge", today.plusDays(21), operators.toArray(UUID[]::new), "assigned", null, null,
                    null, null}))))
        .compose(v -> trainingHalfDone(connection, now, today, action2, trainingDoc, trainingVersion, operators))
        .compose(v -> connection.query("INSERT INTO quality_number (prefix, last) VALUES ('DEV', 2), ('CAPA', 2), "
            + "('CC', 1), ('NC', 1) ON CONFLICT (prefix) DO UPDATE SET last = GREATEST(quality_number.last, EXCLUDED.last)")
            .execute())
        .compose(v -> auditAll(connection, List.of(
            new String[] {"quality-event", dev1.toString(), "DEV-0001"}, new String[] {"quality-event", dev2.toString(),
                "DEV-0002"}, new String[] {"quality-event", cc1.toString(), "CC-0001"},
            new String[] {"quality-event", nc1.toString(), "NC-0001"}, new String[] {"capa", capa1.toString(), "CAPA-0001"},
            new String[] {"capa", capa2.toString(), "CAPA-0002"}), 0));
  }

  /** CAPA-0002's training: four operators assigned, two of them done (a classroom session entered afterwards). */
  private Future<Void> trainingHalfDone(SqlConnection connection, OffsetDateTime now, LocalDate today, UUID actionId,
                                        UUID documentId, UUID versionId, List<UUID> operators) {
    List<Tuple> assignments = new ArrayList<>();
    List<Tuple> links = new ArrayList<>();
    List<Tuple> completions = new ArrayList<>();
    OffsetDateTime due = today.plusDays(22).atStartOfDay().atOffset(ZoneOffset.UTC);
    for (int i = 0; i < operators.size(); i++) {
      UUID assignment = id("CAPA-0002/assignment/" + i);
      // The demo employee (first) still has theirs open, so they see a CAPA's training in their own list.
      boolean done = i >= operators.size() / 2;
      OffsetDateTime trainedAt = now.minusDays(3).withHour(9).withMinute(0).withSecond(0).withNano(0);
      assignments.add(Tuple.from(new Object[] {assignment, operators.get(i), documentId, versionId, done ? "completed" : "open",
          due, now.minusDays(6), actionId, done ? trainedAt : null, done ? now.minusDays(1) : null,
          done ? "Classroom session on permitted interventions" : null}));
      links.add(Tuple.of(actionId, operators.get(i), assignment));
      if (done) {
        completions.add(Tuple.from(new Object[] {id("CAPA-0002/completion/" + i), assignment, operators.get(i), documentId,
            versionId, trainedAt, now.minusDays(1), training.id(), training.name(), new JsonObject()
                .put("reference", "Attendance sheet TR-2024-311")}));
      }
    }
    return connection.preparedQuery("INSERT INTO training_assignment (id, person_id, requirement_id, document_id, "
            + "version_id, cycle, method, status, due_at, assigned_at, cause, capa_action_id, completed_at, closed_at, "
            + "close_reason) VALUES ($1, $2, NULL, $3, $4, 1, 'read-and-acknowledge', $5, $6, $7, 'capa-action', $8, $9, "
            + "$10, $11)")
        .executeBatch(assignments)
        .compose(v -> connection.preparedQuery("INSERT INTO capa_action_assignment (action_id, person_id, assignment_id, "
            + "link) VALUES ($1, $2, $3, 'created')").executeBatch(links))
        .compose(v -> completions.isEmpty() ? Future.succeededFuture()
            : connection.preparedQuery("INSERT INTO training_completion (id, assignment_id, person_id, requirement_id, "
                + "document_id, version_id, cycle, method, result, trained_at, recorded_at, reason, recorded_by, "
                + "recorded_by_name, evidence) VALUES ($1, $2, $3, NULL, $4, $5, 1, 'read-and-acknowledge', 'acknowledged', "
                + "$6, $7, 'Classroom session recorded on paper, entered afterwards', $8, $9, $10)")
                .executeBatch(completions).mapEmpty())
        .mapEmpty();
  }

  private Tuple event(UUID id, String number, String kind, String title, String description, String severity,
                             String status, LocalDate occurredOn, LocalDate dueOn, String process, String rootCause,
                             UUID documentId, OffsetDateTime closedAt, UUID closureSignature) {
    return Tuple.from(new Object[] {id, number, kind, title, description, severity, status, occurredOn, dueOn, quality.id(), quality.name(),
        process, rootCause, documentId == null ? new UUID[0] : new UUID[] {documentId}, closedAt, closureSignature});
  }

  private static Tuple signatureRow(Signature s) {
    return Tuple.from(new Object[] {s.id(), s.recordType(), s.recordId(), s.recordHash(), s.signerId(), s.signerUsername(),
        s.signerName(), s.signedAt(), s.signatureHash()});
  }

  private Future<Void> auditAll(SqlConnection connection, List<String[]> imported, int next) {
    if (next == imported.size()) {
      return Future.succeededFuture();
    }
    String[] record = imported.get(next);
    return audit.record(connection, AuditEvent.of(AuditEvent.Actor.SYSTEM, AuditEvent.Source.NONE,
            record[0] + ".imported", record[0], record[1]).withValues(null, new JsonObject().put("number", record[2]))
            .withReason("Demo data: quality records imported with their history"))
        .compose(v -> auditAll(connection, imported, next + 1));
  }
}
