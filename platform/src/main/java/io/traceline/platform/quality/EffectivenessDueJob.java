package io.traceline.platform.quality;

import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.jobs.Job;
import io.traceline.platform.jobs.JobKind;
import io.traceline.platform.quality.internal.CapaRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The effectiveness check timer (QE-2): set when a CAPA closes, it fires on the check's due date and makes the check
 * due (audited once), so the CAPA list shows it ({@code effectiveness=due}) and a quality manager can record it.
 */
public final class EffectivenessDueJob implements JobKind {

  public static final String NAME = "quality.effectiveness-due";

  private final AuditTrail audit;
  private final CapaRepository capas = new CapaRepository();

  EffectivenessDueJob(AuditTrail audit) {
    this.audit = audit;
  }

  static JsonObject payload(UUID capaId) {
    return new JsonObject().put("capaId", capaId.toString());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Integer> plan(SqlConnection connection, Job job) {
    return Future.succeededFuture(1);
  }

  @Override
  public Future<Long> runChunk(SqlConnection connection, Job job, int chunkNo, int attempt) {
    UUID capaId = UUID.fromString(job.payload().getString("capaId"));
    return capas.effectivenessDue(connection, capaId).compose(moved -> !moved ? Future.succeededFuture(0L)
        : audit.record(connection, AuditEvent.of(AuditEvent.Actor.SYSTEM, AuditEvent.Source.NONE,
                "capa.effectiveness-check-due", CapaService.RECORD_TYPE, capaId.toString())
            .withValues(new JsonObject().put("effectiveness", "scheduled"), new JsonObject().put("effectiveness", "due")
                .put("jobId", job.id().toString()))
            .withReason("The effectiveness check scheduled at closure is due")).map(recorded -> 1L));
  }
}
