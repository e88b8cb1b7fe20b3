package io.traceline.platform.reports.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * What a compliance view (RPT-2) needs besides the auditor's question it asks of each document: which documents the
 * view covers (those with a requirement in force at the instant, narrowed to a document or a program), and whether the
 * codes it is filtered by name anything.
 */
public final class ComplianceRepository {

  /** A document the view covers, with the program it belongs to (null: tenant-wide). */
  public record CoveredDocument(UUID id, String number, String title, String programCode, String programName) {
  }

  /** The filters as asked; a null means "not filtered by it". */
  public record Filters(String site, String department, String role, String program, String document) {
  }

  /** Which of the filter codes name something in the tenant (the document by id or number). */
  public record Known(boolean site, boolean department, boolean role, boolean program, boolean document,
                      String tenantName) {
  }

  public Future<Known> known(SqlConnection connection, Filters filters, UUID documentId, String tenantSlug) {
    return connection.preparedQuery("SELECT "
            + "$1::text IS NULL OR EXISTS (SELECT 1 FROM site WHERE code = $1) AS site, "
            + "$2::text IS NULL OR EXISTS (SELECT 1 FROM department d JOIN site s ON s.id = d.site_id "
            + "  WHERE d.code = $2 AND ($1::text IS NULL OR s.code = $1)) AS department, "
            + "$3::text IS NULL OR EXISTS (SELECT 1 FROM job_role WHERE code = $3) AS role, "
            + "$4::text IS NULL OR EXISTS (SELECT 1 FROM program WHERE code = $4) AS program, "
            + "$5::text IS NULL OR EXISTS (SELECT 1 FROM document WHERE id = $6 OR number = $5) AS document, "
            + "(SELECT display_name FROM control.tenant WHERE slug = $7) AS tenant_name")
        .execute(Tuple.of(filters.site(), filters.department(), filters.role(), filters.program(), filters.document(),
            documentId, tenantSlug))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Known(row.getBoolean("site"), row.getBoolean("department"), row.getBoolean("role"),
              row.getBoolean("program"), row.getBoolean("document"), row.getString("tenant_name"));
        });
  }

  /**
   * The documents with a requirement and a version in force at {@code at} (created by then, not retired by then;
   * effective by then, not superseded or ended by then), in number order, narrowed to one program or one document when
   * asked. A document nobody was required to train on, or nobody could work under, has no compliance to report; the
   * auditor's question still answers for it on its own.
   */
  public Future<List<CoveredDocument>> covered(SqlConnection connection, OffsetDateTime at, String programCode,
                                               UUID documentId, String document) {
    return connection.preparedQuery("SELECT d.id, d.number, d.title, p.code AS program_code, p.name AS program_name "
            + "FROM document d LEFT JOIN program p ON p.id = d.program_id "
            + "WHERE EXISTS (SELECT 1 FROM training_requirement r WHERE r.document_id = d.id AND r.created_at <= $1 "
            + "    AND (r.retired_at IS NULL OR r.retired_at > $1)) "
            + "  AND EXISTS (SELECT 1 FROM document_version v WHERE v.document_id = d.id AND v.effective_at <= $1 "
            + "    AND coalesce(v.superseded_at, v.ended_at, 'infinity') > $1) "
            + "  AND ($2::text IS NULL OR p.code = $2) AND ($4::text IS NULL OR d.id = $3 OR d.number = $4) "
            + "ORDER BY d.number")
        .execute(Tuple.of(at, programCode, documentId, document))
        .map(rows -> {
          List<CoveredDocument> documents = new ArrayList<>(rows.size());
          rows.forEach(row -> documents.add(new CoveredDocument(row.getUUID("id"), row.getString("number"),
              row.getString("title"), row.getString("program_code"), row.getString("program_name"))));
          return documents;
        });
  }
}
