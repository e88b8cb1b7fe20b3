package io.traceline.platform.training;

import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A record made by an earlier request with the same Idempotency-Key: the same request (same hash) answers it again,
 * another request with the key is a 422 {@code idempotency-key-reused}.
 */
public final class IdempotentRequest {

  private IdempotentRequest() {
  }

  /** {@code earlier} (as found by its key, with its {@code requestHash}, which is removed) when it was made by the same request. */
  public static Future<JsonObject> sameRequest(JsonObject earlier, String requestHash, String what) {
    return requestHash.equals(earlier.remove("requestHash")) ? Future.succeededFuture(earlier)
        : Future.failedFuture(new ProblemException(Problem.of(422, "idempotency-key-reused", "Idempotency-Key already used",
            "This Idempotency-Key was used for another " + what + "; use a new key for a new request")));
  }
}
