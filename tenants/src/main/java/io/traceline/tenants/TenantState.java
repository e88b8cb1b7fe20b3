package io.traceline.tenants;

import java.util.Locale;

public enum TenantState {
  PROVISIONING, READY, FAILED;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TenantState fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
