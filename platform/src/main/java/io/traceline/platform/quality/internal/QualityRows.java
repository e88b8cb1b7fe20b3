package io.traceline.platform.quality.internal;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.vertx.sqlclient.Row;

/** Column readers shared by the quality repositories. */
final class QualityRows {

  private QualityRows() {
  }

  static String time(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant().toString();
  }

  static String id(Row row, String column) {
    UUID value = row.getUUID(column);
    return value == null ? null : value.toString();
  }

  static String date(Row row, String column) {
    java.time.LocalDate value = row.getLocalDate(column);
    return value == null ? null : value.toString();
  }
}
