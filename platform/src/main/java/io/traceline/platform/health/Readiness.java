package io.traceline.platform.health;

import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;

/**
 * What {@code /health/ready} checks: the database answers, Keycloak serves the realm's keys, and the
 * instance is not shutting down. Liveness checks nothing external: a database outage must not make
 * Kubernetes restart every pod.
 */
public final class Readiness {

  private final AtomicBoolean draining = new AtomicBoolean(false);

  public HealthChecks checks(Vertx vertx, Pool pool, WebClient web, String realmUrl) {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("accepting-requests", promise -> promise.complete(draining.get()
        ? Status.KO(new JsonObject().put("reason", "shutting down")) : Status.OK()));
    checks.register("database", 2_000, promise -> pool.query("SELECT 1").execute()
        .onSuccess(rows -> promise.complete(Status.OK()))
        .onFailure(failure -> promise.complete(Status.KO(new JsonObject().put("reason", failure.getClass().getSimpleName())))));
    checks.register("keycloak", 2_000, promise -> web.getAbs(realmUrl + "/protocol/openid-connect/certs").send()
        .onSuccess(response -> promise.complete(response.statusCode() == 200 ? Status.OK()
            : Status.KO(new JsonObject().put("reason", "HTTP " + response.statusCode()))))
        .onFailure(failure -> promise.complete(Status.KO(new JsonObject().put("reason", failure.getClass().getSimpleName())))));
    return checks;
  }

  /** From now on readiness fails, so load balancers stop sending requests before the server stops. */
  public void startDraining() {
    draining.set(true);
  }
}
