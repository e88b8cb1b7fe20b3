package io.traceline.platform.reports.internal;

import java.time.OffsetDateTime;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The SQL of the training and quality metrics (RPT-3): each metric is one set-based statement over a period
 * [{@code from}, {@code to}), grouped in the database; the JVM only shapes the few rows of the answer. People-based
 * metrics take the person's site and department codes as filters ($3, $4; null: everyone).
 */
public final class MetricsRepository {

  /** The people a metric counts: joined as {@code p}, {@code s} (site) and {@code dep} (department), filtered. */
  private static final String PEOPLE = "JOIN person p ON p.id = a.person_id JOIN site s ON s.id = p.site_id "
      + "JOIN department dep ON dep.id = p.department_id ";
  private static final String PEOPLE_FILTER = "($3::text IS NULL OR s.code = $3) AND ($4::text IS NULL OR dep.code = $4)";

  /**
   * Assignments due in the period, by the person's department: completed on time (by the due date), late, still open
   * before the due date, and overdue (open past it, now). Cancelled and superseded ones were not owed.
   */
  static final String COMPLETION_RATE = "SELECT s.code AS site_code, dep.code AS department_code, "
      + "dep.name AS department_name, count(*) AS due, "
      + "count(*) FILTER (WHERE a.status = 'completed' AND a.completed_at <= a.due_at) AS on_time, "
      + "count(*) FILTER (WHERE a.status = 'completed' AND a.completed_at > a.due_at) AS late, "
      + "count(*) FILTER (WHERE a.status = 'open' AND a.due_at >= now()) AS not_yet_due, "
      + "count(*) FILTER (WHERE a.status = 'open' AND a.due_at < now()) AS overdue "
      + "FROM training_assignment a " + PEOPLE
      + "WHERE a.due_at >= $1 AND a.due_at < $2 AND a.status IN ('open', 'completed') AND " + PEOPLE_FILTER + " "
      + "GROUP BY s.code, dep.code, dep.name ORDER BY s.code, dep.code";

  /** Assessment attempts submitted in the period, by document: all attempts and first attempts, passed and failed. */
  static final String PASS_RATE = "SELECT d.number, d.title, count(*) AS attempts, "
      + "count(*) FILTER (WHERE t.state = 'passed') AS passed, count(*) FILTER (WHERE t.state = 'failed') AS failed, "
      + "count(*) FILTER (WHERE t.attempt_no = 1) AS first_attempts, "
      + "count(*) FILTER (WHERE t.attempt_no = 1 AND t.state = 'passed') AS first_attempts_passed, "
      + "count(DISTINCT t.person_id) AS learners "
      + "FROM assessment_attempt t JOIN training_assignment a ON a.id = t.assignment_id "
      + "JOIN document d ON d.id = a.document_id " + PEOPLE
      + "WHERE t.submitted_at >= $1 AND t.submitted_at < $2 AND t.state <> 'in-progress' AND " + PEOPLE_FILTER + " "
      + "GROUP BY d.number, d.title ORDER BY d.number";

  /**
   * People hired in the period (their {@code hired} event), by department: qualified (every assignment their hiring
   * made is completed), still in training, or hired into roles that required nothing; for the qualified, the days from
   * the hiring date to their last such completion, as median and 90th percentile.
   */
  static final String TIME_TO_QUALIFICATION = "WITH hires AS (SELECT DISTINCT ON (e.person_id) e.person_id, "
      + "  e.effective_on FROM person_event e WHERE e.kind = 'hired' AND e.effective_on >= ($1::timestamptz AT TIME ZONE "
      + "  'UTC')::date AND e.effective_on < ($2::timestamptz AT TIME ZONE 'UTC')::date "
      + "  ORDER BY e.person_id, e.effective_on DESC), "
      + "per AS (SELECT h.person_id, count(a.id) AS assigned, count(a.id) FILTER (WHERE a.status = 'open') AS open_count, "
      + "  extract(epoch FROM max(a.completed_at) - (h.effective_on::timestamp AT TIME ZONE 'UTC')) / 86400.0 AS days "
      + "  FROM hires h LEFT JOIN training_assignment a ON a.person_id = h.person_id AND a.cause = 'hired' "
      + "    AND a.status IN ('open', 'completed') GROUP BY h.person_id, h.effective_on) "
      + "SELECT s.code AS site_code, dep.code AS department_code, dep.name AS department_name, count(*) AS hires, "
      + "count(*) FILTER (WHERE per.assigned > 0 AND per.open_count = 0) AS qualified, "
      + "count(*) FILTER (WHERE per.open_count > 0) AS in_training, "
      + "count(*) FILTER (WHERE per.assigned = 0) AS nothing_required, "
      + "percentile_cont(0.5) WITHIN GROUP (ORDER BY per.days) FILTER (WHERE per.assigned > 0 AND per.open_count = 0) "
      + "  AS median_days, "
      + "percentile_cont(0.9) WITHIN GROUP (ORDER BY per.days) FILTER (WHERE per.assigned > 0 AND per.open_count = 0) "
      + "  AS p90_days "
      + "FROM per JOIN person p ON p.id = per.person_id JOIN site s ON s.id = p.site_id "
      + "JOIN department dep ON dep.id = p.department_id WHERE " + PEOPLE_FILTER + " "
      + "GROUP BY s.code, dep.code, dep.name ORDER BY s.code, dep.code";

  /**
   * Each revision effective in the period that asked for training: the retraining its effectiveness made (and the
   * previously trained it reached), how much is completed and open, the median days to complete, and the latency —
   * effective to last completion — once nothing is open.
   */
  static final String RETRAINING_LATENCY = "SELECT d.number, d.title, v.id AS version_id, v.major, v.minor, "
      + "v.effective_at, v.training_impact, count(a.id) AS assigned, "
      + "count(a.id) FILTER (WHERE a.status = 'completed') AS completed, "
      + "count(a.id) FILTER (WHERE a.status = 'open') AS open, "
      + "count(a.id) FILTER (WHERE a.status = 'open' AND a.due_at < now()) AS overdue, "
      + "max(a.completed_at) AS last_completed_at, "
      + "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.completed_at - v.effective_at) / 86400.0) "
      + "  FILTER (WHERE a.status = 'completed') AS median_days "
      + "FROM document_version v JOIN document d ON d.id = v.document_id "
      + "LEFT JOIN training_assignment a ON a.version_id = v.id AND a.cause IN ('revision-effective', 'previously-trained') "
      + "  AND a.status IN ('open', 'completed') AND a.person_id IN (SELECT p.id FROM person p "
      + "    JOIN site s ON s.id = p.site_id JOIN department dep ON dep.id = p.department_id WHERE " + PEOPLE_FILTER + ") "
      + "WHERE v.effective_at >= $1 AND v.effective_at < $2 AND v.training_impact <> 'none' "
      + "GROUP BY d.number, d.title, v.id, v.major, v.minor, v.effective_at, v.training_impact "
      + "ORDER BY v.effective_at, d.number";

  /**
   * Overdue training at the end of each step of the period: assigned by then, due before then, neither completed nor
   * closed by then. $5 is the step ('7 days' or '1 month').
   */
  static final String OVERDUE_TREND = "SELECT t.at, (SELECT count(*) FROM training_assignment a " + PEOPLE
      + "  WHERE a.assigned_at <= t.at AND a.due_at < t.at AND coalesce(a.completed_at, a.closed_at, 'infinity') > t.at "
      + "  AND " + PEOPLE_FILTER + ") AS overdue "
      + "FROM generate_series($1::timestamptz + $5::text::interval, $2::timestamptz, $5::text::interval) AS t (at) ORDER BY t.at";

  /**
   * CAPAs closed in the period: their effectiveness checks, those with training actions, and those whose training
   * verified competence (every training action completed, each by assessment or on-the-job practical); by root cause.
   */
  static final String CAPA_EFFECTIVENESS = "WITH closed AS (SELECT c.id, c.root_cause_category, c.effectiveness_state, "
      + "  EXISTS (SELECT 1 FROM capa_action x WHERE x.capa_id = c.id AND x.type = 'training' AND x.status <> 'cancelled') "
      + "    AS with_training, "
      + "  NOT EXISTS (SELECT 1 FROM capa_action x WHERE x.capa_id = c.id AND x.type = 'training' "
      + "    AND x.status <> 'cancelled' AND (x.status <> 'completed' OR x.method NOT IN ('assessment', 'on-the-job'))) "
      + "    AS competence_verified "
      + "  FROM capa c WHERE c.status = 'closed' AND c.closed_at >= $1 AND c.closed_at < $2) "
      + "SELECT root_cause_category, count(*) AS closed, "
      + "count(*) FILTER (WHERE effectiveness_state = 'effective') AS effective, "
      + "count(*) FILTER (WHERE effectiveness_state = 'not-effective') AS not_effective, "
      + "count(*) FILTER (WHERE effectiveness_state IN ('scheduled', 'due')) AS awaiting_check, "
      + "count(*) FILTER (WHERE with_training) AS with_training_actions, "
      + "count(*) FILTER (WHERE with_training AND competence_verified) AS competence_verified "
      + "FROM closed GROUP BY root_cause_category ORDER BY root_cause_category";

  /** Quality events reported in the period that repeat an earlier CAPA's root cause, by that root cause. */
  static final String REPEATS = "SELECT e.root_cause_category, count(*) AS repeats FROM quality_event e "
      + "WHERE e.repeat_of_capa_id IS NOT NULL AND e.created_at >= $1 AND e.created_at < $2 "
      + "GROUP BY e.root_cause_category";

  public Future<RowSet<Row>> completionRate(SqlConnection connection, Period period) {
    return connection.preparedQuery(COMPLETION_RATE).execute(period.tuple());
  }

  public Future<RowSet<Row>> passRate(SqlConnection connection, Period period) {
    return connection.preparedQuery(PASS_RATE).execute(period.tuple());
  }

  public Future<RowSet<Row>> timeToQualification(SqlConnection connection, Period period) {
    return connection.preparedQuery(TIME_TO_QUALIFICATION).execute(period.tuple());
  }

  public Future<RowSet<Row>> retrainingLatency(SqlConnection connection, Period period) {
    return connection.preparedQuery(RETRAINING_LATENCY).execute(period.tuple());
  }

  public Future<RowSet<Row>> overdueTrend(SqlConnection connection, Period period, String step) {
    return connection.preparedQuery(OVERDUE_TREND).execute(period.tuple().addString(step));
  }

  public Future<RowSet<Row>> capaEffectiveness(SqlConnection connection, Period period) {
    return connection.preparedQuery(CAPA_EFFECTIVENESS).execute(Tuple.of(period.from(), period.to()));
  }

  public Future<RowSet<Row>> repeats(SqlConnection connection, Period period) {
    return connection.preparedQuery(REPEATS).execute(Tuple.of(period.from(), period.to()));
  }

  /** The period and the people filters of a metric. */
  public record Period(OffsetDateTime from, OffsetDateTime to, String site, String department) {
    Tuple tuple() {
      return Tuple.of(from, to, site, department);
    }
  }

  /** A JSON array of {@code rows}, each shaped by {@code shape}. */
  public static JsonArray array(RowSet<Row> rows, java.util.function.Function<Row, JsonObject> shape) {
    JsonArray array = new JsonArray();
    rows.forEach(row -> array.add(shape.apply(row)));
    return array;
  }
}
