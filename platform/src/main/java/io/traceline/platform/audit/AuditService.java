package io.traceline.platform.audit;

import java.time.OffsetDateTime;
import java.util.List;

import io.traceline.platform.access.ApplicationRole;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.internal.AuditRepository;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.integrity.CanonicalJson;
import io.traceline.platform.pdf.TenantDisplayName;
import io.traceline.platform.records.RecordVersions;
import io.traceline.platform.signatures.SignatureService;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Reading the audit trail (tenant admins, quality managers, auditors): search, export, and verification of
 * the chain, the record versions and the signatures. Reading is not a change: it writes nothing.
 */
public final class AuditService {

  static final ApplicationRole[] READERS = {ApplicationRole.TENANT_ADMIN, ApplicationRole.QUALITY_MANAGER,
      ApplicationRole.AUDITOR};
  private static final int VERIFY_PAGE = 1000;

  private final TenantScope tenantScope;
  private final RoleCheck roles;
  private final RecordVersions records;
  private final SignatureService signatures;
  private final AuditRepository repository = new AuditRepository();

  public AuditService(TenantScope tenantScope, RoleCheck roles, RecordVersions records, SignatureService signatures) {
    this.tenantScope = tenantScope;
    this.roles = roles;
    this.records = records;
    this.signatures = signatures;
  }

  /** Events matching the query after the cursor; one more than {@code limit} tells the caller there is a next page. */
  public Future<List<AuditRecord>> search(TenantContext tenant, Caller caller, AuditQuery query, Long after, int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> requireReader(connection, caller)
        .compose(v -> repository.head(connection))
        .compose(head -> repository.find(connection, query, after, head.getLong("seq"), limit)));
  }

  /**
   * Streams every matching event to {@code sink} in pages, inside one transaction, up to the head as it was when
   * the export started. {@code start} runs once the caller is known to be allowed (before anything is written).
   */
  public Future<Void> export(TenantContext tenant, Caller caller, AuditQuery query, Runnable start,
                             java.util.function.Function<List<AuditRecord>, Future<Void>> sink) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> requireReader(connection, caller)
        .compose(v -> repository.head(connection))
        .compose(head -> {
          start.run();
          return exportFrom(connection, query, null, head.getLong("seq"), sink);
        }));
  }

  /** An extract for a human-readable copy: the events, the tenant's name, and the chain's head when it was read. */
  public record Extract(List<AuditRecord> events, String tenantName, long headSeq, String headHash) {
  }

  /**
   * Every matching event up to the head as it was when the extract started, at most {@code max} (a 422 beyond: a
   * larger extract is read as CSV, which streams), for a PDF.
   */
  public Future<Extract> extract(TenantContext tenant, Caller caller, AuditQuery query, int max) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> requireReader(connection, caller)
        .compose(v -> repository.head(connection))
        .compose(head -> {
          List<AuditRecord> events = new java.util.ArrayList<>();
          return exportFrom(connection, query, null, head.getLong("seq"), page -> {
            if (events.size() + page.size() > max) {
              return Future.failedFuture(ProblemException.unprocessable("More than " + max + " events match: too "
                  + "many for a readable PDF. Narrow the filters (entity, actor, action, from, to) or ask for CSV",
                  List.of(new Problem.FieldError("format", "at most " + max + " events in a PDF"))));
            }
            events.addAll(page);
            return Future.succeededFuture();
          })
              .compose(v -> TenantDisplayName.of(connection, tenant.slug()))
              .map(name -> new Extract(events, name, head.getLong("seq"), head.getString("last_hash")));
        }));
  }

  private Future<Void> exportFrom(SqlConnection connection, AuditQuery query, Long after, long maxSeq,
                                  java.util.function.Function<List<AuditRecord>, Future<Void>> sink) {
    int pageSize = 500;
    return repository.find(connection, query, after, maxSeq, pageSize).compose(page -> page.isEmpty()
        ? Future.succeededFuture()
        : sink.apply(page).compose(v -> page.size() < pageSize ? Future.succeededFuture()
            : exportFrom(connection, query, page.get(page.size() - 1).seq(), maxSeq, sink)));
  }

  /**
   * Recomputes the audit chain from its first event and names the first broken link; re-hashes every record
   * version and signature (P11-2, 11.10(a)).
   */
  public Future<JsonObject> verify(TenantContext tenant, Caller caller) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> requireReader(connection, caller)
        .compose(v -> verifyChain(connection))
        .compose(chain -> records.verify(connection).compose(recordsResult -> signatures.verify(connection)
            .map(signaturesResult -> new JsonObject()
                .put("intact", chain.getBoolean("intact") && recordsResult.getBoolean("intact")
                    && signaturesResult.getBoolean("intact"))
                .put("verifiedAt", CanonicalJson.timestamp(OffsetDateTime.now()))
                .put("auditTrail", chain)
                .put("records", recordsResult)
                .put("signatures", signaturesResult)))));
  }

  private Future<JsonObject> verifyChain(SqlConnection connection) {
    return repository.head(connection).compose(head -> {
      long headSeq = head.getLong("seq");
      String headHash = head.getString("last_hash");
      ChainWalk walk = new ChainWalk();
      return walk(connection, walk, headSeq).map(v -> {
        if (walk.broken == null && walk.lastSeq != headSeq) {
          walk.broken = link(walk.lastSeq + 1, "missing", "events " + (walk.lastSeq + 1) + " to " + headSeq
              + " are missing from the trail");
        } else if (walk.broken == null && !headHash.equals(walk.prevHash)) {
          walk.broken = link(headSeq, "head-mismatch", "the chain's head does not hold the hash of its last event");
        }
        return new JsonObject()
            .put("intact", walk.broken == null)
            .put("events", walk.checked)
            .put("headSeq", headSeq)
            .put("headHash", headHash)
            .put("firstBrokenLink", walk.broken);
      });
    });
  }

  private Future<Void> walk(SqlConnection connection, ChainWalk walk, long headSeq) {
    return repository.chainPage(connection, walk.lastSeq, headSeq, VERIFY_PAGE).compose(page -> {
      for (AuditRepository.Stored stored : page) {
        AuditRecord record = stored.record();
        walk.checked++;
        if (record.seq() != walk.lastSeq + 1) {
          walk.broken = link(walk.lastSeq + 1, "missing", "event " + (walk.lastSeq + 1) + " is missing: the next "
              + "event is " + record.seq());
          return Future.succeededFuture();
        }
        if (!record.prevHash().equals(walk.prevHash)) {
          walk.broken = link(record.seq(), "prev-hash-mismatch", "event " + record.seq()
              + " does not link to the hash of the event before it").put("storedPrevHash", record.prevHash())
              .put("expectedPrevHash", walk.prevHash);
          return Future.succeededFuture();
        }
        String computed = record.computeHash();
        if (!computed.equals(record.hash()) || !record.contentHash().equals(stored.storedContentHash())) {
          walk.broken = link(record.seq(), "hash-mismatch", "event " + record.seq()
              + " was altered after it was recorded: its content no longer matches its hash")
              .put("storedHash", record.hash()).put("computedHash", computed);
          return Future.succeededFuture();
        }
        walk.lastSeq = record.seq();
        walk.prevHash = record.hash();
      }
      return page.size() < VERIFY_PAGE ? Future.succeededFuture() : walk(connection, walk, headSeq);
    });
  }

  private static JsonObject link(long seq, String problem, String detail) {
    return new JsonObject().put("seq", seq).put("problem", problem).put("detail", detail);
  }

  private Future<Void> requireReader(SqlConnection connection, Caller caller) {
    return roles.requireAny(connection, caller.subject(), READERS).mapEmpty();
  }

  private static final class ChainWalk {
    private long lastSeq;
    private String prevHash = CanonicalJson.GENESIS;
    private long checked;
    private JsonObject broken;
  }
}
