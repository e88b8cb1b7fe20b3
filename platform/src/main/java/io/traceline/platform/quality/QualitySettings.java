package io.traceline.platform.quality;

import io.traceline.platform.records.RecordVersions;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/** The tenant settings quality reads: the recurrence window (months), 12 when the settings do not say. */
final class QualitySettings {

  static final int DEFAULT_RECURRENCE_WINDOW_MONTHS = 12;

  private final RecordVersions records;

  QualitySettings(RecordVersions records) {
    this.records = records;
  }

  Future<Integer> recurrenceWindowMonths(SqlConnection connection) {
    return records.latest(connection, "tenant-settings", "tenant").map(settings -> settings == null
        ? DEFAULT_RECURRENCE_WINDOW_MONTHS
        : settings.content().getInteger("recurrenceWindowMonths", DEFAULT_RECURRENCE_WINDOW_MONTHS));
  }
}
