package io.traceline.platform.reports;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.reports.internal.ComplianceRepository;
import io.traceline.platform.reports.internal.ComplianceRepository.CoveredDocument;
import io.traceline.platform.reports.internal.ComplianceRepository.Filters;
import io.traceline.platform.reports.internal.DocumentTrainingRepository;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;

/**
 * Compliance views (RPT-2), now or as of a past instant (RPT-4): how many of the trainings required of people are
 * current, not current and overdue, grouped by site, department, job role, program or document, optionally narrowed to
 * one of each.
 *
 * <p>A view is the auditor's question asked of every document it covers, counted: each document's lines come from the
 * same statement and the same verdict rules as {@link DocumentTrainingReport}, so a department's "3 overdue" is the
 * sum of the overdue lines an auditor finds in the documents' own reports, never a second opinion. Only lines whose
 * document was required of the person count ({@code not-required} lines are the record of people who trained without
 * needing to). The documents are read one after the other through a cursor in one transaction; the JVM holds the
 * groups' counters and each group's set of people, not the lines.
 */
public final class ComplianceReport {

  static final String REPORT = "compliance";
  static final List<String> DIMENSIONS = List.of("site", "department", "role", "program", "document");
  private static final int BATCH = 1000;

  private final TenantScope tenantScope;
  private final RoleCheck roles;
  private final AuditTrail audit;
  private final ComplianceRepository repository = new ComplianceRepository();
  private final DocumentTrainingRepository lines = new DocumentTrainingRepository();

  public ComplianceReport(TenantScope tenantScope, RoleCheck roles, AuditTrail audit) {
    this.tenantScope = tenantScope;
    this.roles = roles;
    this.audit = audit;
  }

  /** What was asked: the dimension to group by, the filters, an instant (null: now), the format. */
  public record Request(String by, Filters filters, OffsetDateTime asOf, String format) {
  }

  /** A view ready to count: the documents it covers and the instant it answers for. */
  public record Prepared(TenantContext tenant, String tenantName, Request request, List<CoveredDocument> documents,
                         OffsetDateTime at, Instant generatedAt) {

    /** The view's description (everything but its groups and totals), as JSON, CSV and PDF state it. */
    public JsonObject head() {
      Filters f = request.filters();
      return new JsonObject()
          .put("report", REPORT)
          .put("tenant", new JsonObject().put("slug", tenant.slug()).put("name", tenantName == null ? tenant.slug()
              : tenantName))
          .put("by", request.by())
          .put("filters", new JsonObject().put("site", f.site()).put("department", f.department()).put("role", f.role())
              .put("program", f.program()).put("document", f.document()))
          .put("asOf", at.toInstant().toString())
          .put("asOfAsked", request.asOf() != null)
          .put("documents", documents.size())
          .put("generatedAt", generatedAt.toString());
    }
  }

  /** The view: its groups in key order, and the totals over every line counted. */
  public record Result(List<ComplianceGroup> groups, ComplianceGroup totals) {
  }

  /**
   * Checks the caller and the request and audits the access: 403 without a reader role, 422 for an unknown dimension,
   * a filter naming nothing, or an instant in the future. Nothing is written unless the view will be produced.
   */
  public Future<Prepared> prepare(TenantContext tenant, Caller caller, RequestOrigin origin, Request request) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    List<Problem.FieldError> errors = new ArrayList<>();
    if (!DIMENSIONS.contains(request.by())) {
      errors.add(new Problem.FieldError("by", "one of " + String.join(", ", DIMENSIONS)));
    }
    if (request.asOf() != null && request.asOf().toInstant().isAfter(now)) {
      errors.add(new Problem.FieldError("asOf", "in the future"));
    }
    OffsetDateTime at = request.asOf() != null ? request.asOf() : now.atOffset(ZoneOffset.UTC);
    Filters filters = request.filters();
    UUID documentId = uuidOrNull(filters.document());
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(),
            DocumentTrainingReport.READERS)
        .compose(held -> repository.known(connection, filters, documentId, tenant.slug()))
        .compose(known -> {
          unknown(errors, known.site(), "site", filters.site());
          unknown(errors, known.department(), "department", filters.department());
          unknown(errors, known.role(), "role", filters.role());
          unknown(errors, known.program(), "program", filters.program());
          unknown(errors, known.document(), "document", filters.document());
          if (!errors.isEmpty()) {
            return Future.failedFuture(ProblemException.unprocessable("The compliance view cannot be produced as "
                + "asked: " + describe(errors), errors));
          }
          return repository.covered(connection, at, filters.program(), documentId, filters.document())
              .compose(documents -> {
                Prepared prepared = new Prepared(tenant, known.tenantName(), request, documents, at, now);
                JsonObject parameters = prepared.head().copy();
                parameters.remove("tenant");
                parameters.remove("generatedAt");
                parameters.put("format", request.format());
                return audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin),
                        "report.generated", "report", REPORT).withValues(null, parameters))
                    .map(recorded -> prepared);
              });
        }));
  }

  /** Counts the view: every covered document's lines, filtered and grouped. */
  public Future<Result> read(Prepared prepared) {
    Filters filters = prepared.request().filters();
    String by = prepared.request().by();
    Map<String, ComplianceGroup> groups = new HashMap<>();
    ComplianceGroup totals = ComplianceGroup.totals();
    return tenantScope.inTransaction(prepared.tenant().schemaName(), connection -> roleNames(connection)
        .compose(roleNames -> {
          Future<Void> chain = Future.succeededFuture();
          for (CoveredDocument document : prepared.documents()) {
            chain = chain.compose(v -> lines.open(connection, document.id(), prepared.at(), null)
                .compose(cursor -> count(cursor, line -> {
                  if (!line.required() || !matches(line, filters)) {
                    return;
                  }
                  totals.count(line);
                  for (ComplianceGroup.Key key : keys(by, line, document, roleNames, filters)) {
                    groups.computeIfAbsent(key.id(), id -> new ComplianceGroup(key)).count(line);
                  }
                }).eventually(cursor::close)));
          }
          return chain;
        }))
        .map(v -> {
          List<ComplianceGroup> sorted = new ArrayList<>(groups.values());
          sorted.sort(ComplianceGroup.ORDER);
          return new Result(sorted, totals);
        });
  }

  private Future<Map<String, String>> roleNames(SqlConnection connection) {
    return connection.query("SELECT code, name FROM job_role").execute().map(rows -> {
      Map<String, String> names = new HashMap<>();
      rows.forEach(row -> names.put(row.getString("code"), row.getString("name")));
      return names;
    });
  }

  private Future<Void> count(Cursor cursor, java.util.function.Consumer<DocumentTrainingLine> counter) {
    return cursor.read(BATCH).compose(rows -> {
      for (Row row : rows) {
        counter.accept(DocumentTrainingLine.of(row));
      }
      return cursor.hasMore() ? count(cursor, counter) : Future.succeededFuture();
    });
  }

  /** Site and department filters are the person's (that day); a role filter keeps lines the role made required. */
  private static boolean matches(DocumentTrainingLine line, Filters filters) {
    return (filters.site() == null || filters.site().equals(line.siteCode()))
        && (filters.department() == null || filters.department().equals(line.departmentCode()))
        && (filters.role() == null || line.jobRoleCodes().contains(filters.role()));
  }

  /**
   * The groups a line counts in: one for its site, department, document or program; one per job role that required the
   * document (a person holding two of them counts in both). With a role filter, only that role's group.
   */
  private static List<ComplianceGroup.Key> keys(String by, DocumentTrainingLine line, CoveredDocument document,
                                                Map<String, String> roleNames, Filters filters) {
    return switch (by) {
      case "site" -> List.of(new ComplianceGroup.Key(line.siteCode(), line.siteName(), null));
      case "department" -> List.of(new ComplianceGroup.Key(line.departmentCode(), line.departmentName(),
          line.siteCode()));
      case "program" -> List.of(new ComplianceGroup.Key(document.programCode(), document.programCode() == null
          ? "No program (tenant-wide documents)" : document.programName(), null));
      case "document" -> List.of(new ComplianceGroup.Key(document.number(), document.title(), null));
      default -> line.jobRoleCodes().stream()
          .filter(code -> filters.role() == null || filters.role().equals(code))
          .map(code -> new ComplianceGroup.Key(code, roleNames.getOrDefault(code, code), null))
          .toList();
    };
  }

  private static void unknown(List<Problem.FieldError> errors, boolean known, String field, String value) {
    if (!known) {
      errors.add(new Problem.FieldError(field, "no " + field + " " + value + " in this tenant"));
    }
  }

  private static String describe(List<Problem.FieldError> errors) {
    return String.join("; ", errors.stream().map(e -> e.pointer() + ": " + e.message()).toList());
  }

  private static UUID uuidOrNull(String value) {
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
