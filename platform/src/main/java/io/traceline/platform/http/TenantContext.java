package io.traceline.platform.http;

/** The tenant a request was admitted to, resolved from the registry (never from raw input). */
public record TenantContext(String slug, String schemaName, String organizationId) {

  public static final String KEY = "traceline.tenant";
}
