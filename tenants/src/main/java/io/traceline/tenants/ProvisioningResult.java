package io.traceline.tenants;

/**
 * The outcome of a provisioning request. {@code created} is true only for the request that registered
 * the tenant; {@code temporaryPassword} is set only when this run created the first admin's login, and
 * is shown once, never stored.
 */
public record ProvisioningResult(Tenant tenant, boolean created, String temporaryPassword) {

  ProvisioningResult asCreated(boolean registeredNow) {
    return new ProvisioningResult(tenant, registeredNow, temporaryPassword);
  }
}
