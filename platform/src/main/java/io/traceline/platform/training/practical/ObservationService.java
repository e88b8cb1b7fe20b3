package io.traceline.platform.training.practical;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.traceline.platform.access.ApplicationRole;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.integrity.CanonicalJson;
import io.traceline.platform.records.RecordVersions;
import io.traceline.platform.signatures.Signature;
import io.traceline.platform.signatures.SignatureEffect;
import io.traceline.platform.signatures.SignatureRequest;
import io.traceline.platform.signatures.SignatureService;
import io.traceline.platform.training.CompletionRecords;
import io.traceline.platform.training.IdempotentRequest;
import io.traceline.platform.training.MyAssignments;
import io.traceline.platform.training.TrainerCheck;
import io.traceline.platform.training.TrainingTime;
import io.traceline.platform.training.internal.CompletionRepository;
import io.traceline.platform.training.internal.TrainingRepository;
import io.traceline.platform.training.practical.internal.ChecklistRepository;
import io.traceline.platform.training.practical.internal.ObservationRepository;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * On-the-job practicals (TRN-1, TRN-4; issue 7 item 3). A qualified trainer of the document observes the learner and
 * ticks every item of the version's checklist (passed or not, with an optional observation), then signs the
 * observation ("verified", re-authenticated). The observation's record version — the checklist results, the document
 * version's hashes, who and when — is what both signatures bind. With every item passed it awaits the learner, who
 * signs the same record version ("trained", re-authenticated): that second signature completes the assignment with its
 * completion record (trainer, training time = the observation's, both signatures), in the signature's transaction. With
 * an item not passed the signed observation is an unsuccessful one and the assignment stays open. A learner who
 * disagrees declines with a reason: the observation is void. An unqualified trainer, or a trainer observing themselves,
 * is refused before anything is written.
 */
public final class ObservationService {

  static final String RECORD_TYPE = "on-the-job-observation";
  static final String TRAINER_MEANING = "verified";
  static final String LEARNER_MEANING = "trained";
  static final Set<String> READERS = Set.of(ApplicationRole.TRAINING_ADMIN.id(), ApplicationRole.QUALITY_MANAGER.id(),
      ApplicationRole.TENANT_ADMIN.id(), ApplicationRole.AUDITOR.id(), ApplicationRole.TRAINER.id());
  /** An observation is recorded when it happens; an older one is a late entry with a reason (LateCompletionService). */
  private static final Duration RECORDING_WINDOW = Duration.ofDays(30);

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final RecordVersions records;
  private final SignatureService signatures;
  private final CompletionRecords completionRecords;
  private final TrainerCheck trainers;
  private final MyAssignments mine = new MyAssignments();
  private final TrainingRepository assignments = new TrainingRepository();
  private final CompletionRepository completions = new CompletionRepository();
  private final ChecklistRepository checklists = new ChecklistRepository();
  private final ObservationRepository observations = new ObservationRepository();

  public ObservationService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, RecordVersions records,
                            SignatureService signatures, CompletionRecords completionRecords, TrainerCheck trainers) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
    this.records = records;
    this.signatures = signatures;
    this.completionRecords = completionRecords;
    this.trainers = trainers;
  }

  /**
   * The trainer records the observation of the learner's assignment and signs it ("verified"). {@code body}: observedAt,
   * location, items [{itemId, passed, observation}], reauthentication. A retry with the Idempotency-Key answers the same
   * observation and signature (and signs it now when wrong credentials stopped the first request).
   */
  public Future<JsonObject> record(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId,
                                   JsonObject body, String idempotencyKey) {
    JsonObject request = body.copy();
    request.remove("reauthentication");
    String requestHash = CanonicalJson.hash(request.put("assignmentId", assignmentId.toString()));
    JsonObject reauthentication = body.getJsonObject("reauthentication");
    return tenantScope.inTransaction(tenant.schemaName(), connection -> (idempotencyKey == null
            ? Future.<JsonObject>succeededFuture() : observations.findByKey(connection, caller.subject(), idempotencyKey))
            .compose(earlier -> earlier != null
                ? IdempotentRequest.sameRequest(earlier, requestHash, "observation")
                : observe(connection, caller, origin, assignmentId, body, idempotencyKey, requestHash)))
        .compose(observation -> signatures.sign(tenant, caller, origin, signatureRequest(observation, TRAINER_MEANING,
                reauthentication), idempotencyKey,
            new TrainerVerification(caller, origin, UUID.fromString(observation.getString("id")))))
        .compose(signed -> answer(tenant, signed));
  }

  /** Everything decided before the trainer's credentials: who, what, and every problem of the results at once. */
  private Future<JsonObject> observe(SqlConnection connection, Caller caller, RequestOrigin origin, UUID assignmentId,
                                     JsonObject body, String idempotencyKey, String requestHash) {
    // The assignment first: a caller of another tenant's ids learns nothing but "not found".
    return assignments.lockAssignment(connection, assignmentId).compose(assignment -> assignment == null
        ? Future.failedFuture(ProblemException.notFound("No assignment " + assignmentId))
        : trainers.callerPerson(connection, caller).compose(trainerId ->
            TrainerCheck.requireNotLearner(trainerId, personId(assignment))
                .compose(v -> observable(assignment))
                .compose(v -> trainers.requireQualified(connection, trainerId, assignment.getJsonObject("document")))
                .compose(v -> checklists.ofVersion(connection, versionId(assignment), true))
                .compose(checklist -> TrainingTime.now(connection).compose(now -> {
                  List<Problem.FieldError> errors = new ArrayList<>();
                  OffsetDateTime observedAt = TrainingTime.past(body.getString("observedAt"), now, RECORDING_WINDOW,
                      "/observedAt", "more than " + RECORDING_WINDOW.toDays() + " days ago: record an older practical "
                          + "after the fact (POST /training-assignments/{id}/completion) with a reason", errors);
                  if (checklist.isEmpty()) {
                    return Future.failedFuture(new ProblemException(Problem.of(409, "no-checklist",
                        "The practical has no checklist yet", "Version " + assignment.getJsonObject("version")
                            .getString("version") + " of " + assignment.getJsonObject("document").getString("number")
                            + " has no active checklist items: ask the document's author or quality")));
                  }
                  JsonArray results = results(checklist, body.getJsonArray("items", new JsonArray()), errors);
                  if (!errors.isEmpty()) {
                    return Future.failedFuture(ProblemException.unprocessable("The observation cannot be recorded",
                        errors));
                  }
                  return replacePending(connection, caller, origin, assignmentId)
                      .compose(v -> create(connection, caller, origin, assignment, trainerId, observedAt,
                          body.getString("location"), results, idempotencyKey, requestHash));
                }))));
  }

  /**
   * The checklist as observed, in the checklist's order: every active item ticked exactly once, passed or not, with the
   * trainer's observation. Problems (unknown, twice, missing items) go to {@code errors}.
   */
  private static JsonArray results(List<JsonObject> checklist, JsonArray ticks, List<Problem.FieldError> errors) {
    Map<String, JsonObject> byItem = new HashMap<>();
    Set<String> known = new HashSet<>();
    checklist.forEach(item -> known.add(item.getString("id")));
    for (int i = 0; i < ticks.size(); i++) {
      JsonObject tick = ticks.getJsonObject(i);
      String itemId = tick.getString("itemId");
      if (!known.contains(itemId)) {
        errors.add(new Problem.FieldError("/items/" + i + "/itemId", "not an active item of this version's checklist"));
      } else if (byItem.putIfAbsent(itemId, tick) != null) {
        errors.add(new Problem.FieldError("/items/" + i + "/itemId", "ticked twice"));
      }
    }
    JsonArray results = new JsonArray();
    List<String> missing = new ArrayList<>();
    for (JsonObject item : checklist) {
      JsonObject tick = byItem.get(item.getString("id"));
      if (tick == null) {
        missing.add(item.getInteger("position") + " (" + item.getString("text") + ")");
        continue;
      }
      String observation = tick.getString("observation");
      results.add(new JsonObject().put("itemId", item.getString("id")).put("position", item.getInteger("position"))
          .put("text", item.getString("text")).put("criteria", item.getString("criteria"))
          .put("passed", tick.getBoolean("passed"))
          .put("observation", observation == null || observation.isBlank() ? null : observation.strip()));
    }
    if (!missing.isEmpty()) {
      errors.add(new Problem.FieldError("/items", "every checklist item is ticked; missing: " + String.join(", ", missing)));
    }
    return results;
  }

  /** An observation its trainer has not signed yet is replaced (withdrawn); one awaiting the learner is a 409. */
  private Future<Void> replacePending(SqlConnection connection, Caller caller, RequestOrigin origin, UUID assignmentId) {
    return observations.pending(connection, assignmentId).compose(pending -> {
      if (pending == null) {
        return Future.succeededFuture();
      }
      if ("awaiting-learner".equals(pending.getString("state"))) {
        return Future.failedFuture(new ProblemException(Problem.of(409, "observation-pending",
            "An observation awaits the learner", "Observation " + pending.getString("id") + " awaits the learner's "
                + "signature: the learner signs or declines it before another is recorded")));
      }
      return observations.close(connection, UUID.fromString(pending.getString("id")), "withdrawn",
              "Replaced by a new observation before its trainer signed it")
          .compose(after -> audit.record(connection, event(caller, origin, "on-the-job-observation.withdrawn", after)
              .withValues(pending, after).withReason(after.getString("closeReason"))))
          .mapEmpty();
    });
  }

  /** The observation's record version (what both signatures bind), its row, and its audit event. */
  private Future<JsonObject> create(SqlConnection connection, Caller caller, RequestOrigin origin, JsonObject assignment,
                                    UUID trainerId, OffsetDateTime observedAt, String location, JsonArray results,
                                    String idempotencyKey, String requestHash) {
    UUID id = Ids.newId();
    boolean passed = results.stream().map(JsonObject.class::cast).allMatch(r -> r.getBoolean("passed"));
    String outcome = passed ? "passed" : "not-passed";
    return assignments.versionEvidence(connection, versionId(assignment)).compose(evidence -> {
      JsonObject content = new JsonObject()
          .put("observation", id.toString()).put("assignment", assignment.getString("id"))
          .put("person", assignment.getJsonObject("person"))
          .put("trainer", new JsonObject().put("id", trainerId.toString()).put("name", caller.name()))
          .put("document", assignment.getJsonObject("document"))
          .put("version", assignment.getJsonObject("version").copy().mergeIn(evidence))
          .put("method", "on-the-job").put("observedAt", observedAt.toInstant().toString()).put("location", location)
          .put("checklist", results).put("outcome", outcome)
          .put("statement", passed ? "Observed performing every item of the checklist of version "
              + assignment.getJsonObject("version").getString("version") + " of "
              + assignment.getJsonObject("document").getString("number") + " as recorded"
              : "Not every item of the checklist was passed: the practical is not completed");
      return records.append(connection, RECORD_TYPE, id.toString(), 1, content, AuditEvent.Actor.of(caller),
              "On-the-job observation recorded for the trainer's and the learner's signatures")
          .compose(version -> observations.insert(connection, new ObservationRepository.NewObservation(id, assignment,
              trainerId, observedAt, location, results, outcome, version.version(), caller.subject(), caller.name(),
              idempotencyKey, requestHash)))
          .compose(observation -> audit.record(connection, event(caller, origin, "on-the-job-observation.recorded",
                  observation).withValues(null, observation))
              .map(observation));
    });
  }

  /** The trainer's signature: checked before the credentials, applied in the signature's transaction. */
  private final class TrainerVerification implements SignatureEffect {
    private final Caller caller;
    private final RequestOrigin origin;
    private final UUID observationId;

    TrainerVerification(Caller caller, RequestOrigin origin, UUID observationId) {
      this.caller = caller;
      this.origin = origin;
      this.observationId = observationId;
    }

    @Override
    public Future<Void> check(SqlConnection connection) {
      return signable(connection, false).mapEmpty();
    }

    @Override
    public Future<Void> apply(SqlConnection connection, Signature signature) {
      return signable(connection, true).compose(before -> {
        boolean passed = "passed".equals(before.getString("outcome"));
        return observations.trainerSigned(connection, observationId, passed ? "awaiting-learner" : "unsuccessful",
                signature.id())
            .compose(after -> audit.record(connection, event(caller, origin, passed ? "on-the-job-observation.verified"
                    : "on-the-job-observation.unsuccessful", after).withValues(before, after)))
            .mapEmpty();
      });
    }

    /** The trainer's own unsigned observation of an open assignment, while they are still a qualified trainer. */
    private Future<JsonObject> signable(SqlConnection connection, boolean lock) {
      return observations.find(connection, observationId, lock).compose(observation -> {
        if (!caller.subject().equals(observation.getJsonObject("recordedBy").getString("id"))) {
          return Future.failedFuture(ProblemException.forbidden("The observation is signed by the trainer who recorded it"));
        }
        if (!"unsigned".equals(observation.getString("state"))) {
          return Future.failedFuture(notInState(observation, "awaiting its trainer's signature"));
        }
        return assignments.assignment(connection, UUID.fromString(observation.getString("assignmentId")))
            .compose(ObservationService::observable)
            .compose(v -> trainers.requireQualified(connection, UUID.fromString(observation.getJsonObject("trainer")
                .getString("id")), observation.getJsonObject("document")))
            .map(observation);
      });
    }
  }

  /**
   * The learner signs the observation awaiting them ("trained"): the second signature, which completes the assignment.
   * A retry with the Idempotency-Key answers the same.
   */
  public Future<JsonObject> confirm(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId,
                                    UUID observationId, JsonObject reauthentication, String idempotencyKey) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> mine.find(connection, caller, assignmentId, false)
            .compose(assignment -> observationOf(connection, assignmentId, observationId, false))
            .compose(observation -> idempotencyKey != null && "completed".equals(observation.getString("state"))
                // A retry: the signature service answers it with the first signature (or refuses another key's).
                ? Future.succeededFuture(observation)
                : awaitingLearner(connection, observation)))
        .compose(observation -> signatures.sign(tenant, caller, origin, signatureRequest(observation, LEARNER_MEANING,
                reauthentication), idempotencyKey,
            new LearnerConfirmation(tenant, caller, origin, assignmentId, observationId)))
        .compose(signed -> answer(tenant, signed));
  }

  /** The learner's signature: checked before the credentials, applied (completing the assignment) with the signature. */
  private final class LearnerConfirmation implements SignatureEffect {
    private final TenantContext tenant;
    private final Caller caller;
    private final RequestOrigin origin;
    private final UUID assignmentId;
    private final UUID observationId;

    LearnerConfirmation(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId, UUID observationId) {
      this.tenant = tenant;
      this.caller = caller;
      this.origin = origin;
      this.assignmentId = assignmentId;
      this.observationId = observationId;
    }

    @Override
    public Future<Void> check(SqlConnection connection) {
      return mine.find(connection, caller, assignmentId, false)
          .compose(assignment -> observationOf(connection, assignmentId, observationId, false))
          .compose(observation -> awaitingLearner(connection, observation)).mapEmpty();
    }

    @Override
    public Future<Void> apply(SqlConnection connection, Signature signature) {
      AuditEvent.Actor actor = AuditEvent.Actor.of(caller);
      AuditEvent.Source source = AuditEvent.Source.of(origin);
      return mine.find(connection, caller, assignmentId, true)
          .compose(assignment -> observationOf(connection, assignmentId, observationId, true))
          .compose(observation -> awaitingLearner(connection, observation))
          .compose(before -> observations.learnerSigned(connection, observationId, signature.id())
              .compose(after -> audit.record(connection, event(caller, origin, "on-the-job-observation.completed", after)
                      .withValues(before, after))
                  .map(after)))
          .compose(observation -> completionRecords.complete(connection, tenant.slug(), actor, source, assignmentId,
              evidence(observation, signature)))
          .mapEmpty();
    }
  }

  /**
   * The completion the two signatures make: trained when observed, by the trainer, the learner's signature as the one
   * that completed it and both signatures named in the evidence. The reason says how it was recorded, because the
   * learner may sign more than an hour after the observation (the record is then flagged late, and says why).
   */
  private static CompletionRecords.Evidence evidence(JsonObject observation, Signature learnerSignature) {
    String trainer = observation.getJsonObject("trainer").getString("name");
    JsonObject details = new JsonObject()
        .put("observation", new JsonObject().put("id", observation.getString("id"))
            .put("recordType", RECORD_TYPE).put("recordVersion", observation.getInteger("recordVersion"))
            .put("recordHash", learnerSignature.recordHash()).put("location", observation.getString("location"))
            .put("items", observation.getJsonArray("items").size()))
        .put("signatures", new JsonArray()
            .add(new JsonObject().put("id", observation.getString("trainerSignatureId")).put("meaning", TRAINER_MEANING))
            .add(new JsonObject().put("id", learnerSignature.id().toString()).put("meaning", LEARNER_MEANING)));
    return new CompletionRecords.Evidence("completed", null, null, OffsetDateTime.parse(observation.getString("observedAt")),
        UUID.fromString(observation.getJsonObject("trainer").getString("id")), learnerSignature.id(), null,
        "On-the-job practical observed at " + observation.getString("observedAt") + " by " + trainer
            + ", verified by the trainer's signature and confirmed by the learner's at " + learnerSignature.signedAt()
            .toInstant(),
        "On-the-job practical signed off by " + trainer + " and the learner", details, null, null);
  }

  /** The learner declines the observation awaiting them, with a reason: it is void, the assignment stays open. */
  public Future<JsonObject> decline(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId,
                                    UUID observationId, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> mine.find(connection, caller, assignmentId, true)
        .compose(assignment -> observationOf(connection, assignmentId, observationId, true))
        .compose(before -> "awaiting-learner".equals(before.getString("state"))
            ? observations.close(connection, observationId, "declined", reason)
                .compose(after -> audit.record(connection, event(caller, origin, "on-the-job-observation.declined", after)
                        .withValues(before, after).withReason(reason))
                    .map(after))
            : Future.failedFuture(notInState(before, "awaiting your signature")))
        .compose(observation -> withSignatures(connection, observation)));
  }

  /** The assignment's observations with their signatures: training and quality staff, trainers and auditors. */
  public Future<JsonObject> ofAssignment(TenantContext tenant, Caller caller, UUID assignmentId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> roles.requireAny(connection, caller.subject(), READERS)
        .compose(v -> assignments.assignment(connection, assignmentId))
        .compose(assignment -> assignment == null ? Future.failedFuture(ProblemException.notFound("No assignment "
            + assignmentId)) : listed(connection, assignment)));
  }

  /** The learner's own observations of their assignment (the one awaiting their signature among them). */
  public Future<JsonObject> mine(TenantContext tenant, Caller caller, UUID assignmentId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> mine.find(connection, caller, assignmentId, false)
        .compose(assignment -> listed(connection, assignment)));
  }

  private Future<JsonObject> listed(SqlConnection connection, JsonObject assignment) {
    return observations.ofAssignment(connection, UUID.fromString(assignment.getString("id")))
        .compose(found -> io.traceline.platform.training.InOrder.each(found, o -> withSignatures(connection, o)))
        .map(found -> new JsonObject().put("assignment", assignment).put("items", new JsonArray(found)));
  }

  /** The observation with the manifestations of the signatures on its record version (name, time, meaning). */
  private Future<JsonObject> withSignatures(SqlConnection connection, JsonObject observation) {
    return signatures.ofVersion(connection, RECORD_TYPE, observation.getString("id"), observation.getInteger("recordVersion"))
        .map(signed -> observation.put("signatures", new JsonArray(signed.stream().map(Signature::toJson).toList())));
  }

  /** The answer to a signature: the observation with its signatures, the assignment, its completion (if any). */
  private Future<JsonObject> answer(TenantContext tenant, SignatureService.Signed signed) {
    UUID observationId = UUID.fromString(signed.signature().recordId());
    return tenantScope.inTransaction(tenant.schemaName(), connection -> observations.find(connection, observationId, false)
        .compose(observation -> withSignatures(connection, observation))
        .compose(observation -> {
          UUID assignmentId = UUID.fromString(observation.getString("assignmentId"));
          return assignments.assignment(connection, assignmentId)
              .compose(assignment -> completions.ofAssignment(connection, assignmentId)
                  .map(completion -> new JsonObject().put("observation", observation).put("assignment", assignment)
                      .put("completion", completion).put("signature", signed.signature().toJson())
                      .put("replayed", signed.replayed())));
        }));
  }

  private static SignatureRequest signatureRequest(JsonObject observation, String meaning, JsonObject reauthentication) {
    return new SignatureRequest(RECORD_TYPE, observation.getString("id"), observation.getInteger("recordVersion"), meaning,
        reauthentication.getString("method"), reauthentication.getString("username"),
        reauthentication.getString("password"));
  }

  /** 409 unless the assignment is an open on-the-job practical. */
  private static Future<Void> observable(JsonObject assignment) {
    String status = assignment.getString("status");
    if (!"on-the-job".equals(assignment.getString("method"))) {
      return Future.failedFuture(new ProblemException(Problem.of(409, "method-mismatch", "Not an on-the-job practical",
          "This training is completed by " + assignment.getString("method") + ", not by an on-the-job observation")));
    }
    if (!"open".equals(status) && !"overdue".equals(status)) {
      return Future.failedFuture(ProblemException.conflict("This assignment is " + status + ": there is nothing to "
          + "observe"));
    }
    return Future.succeededFuture();
  }

  /** The observation awaiting the learner, of an assignment still open; else a 409. */
  private Future<JsonObject> awaitingLearner(SqlConnection connection, JsonObject observation) {
    if (!"awaiting-learner".equals(observation.getString("state"))) {
      return Future.failedFuture(notInState(observation, "awaiting your signature"));
    }
    return assignments.assignment(connection, UUID.fromString(observation.getString("assignmentId")))
        .compose(ObservationService::observable).map(observation);
  }

  private Future<JsonObject> observationOf(SqlConnection connection, UUID assignmentId, UUID observationId, boolean lock) {
    return observations.find(connection, observationId, lock).compose(observation -> observation != null
        && observation.getString("assignmentId").equals(assignmentId.toString()) ? Future.succeededFuture(observation)
        : Future.failedFuture(ProblemException.notFound("No observation " + observationId + " of this assignment")));
  }

  private static ProblemException notInState(JsonObject observation, String expected) {
    return new ProblemException(Problem.of(409, "observation-not-pending", "The observation is "
        + observation.getString("state"), "Observation " + observation.getString("id") + " is "
        + observation.getString("state") + ", not " + expected));
  }

  private static AuditEvent event(Caller caller, RequestOrigin origin, String action, JsonObject observation) {
    return AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin), action, RECORD_TYPE,
        observation.getString("id")).withVersion(observation.getInteger("recordVersion"));
  }

  private static UUID personId(JsonObject assignment) {
    return UUID.fromString(assignment.getJsonObject("person").getString("id"));
  }

  private static UUID versionId(JsonObject assignment) {
    return UUID.fromString(assignment.getJsonObject("version").getString("id"));
  }
}
