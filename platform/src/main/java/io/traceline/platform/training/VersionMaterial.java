package io.traceline.platform.training;

import java.util.Set;
import java.util.UUID;

import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The training material kept per document version (an assessment's question bank, an on-the-job checklist): which
 * version a request names, and whether its material may still change. A version no one will be assigned again keeps its
 * material as it was, so the evidence of those who trained on it stays readable as it was used.
 */
public final class VersionMaterial {

  private static final Set<String> CLOSED_STATES = Set.of("superseded", "obsolete", "withdrawn");

  private VersionMaterial() {
  }

  /** The version's state; 404 when it is not a version of the document. */
  public static Future<String> state(SqlConnection connection, UUID documentId, UUID versionId) {
    return connection.preparedQuery("SELECT state FROM document_version WHERE id = $1 AND document_id = $2")
        .execute(Tuple.of(versionId, documentId))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(rows.iterator().next().getString("state"))
            : Future.failedFuture(ProblemException.notFound("No version " + versionId + " of document " + documentId)));
  }

  /**
   * The version, when its material may still change: 409 {@code version-closed} once it is superseded, obsolete or
   * withdrawn. {@code material} names it in the problem ("questions", "checklist").
   */
  public static Future<Void> requireOpen(SqlConnection connection, UUID documentId, UUID versionId, String material) {
    return state(connection, documentId, versionId).compose(state -> CLOSED_STATES.contains(state)
        ? Future.failedFuture(new ProblemException(Problem.of(409, "version-closed", "The version's " + material
            + " is closed", "Version " + versionId + " is " + state + ": its " + material + " stays as it was; change "
            + "the current version's")))
        : Future.succeededFuture());
  }

  /** The earlier version material is carried forward from: 422 when it is this version or not one of the document. */
  public static Future<Void> requireSource(SqlConnection connection, UUID documentId, UUID versionId, UUID fromVersionId,
                                           String material) {
    if (fromVersionId.equals(versionId)) {
      return Future.failedFuture(ProblemException.unprocessable("The " + material + " is carried forward from another "
          + "version", java.util.List.of(new Problem.FieldError("/fromVersionId", "another version of the same document"))));
    }
    return state(connection, documentId, fromVersionId).<Void>mapEmpty().recover(missing -> Future.failedFuture(
        ProblemException.unprocessable("No version " + fromVersionId + " of this document",
            java.util.List.of(new Problem.FieldError("/fromVersionId", "a version of the same document")))));
  }
}
