package io.traceline.platform.qualifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.traceline.platform.qualifications.internal.StatusRepository.StatusFacts;
import io.traceline.platform.qualifications.internal.StatusRepository.StatusFacts.Version;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The qualification rule: which status and reason the facts of a person and a document give (TRN-6)")
class QualificationStatusTest {

  private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 22, 9, 0, 0, 0, ZoneOffset.UTC);
  private static final Version CURRENT = new Version(UUID.randomUUID(), "2.0", NOW.minusMonths(3), null);
  private static final Version TRAINED = new Version(CURRENT.id(), "2.0", NOW.minusMonths(2), "read-and-acknowledge");

  private static StatusFacts facts(String personStatus, String risk, Version current, boolean required, Version trained,
                                   boolean trainedCurrent, OffsetDateTime expiresAt, boolean verified) {
    return new StatusFacts(UUID.randomUUID(), "E-1", "Emma Example", personStatus, UUID.randomUUID(), "SOP-QA-001",
        "Line clearance", risk, current == null ? "obsolete" : "effective", current, required, trained, trainedCurrent,
        expiresAt, verified, NOW);
  }

  @Test
  @DisplayName("each rule in order: no effective version, not trained, not required, older version, expired before pending effectiveness, qualified")
  void rules() {
    assertThat(QualificationStatus.decide(facts("active", "low", null, true, TRAINED, true, null, false)).reason())
        .isEqualTo("document-not-effective");
    assertThat(QualificationStatus.decide(facts("active", "low", CURRENT, true, null, false, null, false)).reason())
        .isEqualTo("not-trained");
    QualificationStatus notRequired = QualificationStatus.decide(facts("active", "low", CURRENT, false, null, false, null,
        false));
    assertThat(notRequired.status()).isEqualTo("not-required");
    assertThat(notRequired.allowed()).isFalse();
    Version older = new Version(UUID.randomUUID(), "1.0", NOW.minusYears(1), "read-and-acknowledge");
    assertThat(QualificationStatus.decide(facts("active", "low", CURRENT, true, older, false, null, false)).reason())
        .isEqualTo("trained-on-older-version");
    // Expired and not verified: expired wins (the person must retrain anyway).
    assertThat(QualificationStatus.decide(facts("active", "high", CURRENT, true, TRAINED, true, NOW, false)).status())
        .isEqualTo("expired");
    assertThat(QualificationStatus.decide(facts("active", "high", CURRENT, true, TRAINED, true, NOW.plusDays(1), false))
        .status()).isEqualTo("pending-effectiveness");
    QualificationStatus qualified = QualificationStatus.decide(facts("active", "high", CURRENT, true, TRAINED, true,
        NOW.plusDays(1), true));
    assertThat(qualified.status()).isEqualTo("qualified");
    assertThat(qualified.allowed()).isTrue();
    assertThat(qualified.detail()).contains("recertification due by 2026-11-23");
  }

  @Test
  @DisplayName("a completion of an earlier version that counts (impact 'none' since) is qualified and says so")
  void earlierVersionThatCounts() {
    Version earlier = new Version(UUID.randomUUID(), "1.0", NOW.minusYears(1), "read-and-acknowledge");
    QualificationStatus status = QualificationStatus.decide(facts("active", "low", CURRENT, true, earlier, true, null,
        false));
    assertThat(status.reason()).isEqualTo("no-training-needed-since");
    assertThat(status.toJson().getJsonObject("trainedVersion").getString("version")).isEqualTo("1.0");
    assertThat(status.toJson().getJsonObject("currentVersion").getString("version")).isEqualTo("2.0");
  }

  @Test
  @DisplayName("leave and termination refuse with their own reason and keep the training status")
  void inactivePeople() {
    QualificationStatus onLeave = QualificationStatus.decide(facts("on_leave", "low", CURRENT, true, TRAINED, true, null,
        false));
    assertThat(onLeave.allowed()).isFalse();
    assertThat(onLeave.status()).isEqualTo("qualified");
    assertThat(onLeave.reason()).isEqualTo("person-on-leave");
    QualificationStatus terminated = QualificationStatus.decide(facts("terminated", "low", CURRENT, true, null, false,
        null, false));
    assertThat(terminated.reason()).isEqualTo("person-terminated");
    assertThat(terminated.status()).isEqualTo("not-current");
  }
}
