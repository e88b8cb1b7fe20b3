package io.traceline.tenants;

/** What an operator asks for when provisioning a tenant, already validated. */
public record ProvisioningRequest(TenantSlug slug, String displayName, FirstAdmin firstAdmin, String requestedBy) {
}
