package io.traceline.platform.reports;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import io.traceline.platform.access.ApplicationRole;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.reports.internal.DocumentTrainingRepository;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Row;

/**
 * The auditor's question (RPT-1) and its as-of form (RPT-4): for a document — its version in force, a chosen version, or
 * the version in force at a past instant — everyone it concerns, their latest completion and its evidence, and a verdict.
 *
 * <p>Two transactions. The first checks the caller's role, resolves the document and version (404, 422) and records the
 * access in the audit trail (who, which report, its parameters): short, because appending to the trail holds the
 * tenant's chain head until commit. The second reads the answer through a cursor in batches and hands each batch to the
 * caller's sink, reading the next only once the sink is done: a response streamed to a slow client holds one batch, not
 * the report.
 */
public final class DocumentTrainingReport {

  /** Who may ask: quality, training and tenant administrators, and auditors (read-only everywhere else). */
  public static final Set<String> READERS = Set.of(ApplicationRole.TENANT_ADMIN.id(), ApplicationRole.QUALITY_MANAGER.id(),
      ApplicationRole.TRAINING_ADMIN.id(), ApplicationRole.AUDITOR.id());
  static final String REPORT = "document-training";
  private static final int BATCH = 500;

  private final TenantScope tenantScope;
  private final RoleCheck roles;
  private final AuditTrail audit;
  private final DocumentTrainingRepository repository = new DocumentTrainingRepository();

  public DocumentTrainingReport(TenantScope tenantScope, RoleCheck roles, AuditTrail audit) {
    this.tenantScope = tenantScope;
    this.roles = roles;
    this.audit = audit;
  }

  /** What was asked: the document (id or number), a version (or null), an instant (or null: now), the format. */
  public record Request(String document, UUID versionId, OffsetDateTime asOf, String format) {
  }

  /** A report ready to read: its subject, the instant it answers for, and when it was generated. */
  public record Prepared(TenantContext tenant, DocumentTrainingRepository.Subject subject, OffsetDateTime at,
                         boolean asOfAsked, Instant generatedAt) {

    /** The version the verdicts are about: the chosen one, else the one in force at the instant (null: none). */
    public DocumentTrainingRepository.Version version() {
      return subject.chosen() != null ? subject.chosen() : subject.inForce();
    }

    /** The report's description (everything but its lines and totals), as JSON, CSV and PDF state it. */
    public JsonObject head() {
      DocumentTrainingRepository.Version version = version();
      return new JsonObject()
          .put("report", REPORT)
          .put("tenant", new JsonObject().put("slug", tenant.slug())
              .put("name", subject.tenantName() == null ? tenant.slug() : subject.tenantName()))
          .put("document", new JsonObject().put("id", subject.documentId().toString()).put("number", subject.number())
              .put("title", subject.title()).put("riskClass", subject.riskClass()))
          .put("version", version == null ? null : new JsonObject().put("id", version.id().toString())
              .put("version", version.label()).put("effectiveAt", DocumentTrainingLine.time(version.effectiveAt()))
              .put("endedAt", DocumentTrainingLine.time(version.endedAt())))
          .put("versionChosen", subject.chosen() != null)
          .put("asOf", at.toInstant().toString())
          .put("generatedAt", generatedAt.toString());
    }
  }

  /** How many lines had each verdict. */
  public static final class Totals {
    private final Map<String, Long> byVerdict = new LinkedHashMap<>();
    private long people;

    Totals() {
      DocumentTrainingLine.VERDICTS.forEach(verdict -> byVerdict.put(verdict, 0L));
    }

    void count(DocumentTrainingLine line) {
      people++;
      byVerdict.merge(line.verdict(), 1L, Long::sum);
    }

    public long people() {
      return people;
    }

    public long of(String verdict) {
      return byVerdict.getOrDefault(verdict, 0L);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("people", people);
      byVerdict.forEach((verdict, count) -> json.put(camel(verdict), count));
      return json;
    }

    private static String camel(String verdict) {
      int dash = verdict.indexOf('-');
      return dash < 0 ? verdict : verdict.substring(0, dash) + Character.toUpperCase(verdict.charAt(dash + 1))
          + verdict.substring(dash + 2);
    }
  }

  /**
   * Checks the caller and the request, resolves the document and version, and audits the access: 403 without a reader
   * role, 404 for an unknown document or a version of another document, 422 for an instant in the future or a version
   * that was not yet effective at the instant. Nothing is written unless the report will be produced.
   */
  public Future<Prepared> prepare(TenantContext tenant, Caller caller, RequestOrigin origin, Request request) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    if (request.asOf() != null && request.asOf().toInstant().isAfter(now)) {
      return Future.failedFuture(ProblemException.unprocessable("asOf " + request.asOf() + " is in the future: a report "
          + "tells who was qualified, not who will be", List.of(new Problem.FieldError("asOf", "in the future"))));
    }
    OffsetDateTime at = request.asOf() != null ? request.asOf() : now.atOffset(ZoneOffset.UTC);
    UUID documentId = uuidOrNull(request.document());
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(),
            READERS)
        .compose(held -> repository.subject(connection, documentId, request.document(), request.versionId(), at,
            tenant.slug()))
        .compose(subject -> {
          if (subject == null) {
            return Future.failedFuture(ProblemException.notFound("No document " + request.document()));
          }
          if (request.versionId() != null && subject.chosen() == null) {
            return Future.failedFuture(ProblemException.notFound("No version " + request.versionId() + " of "
                + subject.number()));
          }
          DocumentTrainingRepository.Version chosen = subject.chosen();
          if (chosen != null && (chosen.effectiveAt() == null || chosen.effectiveAt().isAfter(at))) {
            return Future.failedFuture(ProblemException.unprocessable("Version " + chosen.label() + " of "
                + subject.number() + " was not effective at " + at.toInstant() + " (it is " + chosen.state()
                + "): nobody could be trained on it for work then", List.of(new Problem.FieldError("version",
                "not effective at the report's instant"))));
          }
          Prepared prepared = new Prepared(tenant, subject, at, request.asOf() != null, now);
          return audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin),
                  "report.generated", "report", REPORT)
              .withValues(null, new JsonObject().put("report", REPORT)
                  .put("documentId", subject.documentId().toString()).put("documentNumber", subject.number())
                  .put("versionId", request.versionId() == null ? null : request.versionId().toString())
                  .put("asOf", request.asOf() == null ? null : request.asOf().toInstant().toString())
                  .put("format", request.format())))
              .map(recorded -> prepared);
        }));
  }

  /**
   * Reads every line of the prepared report, in site, department and name order, handing them to {@code sink} in
   * batches; the next batch is read once the sink's future completes. Returns the totals.
   */
  public Future<Totals> read(Prepared prepared, Function<List<DocumentTrainingLine>, Future<Void>> sink) {
    Totals totals = new Totals();
    return tenantScope.inTransaction(prepared.tenant().schemaName(), connection -> repository.open(connection,
            prepared.subject().documentId(), prepared.at(),
            prepared.subject().chosen() == null ? null : prepared.subject().chosen().id())
        .compose(cursor -> next(cursor, totals, sink).eventually(cursor::close)))
        .map(totals);
  }

  private Future<Void> next(Cursor cursor, Totals totals, Function<List<DocumentTrainingLine>, Future<Void>> sink) {
    return cursor.read(BATCH).compose(rows -> {
      List<DocumentTrainingLine> lines = new java.util.ArrayList<>(rows.size());
      for (Row row : rows) {
        DocumentTrainingLine line = DocumentTrainingLine.of(row);
        totals.count(line);
        lines.add(line);
      }
      Future<Void> handed = lines.isEmpty() ? Future.succeededFuture() : sink.apply(lines);
      return handed.compose(v -> cursor.hasMore() ? next(cursor, totals, sink) : Future.succeededFuture());
    });
  }

  private static UUID uuidOrNull(String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
