package io.traceline.platform.documents;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Told, in the transaction that makes a version effective, that it did: training enqueues its fan-out there, so the
 * assignments follow from the revision exactly when the revision commits (DOC-7, TRN-2).
 */
public interface VersionEffectiveListener {

  /**
   * {@code version} as the API shows it (with its document, training impact, revision kind and effective time);
   * {@code hasEarlierVersions}: the document has versions numbered below it, in any state (false for a first version).
   */
  Future<Void> versionEffective(SqlConnection connection, String tenant, JsonObject version, boolean hasEarlierVersions);
}
