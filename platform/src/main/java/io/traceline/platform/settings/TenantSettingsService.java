package io.traceline.platform.settings;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

import io.traceline.platform.access.ApplicationRole;
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
import io.traceline.platform.signatures.Signature;
import io.traceline.platform.signatures.SignatureService;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The tenant's settings: a versioned GxP record (type {@code tenant-settings}, id {@code tenant}). Every member
 * reads them; tenant admins change them with {@code If-Match} and a reason; every change is a new, hashed
 * version with its own (initially no) signatures, and an audit event with the values before and after
 * (Annex 11 §12, P11-1).
 */
public final class TenantSettingsService {

  public static final String RECORD_TYPE = "tenant-settings";
  public static final String RECORD_ID = "tenant";

  static final JsonObject DEFAULTS = new JsonObject()
      .put("timeZone", "UTC")
      .put("defaultTrainingWindowDays", 30)
      .put("periodicReviewMonths", 24)
      .put("recordRetentionYears", 10)
      // Quality events: how far back a same-cause event on the same document or process is a repeat (QE, issue 8).
      .put("recurrenceWindowMonths", 12);

  private final TenantScope tenantScope;
  private final RecordVersions records;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final SignatureService signatures;

  public TenantSettingsService(TenantScope tenantScope, RecordVersions records, AuditTrail audit, RoleCheck roles,
                               SignatureService signatures) {
    this.tenantScope = tenantScope;
    this.records = records;
    this.audit = audit;
    this.roles = roles;
    this.signatures = signatures;
  }

  public Future<JsonObject> get(TenantContext tenant) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> current(connection)
        .compose(version -> withSignatures(connection, version)));
  }

  /** Replaces the settings when {@code expectedVersion} is still current: 412 otherwise, 422 for invalid values. */
  public Future<JsonObject> update(TenantContext tenant, Caller caller, RequestOrigin origin, int expectedVersion,
                                   JsonObject settings, String reason) {
    JsonObject merged = DEFAULTS.copy().mergeIn(settings);
    validate(merged);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), ApplicationRole.TENANT_ADMIN)
            .compose(v -> current(connection))
            .compose(before -> {
              if (before.version() != expectedVersion) {
                return Future.failedFuture(ProblemException.preconditionFailed("The settings are at version "
                    + before.version() + ", not " + expectedVersion + ": read them again and repeat the change"));
              }
              return records.append(connection, RECORD_TYPE, RECORD_ID, before.version() + 1, merged,
                      AuditEvent.Actor.of(caller), reason)
                  .compose(after -> after == null
                      ? Future.failedFuture(ProblemException.preconditionFailed("The settings were changed at the same "
                          + "time by someone else: read them again and repeat the change"))
                      : audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin),
                              "tenant-settings.updated", RECORD_TYPE, RECORD_ID).withVersion(after.version())
                              .withValues(before.content(), after.content()).withReason(reason))
                          .compose(recorded -> withSignatures(connection, after)));
            }));
  }

  private Future<RecordVersion> current(SqlConnection connection) {
    return records.latest(connection, RECORD_TYPE, RECORD_ID).compose(latest -> latest != null
        ? Future.succeededFuture(latest)
        // First use of the tenant's settings: version 1 holds the defaults, made (and audited) by the platform.
        : records.append(connection, RECORD_TYPE, RECORD_ID, 1, DEFAULTS, AuditEvent.Actor.SYSTEM,
                "Initial settings of the tenant")
            .compose(created -> created == null ? records.latest(connection, RECORD_TYPE, RECORD_ID)
                : audit.record(connection, AuditEvent.of(AuditEvent.Actor.SYSTEM, AuditEvent.Source.NONE,
                        "tenant-settings.created", RECORD_TYPE, RECORD_ID).withVersion(1)
                        .withValues(null, created.content()).withReason(created.reason()))
                    .map(recorded -> created)));
  }

  private Future<JsonObject> withSignatures(SqlConnection connection, RecordVersion version) {
    return signatures.ofVersion(connection, RECORD_TYPE, RECORD_ID, version.version())
        .map(signed -> version.toJson().put("signatures",
            new JsonArray(signed.stream().map(Signature::toJson).toList())));
  }

  private static void validate(JsonObject settings) {
    try {
      ZoneId.of(settings.getString("timeZone"));
    } catch (DateTimeException | NullPointerException e) {
      throw ProblemException.unprocessable("The settings break a rule",
          List.of(new Problem.FieldError("/settings/timeZone", "not an IANA time zone such as Europe/Dublin")));
    }
  }
}
