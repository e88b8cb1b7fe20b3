package io.traceline.platform.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Optimistic locking of a versioned record: its revision travels as the ETag ({@code "3"}), and a change names the
 * revision it was made against in {@code If-Match} ({@code "3"}, {@code W/"3"} or {@code 3}). Without it 428, with
 * something that is not a revision 412; the service compares it with the record's current revision (412 when stale).
 */
public final class IfMatch {

  private IfMatch() {
  }

  /** The revision {@code If-Match} names; {@code record} says what was changed ("the site"), for the problem. */
  public static int revision(RoutingContext rc, String record) {
    String ifMatch = rc.request().getHeader(HttpHeaders.IF_MATCH);
    if (ifMatch == null || ifMatch.isBlank()) {
      throw ProblemException.preconditionRequired("Send If-Match with the ETag of " + record + " you changed, "
          + "so a concurrent change is not overwritten");
    }
    String value = ifMatch.strip();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    try {
      return Integer.parseInt(value.replace("\"", ""));
    } catch (NumberFormatException e) {
      throw ProblemException.preconditionFailed("If-Match " + ifMatch + " names no revision of " + record);
    }
  }

  /** Answers 412 unless {@code current} is the revision the change was made against. */
  public static void check(int current, int expected, String record) {
    if (current != expected) {
      throw ProblemException.preconditionFailed(capitalized(record) + " is at revision " + current + ", not " + expected
          + ": read it again and repeat the change");
    }
  }

  /** Sets the ETag of a record at {@code revision}. */
  public static void etag(RoutingContext rc, int revision) {
    rc.response().putHeader(HttpHeaders.ETAG, "\"" + revision + "\"");
  }

  private static String capitalized(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
