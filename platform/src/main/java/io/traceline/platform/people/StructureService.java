package io.traceline.platform.people;

import java.time.DateTimeException;
import java.time.ZoneId;
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
import io.traceline.platform.people.internal.StructureRepository;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Sites, departments, job roles and programs (PPL-1, SPN-1): every member reads them; structure writers create and change them with
 * If-Match and a reason, audited with the values before and after. They are deactivated, never deleted (P11-7): a
 * deactivated one keeps its people and holdings but takes no new ones.
 */
public final class StructureService {

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final StructureRepository repository = new StructureRepository();

  public StructureService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
  }

  public Future<List<JsonObject>> list(TenantContext tenant, StructureKind kind, Boolean active, String text, UUID siteId,
                                       UUID after, int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        repository.list(connection, kind, active, text, siteId, after, limit));
  }

  public Future<JsonObject> get(TenantContext tenant, StructureKind kind, UUID id) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> existing(connection, kind, id, false));
  }

  /** Creates a site, department or job role; 409 when its code is taken, 422 for a department of an unknown site. */
  public Future<JsonObject> create(TenantContext tenant, Caller caller, RequestOrigin origin, StructureKind kind,
                                   JsonObject values, String reason) {
    validate(kind, values);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), PeopleRoles.STRUCTURE_WRITERS)
            .compose(v -> kind == StructureKind.DEPARTMENT ? activeSite(connection, values.getString("siteId"))
                : Future.succeededFuture())
            .compose(v -> repository.insert(connection, kind, Ids.newId(), values))
            .compose(created -> created == null
                ? Future.failedFuture(ProblemException.conflict("The " + kind.noun() + " code "
                    + values.getString("code") + " is taken" + (kind == StructureKind.DEPARTMENT ? " at this site" : "")))
                : audit.record(connection, event(caller, origin, kind, "created", created).withValues(null, created)
                        .withReason(reason))
                    .map(recorded -> created)));
  }

  /** Changes the editable fields or the active flag when {@code expectedRevision} is current (412 otherwise). */
  public Future<JsonObject> update(TenantContext tenant, Caller caller, RequestOrigin origin, StructureKind kind, UUID id,
                                   int expectedRevision, JsonObject changes, String reason) {
    validate(kind, changes);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), PeopleRoles.STRUCTURE_WRITERS)
            .compose(v -> existing(connection, kind, id, true))
            .compose(before -> {
              IfMatch.check(before.getInteger("revision"), expectedRevision, "the " + kind.noun());
              JsonObject merged = new JsonObject().put("active", changes.getBoolean("active", before.getBoolean("active")));
              kind.editable().forEach(field -> merged.put(field, changes.containsKey(field) ? changes.getString(field)
                  : before.getString(field)));
              return repository.update(connection, kind, id, merged)
                  .compose(after -> audit.record(connection, event(caller, origin, kind, "updated", after)
                          .withValues(before, after).withReason(reason))
                      .map(recorded -> after));
            }));
  }

  private Future<Void> activeSite(SqlConnection connection, String siteId) {
    return repository.find(connection, StructureKind.SITE, UUID.fromString(siteId), false).compose(site -> {
      if (site == null) {
        return Future.failedFuture(ProblemException.unprocessable("No such site",
            List.of(new Problem.FieldError("/siteId", "no site has this id"))));
      }
      if (!site.getBoolean("active")) {
        return Future.failedFuture(ProblemException.unprocessable("The site is deactivated",
            List.of(new Problem.FieldError("/siteId", "site " + site.getString("code") + " is deactivated"))));
      }
      return Future.succeededFuture();
    });
  }

  private Future<JsonObject> existing(SqlConnection connection, StructureKind kind, UUID id, boolean forUpdate) {
    return repository.find(connection, kind, id, forUpdate).compose(found -> found != null ? Future.succeededFuture(found)
        : Future.failedFuture(ProblemException.notFound("No " + kind.noun() + " " + id)));
  }

  private static void validate(StructureKind kind, JsonObject values) {
    String timezone = values.getString("timezone");
    if (kind == StructureKind.SITE && timezone != null) {
      try {
        ZoneId.of(timezone);
      } catch (DateTimeException e) {
        throw ProblemException.unprocessable("The site's time zone is unknown",
            List.of(new Problem.FieldError("/timezone", "not an IANA time zone such as Europe/Dublin")));
      }
    }
  }

  private static AuditEvent event(Caller caller, RequestOrigin origin, StructureKind kind, String action, JsonObject record) {
    return AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin), kind.entityType() + "." + action,
        kind.entityType(), record.getString("id")).withVersion(record.getInteger("revision"));
  }
}
