package io.traceline.platform.documents;

import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.SqlConnection;

/**
 * What caused a revision, from the features that drive revisions (a change control, a CAPA's document-change action,
 * QE-5): a version's read model shows them, so the chain reads from the document side as well.
 */
public interface VersionCauses {

  /** Nothing drives revisions. */
  VersionCauses NONE = (connection, versionId) -> Future.succeededFuture(new JsonArray());

  /** The causes of the version, oldest first (empty when none). */
  Future<JsonArray> causesOf(SqlConnection connection, UUID versionId);
}
