package io.traceline.tenants;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/** The tenant registry in the control schema. SQL only; callers own the rules. */
public final class TenantRegistry {

  private static final String COLUMNS = "slug, schema_name, display_name, admin_email, admin_given_name, "
      + "admin_family_name, state, step, organization_id, admin_user_id, last_error, requested_by, created_at, "
      + "updated_at, ready_at";

  private final Pool pool;

  public TenantRegistry(Pool pool) {
    this.pool = pool;
  }

  /** Registers a tenant to provision; false when the slug is already registered. */
  public Future<Boolean> register(ProvisioningRequest request) {
    return pool.preparedQuery("INSERT INTO control.tenant (slug, schema_name, display_name, admin_email, "
            + "admin_given_name, admin_family_name, state, step, requested_by) "
            + "VALUES ($1, $2, $3, $4, $5, $6, 'provisioning', 'registered', $7) ON CONFLICT (slug) DO NOTHING")
        .execute(Tuple.of(request.slug().value(), request.slug().schemaName(), request.displayName(),
            request.firstAdmin().email(), request.firstAdmin().givenName(), request.firstAdmin().familyName(),
            request.requestedBy()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The tenant, or null when no tenant has this slug. */
  public Future<Tenant> find(String slug) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM control.tenant WHERE slug = $1")
        .execute(Tuple.of(slug))
        .map(rows -> rows.size() == 0 ? null : toTenant(rows.iterator().next()));
  }

  /** Tenants in slug order after {@code afterSlug} (null for the first page). */
  public Future<List<Tenant>> list(String afterSlug, int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM control.tenant WHERE $1::text IS NULL OR slug > $1 "
            + "ORDER BY slug LIMIT $2")
        .execute(Tuple.of(afterSlug, limit))
        .map(TenantRegistry::toTenants);
  }

  /** Ready tenants whose schema was migrated with another changelog than {@code changelogVersion}. */
  public Future<List<Tenant>> needingMigration(String changelogVersion) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM control.tenant "
            + "WHERE state = 'ready' AND changelog_version IS DISTINCT FROM $1 ORDER BY slug")
        .execute(Tuple.of(changelogVersion))
        .map(TenantRegistry::toTenants);
  }

  /** Tenants that were left half-provisioned (a crash, a failed dependency). */
  public Future<List<Tenant>> unfinished() {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM control.tenant WHERE state <> 'ready' ORDER BY slug")
        .execute()
        .map(TenantRegistry::toTenants);
  }

  public Future<Void> recordSchemaMigrated(String slug, String changelogVersion) {
    return update("UPDATE control.tenant SET step = CASE WHEN step = 'registered' THEN 'schema_migrated' ELSE step END, "
        + "changelog_version = $2, updated_at = now() WHERE slug = $1", Tuple.of(slug, changelogVersion));
  }

  public Future<Void> recordOrganization(String slug, String organizationId) {
    return update("UPDATE control.tenant SET step = 'organization_created', organization_id = $2, updated_at = now() "
        + "WHERE slug = $1", Tuple.of(slug, organizationId));
  }

  public Future<Void> recordAdminUser(String slug, String adminUserId) {
    return update("UPDATE control.tenant SET step = 'admin_created', admin_user_id = $2, updated_at = now() "
        + "WHERE slug = $1", Tuple.of(slug, adminUserId));
  }

  public Future<Void> recordReady(String slug) {
    return update("UPDATE control.tenant SET step = 'admin_granted', state = 'ready', last_error = NULL, "
        + "updated_at = now(), ready_at = coalesce(ready_at, now()) WHERE slug = $1", Tuple.of(slug));
  }

  public Future<Void> recordResumed(String slug) {
    return update("UPDATE control.tenant SET state = 'provisioning', updated_at = now() "
        + "WHERE slug = $1 AND state = 'failed'", Tuple.of(slug));
  }

  public Future<Void> recordFailure(String slug, String error) {
    return update("UPDATE control.tenant SET state = 'failed', last_error = $2, updated_at = now() WHERE slug = $1",
        Tuple.of(slug, error));
  }

  public Future<Void> recordChangelogVersion(String slug, String changelogVersion) {
    return update("UPDATE control.tenant SET changelog_version = $2, updated_at = now() WHERE slug = $1",
        Tuple.of(slug, changelogVersion));
  }

  private Future<Void> update(String sql, Tuple params) {
    return pool.preparedQuery(sql).execute(params).mapEmpty();
  }

  private static List<Tenant> toTenants(RowSet<Row> rows) {
    List<Tenant> tenants = new ArrayList<>(rows.size());
    rows.forEach(row -> tenants.add(toTenant(row)));
    return tenants;
  }

  private static Tenant toTenant(Row row) {
    return new Tenant(
        row.getString("slug"),
        row.getString("schema_name"),
        row.getString("display_name"),
        new FirstAdmin(row.getString("admin_email"), row.getString("admin_given_name"),
            row.getString("admin_family_name")),
        TenantState.fromDb(row.getString("state")),
        ProvisioningStep.fromDb(row.getString("step")),
        row.getString("organization_id"),
        row.getString("admin_user_id"),
        row.getString("last_error"),
        row.getString("requested_by"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"),
        row.getOffsetDateTime("ready_at"));
  }
}
