package io.traceline.platform.records;

import java.util.ArrayList;
import java.util.List;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.records.internal.RecordVersionRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The versions of GxP records (11.10(a)): append-only, each content-hashed. A change is a new version; the
 * old one stays as it was, with its signatures. Runs on the caller's connection, in its transaction.
 */
public final class RecordVersions {

  private static final int VERIFY_PAGE = 500;
  private final RecordVersionRepository repository = new RecordVersionRepository();

  /** The newest version of the record, or null when it has none. */
  public Future<RecordVersion> latest(SqlConnection connection, String recordType, String recordId) {
    return repository.latest(connection, recordType, recordId);
  }

  public Future<RecordVersion> find(SqlConnection connection, String recordType, String recordId, int version) {
    return repository.find(connection, recordType, recordId, version);
  }

  /** Every version of the record, oldest first. */
  public Future<List<RecordVersion>> history(SqlConnection connection, String recordType, String recordId) {
    return repository.history(connection, recordType, recordId);
  }

  /**
   * Appends {@code version} of the record; null when that version already exists (a concurrent writer made
   * it first: the caller's view is stale).
   */
  public Future<RecordVersion> append(SqlConnection connection, String recordType, String recordId, int version,
                                      JsonObject content, AuditEvent.Actor author, String reason) {
    String hash = RecordVersion.hashOf(recordType, recordId, version, content);
    return repository.insert(connection, recordType, recordId, version, content, hash, author.id(), author.name(), reason);
  }

  /**
   * Re-hashes every stored version and lists those whose content no longer matches their hash (11.10(a)):
   * {@code {intact, versions, altered: [...]}} (at most 100 listed).
   */
  public Future<JsonObject> verify(SqlConnection connection) {
    Progress progress = new Progress();
    return verifyFrom(connection, null, progress).map(v -> new JsonObject()
        .put("intact", progress.altered.isEmpty())
        .put("versions", progress.checked)
        .put("altered", new JsonArray(progress.altered)));
  }

  private Future<Void> verifyFrom(SqlConnection connection, RecordVersion after, Progress progress) {
    return repository.page(connection, after, VERIFY_PAGE).compose(page -> {
      for (RecordVersion version : page) {
        progress.checked++;
        String computed = version.computeHash();
        if (!computed.equals(version.contentHash()) && progress.altered.size() < 100) {
          progress.altered.add(new JsonObject().put("recordType", version.recordType()).put("recordId", version.recordId())
              .put("version", version.version()).put("storedHash", version.contentHash()).put("computedHash", computed));
        }
      }
      return page.size() < VERIFY_PAGE ? Future.succeededFuture()
          : verifyFrom(connection, page.get(page.size() - 1), progress);
    });
  }

  private static final class Progress {
    private long checked;
    private final List<JsonObject> altered = new ArrayList<>();
  }
}
