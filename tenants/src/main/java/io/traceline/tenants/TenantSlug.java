package io.traceline.tenants;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tenant's identifier: lower-case, starts with a letter, 3 to 40 characters of letters, digits and
 * underscores. The same string is the Keycloak organization alias and, prefixed with {@code t_}, the
 * tenant's PostgreSQL schema, so the pattern is what keeps both safe to use in identifiers.
 */
public record TenantSlug(String value) {

  public static final String PATTERN = "^[a-z][a-z0-9_]{2,39}$";
  private static final Pattern VALID = Pattern.compile(PATTERN);

  public TenantSlug {
    Objects.requireNonNull(value, "slug");
    if (!isValid(value)) {
      throw new IllegalArgumentException("slug must match " + PATTERN);
    }
  }

  public static boolean isValid(String candidate) {
    return candidate != null && VALID.matcher(candidate).matches();
  }

  /** The PostgreSQL schema holding this tenant's data. */
  public String schemaName() {
    return "t_" + value;
  }

  @Override
  public String toString() {
    return value;
  }
}
