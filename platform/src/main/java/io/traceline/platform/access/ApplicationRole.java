package io.traceline.platform.access;

import java.util.Arrays;
import java.util.Optional;

/** Permission sets inside one tenant (TEN-3). Stored per tenant; Keycloak has no organization-scoped roles. */
public enum ApplicationRole {
  TENANT_ADMIN("tenant-admin"),
  QUALITY_MANAGER("quality-manager"),
  DOCUMENT_AUTHOR("document-author"),
  REVIEWER("reviewer"),
  APPROVER("approver"),
  TRAINING_ADMIN("training-admin"),
  TRAINER("trainer"),
  SUPERVISOR("supervisor"),
  EMPLOYEE("employee"),
  AUDITOR("auditor"),
  SPONSOR_VIEWER("sponsor-viewer"),
  /** Machine clients (MES, LIMS, kiosks) that ask the point-of-use qualification check and nothing else (TRN-6). */
  QUALIFICATION_CHECK("qualification-check");

  private final String id;

  ApplicationRole(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static Optional<ApplicationRole> fromId(String id) {
    return Arrays.stream(values()).filter(role -> role.id.equals(id)).findFirst();
  }
}
