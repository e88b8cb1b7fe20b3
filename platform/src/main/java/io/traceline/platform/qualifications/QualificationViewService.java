package io.traceline.platform.qualifications;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.qualifications.internal.PersonQualificationRepository;
import io.traceline.platform.qualifications.internal.ReferenceRepository;
import io.traceline.platform.qualifications.internal.StatusRepository;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The qualification lists (TRN-6, TRN-7): a person's — every document their job roles require now, every document they
 * ever trained on, and their qualifications that are not documents (expired ones shown as expired) — and a document's —
 * everyone it is required of now and everyone who ever trained on it. Cursor pages in id order; each page is computed
 * from the assignments when it is read.
 */
public final class QualificationViewService {

  private final TenantScope tenantScope;
  private final RoleCheck roles;
  private final StatusRepository statuses = new StatusRepository();
  private final PersonQualificationRepository qualifications = new PersonQualificationRepository();
  private final ReferenceRepository references = new ReferenceRepository();

  public QualificationViewService(TenantScope tenantScope, RoleCheck roles) {
    this.tenantScope = tenantScope;
    this.roles = roles;
  }

  /** A page of the person's qualifications (up to {@code limit} items; one more tells there is a next page). */
  public Future<List<JsonObject>> ofPerson(TenantContext tenant, Caller caller, UUID personId, UUID after, int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> readable(connection, caller, personId)
        .compose(v -> references.personExists(connection, personId))
        .compose(exists -> exists ? ofPerson(connection, personId, after, limit)
            : Future.failedFuture(ProblemException.notFound("No person " + personId))));
  }

  /**
   * Up to {@code limit} of the person's qualifications after {@code after}, on the caller's connection and without
   * an access check: for features that show them inside a record they already checked access to (a training file).
   */
  public Future<List<JsonObject>> ofPerson(SqlConnection connection, UUID personId, UUID after, int limit) {
    return statuses.viewOfPerson(connection, personId, after, limit)
        .compose(keys -> {
          List<UUID> documents = keys.stream().filter(StatusRepository.ViewKey::document).map(StatusRepository.ViewKey::id)
              .toList();
          List<UUID> others = keys.stream().filter(key -> !key.document()).map(StatusRepository.ViewKey::id).toList();
          return statuses.facts(connection, Collections.nCopies(documents.size(), personId), documents)
              .compose(facts -> qualifications.findAll(connection, others).map(found -> {
                Map<UUID, JsonObject> items = new HashMap<>();
                facts.forEach(f -> items.put(f.documentId(), QualificationStatus.decide(f).toJson()
                    .put("kind", "document").put("id", f.documentId().toString())));
                found.forEach(q -> items.put(UUID.fromString(q.getString("id")), new JsonObject().put("kind",
                        q.getString("kind")).put("id", q.getString("id")).put("status", q.getString("status"))
                    .put("qualification", q)));
                List<JsonObject> page = new ArrayList<>();
                keys.forEach(key -> page.add(items.get(key.id())));
                return page;
              }));
        });
  }

  /** A page of the document's qualification list, one item per person in person-id order. */
  public Future<List<JsonObject>> ofDocument(TenantContext tenant, Caller caller, UUID documentId, UUID after, int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualificationRoles.READERS)
            .compose(v -> references.documentExists(connection, documentId))
            .compose(exists -> exists ? statuses.peopleOfDocument(connection, documentId, after, limit)
                : Future.failedFuture(ProblemException.notFound("No document " + documentId)))
            .compose(people -> statuses.facts(connection, people, Collections.nCopies(people.size(), documentId)))
            .map(facts -> facts.stream().map(f -> QualificationStatus.decide(f).toJson()
                .put("id", f.personId().toString())).toList()));
  }

  /** People readers read anyone's qualifications; everyone reads their own. */
  private Future<Void> readable(SqlConnection connection, Caller caller, UUID personId) {
    return roles.activeRoles(connection, caller.subject()).compose(held -> held.stream()
        .anyMatch(QualificationRoles.READERS::contains) ? Future.<Void>succeededFuture()
        : references.personOfUser(connection, caller.subject()).compose(own -> personId.equals(own)
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(ProblemException.forbidden("This needs one of the application roles "
                + new java.util.TreeSet<>(QualificationRoles.READERS) + ", or to be the person"))));
  }
}
