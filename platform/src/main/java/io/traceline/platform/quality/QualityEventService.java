package io.traceline.platform.quality;

import java.time.LocalDate;
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
 * Quality events (QE-1): deviations, nonconformances, complaints, audit findings (internal, supplier, regulatory) and
 * change controls, each with severity, owner, due date, the documents, people and job roles it concerns.
 *
 * <p>The workflow: an event is {@code open}, then {@code investigating} (the root-cause category may be named then),
 * then closed by an electronic signature ("closed") of a quality manager. A change control is {@code open}, approved by
 * a signature ("approved"), {@code implemented} (its linked revisions made), then closed by a signature once every
 * revision it drives is effective. Open work may be cancelled with a reason. Every move is audited with its reason;
 * signatures are bound to the event's record version, which holds what the signer saw and the move they sign.
 *
 * <p>Recurrence: an event whose root-cause category is known (at reporting or at investigation) is flagged a repeat of
 * the latest earlier CAPA with that category on one of its documents or its process within the tenant's window
 * ({@code recurrenceWindowMonths}, default 12), and linked to it.
 */
public final class QualityEventService {

  static final String RECORD_TYPE = "quality-event";
  private static final java.util.Map<String, String> PREFIXES = java.util.Map.of("deviation", "DEV", "nonconformance", "NC",
      "complaint", "CMP", "audit-finding", "AUD", "change-control", "CC");

  private final TenantScope tenantScope;
  private final AuditTrail audit;
  private final RoleCheck roles;
  private final SignatureService signatures;
  private final SignedRecords signed;
  private final QualitySettings settings;
  private final EventRepository events = new EventRepository();
  private final CapaRepository capas = new CapaRepository();

  QualityEventService(TenantScope tenantScope, AuditTrail audit, RoleCheck roles, SignatureService signatures,
                      SignedRecords signed, QualitySettings settings) {
    this.tenantScope = tenantScope;
    this.audit = audit;
    this.roles = roles;
    this.signatures = signatures;
    this.signed = signed;
    this.settings = settings;
  }

  public Future<JsonObject> create(TenantContext tenant, Caller caller, RequestOrigin origin, JsonObject body) {
    String kind = body.getString("kind");
    LocalDate occurredOn = LocalDate.parse(body.getString("occurredOn"));
    LocalDate dueOn = LocalDate.parse(body.getString("dueOn"));
    List<Problem.FieldError> errors = new ArrayList<>();
    if ("audit-finding".equals(kind) != (body.getString("auditSource") != null)) {
      errors.add(new Problem.FieldError("/auditSource", "audit-finding".equals(kind)
          ? "required for an audit finding (internal, supplier or regulatory)" : "only for an audit finding"));
    }
    if (dueOn.isBefore(occurredOn)) {
      errors.add(new Problem.FieldError("/dueOn", "on or after occurredOn"));
    }
    if (occurredOn.isAfter(LocalDate.now().plusDays(1))) {
      errors.add(new Problem.FieldError("/occurredOn", "not in the future"));
    }
    UUID[] documentIds = QualityInput.ids(body.getJsonArray("documentIds"));
    UUID[] personIds = QualityInput.ids(body.getJsonArray("personIds"));
    UUID[] jobRoleIds = QualityInput.ids(body.getJsonArray("jobRoleIds"));
    QualityInput.failOn(errors);
    AuditEvent.Actor actor = AuditEvent.Actor.of(caller);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualityRoles.WRITERS)
            .compose(v -> QualityInput.references(connection, events, "", documentIds, personIds, jobRoleIds))
            .compose(v -> QualityInput.owner(connection, events, body.getString("ownerId"), "/ownerId"))
            .compose(ownerName -> events.nextNumber(connection, PREFIXES.get(kind)).compose(number ->
                events.insert(connection, new EventRepository.NewEvent(Ids.newId(), number, kind,
                    body.getString("auditSource"), body.getString("title").strip(), body.getString("description").strip(),
                    body.getString("severity"), occurredOn, dueOn, body.getString("ownerId"), ownerName,
                    QualityInput.text(body.getString("process")), body.getString("rootCauseCategory"), documentIds,
                    personIds, jobRoleIds, caller.subject(), caller.name()))))
            .compose(created -> audit.record(connection, AuditEvent.of(actor, AuditEvent.Source.of(origin),
                    "quality-event.reported", RECORD_TYPE, created.getString("id")).withVersion(created.getInteger("revision"))
                    .withValues(null, created).withReason(QualityInput.text(body.getString("reason"))))
                .compose(recorded -> recurrence(connection, actor, origin, created)))
            .compose(created -> withLinks(connection, created)));
  }

  public Future<JsonObject> get(TenantContext tenant, Caller caller, UUID eventId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualityRoles.READERS)
            .compose(v -> found(connection, eventId, false))
            .compose(event -> withLinks(connection, event)));
  }

  public Future<List<JsonObject>> list(TenantContext tenant, Caller caller, EventRepository.Filter filter, UUID after,
                                       int limit) {
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualityRoles.READERS)
            .compose(v -> events.list(connection, filter, after, limit)));
  }

  /**
   * A move that needs no signature: {@code investigate} (open → investigating, naming the root-cause category when
   * known), {@code implement} (an approved change control → implemented), {@code cancel} (any open work → cancelled).
   */
  public Future<JsonObject> transition(TenantContext tenant, Caller caller, RequestOrigin origin, UUID eventId,
                                       String action, String reason, String rootCauseCategory) {
    if (rootCauseCategory != null && !"investigate".equals(action)) {
      throw ProblemException.unprocessable("Only an investigation names the root-cause category",
          List.of(new Problem.FieldError("/rootCauseCategory", "only with action investigate")));
    }
    AuditEvent.Actor actor = AuditEvent.Actor.of(caller);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualityRoles.WRITERS)
            .compose(v -> found(connection, eventId, true))
            .compose(before -> {
              String status = before.getString("status");
              boolean changeControl = "change-control".equals(before.getString("kind"));
              Future<Boolean> moved = switch (action) {
                case "investigate" -> changeControl ? illegal(before, action)
                    : events.move(connection, eventId, "open", "investigating", "")
                        .compose(ok -> ok && rootCauseCategory != null
                            ? events.setRootCause(connection, eventId, rootCauseCategory).map(ok)
                            : Future.succeededFuture(ok));
                case "implement" -> changeControl ? events.move(connection, eventId, "approved", "implemented", "")
                    : illegal(before, action);
                case "cancel" -> List.of("closed", "cancelled").contains(status) ? Future.succeededFuture(false)
                    : events.move(connection, eventId, status, "cancelled", "closed_at = now(), end_reason = $4", reason);
                default -> Future.failedFuture(ProblemException.unprocessable("Unknown action " + action,
                    List.of(new Problem.FieldError("/action", "one of investigate, implement, cancel"))));
              };
              return moved.compose(ok -> ok ? found(connection, eventId, false) : illegal(before, action))
                  .compose(after -> audit.record(connection, AuditEvent.of(actor, AuditEvent.Source.of(origin),
                          "quality-event." + action, RECORD_TYPE, eventId.toString()).withVersion(after.getInteger("revision"))
                          .withValues(before, after).withReason(reason))
                      .compose(recorded -> "investigate".equals(action) && rootCauseCategory != null
                          ? recurrence(connection, actor, origin, after) : Future.succeededFuture(after)));
            })
            .compose(after -> withLinks(connection, after)));
  }

  /**
   * A signed move: {@code approved} (a change control, open → approved) or {@code closed} (an investigated event, or an
   * implemented change control whose revisions are all effective). The signature is bound to the event's record
   * version holding the event and the move; the move is applied in the signature's transaction.
   */
  public Future<JsonObject> sign(TenantContext tenant, Caller caller, RequestOrigin origin, UUID eventId, String meaning,
                                 String reason, JsonObject reauthentication, String idempotencyKey) {
    AuditEvent.Actor actor = AuditEvent.Actor.of(caller);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
            roles.requireAny(connection, caller.subject(), QualityRoles.WRITERS)
                .compose(v -> found(connection, eventId, false))
                .compose(event -> idempotencyKey != null && moved(event, meaning)
                    // A retry after the move: the version signed then, so the signature service answers the replay.
                    ? signed.latest(connection, RECORD_TYPE, eventId.toString())
                    : signable(connection, event, meaning)
                        .compose(v -> content(connection, event, meaning, reason))
                        .compose(content -> signed.prepare(connection, RECORD_TYPE, eventId.toString(), content, actor,
                            "Prepared for the '" + meaning + "' signature"))))
        .compose(version -> signatures.sign(tenant, caller, origin, new SignatureRequest(RECORD_TYPE, eventId.toString(),
                version, meaning, reauthentication.getString("method"), reauthentication.getString("username"),
                reauthentication.getString("password")), idempotencyKey,
            new SignedMove(caller, origin, eventId, meaning, reason, version)))
        .compose(signedMove -> tenantScope.inTransaction(tenant.schemaName(), connection ->
            found(connection, eventId, false).compose(event -> withLinks(connection, event))
                .map(event -> new JsonObject().put("event", event).put("signature", signedMove.signature().toJson())
                    .put("replayed", signedMove.replayed()))));
  }

  /** Links a revision a change control drives (QE-5): the version's read model names the change control from then on. */
  public Future<JsonObject> linkRevision(TenantContext tenant, Caller caller, RequestOrigin origin, UUID eventId,
                                         UUID versionId, String reason) {
    AuditEvent.Actor actor = AuditEvent.Actor.of(caller);
    return tenantScope.inTransaction(tenant.schemaName(), connection ->
        roles.requireAny(connection, caller.subject(), QualityRoles.WRITERS)
            .compose(v -> found(connection, eventId, true))
            .compose(event -> {
              if (!"change-control".equals(event.getString("kind"))) {
                return Future.failedFuture(new ProblemException(Problem.of(409, "not-a-change-control",
                    "Only a change control drives revisions", "Event " + event.getString("number") + " is a "
                        + event.getString("kind") + ": a document change for it is a CAPA action of type document-change")));
              }
              if (List.of("closed", "cancelled").contains(event.getString("status"))) {
                return Future.failedFuture(ProblemException.conflict("The change control is " + event.getString("status")));
              }
              return QualityInput.revisionToDrive(connection, versionId, "/versionId")
                  .compose(version -> capas.link(connection, Ids.newId(), versionId,
                          UUID.fromString(version.getString("documentId")), eventId, null, null, reason, caller.subject(),
                          caller.name())
                      .compose(linked -> !linked ? Future.failedFuture(ProblemException.conflict(
                              "That revision is linked to this change control already"))
                          : capas.linksOfEvent(connection, eventId))
                      .compose(links -> audit.record(connection, AuditEvent.of(actor, AuditEvent.Source.of(origin),
                              "quality-event.revision-linked", RECORD_TYPE, eventId.toString())
                              .withVersion(event.getInteger("revision"))
                              .withValues(new JsonObject().put("revisions", event.getJsonArray("revisions", new JsonArray())),
                                  new JsonObject().put("revisions", links).put("versionId", versionId.toString()))
                              .withReason(reason))
                          .compose(recorded -> found(connection, eventId, false))
                          .compose(after -> withLinks(connection, after))));
            }));
  }

  private final class SignedMove implements SignatureEffect {
    private final Caller caller;
    private final RequestOrigin origin;
    private final UUID eventId;
    private final String meaning;
    private final String reason;
    private final int version;

    SignedMove(Caller caller, RequestOrigin origin, UUID eventId, String meaning, String reason, int version) {
      this.caller = caller;
      this.origin = origin;
      this.eventId = eventId;
      this.meaning = meaning;
      this.reason = reason;
      this.version = version;
    }

    @Override
    public Future<Void> check(SqlConnection connection) {
      return found(connection, eventId, false).compose(event -> signable(connection, event, meaning));
    }

    @Override
    public Future<Void> apply(SqlConnection connection, Signature signature) {
      return found(connection, eventId, true).compose(before -> signable(connection, before, meaning)
          .compose(v -> content(connection, before, meaning, reason))
          .compose(content -> signed.unchanged(connection, RECORD_TYPE, eventId.toString(), version, content))
          .compose(v -> "approved".equals(meaning)
              ? events.move(connection, eventId, "open", "approved", "approval_signature_id = $4", signature.id())
              : events.move(connection, eventId, before.getString("status"), "closed",
                  "closed_at = now(), closure_signature_id = $4, end_reason = $5", signature.id(), reason))
          .compose(moved -> moved ? found(connection, eventId, false) : illegal(before, meaning))
          .compose(after -> audit.record(connection, AuditEvent.of(AuditEvent.Actor.of(caller), AuditEvent.Source.of(origin),
                  "quality-event." + meaning, RECORD_TYPE, eventId.toString()).withVersion(version)
              .withValues(before, after.put("signatureId", signature.id().toString()))
              .withReason(reason != null ? reason : "Signed '" + meaning + "'")))
          .mapEmpty());
    }
  }

  /** 409 unless the event's state takes this signature now; a change control closes only with its revisions effective. */
  private static boolean moved(JsonObject event, String meaning) {
    String status = event.getString("status");
    return "approved".equals(meaning) ? event.getString("approvalSignatureId") != null : "closed".equals(status);
  }

  private Future<Void> signable(SqlConnection connection, JsonObject event, String meaning) {
    String status = event.getString("status");
    boolean changeControl = "change-control".equals(event.getString("kind"));
    if ("approved".equals(meaning)) {
      return changeControl && "open".equals(status) ? Future.succeededFuture() : illegal(event, "approved");
    }
    if (!(changeControl ? "implemented" : "investigating").equals(status)) {
      return illegal(event, "closed");
    }
    if (!changeControl) {
      return Future.succeededFuture();
    }
    return capas.linksOfEvent(connection, UUID.fromString(event.getString("id"))).compose(links -> {
      List<String> pending = links.stream().map(JsonObject.class::cast)
          .filter(link -> !List.of("effective", "superseded").contains(link.getJsonObject("version").getString("state")))
          .map(link -> link.getJsonObject("document").getString("number") + " "
              + link.getJsonObject("version").getString("version"))
          .toList();
      return pending.isEmpty() ? Future.succeededFuture()
          : Future.failedFuture(new ProblemException(Problem.of(409, "revisions-not-effective",
              "The change control's revisions are not all effective", "Not yet effective: " + pending)));
    });
  }

  /** What a signature on the event is bound to: the event as a reviewer reads it, its revisions, and the move signed. */
  private Future<JsonObject> content(SqlConnection connection, JsonObject event, String meaning, String reason) {
    return capas.linksOfEvent(connection, UUID.fromString(event.getString("id"))).map(links -> {
      JsonArray revisions = new JsonArray();
      links.stream().map(JsonObject.class::cast).forEach(link -> revisions.add(new JsonObject()
          .put("document", link.getJsonObject("document").getString("number"))
          .put("versionId", link.getJsonObject("version").getString("id"))
          .put("version", link.getJsonObject("version").getString("version"))
          .put("state", link.getJsonObject("version").getString("state"))));
      JsonObject content = new JsonObject();
      for (String field : List.of("number", "kind", "auditSource", "title", "description", "severity", "status",
          "occurredOn", "dueOn", "owner", "process", "rootCauseCategory", "documents", "people", "jobRoles", "repeatOf",
          "capas")) {
        content.put(field, event.getValue(field));
      }
      return content.put("revisions", revisions).put("signing", new JsonObject().put("meaning", meaning)
          .put("reason", reason));
    });
  }

  /** Flags the event a repeat when an earlier CAPA had the same root cause on its documents or process (audited). */
  private Future<JsonObject> recurrence(SqlConnection connection, AuditEvent.Actor actor, RequestOrigin origin,
                                        JsonObject event) {
    String category = event.getString("rootCauseCategory");
    if (category == null || event.getJsonObject("repeatOf") != null) {
      return Future.succeededFuture(event);
    }
    UUID eventId = UUID.fromString(event.getString("id"));
    UUID[] documents = event.getJsonArray("documents").stream().map(d -> UUID.fromString(((JsonObject) d).getString("id")))
        .toArray(UUID[]::new);
    return settings.recurrenceWindowMonths(connection).compose(months -> events.earlierCapa(connection, eventId,
            category, documents, event.getString("process"), months)
        .compose(earlier -> earlier == null ? Future.succeededFuture(event)
            : events.flagRepeat(connection, eventId, UUID.fromString(earlier.getString("id")))
                .compose(v -> found(connection, eventId, false))
                .compose(after -> audit.record(connection, AuditEvent.of(actor, AuditEvent.Source.of(origin),
                        "quality-event.repeat-flagged", RECORD_TYPE, eventId.toString())
                        .withVersion(after.getInteger("revision"))
                        .withValues(new JsonObject().put("repeatOf", (Object) null),
                            new JsonObject().put("repeatOf", after.getJsonObject("repeatOf")))
                        .withReason("Root cause '" + category + "' recurred on the same document or process within "
                            + months + " months of " + earlier.getString("number")))
                    .map(after))));
  }

  private Future<JsonObject> found(SqlConnection connection, UUID eventId, boolean lock) {
    return events.find(connection, eventId, lock).compose(event -> event != null ? Future.succeededFuture(event)
        : Future.failedFuture(ProblemException.notFound("No such quality event")));
  }

  private Future<JsonObject> withLinks(SqlConnection connection, JsonObject event) {
    return capas.linksOfEvent(connection, UUID.fromString(event.getString("id")))
        .map(links -> event.put("revisions", links));
  }

  private static <T> Future<T> illegal(JsonObject event, String action) {
    return Future.failedFuture(ProblemException.conflict("A " + event.getString("kind") + " in status "
        + event.getString("status") + " cannot take '" + action + "'" + switch (action) {
          case "investigate" -> " (only an open deviation, nonconformance, complaint or audit finding is investigated)";
          case "implement" -> " (only an approved change control is implemented)";
          case "approved" -> " (only an open change control is approved)";
          case "closed" -> " (an event closes from investigating, a change control from implemented)";
          default -> "";
        }));
  }
}
