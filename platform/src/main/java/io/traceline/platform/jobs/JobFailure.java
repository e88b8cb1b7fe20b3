package io.traceline.platform.jobs;

import java.util.Set;

import io.vertx.pgclient.PgException;

/** Why a chunk failed, and whether trying again may help. */
public final class JobFailure extends RuntimeException {

  /** SQLSTATE classes and codes a retry may fix: serialization, deadlock, connection, shutdown, resources. */
  private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "57P01", "57P02", "57P03", "55P03");
  private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53");

  private final boolean transientFailure;

  private JobFailure(String message, boolean transientFailure, Throwable cause) {
    super(message, cause, false, false);
    this.transientFailure = transientFailure;
  }

  public static JobFailure transientFailure(String message) {
    return new JobFailure(message, true, null);
  }

  public static JobFailure permanent(String message) {
    return new JobFailure(message, false, null);
  }

  public boolean isTransient() {
    return transientFailure;
  }

  /** Classifies any failure: database contention and outages are transient, everything else permanent. */
  public static boolean isTransient(Throwable failure) {
    if (failure instanceof JobFailure jobFailure) {
      return jobFailure.transientFailure;
    }
    if (failure instanceof PgException pg && pg.getSqlState() != null) {
      String state = pg.getSqlState();
      return TRANSIENT_STATES.contains(state) || TRANSIENT_CLASSES.contains(state.substring(0, 2));
    }
    return failure instanceof java.io.IOException || failure instanceof io.vertx.core.VertxException
        && String.valueOf(failure.getMessage()).toLowerCase().contains("closed");
  }

  public static String describe(Throwable failure) {
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (failure instanceof PgException pg) {
      message = pg.getErrorMessage() + " (SQLSTATE " + pg.getSqlState() + ")";
    }
    return message.length() > 1000 ? message.substring(0, 1000) : message;
  }
}
