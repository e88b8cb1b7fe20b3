package io.traceline.tenants;

/**
 * A provisioning step failed (database or identity provider unavailable, refused). The registry keeps
 * the tenant as failed at the last completed step; provisioning it again resumes from there.
 */
public final class ProvisioningFailedException extends RuntimeException {

  private final String slug;

  public ProvisioningFailedException(String slug, String message, Throwable cause) {
    super(message, cause);
    this.slug = slug;
  }

  public String slug() {
    return slug;
  }
}
