package io.traceline.platform.people;

import java.util.List;

/**
 * The tenant's structure that people belong to (PPL-1): sites, their departments, and job roles (job functions of the
 * training matrix, not permissions). Each has a code that never changes (HR feeds and bulk upserts name it), a name,
 * an active flag instead of deletion (P11-7), and a revision that is its ETag.
 *
 * @param entityType the audit trail's entity type, and the prefix of its actions
 * @param noun       how problems name one ("site")
 * @param path       the collection's path segment
 * @param operation  what the contract's operationIds call one: list{operation}s, create…, get…, update{operation}
 * @param editable   the fields a change may set, besides {@code active} (columns of the same names in snake case)
 */
public enum StructureKind {
  SITE("site", "site", "sites", "Site", List.of("name", "country", "timezone")),
  DEPARTMENT("department", "department", "departments", "Department", List.of("name")),
  JOB_ROLE("job-role", "job role", "job-roles", "JobRole", List.of("name", "description")),
  /** A sponsor's program at a CDMO (SPN-1): documents and training requirements may belong to one, people work on it. */
  PROGRAM("program", "program", "programs", "Program", List.of("name", "sponsorName"));

  private final String entityType;
  private final String noun;
  private final String path;
  private final String operation;
  private final List<String> editable;

  StructureKind(String entityType, String noun, String path, String operation, List<String> editable) {
    this.entityType = entityType;
    this.noun = noun;
    this.path = path;
    this.operation = operation;
    this.editable = editable;
  }

  public String entityType() {
    return entityType;
  }

  public String noun() {
    return noun;
  }

  public String path() {
    return path;
  }

  public String operation() {
    return operation;
  }

  public List<String> editable() {
    return editable;
  }
}
