package io.traceline.platform.training.internal;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/**
 * How training rows name what they are about, the same in every answer: the person, the document and its version, by the
 * column names the training queries select ({@code person_id, employee_number, given_name, family_name},
 * {@code document_id, document_number, document_title}, {@code version_id, major, minor}), and times as RFC 3339 UTC.
 */
public final class TrainingRows {

  private TrainingRows() {
  }

  public static JsonObject person(Row row) {
    return new JsonObject().put("id", row.getUUID("person_id").toString())
        .put("employeeNumber", row.getString("employee_number"))
        .put("name", row.getString("given_name") + " " + row.getString("family_name"));
  }

  public static JsonObject document(Row row) {
    return new JsonObject().put("id", row.getUUID("document_id").toString())
        .put("number", row.getString("document_number")).put("title", row.getString("document_title"));
  }

  public static JsonObject version(Row row) {
    return new JsonObject().put("id", row.getUUID("version_id").toString())
        .put("version", row.getInteger("major") + "." + row.getInteger("minor"));
  }

  /** The column's time in UTC, or null. */
  public static String time(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant().toString();
  }

  /** The column's id as text, or null. */
  public static String id(Row row, String column) {
    UUID value = row.getUUID(column);
    return value == null ? null : value.toString();
  }
}
