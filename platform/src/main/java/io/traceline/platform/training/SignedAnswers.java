package io.traceline.platform.training;

import io.traceline.platform.http.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Answers a signing request: 201 with what the signature did, and {@code Idempotent-Replayed: true} on a retry. */
public final class SignedAnswers {

  private SignedAnswers() {
  }

  /** {@code done} carries {@code replayed}: whether an earlier request with the same Idempotency-Key made it. */
  public static void created(RoutingContext rc, JsonObject done) {
    if (Boolean.TRUE.equals(done.getBoolean("replayed"))) {
      rc.response().putHeader("Idempotent-Replayed", "true");
    }
    Responses.json(rc, 201, done);
  }
}
