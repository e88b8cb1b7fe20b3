package io.traceline.platform.quality;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.records.RecordVersion;
import io.traceline.platform.records.RecordVersions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The record version a quality signature is bound to (P11-3): the record's canonical content as it is when the signer
 * asks to sign. The same content reuses the latest version; changed content is a new version (with no signatures).
 * When the signature is applied, the content is computed again and must still hash to the version signed, so nobody
 * closes anything other than what they saw.
 */
final class SignedRecords {

  private final RecordVersions records;

  SignedRecords(RecordVersions records) {
    this.records = records;
  }

  /** The version of the record holding {@code content}, appended when the latest one holds something else. */
  Future<Integer> prepare(SqlConnection connection, String type, String id, JsonObject content, AuditEvent.Actor author,
                          String reason) {
    return records.latest(connection, type, id).compose(latest -> {
      if (latest != null && RecordVersion.hashOf(type, id, latest.version(), content).equals(latest.contentHash())) {
        return Future.succeededFuture(latest.version());
      }
      int next = latest == null ? 1 : latest.version() + 1;
      return records.append(connection, type, id, next, content, author, reason).compose(made -> made == null
          ? Future.failedFuture(ProblemException.conflict("The record changed at the same time: read it again and sign"))
          : Future.succeededFuture(next));
    });
  }

  /** The latest version of the record; 404 when it has none. */
  Future<Integer> latest(SqlConnection connection, String type, String id) {
    return records.latest(connection, type, id).compose(latest -> latest != null ? Future.succeededFuture(latest.version())
        : Future.failedFuture(ProblemException.notFound("Nothing of this record was signed")));
  }

  /** 409 unless {@code content} is exactly what version {@code version} of the record holds. */
  Future<Void> unchanged(SqlConnection connection, String type, String id, int version, JsonObject content) {
    return records.find(connection, type, id, version).compose(signed -> signed != null
        && RecordVersion.hashOf(type, id, version, content).equals(signed.contentHash())
        ? Future.succeededFuture()
        : Future.failedFuture(ProblemException.conflict("The record changed while it was being signed: read it again "
            + "and sign what it is now")));
  }
}
