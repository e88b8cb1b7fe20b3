package io.traceline.platform.documents;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.access.ApplicationRole;
import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.documents.internal.DocumentRepository;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.jobs.NewJob;
import io.traceline.platform.records.RecordVersions;
import io.traceline.platform.signatures.Signature;
import io.traceline.platform.signatures.SignatureEffect;
import io.traceline.platform.signatures.SignatureRequest;
import io.traceline.platform.signatures.SignatureService;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * A version's way from draft to effective (DOC-2, DOC-3, DOC-4, DOC-7) and the document's periodic review (DOC-6).
 *
 * <p>Submission freezes the version (content hash and metadata) into a new record version and starts its route;
 * each route step is an electronic signature on that record version; the last approval signature approves the
 * version in the signature's own transaction, and makes it effective at once or enqueues the effective-date timer.
 * A rejection returns the version to draft; its next submission is a new record version without signatures.
 * Every change locks the document row first, so the changes of one document are serialized; the database keeps at
 * most one effective version per document and refuses state moves outside the lifecycle.
 */
public final class DocumentLifecycle {

  /** How long before its due date a document's periodic review is announced. */
  public static final Duration REVIEW_REMINDER_LEAD = Duration.ofDays(30);

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final JobQueue jobs;
  private final RecordVersions records;
  private final SignatureService signatures;
  private final DocumentRepository repository;
  private final DocumentLookup lookup;
  private final List<VersionEffectiveListener> listeners;

  public DocumentLifecycle(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, JobQueue jobs,
                           RecordVersions records, SignatureService signatures, DocumentRepository repository,
                           List<VersionEffectiveListener> listeners) {
    this.listeners = List.copyOf(listeners);
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
    this.jobs = jobs;
    this.records = records;
    this.signatures = signatures;
    this.repository = repository;
    this.lookup = new DocumentLookup(repository);
  }

  /** A lifecycle action as requested: submit (with its route and an optional effective date), reject, withdraw, obsolete. */
  public record Transition(String action, String reason, JsonObject route, OffsetDateTime effectiveAt) {
  }

  /** Applies a lifecycle action to a version; 409 when the version's state does not allow it. */
  public Future<JsonObject> transition(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                       UUID versionId, Transition transition) {
    String action = transition.action();
    if (List.of("withdraw", "obsolete", "reject").contains(action)
        && (transition.reason() == null || transition.reason().strip().length() < 3)) {
      throw ProblemException.unprocessable("This action needs a reason (at least 3 characters); it is kept in the "
          + "audit trail", List.of(new Problem.FieldError("/reason", "required for " + action)));
    }
    if (!"submit".equals(action) && (transition.route() != null || transition.effectiveAt() != null)) {
      throw ProblemException.unprocessable("Only a submission takes a route and an effective date",
          List.of(new Problem.FieldError(transition.route() != null ? "/route" : "/effectiveAt", "only with action submit")));
    }
    return tenantScope.inTransaction(tenant.schemaName(), connection -> lookup.document(connection, documentId, true)
        .compose(document -> lookup.version(connection, documentId, versionId)
            .compose(before -> roles.activeRoles(connection, caller.subject())
                .compose(held -> apply(connection, caller, held, document, before, transition))
                .compose(after -> audit.record(connection, event(caller, origin, "document-version." + action,
                        versionId.toString()).withVersion(after.getInteger("recordVersion")).withValues(before, after)
                        .withReason(transition.reason()))
                    .map(recorded -> after)))));
  }

  private Future<JsonObject> apply(SqlConnection connection, Caller caller, List<String> held, JsonObject document,
                                   JsonObject version, Transition transition) {
    UUID documentId = UUID.fromString(document.getString("id"));
    UUID versionId = UUID.fromString(version.getString("id"));
    String state = version.getString("state");
    String action = transition.action();
    boolean isAuthor = caller.subject().equals(version.getString("authorId"));
    return switch (action) {
      case "submit" -> require(held, isAuthor, ApplicationRole.QUALITY_MANAGER)
          .compose(v -> "draft".equals(state) ? submit(connection, document, version, transition) : illegal(state, action));
      case "reject" -> reject(connection, caller, held, version, transition.reason().strip());
      case "withdraw" -> require(held, isAuthor, ApplicationRole.QUALITY_MANAGER, ApplicationRole.APPROVER)
          .compose(v -> List.of("draft", "in-review", "approved").contains(state)
              ? move(connection, versionId, state, state, "withdrawn", action, "ended_at = now(), end_reason = $4",
                  transition.reason().strip())
              : illegal(state, action))
          .compose(withdrawn -> "in-review".equals(state)
              ? repository.closeRound(connection, versionId, version.getInteger("recordVersion"), null, null).map(withdrawn)
              : Future.succeededFuture(withdrawn));
      case "obsolete" -> require(held, false, ApplicationRole.QUALITY_MANAGER, ApplicationRole.APPROVER)
          .compose(v -> move(connection, versionId, state, "effective", "obsolete", action,
              "ended_at = now(), end_reason = $4", transition.reason().strip()))
          .compose(obsolete -> repository.setStatus(connection, documentId, "obsolete").map(obsolete));
      default -> Future.failedFuture(ProblemException.unprocessable("Unknown action " + action,
          List.of(new Problem.FieldError("/action", "one of submit, reject, withdraw, obsolete"))));
    };
  }

  /**
   * Freezes the draft into the next record version of type document-version (content hash and metadata, so every
   * signature of the route is bound to exactly this content) and creates the route's steps.
   */
  private Future<JsonObject> submit(SqlConnection connection, JsonObject document, JsonObject version,
                                    Transition transition) {
    UUID versionId = UUID.fromString(version.getString("id"));
    JsonObject content = version.getJsonObject("content");
    if (content == null) {
      return Future.failedFuture(new ProblemException(Problem.of(409, "content-missing", "Upload the controlled file first",
          "A version is reviewed and approved with its file: PUT it to .../versions/" + versionId + "/content")));
    }
    ReviewRoute route = ReviewRoute.fromJson(transition.route());
    int round = version.getInteger("recordVersion") == null ? 1 : version.getInteger("recordVersion") + 1;
    return repository.roleHolders(connection, route.everyone()).compose(known -> {
      route.validate(version.getString("authorId"), known);
      JsonObject frozen = DocumentSubmission.freeze(document, version, route.toJson(known), transition.effectiveAt());
      AuditEvent.Actor author = new AuditEvent.Actor(version.getString("authorId"), version.getString("authorName"));
      return records.append(connection, DocumentService.VERSION, versionId.toString(), round, frozen, author,
              "Submitted for review and approval")
          .compose(frozenVersion -> frozenVersion == null
              ? Future.failedFuture(ProblemException.conflict("The version was submitted concurrently"))
              : repository.submit(connection, versionId, round, frozenVersion.contentHash(), route.order(),
                  transition.effectiveAt()))
          .compose(submitted -> repository.insertSteps(connection, versionId, round, steps(route, known)).map(submitted));
    });
  }

  private static List<DocumentRepository.NewStep> steps(ReviewRoute route, java.util.Map<String, ReviewRoute.Assignee> known) {
    List<DocumentRepository.NewStep> steps = new java.util.ArrayList<>();
    for (int i = 0; i < route.reviewers().size(); i++) {
      String id = route.reviewers().get(i);
      steps.add(new DocumentRepository.NewStep(ReviewRoute.REVIEW, i + 1, id, known.get(id).name()));
    }
    for (int i = 0; i < route.approvers().size(); i++) {
      String id = route.approvers().get(i);
      steps.add(new DocumentRepository.NewStep(ReviewRoute.APPROVAL, i + 1, id, known.get(id).name()));
    }
    return steps;
  }

  /** A reviewer or approver with a pending step (or a quality manager) returns the version to draft with comments. */
  private Future<JsonObject> reject(SqlConnection connection, Caller caller, List<String> held, JsonObject version,
                                    String comments) {
    String state = version.getString("state");
    if (!"in-review".equals(state)) {
      return illegal(state, "reject");
    }
    UUID versionId = UUID.fromString(version.getString("id"));
    int round = version.getInteger("recordVersion");
    return repository.steps(connection, versionId, round).compose(steps -> {
      JsonObject mine = ReviewRoute.pendingStepOf(steps, caller.subject());
      if (mine == null && !held.contains(ApplicationRole.QUALITY_MANAGER.id())) {
        return Future.failedFuture(ProblemException.forbidden("Only a reviewer or approver with a pending step on this "
            + "version's route, or a quality manager, can reject it"));
      }
      return move(connection, versionId, state, "in-review", "draft", "reject", "review_comments = $4", comments)
          .compose(draft -> repository.closeRound(connection, versionId, round,
              mine == null ? null : UUID.fromString(mine.getString("id")), comments).map(draft));
    });
  }

  /**
   * Signs the caller's step of the version's route (meaning {@code reviewed} or {@code approved}) with re-authentication.
   * The step is recorded in the signature's transaction; the last approval approves the version there too.
   */
  public Future<JsonObject> sign(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                 UUID versionId, JsonObject body, String idempotencyKey) {
    String meaning = body.getString("meaning");
    JsonObject reauthentication = body.getJsonObject("reauthentication", new JsonObject());
    Integer expectedRound = body.getInteger("recordVersion");
    return tenantScope.inTransaction(tenant.schemaName(), connection -> lookup.document(connection, documentId, false)
            .compose(document -> lookup.version(connection, documentId, versionId)))
        .compose(version -> {
          Integer round = version.getInteger("recordVersion");
          if (round == null) {
            return illegal(version.getString("state"), "sign");
          }
          if (expectedRound != null && !expectedRound.equals(round)) {
            return Future.failedFuture(new ProblemException(Problem.of(409, "version-superseded",
                "That submission is no longer current", "You signed what you saw in submission " + expectedRound
                    + "; the version was resubmitted as " + round + " and needs your review again")));
          }
          SignatureRequest request = new SignatureRequest(DocumentService.VERSION, versionId.toString(), round, meaning,
              reauthentication.getString("method"), reauthentication.getString("username"),
              reauthentication.getString("password"));
          return signatures.sign(tenant, caller, origin, request, idempotencyKey,
              new RouteStep(tenant, caller, origin, documentId, versionId, round, meaning));
        })
        .compose(signed -> tenantScope.inTransaction(tenant.schemaName(), connection ->
            lookup.version(connection, documentId, versionId)
                .compose(version -> repository.steps(connection, versionId, signed.signature().recordVersion())
                    .map(steps -> new JsonObject().put("signature", signed.signature().toJson())
                        .put("replayed", signed.replayed()).put("version", version)
                        .put("route", new JsonArray(steps))))));
  }

  /** A route step as a signature's effect: checked before the credentials, recorded with the signature. */
  private final class RouteStep implements SignatureEffect {
    private final TenantContext tenant;
    private final Caller caller;
    private final RequestOrigin origin;
    private final UUID documentId;
    private final UUID versionId;
    private final int round;
    private final String meaning;

    RouteStep(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId, UUID versionId, int round,
              String meaning) {
      this.tenant = tenant;
      this.caller = caller;
      this.origin = origin;
      this.documentId = documentId;
      this.versionId = versionId;
      this.round = round;
      this.meaning = meaning;
    }

    @Override
    public Future<Void> check(SqlConnection connection) {
      return stepToSign(connection).mapEmpty();
    }

    @Override
    public Future<Void> apply(SqlConnection connection, Signature signature) {
      return lookup.document(connection, documentId, true)
          .compose(document -> stepToSign(connection)
              .compose(step -> repository.signStep(connection, UUID.fromString(step.getString("id")), signature.id()))
              .compose(v -> repository.steps(connection, versionId, round))
              .compose(steps -> !ReviewRoute.complete(steps) ? Future.<Void>succeededFuture()
                  : lookup.version(connection, documentId, versionId)
                      .compose(version -> approve(connection, tenant, caller, origin, document, version))
                      .mapEmpty()));
    }

    private Future<JsonObject> stepToSign(SqlConnection connection) {
      return lookup.version(connection, documentId, versionId).compose(version -> {
        if (!"in-review".equals(version.getString("state"))) {
          return illegal(version.getString("state"), "sign");
        }
        if (version.getInteger("recordVersion") != round) {
          return Future.failedFuture(new ProblemException(Problem.of(409, "version-superseded",
              "That submission is no longer current", "The version was resubmitted meanwhile")));
        }
        return repository.steps(connection, versionId, round).map(steps ->
            ReviewRoute.stepToSign(steps, version.getString("routeOrder"), caller.subject(), meaning));
      });
    }
  }

  /** Every step is signed: the version is approved, and effective now or at its planned date (a timer). */
  private Future<JsonObject> approve(SqlConnection connection, TenantContext tenant, Caller caller, RequestOrigin origin,
                                     JsonObject document, JsonObject version) {
    UUID documentId = UUID.fromString(document.getString("id"));
    UUID versionId = UUID.fromString(version.getString("id"));
    String planned = version.getString("plannedEffectiveAt");
    OffsetDateTime future = planned != null && OffsetDateTime.parse(planned).isAfter(OffsetDateTime.now())
        ? OffsetDateTime.parse(planned) : null;
    return move(connection, versionId, version.getString("state"), "in-review", "approved", "approve",
            "approved_at = now(), approved_by = $4, approved_by_name = $5, effective_at = $6", caller.subject(),
            caller.name(), future)
        .compose(approved -> future == null
            ? makeEffective(connection, tenant.slug(), documentId, document.getInteger("reviewIntervalMonths"), approved)
            // Effective at a future date: a timer on the job runtime, enqueued in this transaction (outbox).
            : jobs.enqueue(connection, new NewJob(tenant.slug(), DocumentEffectiveJob.NAME, new JsonObject()
                    .put("documentId", documentId.toString()).put("versionId", versionId.toString()),
                future.toInstant(), "document-version:" + versionId, caller.subject())).map(id -> approved))
        .compose(after -> audit.record(connection, event(caller, origin, "document-version.approve", versionId.toString())
                .withVersion(after.getInteger("recordVersion")).withValues(version, after)
                .withReason("Every review and approval step of the route is signed"))
            .map(recorded -> after));
  }

  /**
   * Supersedes the effective version (if any), makes {@code approved} effective, writes the "document version
   * effective" event (with its training impact) to the outbox and schedules the next periodic review, all in this
   * transaction. The caller holds the lock on the document row, whose review interval it passes.
   */
  Future<JsonObject> makeEffective(SqlConnection connection, String tenantSlug, UUID documentId, int reviewIntervalMonths,
                                   JsonObject approved) {
    // The supersession, the transition with its outbox event, and the document's status with its next review are one
    // statement each: a burst of versions becoming effective in many tenants pays per statement, most of it planning.
    return repository.supersedeEffective(connection, documentId)
        .compose(previous -> repository.makeEffective(connection, UUID.fromString(approved.getString("id")),
            UUID.randomUUID()))
        .compose(made -> {
          JsonObject effective = made.version();
          OffsetDateTime due = reviewDue(reviewIntervalMonths, OffsetDateTime.parse(effective.getString("effectiveAt")));
          return repository.markEffective(connection, documentId, due)
              .compose(v -> Future.all(listeners.stream().map(listener -> listener.versionEffective(connection,
                  tenantSlug, effective, made.hasEarlierVersions())).toList()))
              .compose(v -> remindOfReview(connection, tenantSlug, documentId, due))
              .map(v -> effective);
        });
  }

  /** Sets the next periodic review one interval after {@code from} and enqueues its reminder (DOC-6). */
  private Future<JsonObject> scheduleReview(SqlConnection connection, String tenantSlug, JsonObject document,
                                            OffsetDateTime from, boolean reviewed) {
    UUID documentId = UUID.fromString(document.getString("id"));
    OffsetDateTime due = reviewDue(document.getInteger("reviewIntervalMonths"), from);
    return repository.scheduleReview(connection, documentId, due, reviewed)
        .compose(scheduled -> remindOfReview(connection, tenantSlug, documentId, due).map(scheduled));
  }

  private static OffsetDateTime reviewDue(int reviewIntervalMonths, OffsetDateTime from) {
    return from.plusMonths(reviewIntervalMonths);
  }

  /** Enqueues the reminder of the review due at {@code due}, at the lead before it (at once when that has passed). */
  private Future<Void> remindOfReview(SqlConnection connection, String tenantSlug, UUID documentId, OffsetDateTime due) {
    OffsetDateTime remindAt = due.minus(REVIEW_REMINDER_LEAD);
    return jobs.enqueue(connection, new NewJob(tenantSlug, DocumentReviewDueJob.NAME, new JsonObject()
            .put("documentId", documentId.toString()).put("dueAt", due.toInstant().toString()),
        remindAt.isAfter(OffsetDateTime.now()) ? remindAt.toInstant() : java.time.Instant.now(),
        "document-review:" + documentId + ":" + due.toInstant(), AuditEvent.Actor.SYSTEM.id())).mapEmpty();
  }

  /**
   * Records a periodic review of the effective document (owner or quality manager): {@code current} confirms it and
   * sets the next review one interval from now; {@code revision-needed} records the finding and leaves the due date,
   * which the next effective revision resets.
   */
  public Future<JsonObject> periodicReview(TenantContext tenant, Caller caller, RequestOrigin origin, UUID documentId,
                                           String outcome, String comments) {
    if (comments == null || comments.strip().length() < 3) {
      throw ProblemException.unprocessable("A periodic review records its comments (at least 3 characters)",
          List.of(new Problem.FieldError("/comments", "required")));
    }
    return tenantScope.inTransaction(tenant.schemaName(), connection -> lookup.document(connection, documentId, true)
        .compose(before -> roles.activeRoles(connection, caller.subject()).compose(held -> {
          boolean owner = caller.subject().equals(before.getString("ownerId"));
          if (!owner && !held.contains(ApplicationRole.QUALITY_MANAGER.id())) {
            return Future.failedFuture(ProblemException.forbidden("The document's owner or a quality manager reviews it"));
          }
          if (!"effective".equals(before.getString("status"))) {
            return Future.failedFuture(ProblemException.conflict("Only an effective document is reviewed periodically; "
                + "this one is " + before.getString("status")));
          }
          Future<JsonObject> after = "current".equals(outcome)
              ? scheduleReview(connection, tenant.slug(), before, OffsetDateTime.now(), true)
              : repository.scheduleReview(connection, documentId, before.getString("nextReviewAt") == null ? null
                  : OffsetDateTime.parse(before.getString("nextReviewAt")), true);
          return after.compose(reviewed -> audit.record(connection, event(caller, origin, "document.periodic-review",
                      documentId.toString()).withVersion(reviewed.getInteger("revision"))
                  .withValues(before, reviewed.copy().put("outcome", outcome)).withReason(comments.strip()))
              .map(recorded -> reviewed));
        })));
  }

  private Future<JsonObject> move(SqlConnection connection, UUID versionId, String state, String from, String to,
                                  String action, String assignments, Object... values) {
    if (!from.equals(state)) {
      return illegal(state, action);
    }
    return repository.move(connection, versionId, from, to, assignments, values)
        .compose(moved -> moved != null ? Future.succeededFuture(moved) : illegal(state, action));
  }

  private static <T> Future<T> illegal(String state, String action) {
    return Future.failedFuture(ProblemException.conflict("A version in state " + state + " cannot be " + switch (action) {
      case "submit" -> "submitted for review (only a draft can)";
      case "reject" -> "rejected (only a version in review can)";
      case "approve", "sign" -> "signed on its route (only a version in review can)";
      case "withdraw" -> "withdrawn (only a draft, a version in review or an approved one can)";
      case "obsolete" -> "made obsolete (only the effective version can)";
      default -> action;
    }));
  }

  private static Future<Void> require(List<String> held, boolean orSelf, ApplicationRole... allowed) {
    if (orSelf || Arrays.stream(allowed).anyMatch(role -> held.contains(role.id()))) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(ProblemException.forbidden("This needs one of the application roles "
        + Arrays.stream(allowed).map(ApplicationRole::id).toList()));
  }

  private static AuditEvent event(Caller caller, RequestOrigin origin, String action, String id) {
    String type = action.startsWith("document-version.") ? DocumentService.VERSION : DocumentService.DOCUMENT;
    return AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin), action, type, id);
  }
}
