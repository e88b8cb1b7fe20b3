package io.traceline.platform.qualifications;

import java.util.List;
import java.util.UUID;

import io.traceline.platform.qualifications.internal.PersonQualificationRepository;
import io.traceline.platform.qualifications.internal.StatusRepository;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * Qualification questions other features ask inside their own transactions (on their connection, in the tenant's
 * schema): a person's status on a document (TRN-6), and whether a trainer may sign off training on a document — the
 * on-the-job sign-off asks "is trainer T qualified on document D" (TRN-1, TRN-7).
 */
public final class QualificationService {

  private final StatusRepository statuses = new StatusRepository();
  private final PersonQualificationRepository qualifications = new PersonQualificationRepository();

  /** The person's qualification on the document now; null when either does not exist. */
  public Future<QualificationStatus> status(SqlConnection connection, UUID personId, UUID documentId) {
    return statuses.facts(connection, List.of(personId), List.of(documentId)).map(found -> {
      StatusRepository.StatusFacts facts = found.get(0);
      return facts.personId() == null || facts.documentId() == null ? null : QualificationStatus.decide(facts);
    });
  }

  /**
   * Whether the person may train others on the document now: they hold a trainer qualification for it (TRN-7) that is
   * not revoked and not expired, and they are themselves qualified on its current version and active — a trainer who
   * is not trained on the revision they teach, or is on leave, trains no one.
   */
  public Future<Boolean> isQualifiedTrainer(SqlConnection connection, UUID personId, UUID documentId) {
    return qualifications.holdsTrainer(connection, personId, documentId).compose(holds -> !holds
        ? Future.succeededFuture(false)
        : status(connection, personId, documentId).map(status -> status != null && status.allowed()));
  }
}
