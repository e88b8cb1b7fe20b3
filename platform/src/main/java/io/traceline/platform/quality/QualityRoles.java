package io.traceline.platform.quality;

import java.util.Set;

import io.traceline.platform.access.ApplicationRole;

/**
 * Who may do what with quality records: quality managers report, investigate, transition and sign events and CAPAs;
 * tenant admins, training admins (who follow the training CAPAs create) and auditors read; nobody else sees them
 * (a learner sees the training a CAPA gave them through their own assignments, tagged with the action).
 */
final class QualityRoles {

  static final Set<String> WRITERS = Set.of(ApplicationRole.QUALITY_MANAGER.id());
  static final Set<String> READERS = Set.of(ApplicationRole.QUALITY_MANAGER.id(), ApplicationRole.TENANT_ADMIN.id(),
      ApplicationRole.TRAINING_ADMIN.id(), ApplicationRole.AUDITOR.id());

  private QualityRoles() {
  }
}
