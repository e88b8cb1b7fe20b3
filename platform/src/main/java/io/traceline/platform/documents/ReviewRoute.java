package io.traceline.platform.documents;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.traceline.platform.access.ApplicationRole;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The review and approval route of a submission (DOC-3): reviewers sign "reviewed", then approvers sign "approved".
 * Within a stage the steps are signed in the listed order ({@code sequential}) or in any order ({@code parallel});
 * approvals always wait for every review. The author is on no step of their own version.
 */
public record ReviewRoute(String order, List<String> reviewers, List<String> approvers) {

  public static final String REVIEW = "review";
  public static final String APPROVAL = "approval";
  public static final String REVIEWED = "reviewed";
  public static final String APPROVED = "approved";

  /** Who may hold each stage's steps: the roles of the signature meanings (migrations: signature_meaning). */
  static final Map<String, Set<String>> STAGE_ROLES = Map.of(
      REVIEW, Set.of(ApplicationRole.REVIEWER.id(), ApplicationRole.APPROVER.id(), ApplicationRole.QUALITY_MANAGER.id()),
      APPROVAL, Set.of(ApplicationRole.APPROVER.id()));

  /** A possible assignee as the tenant knows them. */
  public record Assignee(String id, String name, boolean active, Set<String> roles) {
  }

  public static ReviewRoute fromJson(JsonObject route) {
    if (route == null) {
      throw ProblemException.unprocessable("Submitting a version needs its review and approval route",
          List.of(new Problem.FieldError("/route", "required for action submit")));
    }
    return new ReviewRoute(route.getString("order", "sequential"), ids(route.getJsonArray("reviewers")),
        ids(route.getJsonArray("approvers")));
  }

  private static List<String> ids(JsonArray array) {
    List<String> ids = new ArrayList<>();
    if (array != null) {
      array.forEach(id -> ids.add(String.valueOf(id)));
    }
    return ids;
  }

  public List<String> everyone() {
    List<String> all = new ArrayList<>(reviewers);
    all.addAll(approvers);
    return all;
  }

  /**
   * The rules a route must keep before it starts: at least one approver, nobody twice, not the author, and every
   * assignee an active user who holds a role that may sign the stage's meaning. All broken rules are reported at once.
   */
  public void validate(String authorId, Map<String, Assignee> known) {
    List<Problem.FieldError> errors = new ArrayList<>();
    if (approvers.isEmpty()) {
      errors.add(new Problem.FieldError("/route/approvers", "at least one approver"));
    }
    Set<String> seen = new HashSet<>();
    check(REVIEW, "/route/reviewers/", reviewers, authorId, known, seen, errors);
    check(APPROVAL, "/route/approvers/", approvers, authorId, known, seen, errors);
    if (!errors.isEmpty()) {
      throw ProblemException.unprocessable("The review and approval route breaks a rule: " + errors.get(0).message(),
          errors);
    }
  }

  private static void check(String stage, String pointer, List<String> ids, String authorId, Map<String, Assignee> known,
                            Set<String> seen, List<Problem.FieldError> errors) {
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      Assignee assignee = known.get(id);
      if (id.equals(authorId)) {
        errors.add(new Problem.FieldError(pointer + i, "the author cannot " + (REVIEW.equals(stage) ? "review" : "approve")
            + " their own version (separation of duties)"));
      } else if (!seen.add(id)) {
        errors.add(new Problem.FieldError(pointer + i, "appears twice on the route"));
      } else if (assignee == null || !assignee.active()) {
        errors.add(new Problem.FieldError(pointer + i, "not an active user of this tenant with an application role"));
      } else if (assignee.roles().stream().noneMatch(STAGE_ROLES.get(stage)::contains)) {
        errors.add(new Problem.FieldError(pointer + i, assignee.name() + " holds none of the roles "
            + STAGE_ROLES.get(stage).stream().sorted().toList() + " needed to sign '"
            + (REVIEW.equals(stage) ? REVIEWED : APPROVED) + "'"));
      }
    }
  }

  public static String stageOf(String meaning) {
    return REVIEWED.equals(meaning) ? REVIEW : APPROVAL;
  }

  /**
   * The caller's step that a signature with {@code meaning} completes now, from the round's steps in signing order;
   * a 403 problem when the caller has no such step, a 409 when it is not yet (or no longer) their turn.
   */
  public static JsonObject stepToSign(List<JsonObject> steps, String order, String callerId, String meaning) {
    String stage = stageOf(meaning);
    JsonObject mine = steps.stream().filter(step -> stage.equals(step.getString("stage"))
        && callerId.equals(step.getString("assigneeId"))).findFirst().orElse(null);
    if (mine == null) {
      throw ProblemException.forbidden("You are not " + (REVIEW.equals(stage) ? "a reviewer" : "an approver")
          + " on this version's route");
    }
    if (!"pending".equals(mine.getString("state"))) {
      throw ProblemException.conflict("Your " + stage + " step of this version is already " + mine.getString("state"));
    }
    if (APPROVAL.equals(stage)) {
      List<String> waiting = names(steps, step -> REVIEW.equals(step.getString("stage")) && !signed(step));
      if (!waiting.isEmpty()) {
        throw new ProblemException(Problem.of(409, "route-step-not-ready", "Not your turn yet",
            "Approval follows review: waiting for " + String.join(", ", waiting)));
      }
    }
    if ("sequential".equals(order)) {
      int position = mine.getInteger("position");
      List<String> before = names(steps, step -> stage.equals(step.getString("stage"))
          && step.getInteger("position") < position && !signed(step));
      if (!before.isEmpty()) {
        throw new ProblemException(Problem.of(409, "route-step-not-ready", "Not your turn yet",
            "The route is sequential: waiting for " + String.join(", ", before)));
      }
    }
    return mine;
  }

  /** The caller's pending step of the round (any stage), or null. */
  public static JsonObject pendingStepOf(List<JsonObject> steps, String callerId) {
    return steps.stream().filter(step -> callerId.equals(step.getString("assigneeId"))
        && "pending".equals(step.getString("state"))).findFirst().orElse(null);
  }

  /** True when every step of the round is signed: the version is approved. */
  public static boolean complete(List<JsonObject> steps) {
    return !steps.isEmpty() && steps.stream().allMatch(ReviewRoute::signed);
  }

  private static boolean signed(JsonObject step) {
    return "signed".equals(step.getString("state"));
  }

  private static List<String> names(List<JsonObject> steps, java.util.function.Predicate<JsonObject> which) {
    return steps.stream().filter(which).map(step -> step.getString("assigneeName")).toList();
  }

  public JsonObject toJson(Map<String, Assignee> known) {
    return new JsonObject().put("order", order)
        .put("reviewers", new JsonArray(reviewers.stream().map(id -> person(id, known)).toList()))
        .put("approvers", new JsonArray(approvers.stream().map(id -> person(id, known)).toList()));
  }

  private static JsonObject person(String id, Map<String, Assignee> known) {
    return new JsonObject().put("id", id).put("name", known.get(id).name());
  }
}
