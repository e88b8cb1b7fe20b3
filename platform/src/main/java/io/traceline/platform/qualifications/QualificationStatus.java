package io.traceline.platform.qualifications;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.traceline.platform.qualifications.internal.StatusRepository.StatusFacts;
import io.vertx.core.json.JsonObject;

/**
 * One person's qualification on one document now (TRN-6), decided from the facts the status query reads.
 *
 * <p>{@code status}: {@code qualified}; {@code not-current} (trained only on an older version that a later revision asked
 * training of, never trained although required, or the document has no effective version); {@code expired} (the
 * recertification interval has passed since the completion that counts); {@code pending-effectiveness} (a high-risk
 * document completed without an assessment or on-the-job sign-off); {@code not-required} (no requirement applies to the
 * person and they never trained on it). {@code allowed} — may the person do the work now — is true only for a qualified
 * person who is active: someone on leave or terminated never is, whatever their training. {@code reason} is a stable
 * code saying why; {@code detail} says it in words.
 */
public record QualificationStatus(StatusFacts facts, String status, String reason, String detail, boolean allowed) {

  public static final String QUALIFIED = "qualified";
  public static final String NOT_CURRENT = "not-current";
  public static final String EXPIRED = "expired";
  public static final String PENDING_EFFECTIVENESS = "pending-effectiveness";
  public static final String NOT_REQUIRED = "not-required";

  /** Decides the status from the facts (person and document known). Order matters: the first rule that applies wins. */
  static QualificationStatus decide(StatusFacts f) {
    String person = f.personName() + " (" + f.employeeNumber() + ")";
    String document = f.documentNumber();
    QualificationStatus training;
    if (f.current() == null) {
      training = of(f, NOT_CURRENT, "document-not-effective", document + " has no effective version (it is "
          + f.documentStatus() + "): no one works under it");
    } else if (f.trained() == null) {
      training = f.required()
          ? of(f, NOT_CURRENT, "not-trained", person + " is not trained on " + document + "; their job roles require "
              + "version " + f.current().label())
          : of(f, NOT_REQUIRED, "not-required", document + " is not required by " + person + "'s job roles (at their "
              + "site, in their programs) and they have no training on it");
    } else if (!f.trainedCurrent()) {
      training = of(f, NOT_CURRENT, "trained-on-older-version", person + " is trained on version " + f.trained().label()
          + " of " + document + "; the current version " + f.current().label() + " needs training");
    } else if (f.expiresAt() != null && !f.expiresAt().isAfter(f.checkedAt())) {
      training = of(f, EXPIRED, "recertification-overdue", person + " trained on version " + f.trained().label()
          + " of " + document + " on " + day(f.trained().at()) + "; the recertification interval ran out on "
          + day(f.expiresAt()));
    } else if ("high".equals(f.riskClass()) && !f.effectivenessVerified()) {
      training = of(f, PENDING_EFFECTIVENESS, "effectiveness-not-verified", document + " is high risk: "
          + person + " completed version " + f.trained().label() + " by " + f.trained().method()
          + ", and an assessment or on-the-job sign-off must verify effectiveness before they count as qualified");
    } else {
      boolean same = f.trained().id().equals(f.current().id());
      training = of(f, QUALIFIED, same ? "trained-on-current-version" : "no-training-needed-since",
          person + " is trained on version " + f.trained().label() + " of " + document + (same ? ", the current version"
              : "; the revisions since, up to the current " + f.current().label() + ", needed no training")
              + (f.expiresAt() == null ? "" : "; recertification due by " + day(f.expiresAt())));
    }
    if ("on_leave".equals(f.personStatus())) {
      return new QualificationStatus(f, training.status, "person-on-leave", person + " is on leave. " + training.detail,
          false);
    }
    if ("terminated".equals(f.personStatus())) {
      return new QualificationStatus(f, training.status, "person-terminated", person + " was terminated. "
          + training.detail, false);
    }
    return training;
  }

  private static QualificationStatus of(StatusFacts facts, String status, String reason, String detail) {
    return new QualificationStatus(facts, status, reason, detail, QUALIFIED.equals(status));
  }

  private static String day(OffsetDateTime time) {
    return time.toInstant().toString().substring(0, 10);
  }

  public UUID personId() {
    return facts.personId();
  }

  public UUID documentId() {
    return facts.documentId();
  }

  public JsonObject toJson() {
    StatusFacts f = facts;
    return new JsonObject()
        .put("allowed", allowed)
        .put("status", status)
        .put("reason", reason)
        .put("detail", detail)
        .put("person", new JsonObject().put("id", f.personId().toString()).put("employeeNumber", f.employeeNumber())
            .put("name", f.personName()).put("status", f.personStatus()))
        .put("document", new JsonObject().put("id", f.documentId().toString()).put("number", f.documentNumber())
            .put("title", f.documentTitle()).put("riskClass", f.riskClass()))
        .put("required", f.required())
        .put("trainedVersion", f.trained() == null ? null : new JsonObject().put("id", f.trained().id().toString())
            .put("version", f.trained().label()).put("completedAt", time(f.trained().at()))
            .put("method", f.trained().method()))
        .put("currentVersion", f.current() == null ? null : new JsonObject().put("id", f.current().id().toString())
            .put("version", f.current().label()).put("effectiveAt", time(f.current().at())))
        .put("expiresAt", f.trainedCurrent() ? time(f.expiresAt()) : null)
        .put("checkedAt", time(f.checkedAt()));
  }

  private static String time(OffsetDateTime value) {
    return value == null ? null : value.toInstant().toString();
  }
}
