package io.traceline.platform.training;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import io.traceline.platform.http.Problem;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/** When training happened, as a client says: an RFC 3339 time, never in the future, not older than the method allows. */
public final class TrainingTime {

  private TrainingTime() {
  }

  /** The database's clock: the time every rule compares with (a client's clock is never trusted). */
  public static Future<OffsetDateTime> now(SqlConnection connection) {
    return connection.query("SELECT now() AS now").execute()
        .map(rows -> rows.iterator().next().getOffsetDateTime("now"));
  }

  /**
   * The parsed time, or null with a field error at {@code pointer}: not a time, in the future, or more than
   * {@code maxAge} before {@code now} ({@code tooOld} says what to do instead).
   */
  public static OffsetDateTime past(String value, OffsetDateTime now, Duration maxAge, String pointer, String tooOld,
                                    List<Problem.FieldError> errors) {
    try {
      OffsetDateTime time = OffsetDateTime.parse(value);
      if (time.isAfter(now)) {
        errors.add(new Problem.FieldError(pointer, "not in the future"));
      } else if (time.isBefore(now.minus(maxAge))) {
        errors.add(new Problem.FieldError(pointer, tooOld));
      }
      return time;
    } catch (DateTimeParseException | NullPointerException e) {
      errors.add(new Problem.FieldError(pointer, "an RFC 3339 date-time"));
      return null;
    }
  }
}
