package io.traceline.platform.qualifications;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.IfMatch;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.qualifications.internal.PersonQualificationRepository;
import io.traceline.platform.qualifications.internal.ReferenceRepository;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Qualifications that are not documents (TRN-7): PCQI (21 CFR 117.180 — by {@code curriculum}, the certificate as
 * evidence, or by {@code job-experience}, a written justification as evidence), qualified internal auditor (IATF 16949
 * §7.2.3) and qualified trainer of one document. Granted from a date with evidence, optionally expiring (the expiry date
 * is the first day the person is no longer qualified); changed with If-Match and a reason; revoked once with If-Match
 * and a reason; never deleted (P11-7, the database refuses it). Every change is audited with the values before and after.
 */
public final class PersonQualificationService {

  static final String ENTITY = "person-qualification";

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final PersonQualificationRepository repository = new PersonQualificationRepository();
  private final ReferenceRepository references = new ReferenceRepository();

  public PersonQualificationService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
  }

  /** Grants a qualification to the person: 404 unknown person, 422 a rule broken, 409 one of the kind is held already. */
  public Future<JsonObject> grant(TenantContext tenant, Caller caller, RequestOrigin origin, UUID personId, JsonObject body,
                                  String reason) {
    PersonQualificationRepository.Grant grant = grantOf(personId, body);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualificationRoles.WRITERS)
            .compose(v -> references.personExists(connection, personId))
            .compose(exists -> exists ? documentKnown(connection, grant.documentId())
                : Future.failedFuture(ProblemException.notFound("No person " + personId)))
            .compose(v -> repository.insert(connection, Ids.newId(), grant, caller.subject(), caller.name(), reason))
            .compose(created -> created == null
                ? Future.failedFuture(ProblemException.conflict("The person already holds an unrevoked " + grant.kind()
                    + " qualification" + (grant.documentId() == null ? "" : " for this document")
                    + ": change it (a renewal) or revoke it first"))
                : audit.record(connection, event(caller, origin, "person-qualification.granted", created)
                        .withValues(null, created).withReason(reason))
                    .map(recorded -> created)));
  }

  /** Changes scope, expiry or evidence of an unrevoked qualification at {@code expectedRevision} (412 otherwise). */
  public Future<JsonObject> update(TenantContext tenant, Caller caller, RequestOrigin origin, UUID id, int expectedRevision,
                                   JsonObject changes, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualificationRoles.WRITERS)
            .compose(v -> changeable(connection, id, expectedRevision))
            .compose(before -> {
              List<Problem.FieldError> errors = new ArrayList<>();
              LocalDate expiresOn = date(valueOf(changes, before, "expiresOn"), "/expiresOn", errors, null);
              if (errors.isEmpty()) {
                checkExpiry(LocalDate.parse(before.getString("grantedOn")), expiresOn, errors);
              }
              rejectIfAny(errors);
              return repository.update(connection, id, valueOf(changes, before, "scope"), expiresOn,
                      valueOf(changes, before, "evidence"), valueOf(changes, before, "evidenceReference"))
                  .compose(after -> audit.record(connection, event(caller, origin, "person-qualification.updated", after)
                          .withValues(before, after).withReason(reason))
                      .map(recorded -> after));
            }));
  }

  /** Revokes an unrevoked qualification at {@code expectedRevision}; it stays as history. */
  public Future<JsonObject> revoke(TenantContext tenant, Caller caller, RequestOrigin origin, UUID id, int expectedRevision,
                                   String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualificationRoles.WRITERS)
            .compose(v -> changeable(connection, id, expectedRevision))
            .compose(before -> repository.revoke(connection, id, caller.subject(), caller.name(), reason)
                .compose(after -> audit.record(connection, event(caller, origin, "person-qualification.revoked", after)
                        .withValues(before, after).withReason(reason))
                    .map(recorded -> after))));
  }

  /** One qualification: people readers, or the person it belongs to. */
  public Future<JsonObject> get(TenantContext tenant, Caller caller, UUID id) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> repository.find(connection, id, false)
        .compose(found -> found == null ? Future.failedFuture(notFound(id))
            : roles.activeRoles(connection, caller.subject()).compose(held -> held.stream()
                .anyMatch(QualificationRoles.READERS::contains) ? Future.succeededFuture(found)
                : references.personOfUser(connection, caller.subject()).compose(own -> own != null
                    && own.toString().equals(found.getJsonObject("person").getString("id"))
                    ? Future.succeededFuture(found)
                    // Someone else's qualification is not revealed to a reader without the role.
                    : Future.failedFuture(notFound(id))))));
  }

  /** Qualifications that are not documents, filtered (e.g. every qualified trainer of a document), in id order. */
  public Future<List<JsonObject>> list(TenantContext tenant, Caller caller, PersonQualificationRepository.Filter filter,
                                       UUID after, int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualificationRoles.READERS)
            .compose(v -> repository.list(connection, filter, after, limit)));
  }

  private Future<JsonObject> changeable(SqlConnection connection, UUID id, int expectedRevision) {
    return repository.find(connection, id, true).compose(before -> {
      if (before == null) {
        return Future.failedFuture(notFound(id));
      }
      if ("revoked".equals(before.getString("status"))) {
        return Future.failedFuture(ProblemException.conflict("The qualification was revoked: it is history and does "
            + "not change"));
      }
      IfMatch.check(before.getInteger("revision"), expectedRevision, "the qualification");
      return Future.succeededFuture(before);
    });
  }

  private Future<Void> documentKnown(SqlConnection connection, UUID documentId) {
    return documentId == null ? Future.succeededFuture()
        : references.documentExists(connection, documentId).compose(exists -> exists ? Future.<Void>succeededFuture()
            : Future.failedFuture(ProblemException.unprocessable("No document " + documentId + " in this tenant",
                List.of(new Problem.FieldError("/documentId", "no such document")))));
  }

  /** The grant the body asks for, or a 422 listing every rule it breaks. */
  private static PersonQualificationRepository.Grant grantOf(UUID personId, JsonObject body) {
    List<Problem.FieldError> errors = new ArrayList<>();
    String kind = body.getString("kind");
    String basis = body.getString("basis");
    String documentId = body.getString("documentId");
    if ("pcqi".equals(kind) != (basis != null)) {
      errors.add(new Problem.FieldError("/basis", "pcqi".equals(kind)
          ? "a PCQI qualifies by curriculum or job-experience (21 CFR 117.180(c))" : "only a PCQI has a basis"));
    }
    if ("trainer".equals(kind) != (documentId != null)) {
      errors.add(new Problem.FieldError("/documentId", "trainer".equals(kind)
          ? "a trainer is qualified on one document" : "only a trainer qualification names a document"));
    }
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate grantedOn = date(body.getString("grantedOn"), "/grantedOn", errors, today);
    if (grantedOn != null && grantedOn.isAfter(today)) {
      errors.add(new Problem.FieldError("/grantedOn", "after today (" + today + "): grant it when it is earned"));
    }
    LocalDate expiresOn = date(body.getString("expiresOn"), "/expiresOn", errors, null);
    if (grantedOn != null && expiresOn != null) {
      checkExpiry(grantedOn, expiresOn, errors);
    }
    rejectIfAny(errors);
    return new PersonQualificationRepository.Grant(personId, kind, basis, documentId == null ? null
        : UUID.fromString(documentId), body.getString("scope"), grantedOn, expiresOn, body.getString("evidence"),
        body.getString("evidenceReference"));
  }

  private static void checkExpiry(LocalDate grantedOn, LocalDate expiresOn, List<Problem.FieldError> errors) {
    if (expiresOn != null && !expiresOn.isAfter(grantedOn)) {
      errors.add(new Problem.FieldError("/expiresOn", "must be after the date it was granted (" + grantedOn + ")"));
    }
  }

  private static void rejectIfAny(List<Problem.FieldError> errors) {
    if (!errors.isEmpty()) {
      throw ProblemException.unprocessable("The qualification breaks a rule", errors);
    }
  }

  /** The date {@code value} names, {@code orElse} when absent; an error at {@code pointer} (and null) when it is none. */
  private static LocalDate date(String value, String pointer, List<Problem.FieldError> errors, LocalDate orElse) {
    if (value == null) {
      return orElse;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      errors.add(new Problem.FieldError(pointer, "a date such as 2027-03-31"));
      return null;
    }
  }

  /** The changed value when the body names the field (null clears it), else the value before. */
  private static String valueOf(JsonObject changes, JsonObject before, String field) {
    return changes.containsKey(field) ? changes.getString(field) : before.getString(field);
  }

  private static ProblemException notFound(UUID id) {
    return ProblemException.notFound("No qualification " + id);
  }

  private static AuditEvent event(Caller caller, RequestOrigin origin, String action, JsonObject qualification) {
    return AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin), action, ENTITY,
        qualification.getString("id")).withVersion(qualification.getInteger("revision"));
  }
}
