package io.traceline.platform.people;

import io.traceline.platform.access.ApplicationRole;

/**
 * Who may do what with people data. The structure (sites, departments, job roles) is read by every member and kept by
 * tenant admins, training admins and quality managers (job roles are the training matrix's rows). People records,
 * their status and role holdings are kept by tenant admins and training admins (HR data that training acts on), and
 * read by those who work with people's training or audit it.
 */
final class PeopleRoles {

  static final ApplicationRole[] STRUCTURE_WRITERS = {ApplicationRole.TENANT_ADMIN, ApplicationRole.TRAINING_ADMIN,
      ApplicationRole.QUALITY_MANAGER};
  static final ApplicationRole[] PEOPLE_WRITERS = {ApplicationRole.TENANT_ADMIN, ApplicationRole.TRAINING_ADMIN};
  static final ApplicationRole[] PEOPLE_READERS = {ApplicationRole.TENANT_ADMIN, ApplicationRole.TRAINING_ADMIN,
      ApplicationRole.QUALITY_MANAGER, ApplicationRole.TRAINER, ApplicationRole.SUPERVISOR, ApplicationRole.AUDITOR};

  private PeopleRoles() {
  }
}
