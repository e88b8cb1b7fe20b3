package io.traceline.platform.qualifications;

import java.util.UUID;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.traceline.platform.access.UserAdmission;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.qualifications.internal.StatusRepository;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * The point-of-use check (TRN-6): "may person P do the work of document D now?", asked by shop-floor systems (MES, LIMS,
 * kiosks) before a step, so it answers from one indexed statement in one round trip: the caller's roles are checked in
 * the same statement, and no transaction is opened for a single read (the statement names the tenant's schema; see
 * {@link StatusRepository#lookupStatement}). The person is named by id or employee number, the document by id or number.
 * The caller's admission to the tenant (TEN-4: a deactivated user is refused) is read by the same statement: the tenant
 * gate defers it to this service ({@link io.traceline.platform.http.TenantGate}), so a check is one round trip in all.
 * It is a read: no audit event per call (a line would write thousands an hour for no evidence), but every answer is
 * counted by outcome in {@code traceline.qualification.checks}.
 */
public final class QualificationCheckService {

  private static final Pattern UUID_TEXT = Pattern.compile(
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private final Pool pool;
  private final UserAdmission admission;
  private final StatusRepository statuses = new StatusRepository();
  private final Counter allowed;
  private final Counter refused;
  private final Counter unknown;

  public QualificationCheckService(Pool pool, UserAdmission admission, MeterRegistry meters) {
    this.pool = pool;
    this.admission = admission;
    String description = "Point-of-use qualification checks answered, by outcome";
    this.allowed = Counter.builder("traceline.qualification.checks").description(description).tag("outcome", "allowed")
        .register(meters);
    this.refused = Counter.builder("traceline.qualification.checks").description(description).tag("outcome", "refused")
        .register(meters);
    this.unknown = Counter.builder("traceline.qualification.checks").description(description)
        .tag("outcome", "unknown-person-or-document").register(meters);
  }

  /** {@code person}: a person id or employee number; {@code document}: a document id or number. 404 when unknown. */
  public Future<QualificationStatus> check(TenantContext tenant, Caller caller, String person, String document) {
    return statuses.lookup(pool, tenant.schemaName(), uuidOrNull(person), person, uuidOrNull(document), document,
            caller.subject(), QualificationRoles.CHECKERS)
        .compose(lookup -> admission.admitKnowing(tenant, caller, lookup.admitted()).map(lookup))
        .compose(lookup -> {
          if (!lookup.permitted()) {
            return Future.failedFuture(ProblemException.forbidden("This needs one of the application roles "
                + new java.util.TreeSet<>(QualificationRoles.CHECKERS)));
          }
          StatusRepository.StatusFacts facts = lookup.facts();
          if (facts.personId() == null || facts.documentId() == null) {
            unknown.increment();
            return Future.failedFuture(ProblemException.notFound(facts.personId() == null
                ? "No person with id or employee number '" + person + "'"
                : "No document with id or number '" + document + "'"));
          }
          QualificationStatus status = QualificationStatus.decide(facts);
          (status.allowed() ? allowed : refused).increment();
          return Future.succeededFuture(status);
        });
  }

  /** The key as an id when it is written as one; an employee or document number otherwise. */
  private static UUID uuidOrNull(String key) {
    return UUID_TEXT.matcher(key).matches() ? UUID.fromString(key) : null;
  }
}
