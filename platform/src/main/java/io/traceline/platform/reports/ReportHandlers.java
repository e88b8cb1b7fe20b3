package io.traceline.platform.reports;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.http.ApiRequest;
import io.traceline.platform.http.BearerAuthentication;
import io.traceline.platform.http.Formats;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantGate;
import io.traceline.platform.reports.internal.ComplianceRepository;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * HTTP for reports. The format is the {@code format} parameter, else the {@code Accept} header ({@code text/csv},
 * {@code application/pdf}), else JSON. JSON and CSV stream: the status line and headers go out with the first batch of
 * lines (so a failure before it is still a problem response), each batch is written before the next is read, and a
 * failure after the first batch resets the connection rather than ending a truncated file as if it were whole. A PDF
 * is rendered on a worker thread from the lines collected (at most {@link #PDF_MAX_LINES}; larger reports are read
 * as CSV or JSON).
 */
public final class ReportHandlers {

  static final int PDF_MAX_LINES = 20_000;
  private static final int FLUSH_BYTES = 64 * 1024;

  private final DocumentTrainingReport documentTraining;
  private final ComplianceReport compliance;
  private final MetricsReport metrics;
  private final WorkerExecutor workers;

  public ReportHandlers(DocumentTrainingReport documentTraining, ComplianceReport compliance, MetricsReport metrics,
                        WorkerExecutor workers) {
    this.documentTraining = documentTraining;
    this.compliance = compliance;
    this.metrics = metrics;
    this.workers = workers;
  }

  /** A metric (RPT-3) as JSON. */
  public void metrics(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    MetricsReport.Request asked = new MetricsReport.Request(rc.pathParam("metric"), instant(request, "from"),
        instant(request, "to"), request.query("site"), request.query("department"), request.query("step"));
    metrics.compute(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), asked)
        .onSuccess(answer -> {
          start(rc.response(), "application/json", null);
          rc.response().end(answer.encode());
        })
        .onFailure(rc::fail);
  }

  /** A compliance view (RPT-2): its groups are few, so every format is built whole once counted. */
  public void compliance(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    String format = format(request.query("format"), rc.request().getHeader(HttpHeaders.ACCEPT));
    ComplianceReport.Request asked = new ComplianceReport.Request(request.query("by"),
        new ComplianceRepository.Filters(request.query("site"), request.query("department"), request.query("role"),
            request.query("program"), request.query("document")), asOf(request.query("asOf")), format);
    compliance.prepare(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), asked)
        .compose(prepared -> compliance.read(prepared).compose(result -> switch (format) {
          case "csv" -> {
            start(rc.response(), "text/csv; charset=utf-8", ComplianceFormats.filename(prepared, "csv"));
            yield rc.response().end(ComplianceFormats.csv(prepared, result));
          }
          case "pdf" -> workers.executeBlocking(() -> ComplianceFormats.pdf(prepared, result), false)
              .compose(pdf -> {
                start(rc.response(), "application/pdf", ComplianceFormats.filename(prepared, "pdf"));
                return rc.response().end(Buffer.buffer(pdf));
              });
          default -> {
            start(rc.response(), "application/json", null);
            yield rc.response().end(ComplianceFormats.json(prepared, result).encode());
          }
        }))
        .onFailure(rc::fail);
  }

  public void documentTraining(RoutingContext rc) {
    ApiRequest request = ApiRequest.of(rc);
    String format = format(request.query("format"), rc.request().getHeader(HttpHeaders.ACCEPT));
    String version = request.query("version");
    DocumentTrainingReport.Request asked = new DocumentTrainingReport.Request(request.query("document"),
        version == null ? null : UUID.fromString(version), asOf(request.query("asOf")), format);
    documentTraining.prepare(TenantGate.tenant(rc), BearerAuthentication.caller(rc), RequestOrigin.of(rc), asked)
        .compose(prepared -> switch (format) {
          case "csv" -> csv(rc, prepared);
          case "pdf" -> pdf(rc, prepared);
          default -> json(rc, prepared);
        })
        .onFailure(rc::fail);
  }

  private Future<Void> csv(RoutingContext rc, DocumentTrainingReport.Prepared prepared) {
    HttpServerResponse response = rc.response();
    String prefix = DocumentTrainingCsv.prefix(prepared);
    boolean[] started = {false};
    return documentTraining.read(prepared, lines -> {
          StringBuilder chunk = new StringBuilder(FLUSH_BYTES);
          if (!started[0]) {
            started[0] = true;
            start(response, "text/csv; charset=utf-8", filename(prepared, "csv"));
            chunk.append(DocumentTrainingCsv.HEADER);
          }
          lines.forEach(line -> DocumentTrainingCsv.append(chunk, prefix, line));
          return response.write(Buffer.buffer(chunk.toString()));
        })
        .compose(totals -> {
          if (!started[0]) {
            start(response, "text/csv; charset=utf-8", filename(prepared, "csv"));
            return response.end(DocumentTrainingCsv.HEADER);
          }
          return response.end();
        });
  }

  /** {@code {head…, "items": [ … ], "totals": {…}}}: the items stream, the totals follow them. */
  private Future<Void> json(RoutingContext rc, DocumentTrainingReport.Prepared prepared) {
    HttpServerResponse response = rc.response();
    String head = prepared.head().encode();
    String opening = head.substring(0, head.length() - 1) + ",\"items\":[";
    boolean[] started = {false};
    return documentTraining.read(prepared, lines -> {
          StringBuilder chunk = new StringBuilder(FLUSH_BYTES);
          for (DocumentTrainingLine line : lines) {
            if (!started[0]) {
              started[0] = true;
              start(response, "application/json", null);
              chunk.append(opening);
            } else {
              chunk.append(',');
            }
            chunk.append(line.toJson().encode());
          }
          return response.write(Buffer.buffer(chunk.toString()));
        })
        .compose(totals -> {
          String closing = "],\"totals\":" + totals.toJson().encode() + "}";
          if (!started[0]) {
            start(response, "application/json", null);
            return response.end(opening + closing);
          }
          return response.end(closing);
        });
  }

  private Future<Void> pdf(RoutingContext rc, DocumentTrainingReport.Prepared prepared) {
    List<DocumentTrainingLine> collected = new ArrayList<>();
    return documentTraining.read(prepared, lines -> {
          if (collected.size() + lines.size() > PDF_MAX_LINES) {
            return Future.failedFuture(ProblemException.unprocessable("The report has more than " + PDF_MAX_LINES
                + " people, too many for a readable PDF: ask for it as CSV or JSON", List.of(
                new Problem.FieldError("format", "at most " + PDF_MAX_LINES + " people in a PDF"))));
          }
          collected.addAll(lines);
          return Future.succeededFuture();
        })
        .compose(totals -> workers.executeBlocking(() -> DocumentTrainingPdf.render(prepared, collected, totals), false))
        .compose(pdf -> {
          start(rc.response(), "application/pdf", filename(prepared, "pdf"));
          return rc.response().end(Buffer.buffer(pdf));
        });
  }

  private static void start(HttpServerResponse response, String contentType, String filename) {
    response.setStatusCode(200).setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (filename != null) {
      response.putHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    }
  }

  private static String filename(DocumentTrainingReport.Prepared prepared, String extension) {
    String at = prepared.at().toInstant().toString().replace(":", "");
    return ("training-" + prepared.subject().number() + "-" + at + "." + extension).replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** The format asked for (see {@link Formats}). */
  static String format(String parameter, String accept) {
    return Formats.negotiate(parameter, accept);
  }

  private static OffsetDateTime asOf(String value) {
    return time("asOf", value);
  }

  private static OffsetDateTime instant(ApiRequest request, String name) {
    return time(name, request.query(name));
  }

  private static OffsetDateTime time(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest(name + " is an RFC 3339 date-time with its offset, e.g. 2026-03-01T00:00:00Z",
          List.of(new Problem.FieldError(name, "not an RFC 3339 date-time")));
    }
  }
}
