package io.traceline.tenants;

/** The tenant's first administrator, who receives the tenant-admin application role. */
public record FirstAdmin(String email, String givenName, String familyName) {

  public String printedName() {
    return givenName + " " + familyName;
  }
}
