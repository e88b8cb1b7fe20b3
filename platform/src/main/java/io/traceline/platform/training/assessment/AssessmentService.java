package io.traceline.platform.training.assessment;

import java.security.SecureRandom;
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
import io.traceline.platform.training.MyAssignments;
import io.traceline.platform.training.assessment.internal.AttemptRepository;
import io.traceline.platform.training.assessment.internal.QuestionRepository;
import io.traceline.platform.training.internal.CompletionRepository;
import io.traceline.platform.training.internal.TrainingRepository;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * A learner's assessment (TRN-1, issue 7 item 2). Starting an attempt draws a paper from the version's bank (question
 * and option order from a per-attempt seed) and fixes the requirement's pass score. Submitting is the learner's
 * electronic signature ("assessment-completed", re-authenticated) on the attempt's record version: the answers as given,
 * with the questions as presented and the exact document version, never the key. The server scores the answers in the
 * signature's transaction: a pass completes the assignment with its completion record; a failure records the score and
 * counts, and the last allowed failure blocks the assignment and tells the supervisor (outbox and audit), until a
 * supervisor or training coordinator grants a further attempt. The key never leaves the server towards the learner.
 */
public final class AssessmentService {

  static final String RECORD_TYPE = "assessment-attempt";
  static final String MEANING = "assessment-completed";
  private static final SecureRandom SEEDS = new SecureRandom();

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RecordVersions records;
  private final SignatureService signatures;
  private final CompletionRecords completionRecords;
  private final MyAssignments mine = new MyAssignments();
  private final TrainingRepository assignments = new TrainingRepository();
  private final QuestionRepository questions = new QuestionRepository();
  private final AttemptRepository attempts = new AttemptRepository();
  private final CompletionRepository completions = new CompletionRepository();

  public AssessmentService(TenantScope tenantScope, AuditTrail audit, RecordVersions records, SignatureService signatures,
                           CompletionRecords completionRecords) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.records = records;
    this.signatures = signatures;
    this.completionRecords = completionRecords;
  }

  /** Starts the next attempt: the learner's view of its paper (no key). */
  public Future<JsonObject> start(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> mine.find(connection, caller, assignmentId, true)
        .compose(found -> withRules(connection, found))
        .compose(assignment -> assessable(assignment).map(ok -> assignment.getJsonObject("rules"))
            .compose(rules -> attempts.allowance(connection, assignmentId, rules.getInteger("maxAttempts"))
                .compose(allowance -> {
                  if (allowance.getString("inProgress") != null) {
                    return Future.failedFuture(new ProblemException(Problem.of(409, "attempt-in-progress",
                        "An attempt is in progress", "Finish attempt " + allowance.getString("inProgress")
                            + " first (GET /me/training/" + assignmentId + "/attempts/" + allowance.getString("inProgress") + ")")));
                  }
                  if (allowance.getInteger("used") >= allowance.getInteger("allowed")) {
                    return Future.failedFuture(exhausted(allowance));
                  }
                  return questions.ofVersion(connection, UUID.fromString(assignment.getJsonObject("version").getString("id")),
                          true)
                      .compose(bank -> bank.isEmpty()
                          ? Future.failedFuture(new ProblemException(Problem.of(409, "no-question-bank",
                              "The assessment has no questions yet", "Version " + assignment.getJsonObject("version")
                                  .getString("version") + " of " + assignment.getJsonObject("document").getString("number")
                                  + " has no active questions: ask the document's author or quality")))
                          : begin(connection, caller, origin, assignment, rules, allowance, bank));
                }))));
  }

  private Future<JsonObject> begin(SqlConnection connection, Caller caller, RequestOrigin origin, JsonObject assignment,
                                   JsonObject rules, JsonObject allowance, List<JsonObject> bank) {
    long seed = SEEDS.nextLong();
    UUID assignmentId = UUID.fromString(assignment.getString("id"));
    return attempts.insert(connection, Ids.newId(), assignmentId, UUID.fromString(assignment.getJsonObject("person")
                .getString("id")), allowance.getInteger("last") + 1, seed, AssessmentPaper.draw(bank, seed),
            rules.getInteger("passScore"))
        .compose(attempt -> attempt == null
            ? Future.failedFuture(ProblemException.conflict("Another attempt was started meanwhile"))
            : audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin),
                    "assessment-attempt.started", RECORD_TYPE, attempt.getString("id"))
                .withValues(null, new JsonObject().put("assignmentId", assignmentId.toString())
                    .put("attemptNo", attempt.getInteger("attemptNo")).put("seed", seed)
                    .put("questions", bank.size()).put("passScore", attempt.getInteger("passScore"))))
                .map(recorded -> learnerView(attempt, allowance.getInteger("allowed"))));
  }

  /** The learner's attempts at an assignment, without the key. */
  public Future<JsonObject> list(TenantContext tenant, Caller caller, UUID assignmentId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> mine.find(connection, caller, assignmentId, false)
        .compose(assignment -> withRules(connection, assignment))
        .compose(assignment -> attempts.allowance(connection, assignmentId, maxAttempts(assignment))
            .compose(allowance -> attempts.ofAssignment(connection, assignmentId).map(found -> new JsonObject()
                .put("items", new JsonArray(found.stream().map(a -> learnerView(a, allowance.getInteger("allowed"))).toList()))
                .put("attemptsUsed", allowance.getInteger("used")).put("attemptsAllowed", allowance.getInteger("allowed"))
                .put("assignment", withoutRules(assignment))))));
  }

  /** One of the learner's attempts, without the key. */
  public Future<JsonObject> get(TenantContext tenant, Caller caller, UUID assignmentId, UUID attemptId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> mine.find(connection, caller, assignmentId, false)
        .compose(assignment -> withRules(connection, assignment))
        .compose(assignment -> attemptOf(connection, assignmentId, attemptId, false)
            .compose(attempt -> attempts.allowance(connection, assignmentId, maxAttempts(assignment))
                .map(allowance -> learnerView(attempt, allowance.getInteger("allowed"))))));
  }

  /**
   * Submits the answers as the learner's signature on the attempt's record version; the result, the assignment, the
   * completion (when passed) and the signature. A retry with the same Idempotency-Key answers the same.
   */
  public Future<JsonObject> submit(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId,
                                   UUID attemptId, JsonArray answers, JsonObject reauthentication, String idempotencyKey) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> mine.find(connection, caller, assignmentId, false)
            .compose(assignment -> attemptOf(connection, assignmentId, attemptId, false).compose(attempt -> {
              if (!"in-progress".equals(attempt.getString("state"))) {
                // A retry with its Idempotency-Key gets the first answer from the signature service; else nothing to do.
                return idempotencyKey != null ? Future.succeededFuture(attempt.getInteger("recordVersion"))
                    : Future.failedFuture(submitted(attempt));
              }
              List<Problem.FieldError> errors = AssessmentPaper.problems(attempt.getJsonArray("paper"), answers);
              if (!errors.isEmpty()) {
                return Future.failedFuture(ProblemException.unprocessable("The answers do not fit the attempt's "
                    + "questions", errors));
              }
              return assessable(assignment).compose(ok -> record(connection, assignment, attempt, answers));
            })))
        .compose(version -> signatures.sign(tenant, caller, origin, new SignatureRequest(RECORD_TYPE, attemptId.toString(),
                version, MEANING, reauthentication.getString("method"), reauthentication.getString("username"),
                reauthentication.getString("password")), idempotencyKey,
            new Submission(tenant, caller, origin, assignmentId, attemptId)))
        .compose(signed -> tenantScope.inTransaction(tenant.schemaName(), connection ->
            withRules(connection, null, assignmentId).compose(assignment ->
                attempts.allowance(connection, assignmentId, maxAttempts(assignment))
                    .compose(allowance -> attempts.find(connection, attemptId, false)
                        .compose(attempt -> completions.ofAssignment(connection, assignmentId)
                            .map(completion -> new JsonObject()
                                .put("attempt", learnerView(attempt, allowance.getInteger("allowed")))
                                .put("assignment", withoutRules(assignment))
                                .put("completion", completion)
                                .put("signature", signed.signature().toJson())
                                .put("replayed", signed.replayed())))))));
  }

  /**
   * The attempt's record version holding these answers: the latest when it already holds them (a retry after wrong
   * credentials), else the next one. What the learner signs: the questions as presented, the answers, the version.
   */
  private Future<Integer> record(SqlConnection connection, JsonObject assignment, JsonObject attempt, JsonArray answers) {
    String id = attempt.getString("id");
    return assignments.versionEvidence(connection, UUID.fromString(assignment.getJsonObject("version").getString("id")))
        .compose(evidence -> {
          JsonObject content = new JsonObject()
              .put("attempt", id).put("attemptNo", attempt.getInteger("attemptNo"))
              .put("assignment", assignment.getString("id")).put("person", assignment.getJsonObject("person"))
              .put("document", assignment.getJsonObject("document"))
              .put("version", assignment.getJsonObject("version").copy().mergeIn(evidence))
              .put("passScore", attempt.getInteger("passScore"))
              .put("questions", AssessmentPaper.withoutKey(attempt.getJsonArray("paper")))
              .put("answers", answers);
          return records.latest(connection, RECORD_TYPE, id).compose(latest -> latest != null
              && latest.content().equals(content) ? Future.succeededFuture(latest.version())
              : records.append(connection, RECORD_TYPE, id, latest == null ? 1 : latest.version() + 1, content,
                      AuditEvent.Actor.SYSTEM, "Answers prepared for the learner's submission signature")
                  .compose(made -> made == null ? Future.failedFuture(ProblemException.conflict("The attempt was "
                      + "submitted meanwhile")) : Future.succeededFuture(made.version())));
        });
  }

  /** What the learner's signature does: checked before the credentials, applied in the signature's transaction. */
  private final class Submission implements SignatureEffect {
    private final TenantContext tenant;
    private final Caller caller;
    private final RequestOrigin origin;
    private final UUID assignmentId;
    private final UUID attemptId;

    Submission(TenantContext tenant, Caller caller, RequestOrigin origin, UUID assignmentId, UUID attemptId) {
      this.tenant = tenant;
      this.caller = caller;
      this.origin = origin;
      this.assignmentId = assignmentId;
      this.attemptId = attemptId;
    }

    @Override
    public Future<Void> check(SqlConnection connection) {
      return mine.find(connection, caller, assignmentId, false).compose(assignment -> assessable(assignment)
          .compose(ok -> attemptOf(connection, assignmentId, attemptId, false))
          .compose(attempt -> "in-progress".equals(attempt.getString("state")) ? Future.succeededFuture()
              : Future.failedFuture(submitted(attempt))));
    }

    @Override
    public Future<Void> apply(SqlConnection connection, Signature signature) {
      return mine.find(connection, caller, assignmentId, true).compose(found -> withRules(connection, found))
          .compose(assignment -> assessable(assignment).compose(ok -> attemptOf(connection, assignmentId, attemptId, true))
              .compose(attempt -> !"in-progress".equals(attempt.getString("state")) ? Future.failedFuture(submitted(attempt))
                  : records.find(connection, RECORD_TYPE, attemptId.toString(), signature.recordVersion())
                      .compose(signed -> score(connection, assignment, attempt, signature,
                          signed.content().getJsonArray("answers")))));
    }

    private Future<Void> score(SqlConnection connection, JsonObject assignment, JsonObject attempt, Signature signature,
                               JsonArray answers) {
      JsonArray paper = attempt.getJsonArray("paper");
      int correct = AssessmentPaper.correct(paper, answers);
      int score = AssessmentPaper.score(correct, paper.size());
      int passScore = attempt.getInteger("passScore");
      boolean passed = score >= passScore;
      JsonObject result = new JsonObject().put("attemptNo", attempt.getInteger("attemptNo")).put("correct", correct)
          .put("questions", paper.size()).put("score", score).put("passScore", passScore).put("passed", passed)
          .put("signatureId", signature.id().toString());
      AuditEvent.Actor actor = AuditEvent.Actor.of(caller);
      AuditEvent.Source source = AuditEvent.Source.of(origin);
      return attempts.submit(connection, attemptId, passed, answers, correct, score, signature.recordVersion(),
              signature.id())
          .compose(submitted -> audit.record(connection, AuditEvent.of(actor, source,
                  passed ? "assessment-attempt.passed" : "assessment-attempt.failed", RECORD_TYPE, attemptId.toString())
              .withVersion(signature.recordVersion()).withValues(null, result)))
          .compose(recorded -> passed
              ? completionRecords.complete(connection, tenant.slug(), actor, source, assignmentId,
                  CompletionRecords.Evidence.signed("passed", score, passScore, signature.id(), signature.signedAt(),
                      attemptId, "Assessment passed with " + score + " % (attempt " + attempt.getInteger("attemptNo")
                          + ")")).mapEmpty()
              : blockWhenExhausted(connection, assignment, actor, source));
    }

    /** After a failure: when no attempt is left, the assignment is blocked and the supervisor told (outbox, audit). */
    private Future<Void> blockWhenExhausted(SqlConnection connection, JsonObject assignment, AuditEvent.Actor actor,
                                            AuditEvent.Source source) {
      return attempts.allowance(connection, assignmentId, maxAttempts(assignment)).compose(allowance ->
          allowance.getInteger("used") < allowance.getInteger("allowed") ? Future.succeededFuture()
              : assignments.block(connection, assignmentId, true)
                  .compose(blocked -> assignments.managerOf(connection, personId(assignment)))
                  .compose(supervisor -> {
                    JsonObject payload = new JsonObject().put("assignmentId", assignmentId.toString())
                        .put("person", assignment.getJsonObject("person")).put("document", assignment.getJsonObject("document"))
                        .put("version", assignment.getJsonObject("version"))
                        .put("attemptsUsed", allowance.getInteger("used")).put("attemptsAllowed", allowance.getInteger("allowed"))
                        .put("supervisorId", supervisor == null ? null : supervisor.toString());
                    return attempts.insertEvent(connection, Ids.newId(), "assessment-attempts-exhausted", assignmentId,
                            personId(assignment), supervisor, payload)
                        .compose(v -> assignments.assignment(connection, assignmentId))
                        .compose(after -> audit.record(connection, AuditEvent.of(actor, source, "training-assignment.blocked",
                                "training-assignment", assignmentId.toString())
                            .withValues(withoutRules(assignment), after.copy().put("notify", payload))))
                        .mapEmpty();
                  }));
    }
  }

  /** 409 unless the assignment is an open assessment (with its requirement's pass score, when {@code rules} are read). */
  private Future<Void> assessable(JsonObject assignment) {
    String status = assignment.getString("status");
    if (!"assessment".equals(assignment.getString("method"))) {
      return Future.failedFuture(new ProblemException(Problem.of(409, "method-mismatch", "Not an assessment",
          "This training is completed by " + assignment.getString("method") + ", not by an assessment")));
    }
    if ("blocked".equals(status)) {
      return Future.failedFuture(new ProblemException(Problem.of(409, "attempts-exhausted", "No attempts left",
          "Every allowed attempt was used: your supervisor or a training coordinator can grant another one")));
    }
    if (!"open".equals(status) && !"overdue".equals(status)) {
      return Future.failedFuture(ProblemException.conflict("This assignment is " + status + ": there is nothing to assess"));
    }
    if (assignment.getJsonObject("rules") != null && assignment.getJsonObject("rules").getInteger("passScore") == null) {
      return Future.failedFuture(ProblemException.conflict("The requirement no longer defines a pass score: ask a "
          + "training coordinator"));
    }
    return Future.succeededFuture();
  }

  /** The assignment with its requirement's assessment rules ({@code rules}: passScore, maxAttempts). */
  private Future<JsonObject> withRules(SqlConnection connection, JsonObject assignment) {
    return withRules(connection, assignment, UUID.fromString(assignment.getString("id")));
  }

  private Future<JsonObject> withRules(SqlConnection connection, JsonObject known, UUID assignmentId) {
    Future<JsonObject> assignment = known != null ? Future.succeededFuture(known)
        : assignments.assignment(connection, assignmentId);
    return assignment.compose(found -> assignments.assessmentRules(connection, assignmentId)
        .map(rules -> found.copy().put("rules", rules)));
  }

  /** The assignment as the API shows it (the requirement's rules are shown by the attempts). */
  private static JsonObject withoutRules(JsonObject assignment) {
    JsonObject shown = assignment.copy();
    shown.remove("rules");
    return shown;
  }

  private Future<JsonObject> attemptOf(SqlConnection connection, UUID assignmentId, UUID attemptId, boolean lock) {
    return attempts.find(connection, attemptId, lock).compose(attempt -> attempt != null
        && attempt.getString("assignmentId").equals(assignmentId.toString()) ? Future.succeededFuture(attempt)
        : Future.failedFuture(ProblemException.notFound("No attempt " + attemptId + " at this assignment")));
  }

  private static ProblemException exhausted(JsonObject allowance) {
    return new ProblemException(Problem.of(409, "attempts-exhausted", "No attempts left", "All "
        + allowance.getInteger("allowed") + " attempts were used: your supervisor or a training coordinator can grant "
        + "another one"));
  }

  private static ProblemException submitted(JsonObject attempt) {
    return new ProblemException(Problem.of(409, "attempt-submitted", "The attempt was submitted", "Attempt "
        + attempt.getInteger("attemptNo") + " is " + attempt.getString("state") + ": start a new attempt if one is left"));
  }

  private static int maxAttempts(JsonObject assignment) {
    return assignment.getJsonObject("rules").getInteger("maxAttempts");
  }

  private static UUID personId(JsonObject assignment) {
    return UUID.fromString(assignment.getJsonObject("person").getString("id"));
  }

  /**
   * The attempt as its learner may see it: the questions as presented without the key, and once submitted the score
   * and the result. Which questions were wrong is not shown: the next attempt draws from the same bank.
   */
  static JsonObject learnerView(JsonObject attempt, int attemptsAllowed) {
    boolean submitted = !"in-progress".equals(attempt.getString("state"));
    return new JsonObject()
        .put("id", attempt.getString("id"))
        .put("assignmentId", attempt.getString("assignmentId"))
        .put("attemptNo", attempt.getInteger("attemptNo"))
        .put("attemptsAllowed", attemptsAllowed)
        .put("state", attempt.getString("state"))
        .put("passScore", attempt.getInteger("passScore"))
        .put("startedAt", attempt.getString("startedAt"))
        .put("submittedAt", attempt.getString("submittedAt"))
        .put("questions", AssessmentPaper.withoutKey(attempt.getJsonArray("paper")))
        .put("score", submitted ? attempt.getInteger("score") : null)
        .put("questionsRight", submitted ? attempt.getInteger("correct") : null)
        .put("passed", submitted ? "passed".equals(attempt.getString("state")) : null)
        .put("signatureId", attempt.getString("signatureId"));
  }
}
