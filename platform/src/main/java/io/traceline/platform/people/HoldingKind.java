package io.traceline.platform.people;

/**
 * What a person holds over a period (PPL-2, SPN-1): a job role, or membership of a sponsor's program. Both are kept the
 * same way — a period [validFrom, validTo) with reasons, at most one without an end date, ended rather than deleted —
 * and both are people events for training: a program-scoped requirement applies only to the program's members.
 *
 * @param table       the holdings' table
 * @param column      its column naming what is held
 * @param structure   what is held, as tenant structure
 * @param field       the JSON name of what is held in a holding ("jobRole") and of its id in a request ("jobRoleId")
 * @param gained      the person event of a new holding
 * @param lost        the person event of an ended one
 * @param startAction the audit action of a new holding
 * @param endAction   the audit action of an ended one
 */
public enum HoldingKind {
  JOB_ROLE("person_job_role", "job_role_id", StructureKind.JOB_ROLE, "jobRole", PersonEventKind.ROLE_GAINED,
      PersonEventKind.ROLE_LOST, "person.job-role-assigned", "person.job-role-ended"),
  PROGRAM("person_program", "program_id", StructureKind.PROGRAM, "program", PersonEventKind.PROGRAM_JOINED,
      PersonEventKind.PROGRAM_LEFT, "person.program-joined", "person.program-left");

  private final String table;
  private final String column;
  private final StructureKind structure;
  private final String field;
  private final PersonEventKind gained;
  private final PersonEventKind lost;
  private final String startAction;
  private final String endAction;

  HoldingKind(String table, String column, StructureKind structure, String field, PersonEventKind gained,
              PersonEventKind lost, String startAction, String endAction) {
    this.table = table;
    this.column = column;
    this.structure = structure;
    this.field = field;
    this.gained = gained;
    this.lost = lost;
    this.startAction = startAction;
    this.endAction = endAction;
  }

  public String table() {
    return table;
  }

  public String column() {
    return column;
  }

  public StructureKind structure() {
    return structure;
  }

  public String field() {
    return field;
  }

  public String idField() {
    return field + "Id";
  }

  public PersonEventKind gained() {
    return gained;
  }

  public PersonEventKind lost() {
    return lost;
  }

  public String startAction() {
    return startAction;
  }

  public String endAction() {
    return endAction;
  }

  /** The structure table of what is held. */
  public String structureTable() {
    return this == JOB_ROLE ? "job_role" : "program";
  }
}
