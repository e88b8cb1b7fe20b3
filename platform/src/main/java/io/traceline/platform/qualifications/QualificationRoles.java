package io.traceline.platform.qualifications;

import java.util.Set;

import io.traceline.platform.access.ApplicationRole;

/**
 * Who may ask what. Qualifications are people data: read by those who read people (tenant admins, training admins,
 * quality managers, trainers, supervisors, auditors) and by the person themselves; the point-of-use check also by
 * machine clients holding {@code qualification-check}, a role that reads nothing else. Qualifications that are not
 * documents are granted, changed and revoked by training admins, quality managers and tenant admins.
 */
final class QualificationRoles {

  static final Set<String> READERS = Set.of(ApplicationRole.TENANT_ADMIN.id(), ApplicationRole.TRAINING_ADMIN.id(),
      ApplicationRole.QUALITY_MANAGER.id(), ApplicationRole.TRAINER.id(), ApplicationRole.SUPERVISOR.id(),
      ApplicationRole.AUDITOR.id());
  static final Set<String> CHECKERS = union(READERS, ApplicationRole.QUALIFICATION_CHECK.id());
  static final Set<String> WRITERS = Set.of(ApplicationRole.TRAINING_ADMIN.id(), ApplicationRole.QUALITY_MANAGER.id(),
      ApplicationRole.TENANT_ADMIN.id());

  private QualificationRoles() {
  }

  private static Set<String> union(Set<String> roles, String more) {
    java.util.Set<String> all = new java.util.TreeSet<>(roles);
    all.add(more);
    return Set.copyOf(all);
  }
}
