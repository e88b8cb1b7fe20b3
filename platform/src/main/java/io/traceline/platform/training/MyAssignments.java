package io.traceline.platform.training;

import java.util.UUID;

import io.traceline.platform.http.Caller;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.training.internal.TrainingRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/** A learner's own assignment: what every {@code /me/training/{assignmentId}/…} endpoint starts from. */
public final class MyAssignments {

  private final TrainingRepository repository = new TrainingRepository();

  /**
   * The caller's own assignment (the person linked to their login), or 404: someone else's is not revealed. With
   * {@code lock} the assignment row stays locked until the transaction ends.
   */
  public Future<JsonObject> find(SqlConnection connection, Caller caller, UUID assignmentId, boolean lock) {
    return repository.personOfUser(connection, caller.subject())
        .compose(person -> (lock ? repository.lockAssignment(connection, assignmentId)
            : repository.assignment(connection, assignmentId)).compose(assignment ->
            assignment != null && person != null && person.toString().equals(assignment.getJsonObject("person").getString("id"))
                ? Future.succeededFuture(assignment)
                : Future.failedFuture(ProblemException.notFound("No assignment " + assignmentId + " of yours"))));
  }
}
