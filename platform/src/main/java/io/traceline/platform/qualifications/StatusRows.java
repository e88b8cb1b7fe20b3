package io.traceline.platform.qualifications;

import io.traceline.platform.qualifications.internal.StatusRepository;
import io.vertx.sqlclient.Row;

/**
 * Decides qualification status (TRN-6) from rows another feature's statement read, so a report asking the same question
 * for every person of a document — now or as of a past instant — applies exactly the rules of the point-of-use check.
 * The row must carry the columns of {@code StatusRepository}'s facts statement (person, document, current version,
 * required, trained version and whether it is current, expiry, effectiveness, checked at).
 */
public final class StatusRows {

  private StatusRows() {
  }

  public static QualificationStatus decide(Row factsRow) {
    return QualificationStatus.decide(StatusRepository.toFacts(factsRow));
  }
}
