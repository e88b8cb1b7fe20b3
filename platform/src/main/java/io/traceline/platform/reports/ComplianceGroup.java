package io.traceline.platform.reports;

import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import io.traceline.platform.qualifications.QualificationStatus;
import io.vertx.core.json.JsonObject;

/**
 * One group of a compliance view (or its totals): how many trainings were required of how many people, and how many of
 * them were current, not current (of which expired recertifications and high-risk training awaiting its effectiveness
 * check), and overdue; how many belonged to people on leave. The rate is current over required, with both numbers
 * given, so a chart can draw it and an auditor can check it.
 */
public final class ComplianceGroup {

  /** The group's code and name; a department's group also names its site (department codes repeat across sites). */
  public record Key(String code, String name, String site) {
    String id() {
      return site == null ? String.valueOf(code) : site + "/" + code;
    }
  }

  static final Comparator<ComplianceGroup> ORDER = Comparator
      .comparing((ComplianceGroup g) -> g.key.site() == null ? "" : g.key.site())
      .thenComparing(g -> g.key.code() == null ? "\uffff" : g.key.code());

  private final Key key;
  private final Set<UUID> people = new HashSet<>();
  private long required;
  private long current;
  private long notCurrent;
  private long overdue;
  private long expired;
  private long pendingEffectiveness;
  private long onLeave;

  ComplianceGroup(Key key) {
    this.key = key;
  }

  static ComplianceGroup totals() {
    return new ComplianceGroup(null);
  }

  void count(DocumentTrainingLine line) {
    people.add(line.personId());
    required++;
    switch (line.verdict()) {
      case DocumentTrainingLine.CURRENT -> current++;
      case DocumentTrainingLine.OVERDUE -> overdue++;
      default -> notCurrent++;
    }
    if (QualificationStatus.EXPIRED.equals(line.status())) {
      expired++;
    } else if (QualificationStatus.PENDING_EFFECTIVENESS.equals(line.status())) {
      pendingEffectiveness++;
    }
    if ("on_leave".equals(line.personStatus())) {
      onLeave++;
    }
  }

  public Key key() {
    return key;
  }

  public long people() {
    return people.size();
  }

  public long required() {
    return required;
  }

  public long current() {
    return current;
  }

  public long notCurrent() {
    return notCurrent;
  }

  public long overdue() {
    return overdue;
  }

  public long expired() {
    return expired;
  }

  public long pendingEffectiveness() {
    return pendingEffectiveness;
  }

  public long onLeave() {
    return onLeave;
  }

  /** Current over required, to four decimals; null when nothing was required. */
  public Double rate() {
    return required == 0 ? null : Math.round(current * 10_000.0 / required) / 10_000.0;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (key != null) {
      json.put("code", key.code()).put("name", key.name());
      if (key.site() != null) {
        json.put("site", key.site());
      }
    }
    return json.put("people", people()).put("required", required).put("current", current)
        .put("notCurrent", notCurrent).put("overdue", overdue).put("expired", expired)
        .put("pendingEffectiveness", pendingEffectiveness).put("onLeave", onLeave).put("complianceRate", rate());
  }
}
