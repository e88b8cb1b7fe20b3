package io.traceline.platform.quality;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.audit.AuditEvent;
import io.traceline.platform.audit.AuditTrail;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.RequestOrigin;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.jobs.JobQueue;
import io.traceline.platform.jobs.NewJob;
import io.traceline.platform.quality.internal.CapaRepository;
import io.traceline.platform.quality.internal.EventRepository;
import io.traceline.platform.signatures.Signature;
import io.traceline.platform.signatures.SignatureEffect;
import io.traceline.platform.signatures.SignatureRequest;
import io.traceline.platform.signatures.SignatureService;
import io.traceline.tenants.Ids;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * CAPA (QE-2..QE-5): sources (one or more quality events), the root cause, corrective and preventive actions of type
 * training, document change or other, the e-signed closure listing its evidence, and the effectiveness check after it.
 *
 * <p>A training action creates or links its assignments in its own transaction ({@link TrainingActions}); a
 * document-change action names the revision it drives and completes when that revision becomes effective
 * ({@link RevisionLinks}); an "other" action is completed by hand with a note. The CAPA closes only when its root cause
 * is recorded, every action is completed or cancelled and no linked training is open (409 otherwise, before any
 * credentials are asked): the closure is a quality manager's signature ("closed") on the CAPA's record version, which
 * holds the actions and the evidence — who trained, on which version, with what score, when. Closing schedules the
 * effectiveness check (a job runtime timer); recording its result is another signature ("verified").
 */
public final class CapaService {

  static final String RECORD_TYPE = "capa";
  static final String ACTION_TYPE = "capa-action";

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final JobQueue jobs;
  private final SignatureService signatures;
  private final SignedRecords signed;
  private final TrainingActions training;
  private final EventRepository events = new EventRepository();
  private final CapaRepository capas = new CapaRepository();

  CapaService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, JobQueue jobs, SignatureService signatures,
              SignedRecords signed, TrainingActions training) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
    this.jobs = jobs;
    this.signatures = signatures;
    this.signed = signed;
    this.training = training;
  }

  public Future<JsonObject> create(TenantContext tenant, Caller caller, RequestOrigin origin, JsonObject body) {
    UUID[] sources = QualityInput.ids(body.getJsonArray("sourceEventIds"));
    LocalDate dueOn = LocalDate.parse(body.getString("dueOn"));
    String category = body.getString("rootCauseCategory");
    String description = QualityInput.text(body.getString("rootCauseDescription"));
    if (description != null && category == null) {
      throw ProblemException.unprocessable("A root cause names its category",
          List.of(new Problem.FieldError("/rootCauseCategory", "required with rootCauseDescription")));
    }
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualityRoles.WRITERS)
            .compose(v -> events.missing(connection, "quality_event", sources, "t.status <> 'cancelled'"))
            .compose(missing -> missing.isEmpty() ? Future.succeededFuture()
                : Future.failedFuture(ProblemException.unprocessable("A CAPA's sources are quality events that exist and "
                    + "were not cancelled", missing.stream().map(n -> new Problem.FieldError("/sourceEventIds/" + n,
                    "no such quality event, or cancelled")).toList())))
            .compose(v -> QualityInput.owner(connection, events, body.getString("ownerId"), "/ownerId"))
            .compose(ownerName -> events.nextNumber(connection, "CAPA").compose(number -> capas.insert(connection,
                new CapaRepository.NewCapa(Ids.newId(), number, body.getString("title").strip(),
                    QualityInput.text(body.getString("description")), body.getString("ownerId"), ownerName, dueOn, category,
                    description, caller.subject(), caller.name()), sources)))
            .compose(created -> audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller),
                    AuditEvent.Source.of(origin), "capa.created", RECORD_TYPE, created.getString("id"))
                    .withVersion(created.getInteger("revision")).withValues(null, created)
                    .withReason(QualityInput.text(body.getString("reason"))))
                .compose(recorded -> full(connection, created))));
  }

  public Future<JsonObject> get(TenantContext tenant, Caller caller, UUID capaId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualityRoles.READERS)
            .compose(v -> found(connection, capaId, false))
            .compose(capa -> full(connection, capa)));
  }

  public Future<List<JsonObject>> list(TenantContext tenant, Caller caller, CapaRepository.Filter filter, UUID after,
                                       int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualityRoles.READERS)
            .compose(v -> capas.list(connection, filter, after, limit)));
  }

  /** Records (or corrects) the root cause of an open CAPA, with the reason. */
  public Future<JsonObject> rootCause(TenantContext tenant, Caller caller, RequestOrigin origin, UUID capaId,
                                      String category, String description, String reason) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualityRoles.WRITERS)
            .compose(v -> open(connection, capaId))
            .compose(before -> capas.setRootCause(connection, capaId, category, QualityInput.text(description))
                .compose(v -> found(connection, capaId, false))
                .compose(after -> audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller),
                        AuditEvent.Source.of(origin), "capa.root-cause-recorded", RECORD_TYPE, capaId.toString())
                        .withVersion(after.getInteger("revision"))
                        .withValues(new JsonObject().put("rootCause", before.getJsonObject("rootCause")),
                            new JsonObject().put("rootCause", after.getJsonObject("rootCause")))
                        .withReason(reason))
                    .compose(recorded -> full(connection, after)))));
  }

  /**
   * Adds an action to an open CAPA. A training action names the effective version, the method and the people and/or
   * job roles; its assignments exist when this commits (or its job, for a large set). A document-change action names
   * the revision it drives (not yet effective), linked both ways.
   */
  public Future<JsonObject> createAction(TenantContext tenant, Caller caller, RequestOrigin origin, UUID capaId,
                                         JsonObject body) {
    String type = body.getString("type");
    JsonObject trainingBody = body.getJsonObject("training");
    JsonObject revisionBody = body.getJsonObject("revision");
    List<Problem.FieldError> errors = new ArrayList<>();
    if ("training".equals(type) != (trainingBody != null)) {
      errors.add(new Problem.FieldError("/training", "training".equals(type) ? "required for a training action"
          : "only for a training action"));
    }
    if ("document-change".equals(type) != (revisionBody != null)) {
      errors.add(new Problem.FieldError("/revision", "document-change".equals(type)
          ? "required for a document-change action" : "only for a document-change action"));
    }
    UUID[] people = new UUID[0];
    UUID[] jobRoles = new UUID[0];
    if (trainingBody != null) {
      String method = trainingBody.getString("method");
      if ("assessment".equals(method) != (trainingBody.getInteger("passScore") != null)) {
        errors.add(new Problem.FieldError("/training/passScore", "assessment".equals(method)
            ? "required for an assessment" : "only for an assessment"));
      }
      if (!"assessment".equals(method) && trainingBody.getInteger("maxAttempts") != null) {
        errors.add(new Problem.FieldError("/training/maxAttempts", "only for an assessment"));
      }
      people = QualityInput.ids(trainingBody.getJsonArray("personIds"));
      jobRoles = QualityInput.ids(trainingBody.getJsonArray("jobRoleIds"));
      if (people.length + jobRoles.length == 0) {
        errors.add(new Problem.FieldError("/training", "name the affected people (personIds) and/or job roles (jobRoleIds)"));
      }
      if (LocalDate.parse(trainingBody.getString("dueOn")).isBefore(LocalDate.now(ZoneOffset.UTC))) {
        errors.add(new Problem.FieldError("/training/dueOn", "today or later"));
      }
    }
    QualityInput.failOn(errors);
    UUID[] personIds = people;
    UUID[] jobRoleIds = jobRoles;
    UUID actionId = Ids.newId();
    AuditEvent.Actor actor = AuditEvent.Actor.of(caller);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualityRoles.WRITERS)
            .compose(v -> open(connection, capaId))
            .compose(capa -> QualityInput.owner(connection, events, body.getString("ownerId"), "/ownerId")
                .compose(ownerName -> trainingBody != null
                    ? QualityInput.references(connection, events, "/training", new UUID[0], personIds, jobRoleIds)
                        .compose(v -> QualityInput.effectiveVersion(connection,
                            UUID.fromString(trainingBody.getString("versionId")), "/training/versionId"))
                        .compose(documentId -> insert(connection, caller, capaId, actionId, body, ownerName, documentId,
                            UUID.fromString(trainingBody.getString("versionId")), personIds, jobRoleIds))
                    : revisionBody != null
                        ? QualityInput.revisionToDrive(connection, UUID.fromString(revisionBody.getString("versionId")),
                                "/revision/versionId")
                            .compose(version -> insert(connection, caller, capaId, actionId, body, ownerName,
                                UUID.fromString(version.getString("documentId")),
                                UUID.fromString(revisionBody.getString("versionId")), personIds, jobRoleIds)
                                .compose(v -> capas.link(connection, Ids.newId(),
                                    UUID.fromString(revisionBody.getString("versionId")),
                                    UUID.fromString(version.getString("documentId")), null, capaId, actionId,
                                    "CAPA " + capa.getString("number") + ": " + body.getString("title").strip(),
                                    caller.subject(), caller.name())).mapEmpty())
                        : insert(connection, caller, capaId, actionId, body, ownerName, null, null, personIds, jobRoleIds))
                .compose(v -> capas.action(connection, capaId, actionId, false))
                .compose(action -> (trainingBody != null
                    ? training.assign(connection, tenant.slug(), caller.subject(), action)
                    : Future.succeededFuture((JsonObject) null))
                    .compose(assigned -> capas.action(connection, capaId, actionId, false)
                        .compose(after -> audit.record(connection, AuditEvent.of(actor, AuditEvent.Source.of(origin),
                                "capa-action.created", ACTION_TYPE, actionId.toString())
                                .withValues(null, assigned == null ? after : after.copy().put("assigned", assigned))
                                .withReason(QualityInput.text(body.getString("reason")) != null
                                    ? body.getString("reason").strip() : "Action of " + capa.getString("number")))
                            .map(recorded -> assigned == null ? after : after.put("assigned", assigned)))))));
  }

  private Future<Void> insert(SqlConnection connection, Caller caller, UUID capaId, UUID actionId, JsonObject body,
                              String ownerName, UUID documentId, UUID versionId, UUID[] personIds, UUID[] jobRoleIds) {
    JsonObject t = body.getJsonObject("training");
    String method = t == null ? null : t.getString("method");
    return capas.insertAction(connection, new CapaRepository.NewAction(actionId, capaId, body.getString("kind"),
        body.getString("type"), body.getString("title").strip(), QualityInput.text(body.getString("description")),
        body.getString("ownerId"), ownerName, LocalDate.parse(body.getString("dueOn")), documentId, versionId, method,
        t == null ? null : t.getInteger("passScore"),
        t == null || !"assessment".equals(method) ? null : t.getInteger("maxAttempts", 3),
        t == null ? null : LocalDate.parse(t.getString("dueOn")), personIds, jobRoleIds,
        t == null ? null : "pending", caller.subject(), caller.name()));
  }

  /** One action with, for a training action, every linked assignment and its evidence. */
  public Future<JsonObject> action(TenantContext tenant, Caller caller, UUID capaId, UUID actionId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualityRoles.READERS)
            .compose(v -> found(connection, capaId, false))
            .compose(capa -> foundAction(connection, capaId, actionId, false))
            .compose(action -> withEvidence(connection, capaId, action)));
  }

  /**
   * Completes an action by hand with a note: an "other" action; a training action only when none of its assignments is
   * open (it completes by itself when they are done; this is for one whose training was superseded or cancelled); never
   * a document-change action (its revision's effective date completes it).
   */
  public Future<JsonObject> completeAction(TenantContext tenant, Caller caller, RequestOrigin origin, UUID capaId,
                                           UUID actionId, String note) {
    return closeAction(tenant, caller, origin, capaId, actionId, "completed", note);
  }

  /** Cancels an open action with a reason; a training action's own open assignments are cancelled with it. */
  public Future<JsonObject> cancelAction(TenantContext tenant, Caller caller, RequestOrigin origin, UUID capaId,
                                         UUID actionId, String reason) {
    return closeAction(tenant, caller, origin, capaId, actionId, "cancelled", reason);
  }

  private Future<JsonObject> closeAction(TenantContext tenant, Caller caller, RequestOrigin origin, UUID capaId,
                                         UUID actionId, String status, String note) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualityRoles.WRITERS)
            .compose(v -> open(connection, capaId))
            // The action's own open assignments first, then the action: the order a completion takes its locks in.
            .compose(capa -> capas.lockCreatedOpen(connection, actionId))
            .compose(v -> foundAction(connection, capaId, actionId, true))
            .compose(before -> {
              if (!"open".equals(before.getString("status"))) {
                return Future.failedFuture(ProblemException.conflict("The action is " + before.getString("status")));
              }
              String type = before.getString("type");
              Future<Void> allowed = Future.succeededFuture();
              if ("completed".equals(status) && "document-change".equals(type)) {
                allowed = Future.failedFuture(new ProblemException(Problem.of(409, "revision-not-effective",
                    "A document-change action completes when its revision becomes effective",
                    "Revision " + before.getJsonObject("revision").getJsonObject("version").getString("version")
                        + " is " + before.getJsonObject("revision").getJsonObject("version").getString("state"))));
              } else if ("completed".equals(status) && "training".equals(type)) {
                allowed = capas.trainingProgress(connection, actionId).compose(progress -> progress[0] == 0
                    && "assigned".equals(before.getJsonObject("training").getString("assignmentState"))
                    ? Future.succeededFuture()
                    : Future.failedFuture(new ProblemException(Problem.of(409, "training-open", "Training still open",
                        progress[0] + " linked assignment(s) are still open: the action completes by itself when they "
                            + "are completed"))));
              }
              return allowed.compose(v -> "cancelled".equals(status) && "training".equals(type)
                      ? capas.cancelCreated(connection, actionId, "CAPA action cancelled: " + note)
                      : Future.succeededFuture(0L))
                  .compose(cancelled -> capas.closeAction(connection, actionId, status, caller.subject(), caller.name(),
                          note)
                      .compose(moved -> foundAction(connection, capaId, actionId, false))
                      .compose(after -> audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller),
                              AuditEvent.Source.of(origin), "capa-action." + status, ACTION_TYPE, actionId.toString())
                              .withValues(before, after.copy().put("assignmentsCancelled", cancelled)).withReason(note))
                          .compose(recorded -> withEvidence(connection, capaId, after))));
            }));
  }

  /**
   * Closes the CAPA with the caller's signature ("closed") on its record version: the CAPA, its actions and their
   * evidence. 409 while training is open, an action is open, or the root cause is missing — before any credentials.
   */
  public Future<JsonObject> close(TenantContext tenant, Caller caller, RequestOrigin origin, UUID capaId, String summary,
                                  int effectivenessDays, JsonObject reauthentication, String idempotencyKey) {
    AuditEvent.Actor actor = AuditEvent.Actor.of(caller);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
            roles.requireAny(connection, caller.subject(), QualityRoles.WRITERS)
                .compose(v -> found(connection, capaId, false))
                .compose(capa -> idempotencyKey != null && "closed".equals(capa.getString("status"))
                    // A retry after the closure: the version signed then, so the signature service answers the replay.
                    ? Future.succeededFuture(capa.getInteger("closureRecordVersion"))
                    : closable(connection, capa)
                        .compose(v -> closureContent(connection, capa, summary, effectivenessDays))
                        .compose(content -> signed.prepare(connection, RECORD_TYPE, capaId.toString(), content, actor,
                            "Prepared for the closure signature"))))
        .compose(version -> signatures.sign(tenant, caller, origin, new SignatureRequest(RECORD_TYPE, capaId.toString(),
                version, "closed", reauthentication.getString("method"), reauthentication.getString("username"),
                reauthentication.getString("password")), idempotencyKey,
            new Closure(caller, origin, capaId, summary, effectivenessDays, version, tenant.slug())))
        .compose(signedClosure -> tenantScope.inTransaction(tenant.schemaName(), connection ->
            found(connection, capaId, false).compose(capa -> full(connection, capa))
                .map(capa -> new JsonObject().put("capa", capa).put("signature", signedClosure.signature().toJson())
                    .put("replayed", signedClosure.replayed()))));
  }

  private final class Closure implements SignatureEffect {
    private final Caller caller;
    private final RequestOrigin origin;
    private final UUID capaId;
    private final String summary;
    private final int effectivenessDays;
    private final int version;
    private final String tenant;

    Closure(Caller caller, RequestOrigin origin, UUID capaId, String summary, int effectivenessDays, int version,
            String tenant) {
      this.caller = caller;
      this.origin = origin;
      this.capaId = capaId;
      this.summary = summary;
      this.effectivenessDays = effectivenessDays;
      this.version = version;
      this.tenant = tenant;
    }

    @Override
    public Future<Void> check(SqlConnection connection) {
      return found(connection, capaId, false).compose(capa -> closable(connection, capa));
    }

    @Override
    public Future<Void> apply(SqlConnection connection, Signature signature) {
      LocalDate due = LocalDate.now(ZoneOffset.UTC).plusDays(effectivenessDays);
      return found(connection, capaId, true).compose(before -> closable(connection, before)
          .compose(v -> closureContent(connection, before, summary, effectivenessDays))
          .compose(content -> signed.unchanged(connection, RECORD_TYPE, capaId.toString(), version, content))
          .compose(v -> capas.close(connection, capaId, summary, signature.id(), version, due))
          .compose(closed -> closed ? Future.succeededFuture()
              : Future.failedFuture(ProblemException.conflict("The CAPA was closed meanwhile")))
          // The effectiveness check's timer, enqueued with the closure (it exists exactly when the closure does).
          .compose(v -> jobs.enqueue(connection, new NewJob(tenant, EffectivenessDueJob.NAME,
              EffectivenessDueJob.payload(capaId), due.atStartOfDay().toInstant(ZoneOffset.UTC),
              "capa-effectiveness:" + capaId, caller.subject())))
          .compose(jobId -> found(connection, capaId, false))
          .compose(after -> audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller),
                  AuditEvent.Source.of(origin), "capa.closed", RECORD_TYPE, capaId.toString()).withVersion(version)
              .withValues(before, after.put("signatureId", signature.id().toString())).withReason(summary))))
          .mapEmpty();
    }
  }

  /** 409 (before any credentials) unless the CAPA is open, has its root cause, no open training and no open action. */
  private Future<Void> closable(SqlConnection connection, JsonObject capa) {
    UUID capaId = UUID.fromString(capa.getString("id"));
    if (!"open".equals(capa.getString("status"))) {
      return Future.failedFuture(ProblemException.conflict("The CAPA is " + capa.getString("status")));
    }
    return capas.openTraining(connection, capaId).compose(open -> {
      if (open > 0) {
        return Future.failedFuture(new ProblemException(Problem.of(409, "training-open", "Linked training is still open",
            open + " assignment(s) of this CAPA's training actions are still open (or still being assigned): the CAPA "
                + "closes when everyone has completed their training")));
      }
      if (capa.getJsonObject("rootCause") == null) {
        return Future.failedFuture(new ProblemException(Problem.of(409, "root-cause-missing", "No root cause recorded",
            "Record the root cause (POST /capas/" + capaId + "/root-cause) before closing")));
      }
      JsonObject counts = capa.getJsonObject("actionCounts");
      if (counts.getInteger("open") > 0 || counts.getInteger("completed") == 0) {
        return Future.failedFuture(new ProblemException(Problem.of(409, "actions-open", "Actions are not done",
            counts.getInteger("open") > 0 ? counts.getInteger("open") + " action(s) are still open"
                : "A CAPA closes with at least one completed action")));
      }
      return Future.succeededFuture();
    });
  }

  /** What the closure signature is bound to: the CAPA, its actions and revisions, and every piece of training evidence. */
  private Future<JsonObject> closureContent(SqlConnection connection, JsonObject capa, String summary,
                                            int effectivenessDays) {
    UUID capaId = UUID.fromString(capa.getString("id"));
    return capas.actions(connection, capaId).compose(actions -> capas.evidence(connection, capaId, null)
        .compose(evidence -> capas.linksOfCapa(connection, capaId).map(links -> {
          JsonArray actionSummaries = new JsonArray();
          actions.forEach(a -> actionSummaries.add(new JsonObject().put("id", a.getString("id"))
              .put("kind", a.getString("kind")).put("type", a.getString("type")).put("title", a.getString("title"))
              .put("status", a.getString("status")).put("closedBy", a.getJsonObject("closedBy"))
              .put("closeNote", a.getString("closeNote"))));
          JsonArray revisions = new JsonArray();
          links.stream().map(JsonObject.class::cast).forEach(link -> revisions.add(new JsonObject()
              .put("document", link.getJsonObject("document").getString("number"))
              .put("versionId", link.getJsonObject("version").getString("id"))
              .put("version", link.getJsonObject("version").getString("version"))
              .put("state", link.getJsonObject("version").getString("state"))));
          return new JsonObject().put("number", capa.getString("number")).put("title", capa.getString("title"))
              .put("owner", capa.getJsonObject("owner")).put("sources", capa.getJsonArray("sources"))
              .put("rootCause", capa.getJsonObject("rootCause")).put("actions", actionSummaries)
              .put("revisions", revisions).put("evidence", evidence)
              .put("closure", new JsonObject().put("summary", summary).put("effectivenessCheckDays", effectivenessDays));
        })));
  }

  /**
   * Records the effectiveness check of a closed CAPA once it is due, with the caller's signature ("verified") on a new
   * record version holding the closure and the result.
   */
  public Future<JsonObject> checkEffectiveness(TenantContext tenant, Caller caller, RequestOrigin origin, UUID capaId,
                                               String result, String comment, JsonObject reauthentication,
                                               String idempotencyKey) {
    AuditEvent.Actor actor = AuditEvent.Actor.of(caller);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
            roles.requireAny(connection, caller.subject(), QualityRoles.WRITERS)
                .compose(v -> found(connection, capaId, false))
                .compose(capa -> idempotencyKey != null && capa.getJsonObject("effectiveness") != null
                    && capa.getJsonObject("effectiveness").getString("signatureId") != null
                    ? signed.latest(connection, RECORD_TYPE, capaId.toString())
                    : checkable(capa).compose(v -> effectivenessContent(connection, capa, result, comment))
                        .compose(content -> signed.prepare(connection, RECORD_TYPE, capaId.toString(), content, actor,
                            "Prepared for the effectiveness check signature"))))
        .compose(version -> signatures.sign(tenant, caller, origin, new SignatureRequest(RECORD_TYPE, capaId.toString(),
                version, "verified", reauthentication.getString("method"), reauthentication.getString("username"),
                reauthentication.getString("password")), idempotencyKey, new SignatureEffect() {
              @Override
              public Future<Void> check(SqlConnection connection) {
                return found(connection, capaId, false).compose(CapaService.this::checkable);
              }

              @Override
              public Future<Void> apply(SqlConnection connection, Signature signature) {
                return found(connection, capaId, true).compose(before -> checkable(before)
                    .compose(v -> effectivenessContent(connection, before, result, comment))
                    .compose(content -> signed.unchanged(connection, RECORD_TYPE, capaId.toString(), version, content))
                    .compose(v -> capas.recordEffectiveness(connection, capaId, result, comment, signature.id()))
                    .compose(v -> found(connection, capaId, false))
                    .compose(after -> audit.record(connection, AuditEvent.of(actor, AuditEvent.Source.of(origin),
                            "capa.effectiveness-checked", RECORD_TYPE, capaId.toString()).withVersion(version)
                        .withValues(new JsonObject().put("effectiveness", before.getJsonObject("effectiveness")),
                            new JsonObject().put("effectiveness", after.getJsonObject("effectiveness")))
                        .withReason(comment))))
                    .mapEmpty();
              }
            }))
        .compose(signedCheck -> tenantScope.inTransaction(tenant.schemaName(), connection ->
            found(connection, capaId, false).compose(capa -> full(connection, capa))
                .map(capa -> new JsonObject().put("capa", capa).put("signature", signedCheck.signature().toJson())
                    .put("replayed", signedCheck.replayed()))));
  }

  private Future<Void> checkable(JsonObject capa) {
    JsonObject effectiveness = capa.getJsonObject("effectiveness");
    if (effectiveness == null || !"due".equals(effectiveness.getString("state"))) {
      return Future.failedFuture(new ProblemException(Problem.of(409, "effectiveness-not-due",
          "The effectiveness check is not due", effectiveness == null ? "The CAPA is " + capa.getString("status")
              + ": its effectiveness is checked after closure"
              : "The check is " + effectiveness.getString("state") + (effectiveness.getString("dueOn") == null ? ""
                  : " (due on " + effectiveness.getString("dueOn") + ")"))));
    }
    return Future.succeededFuture();
  }

  private Future<JsonObject> effectivenessContent(SqlConnection connection, JsonObject capa, String result,
                                                  String comment) {
    UUID capaId = UUID.fromString(capa.getString("id"));
    return signed.latest(connection, RECORD_TYPE, capaId.toString())
        .compose(latest -> connection.preparedQuery("SELECT content FROM record_version WHERE record_type = $1 "
                + "AND record_id = $2 AND version = $3")
            .execute(io.vertx.sqlclient.Tuple.of(RECORD_TYPE, capaId.toString(), capa.getInteger("closureRecordVersion"))))
        .map(rows -> new JsonObject().put("closed", rows.iterator().next().getJsonObject("content"))
            .put("closureSignatureId", capa.getString("closureSignatureId"))
            .put("effectiveness", new JsonObject().put("dueOn", capa.getJsonObject("effectiveness").getString("dueOn"))
                .put("result", result).put("comment", comment)));
  }

  private Future<JsonObject> found(SqlConnection connection, UUID capaId, boolean lock) {
    return capas.find(connection, capaId, lock).compose(capa -> capa != null ? Future.succeededFuture(capa)
        : Future.failedFuture(ProblemException.notFound("No such CAPA")));
  }

  /** The CAPA locked, and 409 unless it is open. */
  private Future<JsonObject> open(SqlConnection connection, UUID capaId) {
    return found(connection, capaId, true).compose(capa -> "open".equals(capa.getString("status"))
        ? Future.succeededFuture(capa)
        : Future.failedFuture(ProblemException.conflict("The CAPA is " + capa.getString("status")
            + ": its actions and root cause no longer change")));
  }

  private Future<JsonObject> foundAction(SqlConnection connection, UUID capaId, UUID actionId, boolean lock) {
    return capas.action(connection, capaId, actionId, lock).compose(action -> action != null
        ? Future.succeededFuture(action) : Future.failedFuture(ProblemException.notFound("No such action of this CAPA")));
  }

  private Future<JsonObject> withEvidence(SqlConnection connection, UUID capaId, JsonObject action) {
    return "training".equals(action.getString("type"))
        ? capas.evidence(connection, capaId, UUID.fromString(action.getString("id")))
            .map(evidence -> action.put("evidence", evidence))
        : Future.succeededFuture(action);
  }

  /** The CAPA with its actions, the revisions it drives (and their retraining), and once closed its signed evidence. */
  private Future<JsonObject> full(SqlConnection connection, JsonObject capa) {
    UUID capaId = UUID.fromString(capa.getString("id"));
    return capas.actions(connection, capaId).compose(actions -> capas.linksOfCapa(connection, capaId)
        .compose(links -> {
          capa.put("actions", new JsonArray(actions)).put("revisions", links);
          if (capa.getString("closureSignatureId") == null) {
            return Future.succeededFuture(capa.put("closure", null));
          }
          return signatures.find(connection, UUID.fromString(capa.getString("closureSignatureId")))
              .compose(signature -> connection.preparedQuery("SELECT content FROM record_version WHERE record_type = $1 "
                      + "AND record_id = $2 AND version = $3")
                  .execute(io.vertx.sqlclient.Tuple.of(RECORD_TYPE, capaId.toString(),
                      capa.getInteger("closureRecordVersion")))
                  .map(rows -> capa.put("closure", new JsonObject()
                      .put("closedAt", capa.getString("closedAt"))
                      .put("summary", capa.getString("closureSummary"))
                      .put("recordVersion", capa.getInteger("closureRecordVersion"))
                      .put("signature", signature.toJson())
                      .put("evidence", rows.iterator().next().getJsonObject("content").getJsonArray("evidence")))));
        }));
  }

  static UUID[] ids(JsonArray values) {
    return QualityInput.ids(values);
  }
}
