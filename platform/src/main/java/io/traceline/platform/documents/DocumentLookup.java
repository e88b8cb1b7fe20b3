package io.traceline.platform.documents;

import java.util.UUID;

import io.traceline.platform.documents.internal.DocumentRepository;
import io.traceline.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/** Loads a document or a version for this package's services, or fails with a 404 problem. */
final class DocumentLookup {

  private final DocumentRepository repository;

  DocumentLookup(DocumentRepository repository) {
    this.repository = repository;
  }

  /** The document; {@code lock} takes its row lock, which serializes every change to the document and its versions. */
  Future<JsonObject> document(SqlConnection connection, UUID id, boolean lock) {
    return repository.find(connection, id, lock).compose(document -> document != null
        ? Future.succeededFuture(document)
        : Future.failedFuture(ProblemException.notFound("No document " + id)));
  }

  Future<JsonObject> version(SqlConnection connection, UUID documentId, UUID versionId) {
    return repository.version(connection, documentId, versionId).compose(version -> version != null
        ? Future.succeededFuture(version)
        : Future.failedFuture(ProblemException.notFound("No version " + versionId + " of document " + documentId)));
  }
}
