package io.traceline.tenants;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions tenants (TEN-1): registry row, schema and migrations, identity organization, first admin
 * login and membership, first admin's tenant-admin role. Steps run in order and each is recorded in
 * the registry when done; every step is idempotent, so provisioning the same tenant again resumes an
 * interrupted run and changes nothing on a finished one. Blocking calls (Liquibase, Keycloak's admin
 * client) run on the provisioning worker pool, never on an event loop.
 */
public final class TenantProvisioner {

  public static final String FIRST_ADMIN_REASON = "First administrator of the tenant, named at provisioning";
  private static final Logger LOG = LoggerFactory.getLogger(TenantProvisioner.class);

  private final TenantRegistry registry;
  private final SchemaMigrator migrator;
  private final IdentityDirectory directory;
  private final TenantScope tenantScope;
  private final WorkerExecutor workers;
  private final FirstAdminGrantListener grantListener;
  /** Requests for a tenant already being provisioned by this instance join the run under way. */
  private final Map<String, Future<ProvisioningResult>> inFlight = new ConcurrentHashMap<>();

  public TenantProvisioner(TenantRegistry registry, SchemaMigrator migrator, IdentityDirectory directory,
                           TenantScope tenantScope, WorkerExecutor workers) {
    this(registry, migrator, directory, tenantScope, workers, (connection, tenant, userId, grantId) -> Future.succeededFuture());
  }

  /** {@code grantListener} runs in the transaction that grants the first admin their role (the platform audits it). */
  public TenantProvisioner(TenantRegistry registry, SchemaMigrator migrator, IdentityDirectory directory,
                           TenantScope tenantScope, WorkerExecutor workers, FirstAdminGrantListener grantListener) {
    this.grantListener = grantListener;
    this.registry = registry;
    this.migrator = migrator;
    this.directory = directory;
    this.tenantScope = tenantScope;
    this.workers = workers;
  }

  /**
   * Provisions the tenant, or resumes it when an earlier run stopped half-way, or returns it unchanged
   * when it is ready. Fails with {@link TenantConflictException} when the slug is taken by a tenant with
   * other parameters, and with {@link ProvisioningFailedException} when a step fails.
   */
  public Future<ProvisioningResult> provision(ProvisioningRequest request) {
    String slug = request.slug().value();
    return registry.register(request).compose(registeredNow -> registry.find(slug).compose(tenant -> {
      if (!tenant.matches(request)) {
        return Future.failedFuture(new TenantConflictException(slug));
      }
      if (tenant.isReady()) {
        return Future.succeededFuture(new ProvisioningResult(tenant, registeredNow, null));
      }
      return resume(tenant).map(result -> result.asCreated(registeredNow));
    }));
  }

  /** Finishes a tenant left unfinished (state provisioning or failed). */
  public Future<ProvisioningResult> resume(Tenant tenant) {
    Future<ProvisioningResult> run = inFlight.computeIfAbsent(tenant.slug(), slug -> runRemainingSteps(tenant));
    return run.andThen(done -> inFlight.remove(tenant.slug(), run));
  }

  private Future<ProvisioningResult> runRemainingSteps(Tenant tenant) {
    String slug = tenant.slug();
    TenantSlug tenantSlug = tenant.tenantSlug();
    Progress progress = new Progress(tenant.organizationId(), tenant.adminUserId());
    LOG.info("Provisioning tenant {} from step {}", slug, tenant.step().dbValue());

    Future<Void> run = registry.recordResumed(slug);
    if (!ProvisioningStep.SCHEMA_MIGRATED.isDoneBy(tenant.step())) {
      run = run.compose(v -> blocking(() -> migrator.migrateTenant(tenantSlug)))
          .compose(version -> registry.recordSchemaMigrated(slug, version));
    }
    if (!ProvisioningStep.ORGANIZATION_CREATED.isDoneBy(tenant.step())) {
      run = run.compose(v -> blocking(() -> directory.ensureOrganization(tenantSlug, tenant.displayName())))
          .compose(organizationId -> {
            progress.organizationId = organizationId;
            return registry.recordOrganization(slug, organizationId);
          });
    }
    if (!ProvisioningStep.ADMIN_CREATED.isDoneBy(tenant.step())) {
      run = run.compose(v -> blocking(() -> {
            IdentityDirectory.EnsuredUser user = directory.ensureUser(tenant.firstAdmin());
            directory.ensureMember(progress.organizationId, user.id());
            return user;
          }))
          .compose(user -> {
            progress.adminUserId = user.id();
            progress.temporaryPassword = user.temporaryPassword();
            return registry.recordAdminUser(slug, user.id());
          });
    }
    run = run.compose(v -> grantTenantAdmin(tenant, progress.adminUserId))
        .compose(v -> registry.recordReady(slug));

    return run
        .recover(failure -> {
          LOG.warn("Provisioning of tenant {} stopped: {}", slug, failure.toString());
          String message = "Provisioning stopped: " + failure.getMessage();
          return registry.recordFailure(slug, truncate(message))
              .transform(ignored -> Future.failedFuture(new ProvisioningFailedException(slug, message, failure)));
        })
        .compose(v -> registry.find(slug))
        .map(done -> {
          LOG.info("Tenant {} is ready", slug);
          return new ProvisioningResult(done, false, progress.temporaryPassword);
        });
  }

  private Future<Void> grantTenantAdmin(Tenant tenant, String adminUserId) {
    java.util.UUID grantId = Ids.newId();
    return tenantScope.inTransaction(tenant.schemaName(), connection -> connection
        .preparedQuery("INSERT INTO role_grant (id, user_id, user_name, role, granted_by, granted_by_name, grant_reason) "
            + "VALUES ($1, $2, $3, 'tenant-admin', $4, 'Traceline provisioning', $5) "
            + "ON CONFLICT (user_id, role) WHERE revoked_at IS NULL DO NOTHING RETURNING id")
        .execute(Tuple.of(grantId, adminUserId, tenant.firstAdmin().printedName(), tenant.requestedBy(),
            FIRST_ADMIN_REASON))
        .compose(rows -> rows.size() == 0 ? Future.<Void>succeededFuture()
            : grantListener.granted(connection, tenant, adminUserId, grantId)));
  }

  /** Told, inside the granting transaction, that provisioning granted a tenant's first admin the tenant-admin role. */
  @FunctionalInterface
  public interface FirstAdminGrantListener {
    Future<Void> granted(io.vertx.sqlclient.SqlConnection connection, Tenant tenant, String adminUserId, java.util.UUID grantId);
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return workers.executeBlocking(work, false);
  }

  private static String truncate(String message) {
    return message.length() <= 1000 ? message : message.substring(0, 1000);
  }

  /** What this run learned, for the steps after the one that learned it. */
  private static final class Progress {
    private String organizationId;
    private String adminUserId;
    private String temporaryPassword;

    private Progress(String organizationId, String adminUserId) {
      this.organizationId = organizationId;
      this.adminUserId = adminUserId;
    }
  }
}
