package io.traceline.platform.qualifications.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Reads the facts that decide a qualification (TRN-6) for pairs of person and document, in one statement per question,
 * on the caller's connection (tenant schema). The source of truth is the completed assignments (pinned to a document
 * version) with the document's versions and the matrix; nothing is cached or stored.
 *
 * <p>Versions are compared as {@code array[major, minor]}. A completion is <em>current</em> when its version is at or
 * after the document's training baseline: the latest version that asked training of this person — impact "none" asks
 * nothing (TRN-2, DOC-7), nor does a minor full-retraining revision when every requirement that applies to the person
 * exempts minor revisions (the fan-out then assigned nothing). So a completion of v1 never satisfies v2, unless every
 * revision since v1 asked nothing.
 *
 * <p>Effectiveness (high-risk documents, TRN-1, ISO 13485 §6.2) is an assessment or on-the-job completion on a version at
 * or after the latest major full-retraining revision: a later minor revision acknowledged by reading keeps it.
 */
public final class StatusRepository {

  /** A holding in force today: the period [valid_from, valid_to) contains today (as the fan-out reads it). */
  /** Where a statement names the tenant's schema: removed under a search_path, or the quoted schema name. */
  private static final String SCHEMA = "{schema}.";
  private static final Pattern SCHEMA_NAME = Pattern.compile("^t_[a-z][a-z0-9_]{2,39}$");

  public static final String CURRENT_HOLDING = "h.valid_from <= current_date AND (h.valid_to IS NULL OR h.valid_to > current_date)";

  /**
   * Requirement {@code r} applies to person {@code p} as far as programs go (SPN-1, as the fan-out reads it): no program
   * scope, or a member of its program today (an index probe of person_program_by_person). Tables carry {schema}.
   */
  private static final String IN_PROGRAM_IN = "(r.program_id IS NULL OR EXISTS (SELECT 1 FROM {schema}.person_program m "
      + "WHERE m.person_id = p.id AND m.program_id = r.program_id AND m.valid_from <= current_date "
      + "AND (m.valid_to IS NULL OR m.valid_to > current_date)))";
  private static final String IN_PROGRAM = IN_PROGRAM_IN.replace(SCHEMA, "");

  /**
   * The facts of each pair of the CTE {@code pairs(person_id, document_id, n)} (either id may be null: that pair then
   * reads as unknown). Every lateral part is an index lookup: person and document by primary key, versions by
   * (document, major, minor), the person's holdings and the requirement by (document, role), completions through
   * {@code training_assignment_completed_by_person}.
   */
  private static final String FACTS_IN = "SELECT pairs.n, p.id AS person_id, p.employee_number, p.given_name, p.family_name, "
      + "p.status AS person_status, d.id AS document_id, d.number, d.title, d.risk_class, d.status AS document_status, "
      + "cur.id AS current_id, cur.major AS current_major, cur.minor AS current_minor, cur.effective_at AS current_effective_at, "
      + "req.required, done.version_id AS trained_id, done.major AS trained_major, done.minor AS trained_minor, "
      + "done.completed_at AS trained_at, done.method AS trained_method, coalesce(done.current, false) AS trained_current, "
      + "done.completed_at + make_interval(months => least(req.recertify_months, done.recertify_months)) AS expires_at, "
      + "coalesce(evidence.verified, false) AS effectiveness_verified, now() AS checked_at "
      + "FROM pairs "
      + "LEFT JOIN {schema}.person p ON p.id = pairs.person_id "
      + "LEFT JOIN {schema}.document d ON d.id = pairs.document_id "
      + "LEFT JOIN {schema}.document_version cur ON cur.document_id = d.id AND cur.state = 'effective' "
      // The active requirements that apply to the person now: a role they hold today, at their site and in their program
      // when scoped.
      + "LEFT JOIN LATERAL (SELECT count(*) > 0 AS required, min(r.recertify_months) AS recertify_months, "
      + "    bool_and(r.minor_revision = 'none') AS minor_exempt "
      + "  FROM {schema}.person_job_role h JOIN {schema}.training_requirement r ON r.job_role_id = h.job_role_id "
      + "    AND r.document_id = d.id "
      + "    AND r.active AND (r.site_id IS NULL OR r.site_id = p.site_id) "
      + "  WHERE h.person_id = p.id AND " + CURRENT_HOLDING + " AND " + IN_PROGRAM_IN + ") req ON true "
      // The training baseline, the effectiveness baseline and the first version, among versions ever effective.
      + "LEFT JOIN LATERAL (SELECT "
      + "    max(array[v.major, v.minor]) FILTER (WHERE v.training_impact <> 'none' AND NOT (v.revision_kind = 'minor' "
      + "      AND v.training_impact = 'full-retraining' AND coalesce(req.minor_exempt, false))) AS training_base, "
      + "    max(array[v.major, v.minor]) FILTER (WHERE v.revision_kind = 'major' AND v.training_impact = 'full-retraining') "
      + "      AS effectiveness_base, "
      + "    min(array[v.major, v.minor]) AS first_version "
      + "  FROM {schema}.document_version v WHERE v.document_id = d.id AND v.state IN ('effective', 'superseded')) "
      + "  versions ON true "
      // The completion that counts: the newest current one, else the newest at all (to say what they were trained on).
      + "LEFT JOIN LATERAL (SELECT a.version_id, v.major, v.minor, a.completed_at, a.method, r.recertify_months, "
      + "    array[v.major, v.minor] >= coalesce(versions.training_base, versions.first_version) AS current "
      + "  FROM {schema}.training_assignment a JOIN {schema}.document_version v ON v.id = a.version_id "
      // A CAPA training action's completion has no requirement: it counts like any other, recertified as the
      // requirements that apply now say.
      + "    LEFT JOIN {schema}.training_requirement r ON r.id = a.requirement_id "
      + "  WHERE a.person_id = p.id AND a.document_id = d.id AND a.status = 'completed' "
      + "  ORDER BY 7 DESC NULLS LAST, a.completed_at DESC LIMIT 1) done ON true "
      + "LEFT JOIN LATERAL (SELECT true AS verified FROM {schema}.training_assignment a "
      + "    JOIN {schema}.document_version v ON v.id = a.version_id "
      + "  WHERE d.risk_class = 'high' AND a.person_id = p.id AND a.document_id = d.id AND a.status = 'completed' "
      + "    AND a.method IN ('assessment', 'on-the-job') "
      + "    AND array[v.major, v.minor] >= coalesce(versions.effectiveness_base, versions.first_version) "
      + "  LIMIT 1) evidence ON true "
      + "ORDER BY pairs.n";

  /** The facts statement inside a transaction whose search_path is the tenant's schema. */
  private static final String FACTS = FACTS_IN.replace(SCHEMA, "");

  /**
   * The point-of-use check in one statement and one round trip, with no transaction around it (a single read needs
   * none): the person ($1 id or null, $2 employee number), the document ($3 id or null, $4 number), and whether the
   * caller ($5, a subject) holds one of the application roles $6, and the caller's admission to the tenant (its
   * {@code app_user.active}, null when never seen: see {@code UserAdmission#admitKnowing}) — so a machine client costs
   * the database one statement.
   * Tables are qualified with the tenant's schema (from the registry, never from input) instead of a search_path.
   */
  private static final String LOOKUP_IN = "WITH pairs AS (SELECT (SELECT id FROM {schema}.person WHERE id = $1 "
      + "OR employee_number = $2 LIMIT 1) AS person_id, (SELECT id FROM {schema}.document WHERE id = $3 OR number = $4 "
      + "LIMIT 1) AS document_id, 1 AS n), caller AS (SELECT $5::text AS id) "
      + "SELECT facts.*, EXISTS (SELECT 1 FROM {schema}.role_grant g WHERE g.user_id = (SELECT id FROM caller) "
      + "AND g.revoked_at IS NULL AND g.role = ANY($6::text[])) AS permitted, "
      + "(SELECT u.active FROM {schema}.app_user u WHERE u.user_id = (SELECT id FROM caller)) AS admitted "
      + "FROM (" + FACTS_IN + ") facts";

  private static final Map<String, String> LOOKUPS = new ConcurrentHashMap<>();

  /** The point-of-use statement for a tenant schema (a registry name such as {@code t_acme}). */
  public static String lookupStatement(String schema) {
    if (!SCHEMA_NAME.matcher(schema).matches()) {
      throw new IllegalArgumentException("Not a tenant schema: " + schema);
    }
    return LOOKUPS.computeIfAbsent(schema, name -> LOOKUP_IN.replace(SCHEMA, "\"" + name + "\"."));
  }

  /**
   * The facts of one person (by id or employee number) and one document (by id or number), and whether the caller
   * holds one of {@code roles}: the point-of-use check. Unknown keys leave the person's or the document's columns null.
   */
  public Future<Lookup> lookup(SqlClient client, String schema, UUID personId, String employeeNumber, UUID documentId,
                               String documentNumber, String callerId, Set<String> roles) {
    return client.preparedQuery(lookupStatement(schema))
        .execute(Tuple.of(personId, employeeNumber, documentId, documentNumber, callerId, roles.toArray(String[]::new)))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Lookup(toFacts(row), row.getBoolean("permitted"), row.getBoolean("admitted"));
        });
  }

  /**
   * The facts of a point-of-use check, whether the caller holds a role that may ask it, and the caller's active flag in
   * the tenant (null when the tenant has not seen them yet).
   */
  public record Lookup(StatusFacts facts, boolean permitted, Boolean admitted) {
  }

  /** The facts of each (person, document) pair, in the order given. */
  public Future<List<StatusFacts>> facts(SqlConnection connection, List<UUID> personIds, List<UUID> documentIds) {
    if (personIds.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String pairs = "WITH pairs AS (SELECT person_id, document_id, n FROM unnest($1::uuid[], $2::uuid[]) "
        + "WITH ORDINALITY AS pair(person_id, document_id, n)) ";
    return connection.preparedQuery(pairs + FACTS)
        .execute(Tuple.tuple().addArrayOfUUID(personIds.toArray(UUID[]::new))
            .addArrayOfUUID(documentIds.toArray(UUID[]::new)))
        .map(rows -> each(rows, StatusRepository::toFacts));
  }

  /**
   * One page of the people a document's qualification list shows, in id order after {@code after}: everyone a
   * requirement of the document applies to now, and everyone who ever completed a version of it.
   */
  public Future<List<UUID>> peopleOfDocument(SqlConnection connection, UUID documentId, UUID after, int limit) {
    return connection.preparedQuery("SELECT person_id FROM ("
            + "SELECT h.person_id FROM training_requirement r "
            + "JOIN person_job_role h ON h.job_role_id = r.job_role_id AND " + CURRENT_HOLDING + " "
            + "JOIN person p ON p.id = h.person_id AND (r.site_id IS NULL OR r.site_id = p.site_id) "
            + "WHERE r.document_id = $1 AND r.active AND " + IN_PROGRAM + " "
            + "UNION SELECT a.person_id FROM training_assignment a WHERE a.document_id = $1 AND a.status = 'completed') people "
            + "WHERE $2::uuid IS NULL OR person_id > $2 ORDER BY person_id LIMIT $3")
        .execute(Tuple.of(documentId, after, limit))
        .map(rows -> each(rows, row -> row.getUUID("person_id")));
  }

  /** One item of a person's qualification view: a document (its id) or a qualification that is not one (its id). */
  public record ViewKey(UUID id, boolean document) {
  }

  /**
   * One page of a person's qualification view, in id order after {@code after}: the documents a requirement applies to
   * them for now, the documents they ever completed a version of, and their qualifications that are not documents.
   */
  public Future<List<ViewKey>> viewOfPerson(SqlConnection connection, UUID personId, UUID after, int limit) {
    return connection.preparedQuery("SELECT id, document FROM ("
            + "SELECT r.document_id AS id, true AS document FROM person p "
            + "JOIN person_job_role h ON h.person_id = p.id AND " + CURRENT_HOLDING + " "
            + "JOIN training_requirement r ON r.job_role_id = h.job_role_id AND r.active "
            + "  AND (r.site_id IS NULL OR r.site_id = p.site_id) "
            + "WHERE p.id = $1 AND " + IN_PROGRAM + " "
            + "UNION SELECT a.document_id, true FROM training_assignment a WHERE a.person_id = $1 AND a.status = 'completed' "
            + "UNION ALL SELECT q.id, false FROM person_qualification q WHERE q.person_id = $1) items "
            + "WHERE $2::uuid IS NULL OR id > $2 ORDER BY id LIMIT $3")
        .execute(Tuple.of(personId, after, limit))
        .map(rows -> each(rows, row -> new ViewKey(row.getUUID("id"), row.getBoolean("document"))));
  }

  private static <T> List<T> each(RowSet<Row> rows, Function<Row, T> map) {
    List<T> found = new ArrayList<>(rows.size());
    rows.forEach(row -> found.add(map.apply(row)));
    return found;
  }

  /** The facts of a row with the columns of the FACTS statement (a report that asks the same question as of an instant). */
  public static StatusFacts toFacts(Row row) {
    return new StatusFacts(row.getUUID("person_id"), row.getString("employee_number"), name(row),
        row.getString("person_status"), row.getUUID("document_id"), row.getString("number"), row.getString("title"),
        row.getString("risk_class"), row.getString("document_status"),
        version(row, "current_id", "current_major", "current_minor", "current_effective_at", null),
        Boolean.TRUE.equals(row.getBoolean("required")),
        version(row, "trained_id", "trained_major", "trained_minor", "trained_at", row.getString("trained_method")),
        row.getBoolean("trained_current"), row.getOffsetDateTime("expires_at"), row.getBoolean("effectiveness_verified"),
        row.getOffsetDateTime("checked_at"));
  }

  private static String name(Row row) {
    return row.getString("given_name") == null ? null : row.getString("given_name") + " " + row.getString("family_name");
  }

  private static StatusFacts.Version version(Row row, String id, String major, String minor, String at, String method) {
    UUID versionId = row.getUUID(id);
    return versionId == null ? null : new StatusFacts.Version(versionId, row.getInteger(major) + "." + row.getInteger(minor),
        row.getOffsetDateTime(at), method);
  }

  /** What decides one person's qualification on one document; null person or document fields: not found. */
  public record StatusFacts(UUID personId, String employeeNumber, String personName, String personStatus, UUID documentId,
                            String documentNumber, String documentTitle, String riskClass, String documentStatus,
                            Version current, boolean required, Version trained, boolean trainedCurrent,
                            OffsetDateTime expiresAt, boolean effectivenessVerified, OffsetDateTime checkedAt) {

    /** A version: its label ("2.1"), when it became effective (current) or was completed (trained), and by what method. */
    public record Version(UUID id, String label, OffsetDateTime at, String method) {
    }
  }
}
