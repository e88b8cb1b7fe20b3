package io.traceline.platform.signatures;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.records.RecordVersion;
import io.traceline.platform.records.RecordVersions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The electronic signature policy each user acknowledges, by signing it, before their first signature
 * (11.10(j), 11.100(c)). It is a record like any other (type {@code signature-policy}), created with the
 * tenant's first use of signatures, so its acknowledgements are ordinary signatures bound to its hash.
 */
public final class SignaturePolicy {

  public static final String RECORD_TYPE = "signature-policy";
  public static final String RECORD_ID = "signature-policy";
  public static final String MEANING = "acknowledged";

  static final JsonObject CONTENT = new JsonObject()
      .put("title", "Electronic signature policy")
      .put("statements", new io.vertx.core.json.JsonArray()
          .add("My electronic signature in Traceline is the legally binding equivalent of my handwritten signature "
              + "(21 CFR 11.100(c)).")
          .add("I am accountable and responsible for every action initiated under my electronic signature, and I "
              + "will not share my username or password with anyone (21 CFR 11.10(j), 11.300).")
          .add("Each time I sign I enter my username and password again; every signature records my printed name, "
              + "the date and time in UTC and the meaning of the signature, and is bound to the exact version of the "
              + "record I sign (21 CFR 11.50, 11.70, 11.200).")
          .add("Repeated failed signing attempts lock my account and are reported as security events (21 CFR 11.300(d)).")
          .add("I will report any suspected loss or compromise of my credentials to the quality unit at once."));

  private final RecordVersions records;
  private final AuditTrail audit;

  public SignaturePolicy(RecordVersions records, AuditTrail audit) {
    this.records = records;
    this.audit = audit;
  }

  /** The tenant's current policy; the first call creates version 1 (audited as the platform's own act). */
  public Future<RecordVersion> current(SqlConnection connection) {
    return records.latest(connection, RECORD_TYPE, RECORD_ID).compose(latest -> latest != null
        ? Future.succeededFuture(latest)
        : records.append(connection, RECORD_TYPE, RECORD_ID, 1, CONTENT, AuditEvent.Actor.SYSTEM,
                "Initial electronic signature policy of the tenant")
            .compose(created -> created == null
                ? records.latest(connection, RECORD_TYPE, RECORD_ID) // created concurrently
                : audit.record(connection, AuditEvent.of(AuditEvent.Actor.SYSTEM, AuditEvent.Source.NONE,
                        "signature-policy.created", RECORD_TYPE, RECORD_ID).withVersion(1)
                        .withValues(null, created.toJson()).withReason(created.reason()))
                    .map(recorded -> created)));
  }
}
