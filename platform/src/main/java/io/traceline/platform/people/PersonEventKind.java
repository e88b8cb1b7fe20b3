package io.traceline.platform.people;

/**
 * What a row of the {@code person_event} outbox says happened to a person, from its effective date: written in the
 * transaction of the change, for training to act on (PPL-2, PPL-3: assign a role's or a program's training, pause or cancel it).
 */
public enum PersonEventKind {
  HIRED("hired"),
  ROLE_GAINED("role-gained"),
  ROLE_LOST("role-lost"),
  LEAVE_STARTED("leave-started"),
  RETURNED("returned"),
  TERMINATED("terminated"),
  PROGRAM_JOINED("program-joined"),
  PROGRAM_LEFT("program-left");

  private final String id;

  PersonEventKind(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
