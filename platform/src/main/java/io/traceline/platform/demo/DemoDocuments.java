package io.traceline.platform.demo;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.documents.DocumentSubmission;
import io.traceline.platform.integrity.CanonicalJson;
import io.traceline.platform.records.RecordVersion;
import io.traceline.platform.signatures.Signature;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The demo CDMO's controlled documents: about 150 SOPs, work instructions, policies, forms and specifications across
 * QA, QC, manufacturing, fill-finish, engineering, validation, warehouse and EHS, most with a few revisions of history.
 * Each submitted version has its file, the record version its submission froze, and the reviewer's and approver's
 * signatures bound to it, so the audit trail's verification holds for the demo too. Some documents are past their
 * periodic review, some have a revision in draft or waiting in review for the demo reviewer and approver.
 *
 * <p>History is imported rather than replayed through the API (which would re-authenticate ~600 signatures at each
 * first start): each document's import is one audited {@code document.imported} event. Generated from a fixed seed,
 * so every demo tenant looks the same.
 */
final class DemoDocuments {

  static final String SEEDER = "demo-seeder";

  /** Department, type, title. */
  static final String[][] CATALOG = catalog();

  private final AuditTrail audit;
  private final DemoPeople people;
  private final List<Tuple> blobs = new ArrayList<>();
  private final List<Tuple> documents = new ArrayList<>();
  private final List<Tuple> versions = new ArrayList<>();
  private final List<Tuple> records = new ArrayList<>();
  private final List<Tuple> signatures = new ArrayList<>();
  private final List<Tuple> steps = new ArrayList<>();
  private final List<JsonObject> imported = new ArrayList<>();
  private final Map<String, Integer> sequences = new HashMap<>();

  /** The demo logins who author, review, approve and own documents. */
  record DemoPeople(Login author, Login reviewer, Login approver, Login qualityManager) {
  }

  record Login(String id, String username, String name) {
  }

  DemoDocuments(AuditTrail audit, DemoPeople people) {
    this.audit = audit;
    this.people = people;
  }

  /** Imports the documents unless the tenant has them already. */
  Future<Void> seed(SqlConnection connection) {
    return connection.preparedQuery("SELECT count(*) AS n FROM document WHERE created_by = $1").execute(Tuple.of(SEEDER))
        .compose(rows -> rows.iterator().next().getLong("n") > 0 ? Future.succeededFuture() : importAll(connection));
  }

  private Future<Void> importAll(SqlConnection connection) {
    Random random = new Random(20261122L);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    for (int i = 0; i < CATALOG.length; i++) {
      build(i, CATALOG[i], random, now);
    }
    return batch(connection, "INSERT INTO content_blob (sha256, size_bytes, bytes) VALUES ($1, $2, $3) "
        + "ON CONFLICT (sha256) DO NOTHING", blobs)
        .compose(v -> batch(connection, "INSERT INTO document (id, number, title, type, owner_id, department, risk_class, "
            + "program_id, review_interval_months, status, created_at, created_by, updated_at, next_review_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $13)", documents))
        .compose(v -> batch(connection, "INSERT INTO document_version (id, document_id, major, minor, revision_kind, "
            + "change_summary, training_impact, impact_justification, state, author_id, author_name, created_at, "
            + "submitted_at, approved_at, approved_by, approved_by_name, effective_at, superseded_at, ended_at, end_reason, "
            + "content_sha256, content_media_type, content_file_name, content_size, content_uploaded_at, "
            + "content_uploaded_by, record_version, record_hash, route_order) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
            + "$10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $12, $10, $25, $26, $27)", versions))
        .compose(v -> batch(connection, "INSERT INTO record_version (record_type, record_id, version, content, content_hash, "
            + "created_at, created_by, created_by_name, reason) VALUES ('document-version', $1, $2, $3, $4, $5, $6, $7, $8)",
            records))
        .compose(v -> batch(connection, "INSERT INTO signature (id, record_type, record_id, record_version, record_hash, "
            + "meaning, signer_id, signer_username, signer_name, signed_at, auth_method, signature_hash) "
            + "VALUES ($1, 'document-version', $2, $3, $4, $5, $6, $7, $8, $9, 'password', $10)", signatures))
        .compose(v -> batch(connection, "INSERT INTO document_route_step (id, version_id, round, stage, position, "
            + "assignee_id, assignee_name, state, signature_id, decided_at) VALUES ($1, $2, 1, $3, 1, $4, $5, $6, $7, $8)",
            steps))
        .compose(v -> batch(connection, "INSERT INTO document_number_sequence (scheme, last_value) VALUES ($1, $2) "
            + "ON CONFLICT (scheme) DO UPDATE SET last_value = GREATEST(document_number_sequence.last_value, $2)",
            sequences.entrySet().stream().map(entry -> Tuple.of(entry.getKey(), entry.getValue())).toList()))
        .compose(v -> auditImports(connection, 0));
  }

  private void build(int index, String[] entry, Random random, OffsetDateTime now) {
    String department = entry[0];
    String type = entry[1];
    String title = entry[2];
    String prefix = switch (type) {
      case "work-instruction" -> "WI";
      case "policy" -> "POL";
      case "form" -> "FRM";
      case "specification" -> "SPEC";
      default -> "SOP";
    };
    String scheme = prefix + "-" + department;
    int sequence = sequences.merge(scheme, 1, Integer::sum);
    String number = scheme + "-" + String.format("%03d", sequence);
    UUID documentId = id("document", number);
    String risk = List.of("FIL", "MFG", "QC").contains(department) ? (random.nextInt(3) == 0 ? "medium" : "high")
        : List.of("WHS", "EHS").contains(department) ? "low" : "medium";
    int interval = "policy".equals(type) || "form".equals(type) ? 36 : 24;
    Login owner = List.of("QA", "VAL").contains(department) ? people.qualityManager() : people.author();
    JsonObject document = new JsonObject().put("id", documentId.toString()).put("number", number).put("title", title)
        .put("type", type).put("department", department).put("riskClass", risk)
        .put("program", DemoPrograms.programOf(index) == null ? null : DemoPrograms.shown(DemoPrograms.programOf(index)));

    // Effective revisions: the first between early 2021 and mid 2025, each next one 5 to 16 months later.
    int revisions = 1 + random.nextInt(random.nextInt(4) + 1);
    OffsetDateTime effective = OffsetDateTime.of(2021, 1, 4, 9, 0, 0, 0, ZoneOffset.UTC).plusDays(random.nextInt(1600));
    List<OffsetDateTime> dates = new ArrayList<>();
    for (int r = 0; r < revisions && effective.isBefore(now.minusDays(20)); r++) {
      dates.add(effective);
      effective = effective.plusDays(150 + random.nextInt(330));
    }
    boolean obsolete = index % 41 == 40;
    int major = 0;
    int minor = 0;
    for (int r = 0; r < dates.size(); r++) {
      boolean isMajor = r == 0 || random.nextInt(10) < 6;
      major = isMajor ? major + 1 : major;
      minor = isMajor ? 0 : minor + 1;
      String state = r < dates.size() - 1 ? "superseded" : obsolete ? "obsolete" : "effective";
      OffsetDateTime endedAt = r < dates.size() - 1 ? dates.get(r + 1) : obsolete ? now.minusDays(30) : null;
      version(document, major, minor, isMajor, dates.get(r), state, endedAt, random);
    }
    OffsetDateTime lastEffective = dates.get(dates.size() - 1);
    // A revision in progress: a draft with the author, or a submission waiting for the demo reviewer.
    if (!obsolete && index % 11 == 3) {
      openVersion(document, major, minor + 1, "draft", now.minusDays(3 + index % 20));
    } else if (!obsolete && index % 13 == 5) {
      openVersion(document, major + 1, 0, "in-review", now.minusDays(2 + index % 9));
    }
    documents.add(Tuple.from(new Object[] {documentId, number, title, type, owner.id(), department, risk,
        DemoPrograms.programOf(index) == null ? null : DemoPrograms.id(DemoPrograms.programOf(index)), interval, obsolete ? "obsolete" : "effective",
        dates.get(0).minusDays(20), SEEDER, obsolete ? null : lastEffective.plusMonths(interval)}));
    imported.add(document.put("versions", dates.size()));
  }

  private void version(JsonObject document, int major, int minor, boolean isMajor, OffsetDateTime effectiveAt,
                       String state, OffsetDateTime endedAt, Random random) {
    String label = major + "." + minor;
    UUID versionId = id("version", document.getString("number") + ":" + label);
    String impact = isMajor ? ("low".equals(document.getString("riskClass")) ? "read-and-acknowledge" : "full-retraining")
        : random.nextBoolean() ? "read-and-acknowledge" : "none";
    String summary = major == 1 && minor == 0 ? "First issue" : isMajor
        ? MAJOR_CHANGES[random.nextInt(MAJOR_CHANGES.length)] : MINOR_CHANGES[random.nextInt(MINOR_CHANGES.length)];
    String justification = "none".equals(impact) ? "Editorial change: the steps people perform are unchanged" : null;
    OffsetDateTime created = effectiveAt.minusDays(21);
    OffsetDateTime submitted = effectiveAt.minusDays(12);
    JsonObject content = file(document, label, summary, effectiveAt, created);
    JsonObject route = new JsonObject().put("order", "sequential")
        .put("reviewers", new JsonArray().add(person(people.reviewer())))
        .put("approvers", new JsonArray().add(person(people.approver())));
    JsonObject shown = new JsonObject().put("version", label).put("revision", isMajor ? "major" : "minor")
        .put("changeSummary", summary).put("trainingImpact", impact).put("impactJustification", justification)
        .put("authorId", people.author().id()).put("authorName", people.author().name()).put("content", content);
    JsonObject frozen = DocumentSubmission.freeze(document, shown, route, null);
    String recordHash = RecordVersion.hashOf("document-version", versionId.toString(), 1, frozen);
    records.add(Tuple.from(new Object[] {versionId.toString(), 1, frozen, recordHash, submitted, people.author().id(),
        people.author().name(), "Submitted for review and approval"}));
    Signature reviewed = signature(versionId, recordHash, "reviewed", people.reviewer(), effectiveAt.minusDays(8));
    Signature approved = signature(versionId, recordHash, "approved", people.approver(), effectiveAt.minusDays(3));
    steps.add(step(versionId, "review", people.reviewer(), "signed", reviewed));
    steps.add(step(versionId, "approval", people.approver(), "signed", approved));
    versions.add(Tuple.from(new Object[] {versionId, UUID.fromString(document.getString("id")), major, minor,
        isMajor ? "major" : "minor", summary, impact, justification, state, people.author().id(), people.author().name(),
        created, submitted, approved.signedAt(), people.approver().id(), people.approver().name(), effectiveAt,
        "superseded".equals(state) ? endedAt : null, "obsolete".equals(state) ? endedAt : null,
        "obsolete".equals(state) ? "Process transferred to the Cork site; replaced by its local procedure" : null,
        content.getString("sha256"), content.getString("mediaType"), content.getString("fileName"),
        content.getLong("size"), 1, recordHash, "sequential"}));
  }

  /** A revision not yet effective: a draft, or a submission whose review and approval steps are pending. */
  private void openVersion(JsonObject document, int major, int minor, String state, OffsetDateTime created) {
    String label = major + "." + minor;
    UUID versionId = id("version", document.getString("number") + ":" + label);
    boolean isMajor = minor == 0;
    String impact = isMajor ? "full-retraining" : "read-and-acknowledge";
    String summary = isMajor ? "Aligned with the revised EU GMP Annex 1 contamination control strategy"
        : "Clarified the acceptance criteria in section 6";
    JsonObject content = file(document, label, summary, null, created);
    String recordHash = null;
    Integer round = null;
    if ("in-review".equals(state)) {
      JsonObject route = new JsonObject().put("order", "sequential")
          .put("reviewers", new JsonArray().add(person(people.reviewer())))
          .put("approvers", new JsonArray().add(person(people.approver())));
      JsonObject shown = new JsonObject().put("version", label).put("revision", isMajor ? "major" : "minor")
          .put("changeSummary", summary).put("trainingImpact", impact).put("impactJustification", null)
          .put("authorId", people.author().id()).put("authorName", people.author().name()).put("content", content);
      JsonObject frozen = DocumentSubmission.freeze(document, shown, route, null);
      recordHash = RecordVersion.hashOf("document-version", versionId.toString(), 1, frozen);
      round = 1;
      records.add(Tuple.from(new Object[] {versionId.toString(), 1, frozen, recordHash, created.plusDays(1),
          people.author().id(), people.author().name(), "Submitted for review and approval"}));
      steps.add(step(versionId, "review", people.reviewer(), "pending", null));
      steps.add(step(versionId, "approval", people.approver(), "pending", null));
    }
    versions.add(Tuple.from(new Object[] {versionId, UUID.fromString(document.getString("id")), major, minor,
        isMajor ? "major" : "minor", summary, impact, null, state, people.author().id(), people.author().name(), created,
        round == null ? null : created.plusDays(1), null, null, null, null, null, null, null,
        content.getString("sha256"), content.getString("mediaType"), content.getString("fileName"),
        content.getLong("size"), round, recordHash, round == null ? null : "sequential"}));
  }

  /** The version's controlled file (Markdown), stored content-addressed; returns its metadata. */
  private JsonObject file(JsonObject document, String label, String summary, OffsetDateTime effectiveAt,
                          OffsetDateTime created) {
    String text = "# " + document.getString("number") + " " + document.getString("title") + "\n\n"
        + "Version " + label + (effectiveAt == null ? " (not yet effective)" : ", effective "
            + effectiveAt.toLocalDate()) + " · Meridian Biologics · " + document.getString("department") + "\n\n"
        + "## 1 Purpose\n\nTo describe how " + document.getString("title").toLowerCase() + " is carried out so that the "
        + "product, the people and the records meet current good manufacturing practice.\n\n"
        + "## 2 Scope\n\nAll sites of Meridian Biologics and the contract programs they serve.\n\n"
        + "## 3 Responsibilities\n\nThe department head owns this procedure; everyone who performs it is trained on "
        + "this version before doing so.\n\n## 4 Procedure\n\n1. Prepare the area and the materials.\n"
        + "2. Perform the steps as written; record each one at the time it is done.\n"
        + "3. Report any deviation to Quality Assurance at once.\n\n## 5 Change history\n\n" + label + ": " + summary + "\n";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    String sha256 = CanonicalJson.sha256Hex(bytes);
    blobs.add(Tuple.of(sha256, (long) bytes.length, Buffer.buffer(bytes)));
    return new JsonObject().put("fileName", document.getString("number") + "-v" + label + ".md")
        .put("mediaType", "text/markdown").put("size", (long) bytes.length).put("sha256", sha256)
        .put("uploadedAt", created.toInstant().toString());
  }

  private Signature signature(UUID versionId, String recordHash, String meaning, Login signer, OffsetDateTime at) {
    Signature signature = new Signature(id("signature", versionId + ":" + meaning), "document-version",
        versionId.toString(), 1, recordHash, meaning, signer.id(), signer.username(), signer.name(), at, "password", null)
        .withHash();
    signatures.add(Tuple.from(new Object[] {signature.id(), versionId.toString(), 1, recordHash, meaning, signer.id(),
        signer.username(), signer.name(), at, signature.signatureHash()}));
    return signature;
  }

  private static Tuple step(UUID versionId, String stage, Login assignee, String state, Signature signature) {
    return Tuple.from(new Object[] {id("step", versionId + ":" + stage), versionId, stage, assignee.id(), assignee.name(),
        state, signature == null ? null : signature.id(), signature == null ? null : signature.signedAt()});
  }

  private Future<Void> auditImports(SqlConnection connection, int index) {
    if (index == imported.size()) {
      return Future.succeededFuture();
    }
    JsonObject document = imported.get(index);
    return audit.record(connection, AuditEvent.of(new AuditEvent.Actor(SEEDER, "Traceline demo seeder"),
            AuditEvent.Source.NONE, "document.imported", "document", document.getString("id"))
            .withValues(null, document).withReason("Demo data: document history imported by the demo seeder"))
        .compose(v -> auditImports(connection, index + 1));
  }

  private static Future<Void> batch(SqlConnection connection, String sql, List<Tuple> rows) {
    return rows.isEmpty() ? Future.succeededFuture() : connection.preparedQuery(sql).executeBatch(rows).mapEmpty();
  }

  private static JsonObject person(Login login) {
    return new JsonObject().put("id", login.id()).put("name", login.name());
  }

  private static UUID id(String kind, String key) {
    return UUID.nameUUIDFromBytes(("traceline-demo:" + kind + ":" + key).getBytes(StandardCharsets.UTF_8));
  }


  private static final String[] MAJOR_CHANGES = {
      "Rewritten after the 2023 regulatory inspection observation on line clearance",
      "New equipment qualified: steps and acceptance criteria updated",
      "Procedure restructured; responsibilities moved to the area supervisor",
      "CAPA follow-up: added a second-person verification of critical steps",
      "Aligned with the revised contamination control strategy",
      "Sampling plan changed after the statistical review of three years of data"};
  private static final String[] MINOR_CHANGES = {
      "Corrected references to forms", "Updated the contact list and room numbers",
      "Clarified wording in section 4 without changing the steps", "Added a figure of the equipment layout",
      "Reformatted to the new document template"};

  private static String[][] catalog() {
    Map<String, String[]> titles = new java.util.LinkedHashMap<>();
    titles.put("QA", new String[] {"Document control", "Change control", "Deviation management",
        "Corrective and preventive action (CAPA)", "Batch record review and release", "Internal audits",
        "Supplier qualification and audits", "Management review", "Complaint handling", "Product recall",
        "Annual product quality review", "Training management", "Data integrity and ALCOA+ principles",
        "Quality risk management", "Good documentation practices", "Electronic signatures and record retention",
        "Out-of-specification investigations", "Quality agreements with sponsors", "Self-inspection program", "Vendor certificate review", "Batch disposition for sponsors", "Quality metrics and trending"});
    titles.put("QC", new String[] {"Sampling of raw materials", "HPLC system suitability", "Analytical method transfer",
        "Reference standard management", "Stability program", "Environmental monitoring of cleanrooms",
        "Bioburden testing", "Endotoxin testing (LAL)", "Sterility testing", "Laboratory equipment calibration",
        "Reagent and solution preparation", "Laboratory investigations", "Retention samples", "Water system sampling",
        "Microbial identification", "Growth promotion testing", "Certificate of analysis issue",
        "Laboratory notebook use", "Cell-based potency assay", "Residual host cell protein testing", "Chain of custody for samples", "Laboratory glassware cleaning"});
    titles.put("MFG", new String[] {"Cell bank thaw and expansion", "Bioreactor inoculation", "Media preparation",
        "Buffer preparation", "Harvest clarification", "Protein A chromatography", "Viral inactivation",
        "Ultrafiltration and diafiltration", "Bulk drug substance freezing", "Line clearance",
        "Single-use assembly installation", "Equipment cleaning (CIP/SIP)", "In-process controls",
        "Manufacturing area gowning", "Batch record execution", "Material dispensing", "Room status and logbooks",
        "Process parameter excursions", "Depth filtration", "Virus filtration", "Bioreactor sampling"});
    titles.put("FIL", new String[] {"Aseptic gowning qualification", "Aseptic process simulation (media fill)",
        "Grade A interventions", "Isolator decontamination (VHP)", "Vial washing and depyrogenation",
        "Stopper processing", "Filling line setup", "Fill weight checks", "Capping and crimping",
        "Visual inspection of vials", "Lyophilization cycle operation", "Filter integrity testing",
        "Cleanroom cleaning and disinfection", "Personnel monitoring", "Transfer of materials into Grade B",
        "Container closure integrity", "Filled product labeling", "Aseptic behaviour rules", "Smoke studies of airflow", "Glove integrity testing", "Filled vial accountability"});
    titles.put("ENG", new String[] {"Preventive maintenance", "Corrective maintenance work orders",
        "Calibration program", "HVAC system operation", "Clean steam generation", "WFI system operation",
        "Compressed gases monitoring", "Spare parts management", "Engineering change requests",
        "Equipment logbooks", "Alarm management", "Temperature mapping", "Building management system",
        "Lockout tagout", "Utility shutdown planning", "Pest control", "Autoclave operation", "Freezer and refrigerator alarms", "Vibration monitoring of rotating equipment"});
    titles.put("VAL", new String[] {"Validation master plan", "Equipment qualification (IQ/OQ/PQ)",
        "Process validation", "Cleaning validation", "Computer system validation", "Analytical method validation",
        "Requalification schedule", "Validation deviations", "Risk-based validation approach",
        "Shipping validation", "Periodic review of validated systems", "Validation report approval", "Sterilization validation", "Aseptic process validation strategy", "Continued process verification"});
    titles.put("WHS", new String[] {"Receipt of goods", "Quarantine and release of materials", "Cold chain storage",
        "Temperature excursions in storage", "Finished goods shipping", "Inventory counts", "Label control",
        "Returned goods", "Rejected material destruction", "Warehouse cleaning", "Forklift operation",
        "Controlled substances storage", "Sample management", "Dry ice handling", "Dangerous goods declaration"});
    titles.put("EHS", new String[] {"Chemical spill response", "Biosafety level 2 practices", "Waste segregation",
        "Personal protective equipment", "Emergency evacuation", "Incident reporting", "Hot work permits",
        "Confined space entry", "Working at height", "Ergonomics assessment", "Fire extinguisher inspection",
        "Occupational health surveillance", "Contractor safety induction", "Hazardous material transport", "Radiation safety", "Noise exposure control"});
    String[] types = {"sop", "sop", "sop", "work-instruction", "sop", "form", "sop", "work-instruction", "specification",
        "sop", "policy"};
    List<String[]> catalog = new ArrayList<>();
    titles.forEach((department, list) -> {
      for (int i = 0; i < list.length; i++) {
        String type = i == 0 && ("QA".equals(department) || "EHS".equals(department)) ? "policy"
            : types[(i * 7 + department.length()) % types.length];
        catalog.add(new String[] {department, type, list[i]});
      }
    });
    return catalog.toArray(new String[0][]);
  }
}
