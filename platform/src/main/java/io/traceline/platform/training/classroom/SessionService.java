package io.traceline.platform.training.classroom;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.traceline.platform.access.ApplicationRole;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.IfMatch;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.training.InOrder;
import io.traceline.platform.training.TrainerCheck;
import io.traceline.platform.training.TrainingTime;
import io.traceline.platform.training.classroom.internal.SessionRepository;
import io.traceline.platform.training.internal.TrainingRepository;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Planning classroom sessions (TRN-1; issue 7 item 4): a session trains one document version, held by a qualified
 * trainer of the document, at a time and a place, for attendees who each have an open classroom assignment of that
 * version (anyone else is refused row by row). Attendance is marked per attendee (attended or absent). Training admins
 * and quality managers plan any session; a trainer plans and keeps their own. Every change is audited; once the trainer
 * has signed the attendance ({@link SessionSigning}) the session is locked: changes are a 409.
 */
public final class SessionService {

  static final String RECORD_TYPE = "classroom-session";
  static final Set<String> PLANNERS = Set.of(ApplicationRole.TRAINING_ADMIN.id(), ApplicationRole.QUALITY_MANAGER.id(),
      ApplicationRole.TRAINER.id());
  static final Set<String> READERS = Set.of(ApplicationRole.TRAINING_ADMIN.id(), ApplicationRole.QUALITY_MANAGER.id(),
      ApplicationRole.TRAINER.id(), ApplicationRole.TENANT_ADMIN.id(), ApplicationRole.AUDITOR.id());
  /** A session held longer ago than this is recorded after the fact, with a reason, as a late completion. */
  static final Duration RECORDING_WINDOW = Duration.ofDays(30);
  private static final Duration PLANNING_HORIZON = Duration.ofDays(730);
  private static final Duration LONGEST_SESSION = Duration.ofHours(24);
  private static final Set<String> TRAINABLE_STATES = Set.of("approved", "effective");

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final TrainerCheck trainers;
  private final SessionRepository sessions = new SessionRepository();
  private final TrainingRepository people = new TrainingRepository();

  public SessionService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, TrainerCheck trainers) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
    this.trainers = trainers;
  }

  /** Plans a session; {@code body}: documentId, versionId, trainerId, title, startsAt, endsAt, location, attendees. */
  public Future<JsonObject> create(TenantContext tenant, Caller caller, RequestOrigin origin, JsonObject body) {
    UUID documentId = UUID.fromString(body.getString("documentId"));
    UUID versionId = UUID.fromString(body.getString("versionId"));
    UUID trainerId = UUID.fromString(body.getString("trainerId"));
    UUID id = Ids.newId();
    return tenantScope.inTransaction(tenant.schemaName(), connection -> requirePlanner(connection, caller, trainerId)
        .compose(v -> version(connection, documentId, versionId))
        .compose(version -> {
          List<Problem.FieldError> errors = new ArrayList<>();
          if (version == null) {
            errors.add(new Problem.FieldError("/versionId", "not a version of this document"));
          } else if (!TRAINABLE_STATES.contains(version.getString("state"))) {
            errors.add(new Problem.FieldError("/versionId", "version " + version.getString("version") + " is "
                + version.getString("state") + ": a session trains an approved or effective version"));
          }
          List<UUID> attendees = personIds(body.getJsonArray("attendees", new JsonArray()));
          return plan(connection, documentId, versionId, body, errors)
              .compose(plan -> eligible(connection, plan, version, attendees, List.of(), "/attendees", errors)
                  .compose(v -> errors.isEmpty() ? Future.succeededFuture(plan)
                      : Future.failedFuture(ProblemException.unprocessable("The session cannot be planned", errors))));
        })
        .compose(plan -> sessions.insert(connection, id, plan, caller.subject(), caller.name())
            .compose(v -> sessions.addAttendees(connection, id, personIds(body.getJsonArray("attendees", new JsonArray())),
                caller.subject())))
        .compose(v -> sessions.find(connection, id, false))
        .compose(created -> audit.record(connection, event(caller, origin, "classroom-session.planned", created)
                .withValues(null, created))
            .map(created)));
  }

  /** Changes the planned details (trainerId, title, startsAt, endsAt, location) with If-Match and a reason. */
  public Future<JsonObject> update(TenantContext tenant, Caller caller, RequestOrigin origin, UUID sessionId, int expected,
                                   JsonObject changes, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> planned(connection, sessionId)
        .compose(before -> {
          IfMatch.check(before.getInteger("revision"), expected, "the session");
          JsonObject merged = new JsonObject()
              .put("trainerId", changes.getString("trainerId", before.getJsonObject("trainer").getString("id")))
              .put("title", changes.containsKey("title") ? changes.getString("title") : before.getString("title"))
              .put("startsAt", changes.getString("startsAt", before.getString("startsAt")))
              .put("endsAt", changes.containsKey("endsAt") ? changes.getString("endsAt") : before.getString("endsAt"))
              .put("location", changes.getString("location", before.getString("location")));
          UUID documentId = UUID.fromString(before.getJsonObject("document").getString("id"));
          UUID versionId = UUID.fromString(before.getJsonObject("version").getString("id"));
          List<Problem.FieldError> errors = new ArrayList<>();
          return requirePlanner(connection, caller, UUID.fromString(before.getJsonObject("trainer").getString("id")))
              .compose(v -> requirePlanner(connection, caller, UUID.fromString(merged.getString("trainerId"))))
              .compose(v -> plan(connection, documentId, versionId, merged, errors))
              .compose(plan -> trainerNotAttending(before, plan.trainerId(), errors)
                  .compose(v -> errors.isEmpty() ? sessions.replan(connection, sessionId, plan)
                      : Future.failedFuture(ProblemException.unprocessable("The session cannot change so", errors))))
              .compose(v -> sessions.find(connection, sessionId, false))
              .compose(after -> audit.record(connection, event(caller, origin, "classroom-session.replanned", after)
                      .withValues(before, after).withReason(reason))
                  .map(after));
        }));
  }

  /** Adds attendees ({@code attendees}: [{personId}]); each must have an open classroom assignment of the version. */
  public Future<JsonObject> addAttendees(TenantContext tenant, Caller caller, RequestOrigin origin, UUID sessionId,
                                         JsonArray attendees) {
    List<UUID> added = personIds(attendees);
    return tenantScope.inTransaction(tenant.schemaName(), connection -> planned(connection, sessionId)
        .compose(before -> requirePlanner(connection, caller, UUID.fromString(before.getJsonObject("trainer").getString("id")))
            .compose(v -> version(connection, UUID.fromString(before.getJsonObject("document").getString("id")),
                UUID.fromString(before.getJsonObject("version").getString("id"))))
            .compose(version -> {
              List<Problem.FieldError> errors = new ArrayList<>();
              SessionRepository.Plan plan = new SessionRepository.Plan(null, UUID.fromString(version.getString("id")),
                  UUID.fromString(before.getJsonObject("trainer").getString("id")), null, null, null, null);
              List<UUID> present = before.getJsonArray("attendees").stream().map(JsonObject.class::cast)
                  .map(a -> UUID.fromString(a.getJsonObject("person").getString("id"))).toList();
              return eligible(connection, plan, version, added, present, "/attendees", errors)
                  .compose(v -> errors.isEmpty() ? sessions.addAttendees(connection, sessionId, added, caller.subject())
                      : Future.failedFuture(ProblemException.unprocessable("These people cannot attend this session", errors)));
            })
            .compose(v -> changed(connection, caller, origin, before, "classroom-session.attendees-added", null))));
  }

  /**
   * Marks attendance ({@code marks}: [{personId, attendance: attended | absent}]): the session's trainer, or a training
   * admin or quality manager; every problem (not an attendee, marked twice) at once.
   */
  public Future<JsonObject> markAttendance(TenantContext tenant, Caller caller, RequestOrigin origin, UUID sessionId,
                                           JsonArray marks, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> planned(connection, sessionId)
        .compose(before -> requirePlanner(connection, caller, UUID.fromString(before.getJsonObject("trainer").getString("id")))
            .compose(v -> {
              Set<String> attendees = new HashSet<>();
              before.getJsonArray("attendees").forEach(a -> attendees.add(((JsonObject) a).getJsonObject("person")
                  .getString("id")));
              List<Problem.FieldError> errors = new ArrayList<>();
              Set<String> seen = new HashSet<>();
              for (int i = 0; i < marks.size(); i++) {
                String person = marks.getJsonObject(i).getString("personId");
                if (!attendees.contains(person)) {
                  errors.add(new Problem.FieldError("/attendance/" + i + "/personId", "not an attendee of this session"));
                } else if (!seen.add(person)) {
                  errors.add(new Problem.FieldError("/attendance/" + i + "/personId", "marked twice"));
                }
              }
              if (!errors.isEmpty()) {
                return Future.failedFuture(ProblemException.unprocessable("The attendance cannot be marked so", errors));
              }
              return InOrder.each(marks.stream().map(JsonObject.class::cast).toList(), mark -> sessions.mark(connection,
                  sessionId, UUID.fromString(mark.getString("personId")), mark.getString("attendance"), caller.subject()));
            })
            .compose(v -> changed(connection, caller, origin, before, "classroom-session.attendance-marked", reason))));
  }

  public Future<JsonObject> get(TenantContext tenant, Caller caller, UUID sessionId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), READERS)
        .compose(v -> existing(connection, sessionId, false)));
  }

  public Future<List<JsonObject>> list(TenantContext tenant, Caller caller, SessionRepository.Filter filter, UUID after,
                                       int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), READERS)
        .compose(v -> sessions.list(connection, filter, after, limit)));
  }

  /** The session after a change of its attendees or attendance: a new revision, audited with before and after. */
  private Future<JsonObject> changed(SqlConnection connection, Caller caller, RequestOrigin origin, JsonObject before,
                                     String action, String reason) {
    UUID sessionId = UUID.fromString(before.getString("id"));
    return sessions.touch(connection, sessionId)
        .compose(v -> sessions.find(connection, sessionId, false))
        .compose(after -> audit.record(connection, event(caller, origin, action, after).withValues(before, after)
                .withReason(reason))
            .map(after));
  }

  /**
   * 403 unless the caller may plan or keep a session trained by {@code trainerId}: a training admin or quality manager
   * any, a trainer only their own.
   */
  private Future<Void> requirePlanner(SqlConnection connection, Caller caller, UUID trainerId) {
    return roles.requireAny(connection, caller.subject(), PLANNERS).compose(held -> held.contains(
            ApplicationRole.TRAINING_ADMIN.id()) || held.contains(ApplicationRole.QUALITY_MANAGER.id())
        ? Future.succeededFuture()
        : people.personOfUser(connection, caller.subject()).compose(me -> trainerId.equals(me) ? Future.succeededFuture()
            : Future.failedFuture(ProblemException.forbidden("A trainer plans and keeps the sessions they hold"))));
  }

  /** The session while it is planned: 404 for none, 409 {@code session-signed} once the trainer signed it. */
  private Future<JsonObject> planned(SqlConnection connection, UUID sessionId) {
    return existing(connection, sessionId, true).compose(session -> "planned".equals(session.getString("state"))
        ? Future.succeededFuture(session) : Future.failedFuture(signedAlready(session)));
  }

  static ProblemException signedAlready(JsonObject session) {
    return new ProblemException(Problem.of(409, "session-signed", "The session is signed", "The trainer signed the "
        + "attendance of session " + session.getString("id") + " at " + session.getString("signedAt")
        + ": it does not change any more"));
  }

  private Future<JsonObject> existing(SqlConnection connection, UUID sessionId, boolean lock) {
    return sessions.find(connection, sessionId, lock).compose(session -> session != null ? Future.succeededFuture(session)
        : Future.failedFuture(ProblemException.notFound("No classroom session " + sessionId)));
  }

  /** The version ({id, version, state, number}) when it belongs to the document, else null. */
  private static Future<JsonObject> version(SqlConnection connection, UUID documentId, UUID versionId) {
    return connection.preparedQuery("SELECT v.id, v.major, v.minor, v.state, d.number FROM document_version v "
            + "JOIN document d ON d.id = v.document_id WHERE v.id = $1 AND v.document_id = $2")
        .execute(Tuple.of(versionId, documentId))
        .map(rows -> rows.size() == 0 ? null : new JsonObject().put("id", versionId.toString())
            .put("version", rows.iterator().next().getInteger("major") + "." + rows.iterator().next().getInteger("minor"))
            .put("state", rows.iterator().next().getString("state")).put("number", rows.iterator().next().getString("number")));
  }

  /** The planned details, checked all at once: a qualified trainer of the document, sane times. */
  private Future<SessionRepository.Plan> plan(SqlConnection connection, UUID documentId, UUID versionId, JsonObject body,
                                              List<Problem.FieldError> errors) {
    UUID trainerId = UUID.fromString(body.getString("trainerId"));
    return TrainingTime.now(connection).compose(now -> trainers.isQualified(connection, trainerId, documentId)
        .map(qualified -> {
          if (!qualified) {
            errors.add(new Problem.FieldError("/trainerId", "not a qualified trainer of this document (an unrevoked, "
                + "unexpired trainer qualification, active, and qualified on its current version)"));
          }
          OffsetDateTime startsAt = time(body.getString("startsAt"), "/startsAt", errors);
          OffsetDateTime endsAt = body.getString("endsAt") == null ? null : time(body.getString("endsAt"), "/endsAt", errors);
          if (startsAt != null && startsAt.isBefore(now.minus(RECORDING_WINDOW))) {
            errors.add(new Problem.FieldError("/startsAt", "more than " + RECORDING_WINDOW.toDays() + " days ago: record "
                + "an older session after the fact (POST /training-assignments/{id}/completion) with a reason"));
          } else if (startsAt != null && startsAt.isAfter(now.plus(PLANNING_HORIZON))) {
            errors.add(new Problem.FieldError("/startsAt", "more than two years ahead"));
          }
          if (startsAt != null && endsAt != null && (endsAt.isBefore(startsAt)
              || endsAt.isAfter(startsAt.plus(LONGEST_SESSION)))) {
            errors.add(new Problem.FieldError("/endsAt", "after the start, within 24 hours of it"));
          }
          return new SessionRepository.Plan(documentId, versionId, trainerId, blankToNull(body.getString("title")),
              startsAt, endsAt, blankToNull(body.getString("location")));
        }));
  }

  /**
   * Row-level eligibility of new attendees (at {@code pointer}/i/personId): a known person, listed once, not already on
   * the session, not its trainer, with an open classroom assignment of the version.
   */
  private Future<Void> eligible(SqlConnection connection, SessionRepository.Plan plan, JsonObject version,
                                List<UUID> attendees, List<UUID> present, String pointer, List<Problem.FieldError> errors) {
    if (attendees.isEmpty() || version == null) {
      return Future.succeededFuture();
    }
    return sessions.openClassroomAssignments(connection, plan.versionId(), attendees).map(open -> {
      Set<UUID> seen = new HashSet<>(present);
      for (int i = 0; i < attendees.size(); i++) {
        UUID person = attendees.get(i);
        String at = pointer + "/" + i + "/personId";
        if (!open.containsKey(person)) {
          errors.add(new Problem.FieldError(at, "no person has this id"));
        } else if (present.contains(person)) {
          errors.add(new Problem.FieldError(at, "already an attendee of this session"));
        } else if (!seen.add(person)) {
          errors.add(new Problem.FieldError(at, "listed twice"));
        } else if (person.equals(plan.trainerId())) {
          errors.add(new Problem.FieldError(at, "the session's trainer does not attend it as a learner"));
        } else if (open.get(person) == 0) {
          errors.add(new Problem.FieldError(at, "has no open classroom assignment of " + version.getString("number")
              + " version " + version.getString("version")));
        }
      }
      return null;
    });
  }

  /** A new trainer who is on the attendee list is refused: nobody trains themselves. */
  private static Future<Void> trainerNotAttending(JsonObject session, UUID trainerId, List<Problem.FieldError> errors) {
    boolean attends = session.getJsonArray("attendees").stream().map(JsonObject.class::cast)
        .anyMatch(a -> a.getJsonObject("person").getString("id").equals(trainerId.toString()));
    if (attends) {
      errors.add(new Problem.FieldError("/trainerId", "an attendee of this session: nobody trains themselves"));
    }
    return Future.succeededFuture();
  }

  private static List<UUID> personIds(JsonArray attendees) {
    return attendees.stream().map(JsonObject.class::cast).map(a -> UUID.fromString(a.getString("personId"))).toList();
  }

  private static OffsetDateTime time(String value, String pointer, List<Problem.FieldError> errors) {
    try {
      return OffsetDateTime.parse(value);
    } catch (DateTimeParseException | NullPointerException e) {
      errors.add(new Problem.FieldError(pointer, "an RFC 3339 date-time"));
      return null;
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  static AuditEvent event(Caller caller, RequestOrigin origin, String action, JsonObject session) {
    return AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin), action, RECORD_TYPE,
        session.getString("id")).withVersion(session.getInteger("revision"));
  }
}
