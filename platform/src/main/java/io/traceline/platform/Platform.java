package io.traceline.platform;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.traceline.platform.cluster.ClusterMember;
import io.traceline.platform.config.Config;
import io.traceline.platform.jobs.JobRuntime;
import io.traceline.platform.demo.DemoActivity;
import io.traceline.platform.demo.DemoTenantSeeder;
import io.traceline.platform.dev.EmbeddedPostgresServer;
import io.traceline.platform.dev.KeycloakDevServer;
import io.traceline.platform.db.Database;
import io.traceline.tenants.SchemaMigrator;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One running platform instance: embedded dependencies when none are configured, schema migrations,
 * the HTTP verticles, and an orderly shutdown (stop being ready, stop accepting, drain, close).
 */
public final class Platform implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
  /**
   * Micrometer JVM meters whose Prometheus names fail {@code promtool check metrics} (abbreviated units in
   * {@code jvm_compilation_time_ms_total} and {@code process_cpu_time_ns_total}; a gauge ending in
   * {@code _count} in {@code system_cpu_count}). {@code process_cpu_usage} and {@code system_cpu_usage} stay.
   */
  private static final Set<String> LINT_FAILING_METERS = Set.of("jvm.compilation.time", "process.cpu.time",
      "system.cpu.count");

  private final Config config;
  private final Vertx vertx;
  private final Components components;
  private final EmbeddedPostgresServer embeddedPostgres;
  private final KeycloakDevServer embeddedKeycloak;
  private final ClusterMember member;
  private final String httpDeployment;
  private final String jobRuntimeDeployment;
  private volatile boolean closed;

  private Platform(Config config, Vertx vertx, Components components, EmbeddedPostgresServer embeddedPostgres,
                   KeycloakDevServer embeddedKeycloak, ClusterMember member, String httpDeployment,
                   String jobRuntimeDeployment) {
    this.config = config;
    this.vertx = vertx;
    this.components = components;
    this.embeddedPostgres = embeddedPostgres;
    this.embeddedKeycloak = embeddedKeycloak;
    this.member = member;
    this.httpDeployment = httpDeployment;
    this.jobRuntimeDeployment = jobRuntimeDeployment;
  }

  public static Platform start(Config requested) {
    long started = System.nanoTime();
    routeJavaUtilLogging();
    EmbeddedPostgresServer postgres = null;
    KeycloakDevServer keycloak = null;
    ClusterMember member = null;
    Vertx vertx = null;
    try {
      // The two embedded servers start in parallel: Keycloak takes ~20-60 s, PostgreSQL a few.
      CompletableFuture<KeycloakDevServer> keycloakStart = requested.keycloakUrl().isPresent()
          ? CompletableFuture.completedFuture(null)
          : CompletableFuture.supplyAsync(() -> KeycloakDevServer.start(KeycloakDevServer.locateDistribution(),
              requested.dataDir().resolve("keycloak"), requested.keycloakDevPort(), false, requested.keycloakRealm()));
      Config config = requested;
      if (config.dbUrl().isEmpty()) {
        postgres = EmbeddedPostgresServer.start(config.dataDir().resolve("postgres"), false, config.embeddedDbPort());
        // The superuser owns the schemas and migrates; the pool runs as a role without the privilege to
        // rewrite the audit trail, as a production installation should (README, "Database roles").
        config = config.withDatabase(postgres.url(), postgres.user(), postgres.password())
            .withMigrationLogin(postgres.user(), postgres.password())
            .withDatabase(postgres.url(), EmbeddedPostgresServer.RUNTIME_ROLE, EmbeddedPostgresServer.RUNTIME_PASSWORD);
        Database.ensureRuntimeRole(Database.jdbc(config), EmbeddedPostgresServer.RUNTIME_ROLE,
            EmbeddedPostgresServer.RUNTIME_PASSWORD);
      }
      keycloak = join(keycloakStart);
      if (keycloak != null) {
        config = config.withKeycloakUrl(keycloak.url());
      }
      if (config.httpPort() == 0) {
        config = config.withHttpPort(freePort());
      }

      if (config.separateRuntimeRole() == null) {
        LOG.warn("The platform's pool runs as the schemas' owner ({}): only triggers, not privileges, keep it from "
            + "rewriting the audit trail. Set TRACELINE_DB_MIGRATION_USER to the owner and TRACELINE_DB_USER to a "
            + "runtime role.", config.dbUser());
      }
      SchemaMigrator migrator = new SchemaMigrator(Database.jdbc(config), config.separateRuntimeRole());
      migrator.migrateControl();

      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      meters.config().meterFilter(MeterFilter.deny(id -> LINT_FAILING_METERS.contains(id.getName())));
      vertx = Vertx.builder()
          .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
              .setEnabled(true)
              // Vert.x keeps one registry per name per JVM: under the default name a second platform in the
              // same JVM (tests, a cluster of instances) would report into the first one's registry, and
              // closing either would stop it for both.
              .setRegistryName("traceline-" + UUID.randomUUID())
              .setJvmMetricsEnabled(true)
              .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
              // Routes, never raw paths, tenants or users: bounded label cardinality.
              .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE,
                  Label.POOL_NAME))))
          .withMetrics(new MicrometerMetricsFactory(meters))
          .build();

      member = ClusterMember.start(config.cluster());
      Components components = await(new Components(config, vertx, meters, migrator, member).load());
      int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
      // An instance with jobs disabled serves HTTP and enqueues jobs, but runs none.
      String jobRuntime = config.cluster().jobsEnabled()
          ? await(vertx.deployVerticle(new JobRuntime(member, components.jobsPool, components.jobKinds, config.cluster(), meters)))
          : null;
      String http = await(vertx.deployVerticle(() -> new HttpVerticle(components),
          new DeploymentOptions().setInstances(instances)));
      Platform platform = new Platform(config, vertx, components, postgres, keycloak, member, http, jobRuntime);
      platform.catchUpTenants();
      if (config.seedDemo()) {
        await(new DemoTenantSeeder(components.provisioner, components.registry, components.tenantScope,
            components.directory, components.workers, components.migrator, components.auditTrail, components.jobQueue,
            config.trainingFanOutChunk(), new DemoActivity.Endpoints("http://localhost:" + platform.httpPort() + "/api/v1/t/"
                + DemoTenantSeeder.SLUG, components.realmUrl() + "/protocol/openid-connect/token", "traceline-portal"))
            .seed());
      }
      LOG.info("Traceline ({} mode) listening on http://localhost:{} in {} s", config.mode().name().toLowerCase(),
          config.httpPort(), (System.nanoTime() - started) / 1_000_000_000);
      return platform;
    } catch (RuntimeException e) {
      if (vertx != null) {
        vertx.close();
      }
      if (member != null) {
        member.close();
      }
      if (keycloak != null) {
        keycloak.close();
      }
      if (postgres != null) {
        postgres.close();
      }
      throw e;
    }
  }

  /**
   * Finishes provisionings a crash left half-done, and migrates tenants whose schema is behind this
   * build's changelog. Runs in the background; a failing tenant is logged and does not stop the others.
   */
  private void catchUpTenants() {
    components.registry.unfinished().onSuccess(tenants -> tenants.forEach(tenant ->
        components.provisioner.resume(tenant).onFailure(failure ->
            LOG.warn("Tenant {} could not be resumed: {}", tenant.slug(), failure.getMessage()))));
    String version = components.migrator.tenantChangelogVersion();
    components.registry.needingMigration(version).onSuccess(tenants -> tenants.forEach(tenant ->
        components.workers.executeBlocking(() -> components.migrator.migrateTenant(tenant.tenantSlug()), false)
            .compose(migrated -> components.registry.recordChangelogVersion(tenant.slug(), migrated))
            .onFailure(failure -> LOG.error("Tenant {} could not be migrated: {}", tenant.slug(), failure.getMessage()))));
  }

  /** Liquibase and some libraries log through java.util.logging: route it into the platform's log. */
  private static synchronized void routeJavaUtilLogging() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  public Config config() {
    return config;
  }

  public int httpPort() {
    return config.httpPort();
  }

  public Vertx vertx() {
    return vertx;
  }

  public ClusterMember member() {
    return member;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("Shutting down: no longer ready, draining requests for up to {} s", config.shutdownGrace().toSeconds());
    components.readiness.startDraining();
    try {
      // HTTP first (drain requests), then the job runtime (finish chunks in flight), then hand this member's
      // partitions to the others (graceful Hazelcast shutdown), then the pools.
      vertx.undeploy(httpDeployment).toCompletionStage().toCompletableFuture()
          .get(config.shutdownGrace().toSeconds() + 5, TimeUnit.SECONDS);
      if (jobRuntimeDeployment != null) {
        vertx.undeploy(jobRuntimeDeployment).toCompletionStage().toCompletableFuture().get(35, TimeUnit.SECONDS);
      }
      member.close();
      components.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Shutdown was not clean: {}", e.toString());
    } finally {
      if (embeddedKeycloak != null) {
        embeddedKeycloak.close();
      }
      if (embeddedPostgres != null) {
        embeddedPostgres.close();
      }
    }
    LOG.info("Stopped");
  }

  static <T> T await(Future<T> future) {
    return join(future.toCompletionStage().toCompletableFuture());
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during start", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port", e);
    }
  }
}
