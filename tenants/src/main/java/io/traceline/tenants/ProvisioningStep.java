package io.traceline.tenants;

import java.util.Locale;

/**
 * The steps of provisioning, in order. The registry records the last one completed; every step is
 * idempotent, so a provisioning interrupted anywhere resumes from the step after the recorded one.
 */
public enum ProvisioningStep {
  REGISTERED, SCHEMA_MIGRATED, ORGANIZATION_CREATED, ADMIN_CREATED, ADMIN_GRANTED;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ProvisioningStep fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  public boolean isDoneBy(ProvisioningStep recorded) {
    return recorded.ordinal() >= ordinal();
  }
}
