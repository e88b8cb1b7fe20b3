package io.traceline.platform.training;

import java.util.UUID;

import io.traceline.platform.http.Caller;
import io.traceline.platform.http.Problem;
import io.traceline.platform.http.ProblemException;
import io.traceline.platform.qualifications.QualificationService;
import io.traceline.platform.training.internal.TrainingRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Who may sign off training as its trainer (TRN-1, TRN-7): a person of the tenant (the one linked to the caller's login)
 * who is a qualified trainer of the document now — holding an unrevoked, unexpired trainer qualification, active, and
 * qualified on the document's current version themselves. Asked in the caller's transaction, before anything is written
 * and again when the trainer's signature lands.
 */
public final class TrainerCheck {

  private final QualificationService qualifications;
  private final TrainingRepository people = new TrainingRepository();

  public TrainerCheck(QualificationService qualifications) {
    this.qualifications = qualifications;
  }

  /** The person linked to the caller's login; 403 when none is (a trainer is a person of the tenant). */
  public Future<UUID> callerPerson(SqlConnection connection, Caller caller) {
    return people.personOfUser(connection, caller.subject()).compose(person -> person != null
        ? Future.succeededFuture(person)
        : Future.failedFuture(ProblemException.forbidden("Your login is not linked to a person of this tenant: a trainer "
            + "signs off training as a person with a trainer qualification")));
  }

  /** Whether the person is a qualified trainer of the document now. */
  public Future<Boolean> isQualified(SqlConnection connection, UUID trainerId, UUID documentId) {
    return qualifications.isQualifiedTrainer(connection, trainerId, documentId);
  }

  /** 403 {@code trainer-not-qualified} unless the person is a qualified trainer of the document ({id, number}) now. */
  public Future<Void> requireQualified(SqlConnection connection, UUID trainerId, JsonObject document) {
    return isQualified(connection, trainerId, UUID.fromString(document.getString("id")))
        .compose(qualified -> qualified ? Future.succeededFuture()
            : Future.failedFuture(new ProblemException(Problem.of(403, "trainer-not-qualified", "Not a qualified trainer",
                "Training on " + document.getString("number") + " is signed off by a qualified trainer of it: one who "
                    + "holds an unrevoked, unexpired trainer qualification for the document, is active and is qualified "
                    + "on its current version"))));
  }

  /** 403 {@code own-training} when the trainer is the learner: nobody signs off their own training. */
  public static Future<Void> requireNotLearner(UUID trainerId, UUID learnerId) {
    return trainerId.equals(learnerId)
        ? Future.failedFuture(new ProblemException(Problem.of(403, "own-training", "Your own training",
            "A trainer does not sign off their own training: another qualified trainer observes you")))
        : Future.succeededFuture();
  }
}
