package io.traceline.platform.training.classroom;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.records.RecordVersions;
import io.traceline.platform.signatures.Signature;
import io.traceline.platform.signatures.SignatureEffect;
import io.traceline.platform.signatures.SignatureRequest;
import io.traceline.platform.signatures.SignatureService;
import io.traceline.platform.training.CompletionRecords;
import io.traceline.platform.training.InOrder;
import io.traceline.platform.training.MyAssignments;
import io.traceline.platform.training.TrainerCheck;
import io.traceline.platform.training.TrainingTime;
import io.traceline.platform.training.classroom.internal.SessionRepository;
import io.traceline.platform.training.internal.CompletionRepository;
import io.traceline.platform.training.internal.TrainingRepository;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The signatures that close a classroom session (TRN-4, PPL-4; issue 7 item 4). The trainer signs the attendance record
 * ("verified", re-authenticated) — the session's record version: what was trained, by whom, when and where, and every
 * attendee with their attendance and whether they have a login. In that signature's transaction the session is locked,
 * absent attendees keep their assignments open, attendees without a login are completed by the trainer's signature
 * (learners without a login are recorded by a trainer who signs), and attendees with a login await their own
 * confirmation: their signature ("trained") on the same record version completes their classroom assignments of the
 * version. Every completion goes through {@link CompletionRecords}.
 */
public final class SessionSigning {

  static final String TRAINER_MEANING = "verified";
  static final String ATTENDEE_MEANING = "trained";

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RecordVersions records;
  private final SignatureService signatures;
  private final CompletionRecords completionRecords;
  private final TrainerCheck trainers;
  private final MyAssignments mine = new MyAssignments();
  private final SessionRepository sessions = new SessionRepository();
  private final TrainingRepository assignments = new TrainingRepository();
  private final CompletionRepository completions = new CompletionRepository();

  public SessionSigning(TenantScope tenantScope, AuditTrail audit, RecordVersions records, SignatureService signatures,
                        CompletionRecords completionRecords, TrainerCheck trainers) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.records = records;
    this.signatures = signatures;
    this.completionRecords = completionRecords;
    this.trainers = trainers;
  }

  /** The trainer signs the session's attendance; a retry with the Idempotency-Key answers the same. */
  public Future<JsonObject> sign(TenantContext tenant, Caller caller, RequestOrigin origin, UUID sessionId,
                                 JsonObject reauthentication, String idempotencyKey) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> session(connection, sessionId, false)
            .compose(session -> idempotencyKey != null && "signed".equals(session.getString("state"))
                // A retry: the signature service answers it with the first signature (or refuses another key's).
                ? Future.succeededFuture(session.getInteger("recordVersion"))
                : closable(connection, caller, session).compose(v -> record(connection, caller, session))))
        .compose(version -> signatures.sign(tenant, caller, origin, new SignatureRequest(SessionService.RECORD_TYPE,
                sessionId.toString(), version, TRAINER_MEANING, reauthentication.getString("method"),
                reauthentication.getString("username"), reauthentication.getString("password")), idempotencyKey,
            new AttendanceVerification(tenant, caller, origin, sessionId)))
        .compose(signed -> tenantScope.inTransaction(tenant.schemaName(), connection -> session(connection, sessionId, false)
            .map(session -> new JsonObject().put("session", session).put("signature", signed.signature().toJson())
                .put("replayed", signed.replayed()))));
  }

  /**
   * A planned session its trainer may sign now: the caller is its trainer, still qualified, it was held, and every
   * attendee's attendance is marked. Else a problem, before any credentials are asked.
   */
  private Future<Void> closable(SqlConnection connection, Caller caller, JsonObject session) {
    if (!"planned".equals(session.getString("state"))) {
      return Future.failedFuture(SessionService.signedAlready(session));
    }
    UUID trainerId = UUID.fromString(session.getJsonObject("trainer").getString("id"));
    return trainers.callerPerson(connection, caller).compose(me -> !me.equals(trainerId)
        ? Future.failedFuture(ProblemException.forbidden("The session's trainer, " + session.getJsonObject("trainer")
            .getString("name") + ", signs its attendance"))
        : trainers.requireQualified(connection, trainerId, session.getJsonObject("document")))
        .compose(v -> TrainingTime.now(connection))
        .compose(now -> {
          JsonArray attendees = session.getJsonArray("attendees");
          List<String> unmarked = attendees.stream().map(JsonObject.class::cast)
              .filter(a -> "unmarked".equals(a.getString("attendance")))
              .map(a -> a.getJsonObject("person").getString("name")).toList();
          if (trainedAt(session).isAfter(now)) {
            return Future.failedFuture(new ProblemException(Problem.of(409, "session-not-held", "The session is not over",
                "The session ends at " + (session.getString("endsAt") != null ? session.getString("endsAt")
                    : session.getString("startsAt")) + ": its attendance is signed after it was held")));
          }
          if (attendees.isEmpty()) {
            return Future.failedFuture(new ProblemException(Problem.of(409, "no-attendees", "The session has no attendees",
                "Add the attendees and mark their attendance before signing")));
          }
          if (!unmarked.isEmpty()) {
            return Future.failedFuture(new ProblemException(Problem.of(409, "attendance-incomplete",
                "Attendance is not marked for everyone", "Mark attended or absent for " + String.join(", ", unmarked)
                    + " before signing")));
          }
          return Future.succeededFuture();
        });
  }

  /**
   * The record version the trainer signs: the session and its attendance as they are now, the latest version when it
   * already holds exactly that (a retry after wrong credentials), else the next one.
   */
  private Future<Integer> record(SqlConnection connection, Caller caller, JsonObject session) {
    return content(connection, session).compose(content -> records.latest(connection, SessionService.RECORD_TYPE,
            session.getString("id"))
        .compose(latest -> latest != null && latest.content().equals(content) ? Future.succeededFuture(latest.version())
            : records.append(connection, SessionService.RECORD_TYPE, session.getString("id"),
                    latest == null ? 1 : latest.version() + 1, content, AuditEvent.Actor.of(caller),
                    "Attendance prepared for the trainer's signature")
                .compose(made -> made == null ? Future.failedFuture(ProblemException.conflict("The session's record "
                    + "changed meanwhile: sign again")) : Future.succeededFuture(made.version()))));
  }

  /** What the trainer signs and attendees with a login confirm: the session, its version's hashes, its attendance. */
  private Future<JsonObject> content(SqlConnection connection, JsonObject session) {
    return assignments.versionEvidence(connection, UUID.fromString(session.getJsonObject("version").getString("id")))
        .map(evidence -> new JsonObject()
            .put("session", session.getString("id")).put("method", "classroom")
            .put("document", session.getJsonObject("document"))
            .put("version", session.getJsonObject("version").copy().mergeIn(evidence))
            .put("trainer", session.getJsonObject("trainer")).put("title", session.getString("title"))
            .put("startsAt", session.getString("startsAt")).put("endsAt", session.getString("endsAt"))
            .put("location", session.getString("location"))
            .put("attendees", new JsonArray(session.getJsonArray("attendees").stream().map(JsonObject.class::cast)
                .map(a -> new JsonObject().put("person", a.getJsonObject("person")).put("hasLogin", a.getBoolean("hasLogin"))
                    .put("attendance", a.getString("attendance")))
                .toList())));
  }

  /** The trainer's signature: locks the session and completes what it completes, in the signature's transaction. */
  private final class AttendanceVerification implements SignatureEffect {
    private final TenantContext tenant;
    private final Caller caller;
    private final RequestOrigin origin;
    private final UUID sessionId;

    AttendanceVerification(TenantContext tenant, Caller caller, RequestOrigin origin, UUID sessionId) {
      this.tenant = tenant;
      this.caller = caller;
      this.origin = origin;
      this.sessionId = sessionId;
    }

    @Override
    public Future<Void> check(SqlConnection connection) {
      return session(connection, sessionId, false).compose(session -> closable(connection, caller, session));
    }

    @Override
    public Future<Void> apply(SqlConnection connection, Signature signature) {
      return session(connection, sessionId, true).compose(before -> closable(connection, caller, before)
          .compose(v -> content(connection, before))
          .compose(content -> records.find(connection, SessionService.RECORD_TYPE, sessionId.toString(),
                  signature.recordVersion())
              // The attendance changed after the record was prepared: the signature would not name what is locked.
              .compose(signed -> signed.content().equals(content) ? Future.succeededFuture()
                  : Future.failedFuture(ProblemException.conflict("The session changed while you signed: sign again"))))
          .compose(v -> InOrder.each(before.getJsonArray("attendees").stream().map(JsonObject.class::cast).toList(),
              attendee -> settle(connection, before, attendee, signature)))
          .compose(outcomes -> sessions.signed(connection, sessionId, signature.recordVersion(), signature.id())
              .compose(v -> session(connection, sessionId, false))
              .compose(after -> audit.record(connection, SessionService.event(caller, origin, "classroom-session.signed",
                      after).withVersion(signature.recordVersion()).withValues(before, after.copy()
                      .put("completions", new JsonArray(outcomes))))))
          .mapEmpty());
    }

    /**
     * What the trainer's signature makes of one attendee: absent stays open; no login is completed now by this
     * signature; a login awaits the attendee's own confirmation. Returns the completions made.
     */
    private Future<JsonArray> settle(SqlConnection connection, JsonObject session, JsonObject attendee,
                                     Signature signature) {
      UUID personId = UUID.fromString(attendee.getJsonObject("person").getString("id"));
      String outcome = "absent".equals(attendee.getString("attendance")) ? "absent"
          : attendee.getBoolean("hasLogin") ? "awaiting-confirmation" : "completed";
      Future<JsonArray> completed = !"completed".equals(outcome) ? Future.succeededFuture(new JsonArray())
          : complete(connection, tenant, AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin), session, personId,
              new Evidence(signature, null, "attended (no login: completed by the trainer's signature, PPL-4)"));
      return completed.compose(made -> sessions.outcome(connection, sessionId, personId, outcome).map(made));
    }
  }

  /**
   * The attendee (with a login) confirms the signed session of their classroom assignment's version ("trained"),
   * completing their classroom assignments of that version. A retry with the Idempotency-Key answers the same.
   */
  public Future<JsonObject> confirm(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId,
                                    JsonObject reauthentication, String idempotencyKey) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> mine.find(connection, caller, assignmentId, false)
            .compose(assignment -> toConfirm(connection, assignment, idempotencyKey != null)))
        .compose(session -> signatures.sign(tenant, caller, origin, new SignatureRequest(SessionService.RECORD_TYPE,
                session.getString("id"), session.getInteger("recordVersion"), ATTENDEE_MEANING,
                reauthentication.getString("method"), reauthentication.getString("username"),
                reauthentication.getString("password")), idempotencyKey,
            new AttendanceConfirmation(tenant, caller, origin, assignmentId)))
        .compose(signed -> tenantScope.inTransaction(tenant.schemaName(), connection ->
            session(connection, UUID.fromString(signed.signature().recordId()), false).compose(session ->
                assignments.assignment(connection, assignmentId).compose(assignment -> completions.ofAssignment(connection,
                        assignmentId)
                    .map(completion -> new JsonObject().put("session", attendeeView(session, assignment))
                        .put("assignment", assignment).put("completion", completion)
                        .put("signature", signed.signature().toJson()).put("replayed", signed.replayed()))))));
  }

  /**
   * The signed session awaiting the learner's confirmation for this classroom assignment (with {@code replay}, also the
   * one they confirmed: the signature service answers a retry); else a 409.
   */
  private Future<JsonObject> toConfirm(SqlConnection connection, JsonObject assignment, boolean replay) {
    if (!"classroom".equals(assignment.getString("method"))) {
      return Future.failedFuture(new ProblemException(Problem.of(409, "method-mismatch", "Not a classroom training",
          "This training is completed by " + assignment.getString("method") + ", not by attending a session")));
    }
    UUID personId = UUID.fromString(assignment.getJsonObject("person").getString("id"));
    UUID versionId = UUID.fromString(assignment.getJsonObject("version").getString("id"));
    return sessions.sessionToConfirm(connection, personId, versionId, replay).compose(sessionId -> sessionId == null
        ? Future.failedFuture(new ProblemException(Problem.of(409, "nothing-to-confirm", "No attendance to confirm",
            "No signed session of version " + assignment.getJsonObject("version").getString("version") + " of "
                + assignment.getJsonObject("document").getString("number") + " awaits your confirmation")))
        : session(connection, sessionId, false));
  }

  /** The attendee's signature: confirms the attendance and completes, in the signature's transaction. */
  private final class AttendanceConfirmation implements SignatureEffect {
    private final TenantContext tenant;
    private final Caller caller;
    private final RequestOrigin origin;
    private final UUID assignmentId;

    AttendanceConfirmation(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId) {
      this.tenant = tenant;
      this.caller = caller;
      this.origin = origin;
      this.assignmentId = assignmentId;
    }

    @Override
    public Future<Void> check(SqlConnection connection) {
      return mine.find(connection, caller, assignmentId, false)
          .compose(assignment -> toConfirm(connection, assignment, false)).mapEmpty();
    }

    @Override
    public Future<Void> apply(SqlConnection connection, Signature signature) {
      return mine.find(connection, caller, assignmentId, true).compose(assignment -> toConfirm(connection, assignment, false)
          .compose(session -> {
            if (!session.getString("id").equals(signature.recordId())) {
              return Future.failedFuture(ProblemException.conflict("Another session awaits your confirmation now: "
                  + "confirm again"));
            }
            UUID personId = UUID.fromString(assignment.getJsonObject("person").getString("id"));
            UUID sessionId = UUID.fromString(session.getString("id"));
            AuditEvent.Actor actor = AuditEvent.Actor.of(caller);
            AuditEvent.Source source = AuditEvent.Source.of(origin);
            return sessions.confirmed(connection, sessionId, personId, signature.id())
                .compose(confirmed -> !confirmed ? Future.failedFuture(ProblemException.conflict("Your attendance was "
                        + "confirmed meanwhile"))
                    : complete(connection, tenant, actor, source, session, personId, new Evidence(
                        UUID.fromString(session.getString("trainerSignatureId")), signature,
                        "attended and confirmed it with their signature")))
                .compose(made -> audit.record(connection, AuditEvent.of(actor, source,
                        "classroom-session.attendance-confirmed", SessionService.RECORD_TYPE, sessionId.toString())
                    .withVersion(signature.recordVersion()).withValues(null, new JsonObject()
                        .put("person", assignment.getJsonObject("person")).put("signatureId", signature.id().toString())
                        .put("completions", made))));
          }))
          .mapEmpty();
    }
  }

  /** The signatures behind a classroom completion: the trainer's, and the attendee's when they confirmed. */
  private record Evidence(UUID trainerSignatureId, Signature trainerSignature, Signature attendeeSignature, String how) {

    Evidence(Signature trainerSignature, Signature attendeeSignature, String how) {
      this(trainerSignature.id(), trainerSignature, attendeeSignature, how);
    }

    Evidence(UUID trainerSignatureId, Signature attendeeSignature, String how) {
      this(trainerSignatureId, null, attendeeSignature, how);
    }

    /** The signature that completes: the attendee's own, or the trainer's for someone without a login. */
    Signature completing() {
      return attendeeSignature != null ? attendeeSignature : trainerSignature;
    }

    JsonArray signatures() {
      JsonArray listed = new JsonArray().add(new JsonObject().put("id", trainerSignatureId.toString())
          .put("meaning", TRAINER_MEANING));
      if (attendeeSignature != null) {
        listed.add(new JsonObject().put("id", attendeeSignature.id().toString()).put("meaning", ATTENDEE_MEANING));
      }
      return listed;
    }
  }

  /**
   * Completes the person's open classroom assignments of the session's version: trained when the session was held, by
   * its trainer. The reason says how it was recorded, because a confirmation may come more than an hour after the
   * session (the record is then flagged late, and says why). Returns the completion ids.
   */
  private Future<JsonArray> complete(SqlConnection connection, TenantContext tenant, AuditEvent.Actor actor,
                                     AuditEvent.Source source, JsonObject session, UUID personId, Evidence evidence) {
    UUID versionId = UUID.fromString(session.getJsonObject("version").getString("id"));
    String trainer = session.getJsonObject("trainer").getString("name");
    String held = "Classroom session " + (session.getString("title") == null ? "" : "'" + session.getString("title") + "' ")
        + "at " + session.getString("location") + " on " + trainedAt(session).toInstant() + " with " + trainer;
    Signature completing = evidence.completing();
    JsonObject details = new JsonObject()
        .put("session", new JsonObject().put("id", session.getString("id")).put("recordType", SessionService.RECORD_TYPE)
            .put("recordVersion", completing.recordVersion()).put("recordHash", completing.recordHash())
            .put("location", session.getString("location")).put("startsAt", session.getString("startsAt"))
            .put("endsAt", session.getString("endsAt")))
        .put("signatures", evidence.signatures());
    return sessions.lockOpenAssignments(connection, personId, versionId)
        .compose(open -> InOrder.each(open, assignmentId -> completionRecords.complete(connection, tenant.slug(), actor,
            source, assignmentId, new CompletionRecords.Evidence("completed", null, null, trainedAt(session),
                UUID.fromString(session.getJsonObject("trainer").getString("id")), completing.id(), null,
                held + ": " + evidence.how() + "; signed at " + completing.signedAt().toInstant(),
                held + ": " + evidence.how(), details, null, null))
            .map(completion -> completion.getString("id"))))
        .map(JsonArray::new);
  }

  /** When the training happened: the session's end when it has one (the training was then complete), else its start. */
  private static OffsetDateTime trainedAt(JsonObject session) {
    return OffsetDateTime.parse(session.getString("endsAt") != null ? session.getString("endsAt")
        : session.getString("startsAt"));
  }

  /** The session as an attendee sees it: its details and their own attendance, not the other attendees. */
  private static JsonObject attendeeView(JsonObject session, JsonObject assignment) {
    JsonObject view = session.copy();
    String personId = assignment.getJsonObject("person").getString("id");
    view.put("attendees", new JsonArray(session.getJsonArray("attendees").stream().map(JsonObject.class::cast)
        .filter(a -> a.getJsonObject("person").getString("id").equals(personId)).toList()));
    return view;
  }

  private Future<JsonObject> session(SqlConnection connection, UUID sessionId, boolean lock) {
    return sessions.find(connection, sessionId, lock).compose(session -> session != null ? Future.succeededFuture(session)
        : Future.failedFuture(ProblemException.notFound("No classroom session " + sessionId)));
  }
}
