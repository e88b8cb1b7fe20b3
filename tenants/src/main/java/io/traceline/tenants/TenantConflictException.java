package io.traceline.tenants;

/** The slug belongs to a tenant provisioned with other parameters. */
public final class TenantConflictException extends RuntimeException {

  public TenantConflictException(String slug) {
    super("Tenant '" + slug + "' already exists with another display name or first administrator");
  }
}
