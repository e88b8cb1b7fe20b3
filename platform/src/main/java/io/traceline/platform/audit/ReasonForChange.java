package io.traceline.platform.audit;

import java.util.List;

import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.vertx.core.json.JsonObject;

/**
 * The one rule for reasons (P11-1, 11.10(e)): every change to a GxP record names why, or is refused with a
 * 422 problem pointing at {@code /reason}; the reason then goes into the audit event of the change.
 */
public final class ReasonForChange {

  public static final int MIN_LENGTH = 3;
  public static final int MAX_LENGTH = 2000;

  private ReasonForChange() {
  }

  /** The body's {@code reason}, stripped; a 422 problem when it is missing, blank or too short. */
  public static String require(JsonObject body) {
    Object value = body == null ? null : body.getValue("reason");
    String reason = value instanceof String text ? text.strip() : null;
    if (reason == null || reason.length() < MIN_LENGTH) {
      throw ProblemException.unprocessable("A change to this record needs a reason for the change (at least "
          + MIN_LENGTH + " characters); it is kept in the audit trail",
          List.of(new Problem.FieldError("/reason", "a reason for the change is required")));
    }
    if (reason.length() > MAX_LENGTH) {
      throw ProblemException.unprocessable("The reason is too long",
          List.of(new Problem.FieldError("/reason", "at most " + MAX_LENGTH + " characters")));
    }
    return reason;
  }
}
