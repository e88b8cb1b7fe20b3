package io.traceline.platform.reports;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.qualifications.QualificationStatus;
import io.traceline.platform.qualifications.StatusRows;
import io.traceline.platform.signatures.Signature;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/**
 * One person's line of the auditor's question (RPT-1): who they are (status that day, site, department, the job roles
 * that made the document theirs, by name and code), the completion that counts and its evidence (version covered, when trained and
 * recorded, method, result and score, trainer, the signature), and the verdict.
 *
 * <p>The qualification status comes from the point-of-use rules ({@link StatusRows}); the verdict answers the auditor's
 * narrower question: {@code not-required} when no requirement applied to the person (whatever they trained on),
 * {@code current} when qualified, {@code overdue} when not and training of the document was open past its due date at
 * the instant (not paused by leave), {@code not-current} otherwise (trained on an older version, never trained,
 * recertification lapsed, effectiveness not verified yet).
 */
public record DocumentTrainingLine(UUID personId, String employeeNumber, String name, String personStatus,
                                   String siteCode, String siteName, String departmentCode, String departmentName,
                                   List<String> jobRoles, List<String> jobRoleCodes, boolean required, String verdict, String status, String reason,
                                   String detail, Completion completion, boolean coversVersion, OffsetDateTime expiresAt,
                                   OffsetDateTime openDueAt) {

  public static final String CURRENT = "current";
  public static final String NOT_CURRENT = "not-current";
  public static final String OVERDUE = "overdue";
  public static final String NOT_REQUIRED = "not-required";
  public static final List<String> VERDICTS = List.of(CURRENT, NOT_CURRENT, OVERDUE, NOT_REQUIRED);

  /** The completion that counts and its evidence; fields of the record are null for a completion without one. */
  public record Completion(UUID versionId, String version, OffsetDateTime trainedAt, String method, UUID completionId,
                           String result, Integer score, Integer passScore, OffsetDateTime recordedAt, Boolean late,
                           String lateReason, String trainer, Signature signature) {
  }

  static DocumentTrainingLine of(Row row) {
    QualificationStatus decided = StatusRows.decide(row);
    OffsetDateTime at = row.getOffsetDateTime("checked_at");
    boolean required = row.getBoolean("required");
    OffsetDateTime due = row.getOffsetDateTime("open_due_at");
    boolean overdue = due != null && due.isBefore(at) && !row.getBoolean("open_paused")
        && "active".equals(row.getString("person_status"));
    String verdict = !required ? NOT_REQUIRED
        : QualificationStatus.QUALIFIED.equals(decided.status()) ? CURRENT
        : overdue ? OVERDUE : NOT_CURRENT;
    String[] roles = row.getArrayOfStrings("roles");
    String[] roleCodes = row.getArrayOfStrings("role_codes");
    return new DocumentTrainingLine(row.getUUID("person_id"), row.getString("employee_number"),
        row.getString("given_name") + " " + row.getString("family_name"), row.getString("person_status"),
        row.getString("site_code"), row.getString("site_name"), row.getString("department_code"),
        row.getString("department_name"), roles == null ? List.of() : List.of(roles),
        roleCodes == null ? List.of() : List.of(roleCodes), required, verdict, decided.status(),
        decided.reason(), decided.detail(), completion(row), row.getBoolean("trained_current"),
        row.getBoolean("trained_current") ? row.getOffsetDateTime("expires_at") : null, due);
  }

  private static Completion completion(Row row) {
    UUID version = row.getUUID("trained_id");
    if (version == null) {
      return null;
    }
    UUID signatureId = row.getUUID("signature_id");
    Signature signature = signatureId == null ? null : new Signature(signatureId, row.getString("signature_record_type"),
        row.getString("signature_record_id"), row.getInteger("signature_record_version"),
        row.getString("signature_record_hash"), row.getString("signature_meaning"), row.getString("signer_id"),
        row.getString("signer_username"), row.getString("signer_name"), row.getOffsetDateTime("signed_at"),
        row.getString("signature_method"), row.getString("signature_hash"));
    return new Completion(version, row.getInteger("trained_major") + "." + row.getInteger("trained_minor"),
        row.getOffsetDateTime("trained_at"), row.getString("trained_method"), row.getUUID("completion_id"),
        row.getString("result"), row.getInteger("score"), row.getInteger("pass_score"),
        row.getOffsetDateTime("recorded_at"), row.getBoolean("late"), row.getString("late_reason"),
        row.getString("trainer_name"), signature);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("person", new JsonObject().put("id", personId.toString()).put("employeeNumber", employeeNumber)
            .put("name", name).put("status", personStatus))
        .put("site", new JsonObject().put("code", siteCode).put("name", siteName))
        .put("department", new JsonObject().put("code", departmentCode).put("name", departmentName))
        .put("jobRoles", new JsonArray(jobRoles))
        .put("required", required)
        .put("verdict", verdict)
        .put("status", status)
        .put("reason", reason)
        .put("detail", detail)
        .put("coversVersion", coversVersion)
        .put("expiresAt", time(expiresAt))
        .put("openTrainingDueAt", time(openDueAt));
    if (completion == null) {
      return json.putNull("latestCompletion");
    }
    Completion c = completion;
    return json.put("latestCompletion", new JsonObject()
        .put("id", c.completionId() == null ? null : c.completionId().toString())
        .put("version", new JsonObject().put("id", c.versionId().toString()).put("version", c.version()))
        .put("trainedAt", time(c.trainedAt()))
        .put("recordedAt", time(c.recordedAt()))
        .put("late", c.late())
        .put("lateReason", c.lateReason())
        .put("method", c.method())
        .put("result", c.result())
        .put("score", c.score())
        .put("passScore", c.passScore())
        .put("trainer", c.trainer())
        .put("signature", c.signature() == null ? null : c.signature().toJson()));
  }

  static String time(OffsetDateTime value) {
    return value == null ? null : value.toInstant().toString();
  }
}
