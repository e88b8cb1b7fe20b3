package io.traceline.platform.signatures;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.records.RecordVersion;
import io.traceline.platform.records.RecordVersions;
import io.traceline.platform.signatures.internal.SignatureRepository;
import io.traceline.tenants.IdentityDirectory;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Electronic signatures (P11-3, P11-4, P11-5): who may sign what with which meaning, re-authentication at
 * each signing, the signature policy acknowledgement before a first signature, idempotent retries, and
 * the audit trail of every signature and every refused attempt.
 */
public final class SignatureService {

  /** How old a login may be for the fresh-login method (11.200(a)(1): both components entered at signing). */
  public static final Duration FRESH_LOGIN_MAX_AGE = Duration.ofSeconds(120);
  private static final Logger SECURITY = LoggerFactory.getLogger("traceline.security");

  private final TenantScope tenantScope;
  private final RecordVersions records;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final SignaturePolicy policy;
  private final KeycloakCredentials credentials;
  private final IdentityDirectory directory;
  private final WorkerExecutor workers;
  private final SignatureRepository signatures = new SignatureRepository();

  public SignatureService(TenantScope tenantScope, RecordVersions records, AuditTrail audit, RoleCheck roles,
                          KeycloakCredentials credentials, IdentityDirectory directory, WorkerExecutor workers) {
    this.tenantScope = tenantScope;
    this.records = records;
    this.audit = audit;
    this.roles = roles;
    this.policy = new SignaturePolicy(records, audit);
    this.credentials = credentials;
    this.directory = directory;
    this.workers = workers;
  }

  /** A signature, and whether it was made by an earlier request with the same idempotency key. */
  public record Signed(Signature signature, boolean replayed) {
  }

  /** A signature through the generic endpoint: refused for record types whose signatures are workflow steps. */
  public Future<Signed> sign(TenantContext tenant, Caller caller, RequestOrigin origin, SignatureRequest request,
                             String idempotencyKey) {
    return sign(tenant, caller, origin, request, idempotencyKey, SignatureEffect.NONE);
  }

  /**
   * A signature that is a step of a feature's workflow: {@code effect} is checked before the credentials and applied
   * in the signature's transaction. A replay (same idempotency key) answers with the earlier signature and applies
   * nothing again.
   */
  public Future<Signed> sign(TenantContext tenant, Caller caller, RequestOrigin origin, SignatureRequest request,
                             String idempotencyKey, SignatureEffect effect) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
            replay(connection, caller, request, idempotencyKey).compose(replayed -> replayed != null
                ? Future.succeededFuture(new Target(null, replayed))
                : checkTarget(connection, caller, request, effect)
                    .compose(version -> effect.check(connection).map(new Target(version, null)))))
        .compose(target -> target.replayed != null ? Future.succeededFuture(new Signed(target.replayed, true))
            : reauthenticate(tenant, caller, origin, request)
                .compose(signer -> record(tenant, caller, origin, request, idempotencyKey, signer, effect))
                .map(signature -> new Signed(signature, false)))
        .recover(failure -> isUnique(failure, "signature_idempotency")
            // Two requests with the same key raced: the other one made the signature; answer with it.
            ? tenantScope.inTransaction(tenant.schemaName(), connection -> replay(connection, caller, request, idempotencyKey))
                .map(signature -> new Signed(signature, true))
            : Future.failedFuture(failure));
  }

  private record Target(RecordVersion version, Signature replayed) {
  }

  /** The signature an earlier request with this key made (same request), or a 422 when the key was used otherwise. */
  private Future<Signature> replay(SqlConnection connection, Caller caller, SignatureRequest request, String key) {
    if (key == null) {
      return Future.succeededFuture();
    }
    return signatures.findByKey(connection, caller.subject(), key).compose(keyed -> {
      if (keyed == null) {
        return Future.succeededFuture();
      }
      if (!keyed.requestHash().equals(request.fingerprint())) {
        return Future.failedFuture(new ProblemException(Problem.of(422, "idempotency-key-reused",
            "Idempotency-Key already used", "This Idempotency-Key was used for another signature request; "
                + "use a new key for a new request")));
      }
      return Future.succeededFuture(keyed.signature());
    });
  }

  /** Everything that can be decided before asking for credentials: no Keycloak call (and no failure count) for a request that cannot succeed. */
  private Future<RecordVersion> checkTarget(SqlConnection connection, Caller caller, SignatureRequest request,
                                            SignatureEffect effect) {
    return policy.current(connection)
        .compose(currentPolicy -> signatures.meanings(connection, request.recordType()).compose(meanings -> {
          if (meanings.isEmpty()) {
            return Future.failedFuture(ProblemException.unprocessable("Records of type '" + request.recordType()
                + "' are not signed", List.of(new Problem.FieldError("/recordType", "not a signable record type"))));
          }
          SignatureRepository.Meaning meaning = meanings.stream().filter(m -> m.meaning().equals(request.meaning()))
              .findFirst().orElse(null);
          if (meaning == null) {
            return Future.failedFuture(ProblemException.unprocessable("A signature on " + request.recordType()
                + " means one of " + meanings.stream().map(SignatureRepository.Meaning::meaning).toList(),
                List.of(new Problem.FieldError("/meaning", "not a meaning configured for " + request.recordType()))));
          }
          if (effect == SignatureEffect.NONE && meaning.signedThrough() != null) {
            return Future.failedFuture(new ProblemException(Problem.of(422, "signed-through-workflow",
                "Sign this record through its workflow", "A '" + request.meaning() + "' signature on "
                    + request.recordType() + " is a step of its workflow: sign it with " + meaning.signedThrough())
                .withErrors(List.of(new Problem.FieldError("/recordType", "signed through " + meaning.signedThrough())))));
          }
          Future<?> allowed = meaning.roles() == null ? Future.succeededFuture()
              : roles.requireAny(connection, caller.subject(), java.util.Set.copyOf(meaning.roles()));
          return allowed.compose(v -> currentVersion(connection, request))
              .compose(version -> policyAcknowledged(connection, caller, request, currentPolicy).map(version))
              .compose(version -> signatures.exists(connection, request.recordType(), request.recordId(),
                      request.recordVersion(), caller.subject(), request.meaning())
                  .compose(exists -> exists
                      ? Future.failedFuture(ProblemException.conflict("You have already signed version "
                          + request.recordVersion() + " of this record with the meaning '" + request.meaning() + "'"))
                      : Future.succeededFuture(version)));
        }));
  }

  /** The requested version when it is the record's current one: 404 for no such record or version, 409 when superseded. */
  private Future<RecordVersion> currentVersion(SqlConnection connection, SignatureRequest request) {
    return records.latest(connection, request.recordType(), request.recordId()).compose(latest -> {
      if (latest == null || request.recordVersion() > latest.version()) {
        return Future.failedFuture(ProblemException.notFound("No version " + request.recordVersion() + " of "
            + request.recordType() + " '" + request.recordId() + "'"));
      }
      if (request.recordVersion() < latest.version()) {
        return Future.failedFuture(new ProblemException(Problem.of(409, "version-superseded",
            "That version is no longer current", "Version " + request.recordVersion() + " was superseded by version "
                + latest.version() + "; a changed record is a new version and needs its own signatures")));
      }
      return Future.succeededFuture(latest);
    });
  }

  private Future<Void> policyAcknowledged(SqlConnection connection, Caller caller, SignatureRequest request,
                                          RecordVersion currentPolicy) {
    if (SignaturePolicy.RECORD_TYPE.equals(request.recordType())) {
      return Future.succeededFuture();
    }
    return signatures.exists(connection, SignaturePolicy.RECORD_TYPE, SignaturePolicy.RECORD_ID, currentPolicy.version(),
            caller.subject(), SignaturePolicy.MEANING)
        .compose(acknowledged -> acknowledged ? Future.succeededFuture()
            : Future.failedFuture(new ProblemException(Problem.of(409, "signature-policy-not-acknowledged",
                "Acknowledge the signature policy first", "Before your first electronic signature, sign the "
                    + "electronic signature policy (record type signature-policy, id signature-policy, version "
                    + currentPolicy.version() + ", meaning acknowledged): GET /signature-policy shows it"))));
  }

  /** Re-authentication at signing: the signer as the identity provider knows them, or a 401/403 problem (audited). */
  private Future<KeycloakCredentials.Verified> reauthenticate(TenantContext tenant, Caller caller, RequestOrigin origin,
                                                              SignatureRequest request) {
    if (SignatureRequest.FRESH_LOGIN.equals(request.method())) {
      boolean fresh = caller.authTime() != null
          && Instant.ofEpochSecond(caller.authTime()).isAfter(Instant.now().minus(FRESH_LOGIN_MAX_AGE));
      return fresh ? Future.succeededFuture(new KeycloakCredentials.Verified(caller.subject(), caller.username(), caller.name()))
          : refuse(tenant, caller, origin, request, "signature.rejected", "stale-login", null,
              new ProblemException(Problem.of(401, "reauthentication-required", "Sign in again to sign",
                  "A fresh-login signature needs a login at most " + FRESH_LOGIN_MAX_AGE.toSeconds()
                      + " s old (authorize with max_age=0), or sign with your username and password")));
    }
    String entered = request.username().strip();
    if (!entered.equalsIgnoreCase(caller.username()) && !entered.equalsIgnoreCase(caller.email())) {
      return refuse(tenant, caller, origin, request, "signature.rejected", "other-users-credentials", null,
          ProblemException.forbidden("The credentials must be your own: a signature is made by the person signed in"));
    }
    return credentials.check(entered, request.password()).compose(verified -> {
      if (verified == null) {
        return lockoutStatus(caller).compose(status -> {
          boolean locked = Boolean.TRUE.equals(status.get("disabled"));
          JsonObject detail = new JsonObject().put("failures", status.get("numFailures")).put("locked", locked);
          return locked
              ? refuse(tenant, caller, origin, request, "security.signature-lockout", "account-locked", detail,
                  new ProblemException(Problem.of(401, "account-locked", "Account locked",
                      "Too many failed signing attempts: the account is locked for a while. The attempt was recorded "
                          + "as a security event")))
              : refuse(tenant, caller, origin, request, "signature.rejected", "wrong-credentials", detail,
                  new ProblemException(Problem.of(401, "invalid-credentials", "Wrong username or password",
                      "The credentials were not accepted; repeated failures lock the account")));
        });
      }
      if (!caller.subject().equals(verified.subject())) {
        return refuse(tenant, caller, origin, request, "signature.rejected", "other-users-credentials", null,
            ProblemException.forbidden("The credentials must be your own: a signature is made by the person signed in"));
      }
      return Future.succeededFuture(verified);
    });
  }

  private Future<Map<String, Object>> lockoutStatus(Caller caller) {
    return workers.<Map<String, Object>>executeBlocking(() -> directory.bruteForceStatus(caller.subject()), false)
        .recover(failure -> {
          SECURITY.warn("Could not read the brute-force status of {}: {}", caller.subject(), failure.toString());
          return Future.succeededFuture(Map.of());
        });
  }

  /** Records the refused attempt in the tenant's audit trail (its own transaction), then fails with the problem. */
  private <T> Future<T> refuse(TenantContext tenant, Caller caller, RequestOrigin origin, SignatureRequest request,
                               String action, String outcome, JsonObject detail, ProblemException problem) {
    JsonObject attempt = new JsonObject().put("outcome", outcome).put("meaning", request.meaning())
        .put("method", request.method()).put("usernameEntered", request.username());
    if (detail != null) {
      attempt.mergeIn(detail);
    }
    SECURITY.warn("Signature refused in tenant {}: user {} ({}) on {}/{} v{}: {}", tenant.slug(), caller.username(),
        caller.subject(), request.recordType(), request.recordId(), request.recordVersion(), outcome);
    AuditEvent event = AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin), action,
        request.recordType(), request.recordId()).withVersion(request.recordVersion()).withValues(null, attempt);
    return tenantScope.inTransaction(tenant.schemaName(), connection -> audit.record(connection, event))
        .transform(recorded -> Future.failedFuture(problem));
  }

  private Future<Signature> record(TenantContext tenant, Caller caller, RequestOrigin origin, SignatureRequest request,
                                   String idempotencyKey, KeycloakCredentials.Verified signer, SignatureEffect effect) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> currentVersion(connection, request)
        .compose(version -> signatures.databaseTime(connection).compose(now -> {
          String name = signer.name() == null || signer.name().isBlank() ? caller.name() : signer.name();
          Signature signature = new Signature(Ids.newId(), request.recordType(), request.recordId(), version.version(),
              version.contentHash(), request.meaning(), caller.subject(),
              signer.username() == null ? caller.username() : signer.username(), name, now, request.method(), null)
              .withHash();
          return signatures.insert(connection, signature, idempotencyKey, request.fingerprint())
              .compose(v -> audit.record(connection, AuditEvent.of(new AuditEvent.Actor(caller.subject(), name),
                      AuditEvent.Source.of(origin), "signature.applied", request.recordType(), request.recordId())
                  .withVersion(version.version()).withValues(null, signature.toJson())))
              .compose(v -> effect.apply(connection, signature))
              .map(signature);
        })))
        .recover(failure -> isUnique(failure, "signature_once")
            ? Future.failedFuture(ProblemException.conflict("You have already signed version " + request.recordVersion()
                + " of this record with the meaning '" + request.meaning() + "'"))
            : Future.failedFuture(failure));
  }

  public Future<Signature> get(TenantContext tenant, UUID id) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> signatures.find(connection, id))
        .compose(signature -> signature != null ? Future.succeededFuture(signature)
            : Future.failedFuture(ProblemException.notFound("No such signature")));
  }

  public Future<List<Signature>> ofRecord(TenantContext tenant, String recordType, String recordId, Integer version) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        signatures.ofRecord(connection, recordType, recordId, version));
  }

  /** One signature, on the caller's connection; null when there is none. */
  public Future<Signature> find(SqlConnection connection, UUID id) {
    return signatures.find(connection, id);
  }

  /** Every signature of a record (all its versions), on the caller's connection. */
  public Future<List<Signature>> ofRecord(SqlConnection connection, String recordType, String recordId) {
    return signatures.ofRecord(connection, recordType, recordId, null);
  }

  /** Signatures of one record version, on the caller's connection (for features that show a record with its signatures). */
  public Future<List<Signature>> ofVersion(SqlConnection connection, String recordType, String recordId, int version) {
    return signatures.ofRecord(connection, recordType, recordId, version);
  }

  public Future<JsonArray> meanings(TenantContext tenant, String recordType) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> signatures.meanings(connection, recordType))
        .map(meanings -> new JsonArray(meanings.stream().map(SignatureRepository.Meaning::toJson).toList()));
  }

  /** The current signature policy and whether (and when) the caller acknowledged it. */
  public Future<JsonObject> policy(TenantContext tenant, Caller caller) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> policy.current(connection)
        .compose(current -> signatures.lastSigned(connection, SignaturePolicy.RECORD_TYPE, SignaturePolicy.RECORD_ID,
                caller.subject(), SignaturePolicy.MEANING)
            .map(acknowledgedAt -> current.toJson()
                .put("acknowledgedAt", io.traceline.platform.integrity.CanonicalJson.timestamp(acknowledgedAt)))));
  }

  /**
   * Re-hashes every signature and checks it still names the hash of the record version it was bound to:
   * {@code {intact, signatures, broken: [...]}} (at most 100 listed).
   */
  public Future<JsonObject> verify(SqlConnection connection) {
    JsonArray broken = new JsonArray();
    long[] checked = {0};
    return verifyFrom(connection, null, broken, checked).map(v -> new JsonObject().put("intact", broken.isEmpty())
        .put("signatures", checked[0]).put("broken", broken));
  }

  private Future<Void> verifyFrom(SqlConnection connection, UUID after, JsonArray broken, long[] checked) {
    int pageSize = 500;
    return signatures.verificationPage(connection, after, pageSize).compose(page -> {
      for (Object[] entry : page) {
        Signature signature = (Signature) entry[0];
        String versionHash = (String) entry[1];
        checked[0]++;
        String problem = !signature.computeHash().equals(signature.signatureHash())
            ? "the signature was altered after it was made"
            : !signature.recordHash().equals(versionHash)
                ? "the signature no longer names the record version it was bound to"
                : null;
        if (problem != null && broken.size() < 100) {
          broken.add(new JsonObject().put("id", signature.id().toString()).put("recordType", signature.recordType())
              .put("recordId", signature.recordId()).put("recordVersion", signature.recordVersion()).put("problem", problem));
        }
      }
      return page.size() < pageSize ? Future.succeededFuture()
          : verifyFrom(connection, ((Signature) page.get(page.size() - 1)[0]).id(), broken, checked);
    });
  }

  private static boolean isUnique(Throwable failure, String constraint) {
    return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
        && pg.getConstraint() != null && pg.getConstraint().toLowerCase(Locale.ROOT).equals(constraint);
  }
}
