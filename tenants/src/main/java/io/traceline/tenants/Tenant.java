package io.traceline.tenants;

import java.time.OffsetDateTime;

/** A row of the tenant registry ({@code control.tenant}). */
public record Tenant(
    String slug,
    String schemaName,
    String displayName,
    FirstAdmin firstAdmin,
    TenantState state,
    ProvisioningStep step,
    String organizationId,
    String adminUserId,
    String lastError,
    String requestedBy,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    OffsetDateTime readyAt) {

  public TenantSlug tenantSlug() {
    return new TenantSlug(slug);
  }

  public boolean isReady() {
    return state == TenantState.READY;
  }

  /** Whether a request to provision {@code request} names this same tenant (the idempotent case). */
  public boolean matches(ProvisioningRequest request) {
    return slug.equals(request.slug().value())
        && displayName.equals(request.displayName())
        && firstAdmin.email().equalsIgnoreCase(request.firstAdmin().email());
  }
}
