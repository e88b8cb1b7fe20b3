package io.traceline.platform.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.reports.internal.ComplianceRepository;
import io.traceline.platform.reports.internal.MetricsRepository;
import io.traceline.platform.reports.internal.MetricsRepository.Period;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;

/**
 * Training and quality metrics (RPT-3) as JSON a chart library draws and an auditor checks: every rate comes with its
 * numerator and denominator, every series with explicit periods. One statement per metric ({@link MetricsRepository});
 * each request is audited ({@code report.generated} with the metric and its parameters), in the same short transaction
 * that reads it.
 */
public final class MetricsReport {

  static final String REPORT = "metrics";
  static final List<String> METRICS = List.of("completion-rate", "assessment-pass-rate", "time-to-qualification",
      "retraining-latency", "overdue-trend", "capa-effectiveness");
  private static final Map<String, String> STEPS = Map.of("week", "7 days", "month", "1 month");
  private static final int MAX_STEPS = 400;
  private static final Duration MAX_PERIOD = Duration.ofDays(5 * 366);

  private final TenantScope tenantScope;
  private final RoleCheck roles;
  private final AuditTrail audit;
  private final MetricsRepository repository = new MetricsRepository();
  private final ComplianceRepository filters = new ComplianceRepository();

  public MetricsReport(TenantScope tenantScope, RoleCheck roles, AuditTrail audit) {
    this.tenantScope = tenantScope;
    this.roles = roles;
    this.audit = audit;
  }

  /** What was asked: the metric, the period (nulls: the last twelve months), people filters, the trend's step. */
  public record Request(String metric, OffsetDateTime from, OffsetDateTime to, String site, String department,
                        String step) {
  }

  /**
   * The metric: 403 without a reader role; 422 for a period that is empty, reversed, longer than five years, or a trend
   * of more than 400 steps. Nothing is written unless the metric is answered.
   */
  public Future<JsonObject> compute(TenantContext tenant, Caller caller, RequestOrigin origin, Request request) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    OffsetDateTime to = request.to() != null ? request.to() : now.atOffset(ZoneOffset.UTC);
    OffsetDateTime from = request.from() != null ? request.from() : to.minusMonths(12);
    String step = request.step() == null ? "month" : request.step();
    List<Problem.FieldError> errors = new ArrayList<>();
    if (!from.isBefore(to)) {
      errors.add(new Problem.FieldError("from", "must be before to"));
    } else if (Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
      errors.add(new Problem.FieldError("from", "a period of at most five years"));
    } else if ("overdue-trend".equals(request.metric()) && "week".equals(step)
        && Duration.between(from, to).toDays() / 7 > MAX_STEPS) {
      errors.add(new Problem.FieldError("step", "at most " + MAX_STEPS + " steps"));
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(ProblemException.unprocessable("The metric's period is not usable: "
          + errors.get(0).pointer() + " " + errors.get(0).message(), errors));
    }
    Period period = new Period(from, to, request.site(), request.department());
    JsonObject head = new JsonObject()
        .put("report", REPORT)
        .put("metric", request.metric())
        .put("tenant", tenant.slug())
        .put("from", from.toInstant().toString())
        .put("to", to.toInstant().toString())
        .put("filters", new JsonObject().put("site", request.site()).put("department", request.department()))
        .put("generatedAt", now.toString());
    if ("overdue-trend".equals(request.metric())) {
      head.put("step", step);
    }
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(),
            DocumentTrainingReport.READERS)
        .compose(held -> filters.known(connection, new ComplianceRepository.Filters(request.site(), request.department(),
            null, null, null), null, tenant.slug()))
        .compose(known -> {
          List<Problem.FieldError> unknown = new ArrayList<>();
          if (!known.site()) {
            unknown.add(new Problem.FieldError("site", "no site " + request.site() + " in this tenant"));
          }
          if (!known.department()) {
            unknown.add(new Problem.FieldError("department", "no department " + request.department()
                + (request.site() == null ? "" : " at " + request.site()) + " in this tenant"));
          }
          return unknown.isEmpty() ? metric(connection, request.metric(), period, STEPS.get(step))
              : Future.failedFuture(ProblemException.unprocessable("The metric's filters name nothing: "
                  + unknown.get(0).message(), unknown));
        })
        .compose(body -> {
          JsonObject parameters = head.copy();
          parameters.remove("generatedAt");
          return audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin),
                  "report.generated", "report", REPORT + "/" + request.metric()).withValues(null, parameters))
              .map(recorded -> head.mergeIn(body));
        }));
  }

  private Future<JsonObject> metric(SqlConnection connection, String metric, Period period, String step) {
    return switch (metric) {
      case "completion-rate" -> repository.completionRate(connection, period).map(MetricsReport::completionRate);
      case "assessment-pass-rate" -> repository.passRate(connection, period).map(MetricsReport::passRate);
      case "time-to-qualification" -> repository.timeToQualification(connection, period)
          .map(MetricsReport::timeToQualification);
      case "retraining-latency" -> repository.retrainingLatency(connection, period).map(MetricsReport::retrainingLatency);
      case "overdue-trend" -> repository.overdueTrend(connection, period, step).map(MetricsReport::overdueTrend);
      case "capa-effectiveness" -> repository.capaEffectiveness(connection, period)
          .compose(closed -> repository.repeats(connection, period).map(repeats -> capaEffectiveness(closed, repeats)));
      default -> Future.failedFuture(ProblemException.notFound("No metric " + metric + "; there are "
          + String.join(", ", METRICS)));
    };
  }

  private static JsonObject completionRate(RowSet<Row> rows) {
    long[] total = new long[5];
    JsonArray departments = MetricsRepository.array(rows, row -> {
      long due = row.getLong("due");
      long onTime = row.getLong("on_time");
      add(total, due, onTime, row.getLong("late"), row.getLong("not_yet_due"), row.getLong("overdue"));
      return department(row).put("due", due).put("onTime", onTime).put("late", row.getLong("late"))
          .put("notYetDue", row.getLong("not_yet_due")).put("overdue", row.getLong("overdue"))
          .put("onTimeRate", rate(onTime, due));
    });
    return new JsonObject().put("departments", departments).put("totals", new JsonObject().put("due", total[0])
        .put("onTime", total[1]).put("late", total[2]).put("notYetDue", total[3]).put("overdue", total[4])
        .put("onTimeRate", rate(total[1], total[0])));
  }

  private static JsonObject passRate(RowSet<Row> rows) {
    long[] total = new long[5];
    JsonArray documents = MetricsRepository.array(rows, row -> {
      long attempts = row.getLong("attempts");
      long passed = row.getLong("passed");
      long first = row.getLong("first_attempts");
      long firstPassed = row.getLong("first_attempts_passed");
      add(total, attempts, passed, row.getLong("failed"), first, firstPassed);
      return new JsonObject().put("document", new JsonObject().put("number", row.getString("number"))
              .put("title", row.getString("title")))
          .put("learners", row.getLong("learners")).put("attempts", attempts).put("passed", passed)
          .put("failed", row.getLong("failed")).put("passRate", rate(passed, attempts))
          .put("firstAttempts", first).put("firstAttemptsPassed", firstPassed)
          .put("firstAttemptPassRate", rate(firstPassed, first));
    });
    return new JsonObject().put("documents", documents).put("totals", new JsonObject().put("attempts", total[0])
        .put("passed", total[1]).put("failed", total[2]).put("passRate", rate(total[1], total[0]))
        .put("firstAttempts", total[3]).put("firstAttemptsPassed", total[4])
        .put("firstAttemptPassRate", rate(total[4], total[3])));
  }

  private static JsonObject timeToQualification(RowSet<Row> rows) {
    long[] total = new long[4];
    JsonArray departments = MetricsRepository.array(rows, row -> {
      add(total, row.getLong("hires"), row.getLong("qualified"), row.getLong("in_training"),
          row.getLong("nothing_required"));
      return department(row).put("hires", row.getLong("hires")).put("qualified", row.getLong("qualified"))
          .put("inTraining", row.getLong("in_training")).put("nothingRequired", row.getLong("nothing_required"))
          .put("medianDays", days(row.getDouble("median_days"))).put("p90Days", days(row.getDouble("p90_days")));
    });
    return new JsonObject().put("departments", departments).put("totals", new JsonObject().put("hires", total[0])
        .put("qualified", total[1]).put("inTraining", total[2]).put("nothingRequired", total[3]));
  }

  private static JsonObject retrainingLatency(RowSet<Row> rows) {
    JsonArray revisions = MetricsRepository.array(rows, row -> {
      OffsetDateTime effective = row.getOffsetDateTime("effective_at");
      OffsetDateTime last = row.getOffsetDateTime("last_completed_at");
      long open = row.getLong("open");
      long completed = row.getLong("completed");
      return new JsonObject()
          .put("document", new JsonObject().put("number", row.getString("number")).put("title", row.getString("title")))
          .put("version", new JsonObject().put("id", row.getUUID("version_id").toString())
              .put("version", row.getInteger("major") + "." + row.getInteger("minor")))
          .put("trainingImpact", row.getString("training_impact"))
          .put("effectiveAt", effective.toInstant().toString())
          .put("assigned", row.getLong("assigned")).put("completed", completed).put("open", open)
          .put("overdue", row.getLong("overdue"))
          .put("medianDays", days(row.getDouble("median_days")))
          .put("lastCompletedAt", last == null ? null : last.toInstant().toString())
          // Effective to last completion, once everyone is done; null while training is open (or none was made).
          .put("latencyDays", open == 0 && completed > 0
              ? days(Duration.between(effective, last).toSeconds() / 86400.0) : null);
    });
    return new JsonObject().put("revisions", revisions);
  }

  private static JsonObject overdueTrend(RowSet<Row> rows) {
    return new JsonObject().put("series", MetricsRepository.array(rows, row -> new JsonObject()
        .put("at", row.getOffsetDateTime("at").toInstant().toString()).put("overdue", row.getLong("overdue"))));
  }

  private static JsonObject capaEffectiveness(RowSet<Row> closed, RowSet<Row> repeats) {
    Map<String, Long> repeatsByCause = new java.util.HashMap<>();
    repeats.forEach(row -> repeatsByCause.put(String.valueOf(row.getString("root_cause_category")),
        row.getLong("repeats")));
    long[] total = new long[6];
    JsonArray byRootCause = MetricsRepository.array(closed, row -> {
      add(total, row.getLong("closed"), row.getLong("effective"), row.getLong("not_effective"),
          row.getLong("awaiting_check"), row.getLong("with_training_actions"), row.getLong("competence_verified"));
      return new JsonObject().put("rootCause", row.getString("root_cause_category"))
          .put("closed", row.getLong("closed")).put("effective", row.getLong("effective"))
          .put("notEffective", row.getLong("not_effective")).put("awaitingCheck", row.getLong("awaiting_check"))
          .put("withTrainingActions", row.getLong("with_training_actions"))
          .put("competenceVerified", row.getLong("competence_verified"))
          .put("repeats", repeatsByCause.getOrDefault(row.getString("root_cause_category"), 0L));
    });
    long checked = total[1] + total[2];
    return new JsonObject().put("byRootCause", byRootCause).put("totals", new JsonObject().put("closed", total[0])
        .put("effective", total[1]).put("notEffective", total[2]).put("awaitingCheck", total[3])
        .put("effectiveRate", rate(total[1], checked))
        .put("withTrainingActions", total[4]).put("competenceVerified", total[5])
        .put("repeats", repeatsByCause.values().stream().mapToLong(Long::longValue).sum()));
  }

  private static JsonObject department(Row row) {
    return new JsonObject().put("site", row.getString("site_code")).put("code", row.getString("department_code"))
        .put("name", row.getString("department_name"));
  }

  private static void add(long[] total, long... values) {
    for (int i = 0; i < values.length; i++) {
      total[i] += values[i];
    }
  }

  /** A fraction to four decimals; null when the denominator is zero (nothing to rate). */
  static Double rate(long numerator, long denominator) {
    return denominator == 0 ? null : Math.round(numerator * 10_000.0 / denominator) / 10_000.0;
  }

  private static Double days(Double value) {
    return value == null ? null : Math.round(value * 10.0) / 10.0;
  }
}
