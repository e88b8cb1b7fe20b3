package io.traceline.platform.training.file;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.traceline.platform.access.RoleCheck;
import io.traceline.platform.http.Caller;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.http.TenantContext;
import io.traceline.platform.qualifications.QualificationViewService;
import io.traceline.platform.signatures.Signature;
import io.traceline.platform.signatures.SignatureService;
import io.traceline.platform.training.AssignmentService;
import io.traceline.platform.training.internal.CompletionRepository;
import io.traceline.platform.training.internal.TrainingFileRepository;
import io.traceline.platform.training.internal.TrainingRepository;
import io.traceline.tenants.TenantScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * A person's training file (P11-6, RPT-2): who they are, their qualification on every document that concerns them and
 * their other qualifications (TRN-6, TRN-7), every completion record with the version it covers and the signatures
 * that stand behind it (P11-3), and what is still open. Read in one transaction, so the parts agree with each other.
 * Readable by training and quality staff, tenant admins and auditors, by the person's manager, and by the person.
 */
public final class TrainingFileService {

  /** More than a person accumulates in a working life; the file is one read, not a paged list. */
  private static final int ALL = 100_000;

  private final TenantScope tenantScope;
  private final RoleCheck roles;
  private final SignatureService signatures;
  private final QualificationViewService qualifications;
  private final TrainingFileRepository people = new TrainingFileRepository();
  private final CompletionRepository completions = new CompletionRepository();
  private final TrainingRepository assignments = new TrainingRepository();

  public TrainingFileService(TenantScope tenantScope, RoleCheck roles, SignatureService signatures,
                             QualificationViewService qualifications) {
    this.tenantScope = tenantScope;
    this.roles = roles;
    this.signatures = signatures;
    this.qualifications = qualifications;
  }

  /** The training file of {@code personId}. */
  public Future<JsonObject> ofPerson(TenantContext tenant, Caller caller, UUID personId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> readablePerson(connection, tenant, caller, personId)
        .compose(person -> assemble(connection, tenant, person)));
  }

  /** The caller's own training file (their login must be linked to a person). */
  public Future<JsonObject> mine(TenantContext tenant, Caller caller) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> people.personOfUser(connection, caller.subject())
        .compose(personId -> personId == null
            ? Future.failedFuture(ProblemException.notFound("Your login is not linked to a person of this organisation"))
            : readablePerson(connection, tenant, caller, personId))
        .compose(person -> assemble(connection, tenant, person)));
  }

  /**
   * One completion record as its certificate shows it: the record, the person, and every signature of the evidence it
   * rests on (a read-and-acknowledge, a signed assessment attempt, an observation signed by trainer and learner).
   */
  public Future<JsonObject> certificate(TenantContext tenant, Caller caller, UUID completionId) {
    return tenantScope.inTransaction(tenant.schemaName(), connection -> completions.find(connection, completionId)
        .compose(completion -> completion == null
            ? Future.failedFuture(ProblemException.notFound("No completion " + completionId))
            : readablePerson(connection, tenant, caller, UUID.fromString(completion.getJsonObject("person").getString("id")))
                .compose(person -> evidenceSignatures(connection, completion)
                    .map(signed -> new JsonObject().put("tenant", tenantJson(tenant, person)).put("person", person)
                        .put("completion", completion.copy().put("signatures", signed))
                        .put("generatedAt", Instant.now().toString())))));
  }

  /** The person, when the caller may read their training: 404 for no such person, 403 for someone else's. */
  private Future<JsonObject> readablePerson(SqlConnection connection, TenantContext tenant, Caller caller, UUID personId) {
    return people.person(connection, personId, tenant.slug()).compose(person -> {
      if (person == null) {
        return Future.failedFuture(ProblemException.notFound("No person " + personId));
      }
      return roles.activeRoles(connection, caller.subject()).compose(held -> {
        if (held.stream().anyMatch(AssignmentService.READERS::contains)) {
          return Future.succeededFuture(person);
        }
        return people.personOfUser(connection, caller.subject()).compose(own -> {
          boolean self = own != null && own.toString().equals(person.getString("id"));
          JsonObject manager = person.getJsonObject("manager");
          boolean manages = own != null && manager != null && own.toString().equals(manager.getString("id"));
          return self || manages ? Future.succeededFuture(person)
              : Future.failedFuture(ProblemException.forbidden("A training file is read by the person, their manager, "
                  + "or one of the application roles " + new java.util.TreeSet<>(AssignmentService.READERS)));
        });
      });
    });
  }

  private Future<JsonObject> assemble(SqlConnection connection, TenantContext tenant, JsonObject person) {
    UUID personId = UUID.fromString(person.getString("id"));
    JsonObject file = new JsonObject().put("tenant", tenantJson(tenant, person)).put("person", person)
        .put("generatedAt", Instant.now().toString());
    return qualifications.ofPerson(connection, personId, null, ALL)
        .compose(found -> {
          file.put("qualifications", new JsonArray(found));
          return completions.list(connection, new CompletionRepository.Filter(personId, null, null, null), null, ALL);
        })
        .compose(records -> withSignatures(connection, records))
        .compose(records -> {
          file.put("completions", new JsonArray(records));
          return assignments.assignments(connection, new TrainingRepository.AssignmentFilter(personId, null, null, null,
              null, "open"), null, ALL);
        })
        .map(open -> file.put("openAssignments", new JsonArray(open)));
  }

  private Future<List<JsonObject>> withSignatures(SqlConnection connection, List<JsonObject> records) {
    Future<List<JsonObject>> chain = Future.succeededFuture(new ArrayList<>());
    for (JsonObject record : records) {
      chain = chain.compose(done -> evidenceSignatures(connection, record).map(signed -> {
        done.add(record.copy().put("signatures", signed));
        return done;
      }));
    }
    return chain;
  }

  /**
   * The completion's signature and every other signature of the record it signed (the trainer's next to the
   * learner's), in signing order; none for a completion entered by a coordinator.
   */
  private Future<JsonArray> evidenceSignatures(SqlConnection connection, JsonObject completion) {
    String signatureId = completion.getString("signatureId");
    if (signatureId == null) {
      return Future.succeededFuture(new JsonArray());
    }
    return signatures.find(connection, UUID.fromString(signatureId)).compose(signature -> signature == null
        ? Future.succeededFuture(new JsonArray())
        : signatures.ofVersion(connection, signature.recordType(), signature.recordId(), signature.recordVersion())
            .map(all -> {
              Map<UUID, Signature> byId = new LinkedHashMap<>();
              all.stream().sorted(java.util.Comparator.comparing(Signature::signedAt))
                  .forEach(s -> byId.put(s.id(), s));
              byId.putIfAbsent(signature.id(), signature);
              return new JsonArray(byId.values().stream().map(Signature::toJson).toList());
            }));
  }

  /** The tenant as the file names it; takes the display name the person's row carried along. */
  private static JsonObject tenantJson(TenantContext tenant, JsonObject person) {
    Object name = person.remove("tenantName");
    return new JsonObject().put("slug", tenant.slug()).put("name", name == null ? tenant.slug() : name);
  }
}
