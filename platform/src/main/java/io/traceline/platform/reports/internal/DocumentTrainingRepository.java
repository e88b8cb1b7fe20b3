package io.traceline.platform.reports.internal;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The SQL of the auditor's question (RPT-1, RPT-4): everyone a document concerns at an instant, with the facts that decide
 * their qualification and the evidence behind it, in one set-based statement read through a cursor (the JVM never holds
 * the whole answer).
 *
 * <p>The facts columns are those of the qualification status statement ({@code StatusRepository}), with every "now"
 * replaced by the instant {@code at}: the version in force at {@code at} (effective then, not yet superseded or ended),
 * the versions effective by then for the training baseline, the requirements in force then (created before, not retired
 * before), the job roles held on that day, the completions trained by then, and the person's status that day (from the
 * {@code person_event} history before their current status began). So the same rules decide the answer for now and for
 * any past instant. A chosen version replaces the version in force: the question becomes "trained on this version, or
 * a later one, or an earlier one no revision up to it asked training of".
 */
public final class DocumentTrainingRepository {

  /** A holding on the report's day: the period [valid_from, valid_to) contains it. */
  private static final String HOLDING_ON_DAY = "h.valid_from <= d.day AND (h.valid_to IS NULL OR h.valid_to > d.day)";

  /** A program-scoped requirement applies only to members of its program that day (SPN-1, as the matrix reads it). */
  private static final String IN_PROGRAM_ON_DAY = "(r.program_id IS NULL OR EXISTS (SELECT 1 FROM person_program m "
      + "WHERE m.person_id = p.id AND m.program_id = r.program_id AND m.valid_from <= d.day "
      + "AND (m.valid_to IS NULL OR m.valid_to > d.day)))";

  static final String REPORT = "WITH d AS (SELECT d.id, d.number, d.title, d.risk_class, $2::timestamptz AS at, "
      + "  ($2::timestamptz AT TIME ZONE 'UTC')::date AS day, $3::uuid AS chosen_id FROM document d WHERE d.id = $1), "
      // The version the question is about: the chosen one, or the one in force at the instant.
      + "cur AS (SELECT v.id, v.major, v.minor, v.effective_at FROM d JOIN document_version v ON v.document_id = d.id "
      + "  WHERE CASE WHEN d.chosen_id IS NOT NULL THEN v.id = d.chosen_id ELSE v.effective_at <= d.at "
      + "    AND coalesce(v.superseded_at, v.ended_at, 'infinity') > d.at END), "
      // The requirements of the document in force at the instant.
      + "reqs AS (SELECT r.id, r.job_role_id, r.site_id, r.program_id, r.recertify_months, r.minor_revision FROM d "
      + "  JOIN training_requirement r ON r.document_id = d.id "
      + "  WHERE r.created_at <= d.at AND (r.retired_at IS NULL OR r.retired_at > d.at)), "
      // Everyone it concerned: a requirement applied to them that day, or they had completed a version of it by then.
      + "people AS (SELECT h.person_id FROM d, reqs r JOIN person_job_role h ON h.job_role_id = r.job_role_id "
      + "    JOIN person p ON p.id = h.person_id AND (r.site_id IS NULL OR r.site_id = p.site_id) "
      + "  WHERE " + HOLDING_ON_DAY + " AND " + IN_PROGRAM_ON_DAY + " "
      + "  UNION SELECT a.person_id FROM d JOIN training_assignment a ON a.document_id = d.id AND a.status = 'completed' "
      + "    AND a.completed_at <= d.at) "
      + "SELECT p.id AS person_id, p.employee_number, p.given_name, p.family_name, "
      // The status that day: the current one from the day it began; before that, the last status change by then.
      + "  CASE WHEN p.status_since IS NULL OR p.status_since <= d.day THEN p.status "
      + "    WHEN ev.kind = 'leave-started' THEN 'on_leave' WHEN ev.kind = 'terminated' THEN 'terminated' "
      + "    ELSE 'active' END AS person_status, "
      + "  s.code AS site_code, s.name AS site_name, s.timezone AS site_timezone, "
      + "  dep.code AS department_code, dep.name AS department_name, "
      + "  d.id AS document_id, d.number, d.title, d.risk_class, "
      // The document's status then: effective, obsolete (a version had been effective) or still a draft.
      + "  CASE WHEN cur.id IS NOT NULL THEN 'effective' WHEN versions.first_version IS NOT NULL THEN 'obsolete' "
      + "    ELSE 'draft' END AS document_status, "
      + "  cur.id AS current_id, cur.major AS current_major, cur.minor AS current_minor, "
      + "  cur.effective_at AS current_effective_at, coalesce(req.required, false) AS required, req.roles, req.role_codes, "
      + "  done.version_id AS trained_id, done.major AS trained_major, done.minor AS trained_minor, "
      + "  done.completed_at AS trained_at, done.method AS trained_method, coalesce(done.current, false) AS trained_current, "
      + "  done.completed_at + make_interval(months => least(req.recertify_months, done.recertify_months)) AS expires_at, "
      + "  coalesce(evidence.verified, false) AS effectiveness_verified, d.at AS checked_at, "
      + "  c.id AS completion_id, c.result, c.score, c.pass_score, c.recorded_at, c.late, c.reason AS late_reason, "
      + "  tr.given_name || ' ' || tr.family_name AS trainer_name, "
      + "  sig.id AS signature_id, sig.record_type AS signature_record_type, sig.record_id AS signature_record_id, "
      + "  sig.record_version AS signature_record_version, sig.record_hash AS signature_record_hash, "
      + "  sig.meaning AS signature_meaning, sig.signer_id, sig.signer_username, sig.signer_name, sig.signed_at, "
      + "  sig.auth_method AS signature_method, sig.signature_hash, "
      + "  open.due_at AS open_due_at, (open.paused_since IS NOT NULL) AS open_paused "
      + "FROM people JOIN person p ON p.id = people.person_id CROSS JOIN d LEFT JOIN cur ON true "
      + "JOIN site s ON s.id = p.site_id JOIN department dep ON dep.id = p.department_id "
      + "LEFT JOIN LATERAL (SELECT e.kind FROM person_event e WHERE e.person_id = p.id "
      + "    AND e.kind IN ('hired', 'leave-started', 'returned', 'terminated') AND e.effective_on <= d.day "
      + "  ORDER BY e.effective_on DESC, e.created_at DESC LIMIT 1) ev ON true "
      // The requirements that applied to the person that day: a role they held, at their site when scoped.
      + "LEFT JOIN LATERAL (SELECT count(*) > 0 AS required, min(r.recertify_months) AS recertify_months, "
      + "    bool_and(r.minor_revision = 'none') AS minor_exempt, array_agg(DISTINCT j.name ORDER BY j.name) AS roles, "
      + "    array_agg(DISTINCT j.code ORDER BY j.code) AS role_codes "
      + "  FROM person_job_role h JOIN reqs r ON r.job_role_id = h.job_role_id "
      + "    AND (r.site_id IS NULL OR r.site_id = p.site_id) JOIN job_role j ON j.id = h.job_role_id "
      + "  WHERE h.person_id = p.id AND " + HOLDING_ON_DAY + " AND " + IN_PROGRAM_ON_DAY + ") req ON true "
      // Training and effectiveness baselines among the versions effective by then (up to the chosen one).
      + "LEFT JOIN LATERAL (SELECT "
      + "    max(array[v.major, v.minor]) FILTER (WHERE v.training_impact <> 'none' AND NOT (v.revision_kind = 'minor' "
      + "      AND v.training_impact = 'full-retraining' AND coalesce(req.minor_exempt, false))) AS training_base, "
      + "    max(array[v.major, v.minor]) FILTER (WHERE v.revision_kind = 'major' AND v.training_impact = 'full-retraining') "
      + "      AS effectiveness_base, "
      + "    min(array[v.major, v.minor]) AS first_version "
      + "  FROM document_version v WHERE v.document_id = d.id AND v.effective_at <= d.at "
      + "    AND (cur.id IS NULL OR array[v.major, v.minor] <= array[cur.major, cur.minor])) versions ON true "
      // The completion that counts (trained by then): the newest current one, else the newest at all.
      + "LEFT JOIN LATERAL (SELECT a.id AS assignment_id, a.version_id, v.major, v.minor, a.completed_at, a.method, "
      + "    r.recertify_months, array[v.major, v.minor] >= coalesce(versions.training_base, versions.first_version) AS current "
      + "  FROM training_assignment a JOIN document_version v ON v.id = a.version_id "
      // A CAPA training action's assignment has no requirement (cause capa-action): it counts all the same.
      + "    LEFT JOIN training_requirement r ON r.id = a.requirement_id "
      + "  WHERE a.person_id = p.id AND a.document_id = d.id AND a.status = 'completed' AND a.completed_at <= d.at "
      + "  ORDER BY 8 DESC NULLS LAST, a.completed_at DESC LIMIT 1) done ON true "
      + "LEFT JOIN LATERAL (SELECT true AS verified FROM training_assignment a "
      + "    JOIN document_version v ON v.id = a.version_id "
      + "  WHERE d.risk_class = 'high' AND a.person_id = p.id AND a.document_id = d.id AND a.status = 'completed' "
      + "    AND a.completed_at <= d.at AND a.method IN ('assessment', 'on-the-job') "
      + "    AND array[v.major, v.minor] >= coalesce(versions.effectiveness_base, versions.first_version) "
      + "  LIMIT 1) evidence ON true "
      // The training still open at the instant (assigned by then, neither completed nor closed by then), earliest due.
      + "LEFT JOIN LATERAL (SELECT a.due_at, a.paused_since FROM training_assignment a "
      + "  WHERE a.person_id = p.id AND a.document_id = d.id AND a.assigned_at <= d.at "
      + "    AND coalesce(a.completed_at, a.closed_at, 'infinity') > d.at "
      + "  ORDER BY a.due_at LIMIT 1) open ON true "
      + "LEFT JOIN training_completion c ON c.assignment_id = done.assignment_id "
      + "LEFT JOIN person tr ON tr.id = c.trainer_id "
      + "LEFT JOIN signature sig ON sig.id = c.signature_id "
      + "ORDER BY s.code, dep.code, p.family_name, p.given_name, p.employee_number";

  /** The report's statement (for benchmarks that time the same SQL in the database). */
  public static String statement() {
    return REPORT;
  }

  /** The document a report names (by id or number), the tenant's display name and the chosen version, if any. */
  public record Subject(UUID documentId, String number, String title, String riskClass, String tenantName,
                        Version chosen, Version inForce) {
  }

  /** A version: its label, when it became effective and when it stopped being (superseded or ended). */
  public record Version(UUID id, String label, String state, OffsetDateTime effectiveAt, OffsetDateTime endedAt) {
  }

  /**
   * The document by id or number ({@code null} when none), with the version {@code chosenId} when it is one of its
   * versions (else {@code chosen} is null; the caller tells apart "not asked" and "not found"), and the version in force
   * at {@code at}.
   */
  public Future<Subject> subject(SqlConnection connection, UUID documentId, String number, UUID chosenId,
                                 OffsetDateTime at, String tenantSlug) {
    return connection.preparedQuery("SELECT d.id, d.number, d.title, d.risk_class, "
            + "(SELECT display_name FROM control.tenant WHERE slug = $4) AS tenant_name, "
            + "ch.id AS chosen_id, ch.major AS chosen_major, ch.minor AS chosen_minor, ch.state AS chosen_state, "
            + "ch.effective_at AS chosen_effective_at, coalesce(ch.superseded_at, ch.ended_at) AS chosen_ended_at, "
            + "f.id AS force_id, f.major AS force_major, f.minor AS force_minor, f.state AS force_state, "
            + "f.effective_at AS force_effective_at, coalesce(f.superseded_at, f.ended_at) AS force_ended_at "
            + "FROM document d "
            + "LEFT JOIN document_version ch ON ch.document_id = d.id AND ch.id = $3 "
            + "LEFT JOIN document_version f ON f.document_id = d.id AND f.effective_at <= $5 "
            + "  AND coalesce(f.superseded_at, f.ended_at, 'infinity') > $5 "
            + "WHERE d.id = $1 OR d.number = $2 LIMIT 1")
        .execute(Tuple.of(documentId, number, chosenId, tenantSlug, at))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new Subject(row.getUUID("id"), row.getString("number"), row.getString("title"),
              row.getString("risk_class"), row.getString("tenant_name"), version(row, "chosen"), version(row, "force"));
        });
  }

  private static Version version(Row row, String prefix) {
    UUID id = row.getUUID(prefix + "_id");
    return id == null ? null : new Version(id, row.getInteger(prefix + "_major") + "." + row.getInteger(prefix + "_minor"),
        row.getString(prefix + "_state"), row.getOffsetDateTime(prefix + "_effective_at"),
        row.getOffsetDateTime(prefix + "_ended_at"));
  }

  /** A cursor over the report's rows (inside the caller's transaction, which a cursor needs). */
  public Future<Cursor> open(SqlConnection connection, UUID documentId, OffsetDateTime at, UUID chosenId) {
    return connection.prepare(REPORT).map(statement -> statement.cursor(Tuple.of(documentId, at, chosenId)));
  }
}
