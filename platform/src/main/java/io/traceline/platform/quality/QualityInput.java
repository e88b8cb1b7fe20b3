package io.traceline.platform.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.quality.internal.EventRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Checks of what quality requests name, before anything is written: every referenced row exists (422 pointing at the
 * exact array item otherwise), owners are members holding an application role, revisions are still to become effective.
 */
final class QualityInput {

  private QualityInput() {
  }

  static UUID[] ids(JsonArray values) {
    if (values == null) {
      return new UUID[0];
    }
    return values.stream().map(value -> UUID.fromString((String) value)).distinct().toArray(UUID[]::new);
  }

  static String text(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  static void failOn(List<Problem.FieldError> errors) {
    if (!errors.isEmpty()) {
      throw ProblemException.unprocessable("The request names something that does not fit", errors);
    }
  }

  /** 422 naming every unknown document, person (or a terminated one) and job role (or a retired one). */
  static Future<Void> references(SqlConnection connection, EventRepository events, String prefix, UUID[] documentIds,
                                 UUID[] personIds, UUID[] jobRoleIds) {
    List<Problem.FieldError> errors = new ArrayList<>();
    return events.missing(connection, "document", documentIds, null)
        .compose(missing -> {
          missing.forEach(n -> errors.add(new Problem.FieldError(prefix + "/documentIds/" + n, "no such document")));
          return events.missing(connection, "person", personIds, "t.status <> 'terminated'");
        })
        .compose(missing -> {
          missing.forEach(n -> errors.add(new Problem.FieldError(prefix + "/personIds/" + n,
              "no such person, or terminated")));
          return events.missing(connection, "job_role", jobRoleIds, "t.active");
        })
        .compose(missing -> {
          missing.forEach(n -> errors.add(new Problem.FieldError(prefix + "/jobRoleIds/" + n,
              "no such job role, or retired")));
          return errors.isEmpty() ? Future.succeededFuture()
              : Future.failedFuture(ProblemException.unprocessable("Some references do not exist", errors));
        });
  }

  /** The printed name of an owner (a member of the tenant holding an application role); 422 at {@code pointer} else. */
  static Future<String> owner(SqlConnection connection, EventRepository events, String ownerId, String pointer) {
    return events.roleHolderName(connection, ownerId).compose(name -> name != null ? Future.succeededFuture(name)
        : Future.failedFuture(ProblemException.unprocessable("The owner must be an active member of the tenant with an "
            + "application role", List.of(new Problem.FieldError(pointer, "not an active member with a role")))));
  }

  /**
   * A revision a quality record may drive: a version of a document that is not yet effective (draft, in review or
   * approved). {documentId, state}; 422 at {@code pointer} otherwise.
   */
  static Future<JsonObject> revisionToDrive(SqlConnection connection, UUID versionId, String pointer) {
    return connection.preparedQuery("SELECT document_id, state FROM document_version WHERE id = $1")
        .execute(Tuple.of(versionId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ProblemException.unprocessable("No such document version",
                List.of(new Problem.FieldError(pointer, "no such document version"))));
          }
          String state = rows.iterator().next().getString("state");
          if (!List.of("draft", "in-review", "approved").contains(state)) {
            return Future.failedFuture(ProblemException.unprocessable("A quality record drives a revision that is not "
                + "effective yet; this version is " + state, List.of(new Problem.FieldError(pointer,
                "a draft, in-review or approved version (this one is " + state + ")"))));
          }
          return Future.succeededFuture(new JsonObject().put("documentId",
              rows.iterator().next().getUUID("document_id").toString()).put("state", state));
        });
  }

  /** The effective version a training action trains on: {documentId}; 422 at {@code pointer} otherwise. */
  static Future<UUID> effectiveVersion(SqlConnection connection, UUID versionId, String pointer) {
    return connection.preparedQuery("SELECT document_id, state FROM document_version WHERE id = $1")
        .execute(Tuple.of(versionId))
        .compose(rows -> {
          String state = rows.size() == 0 ? null : rows.iterator().next().getString("state");
          return "effective".equals(state) ? Future.succeededFuture(rows.iterator().next().getUUID("document_id"))
              : Future.failedFuture(ProblemException.unprocessable("A training action trains on the effective version "
                  + "of a document", List.of(new Problem.FieldError(pointer, state == null ? "no such document version"
                  : "not effective (" + state + ")"))));
        });
  }
}
