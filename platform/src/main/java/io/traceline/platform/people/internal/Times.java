package io.traceline.platform.people.internal;

import java.time.LocalDate;
import java.time.OffsetDateTime;

import io.vertx.sqlclient.Row;

/** Dates and times of rows as the API writes them: RFC 3339 UTC instants and ISO dates, null when absent. */
final class Times {

  private Times() {
  }

  static String instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant().toString();
  }

  static String date(Row row, String column) {
    LocalDate value = row.getLocalDate(column);
    return value == null ? null : value.toString();
  }
}
