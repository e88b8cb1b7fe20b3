package io.traceline.platform.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's configuration, read once from environment variables (README, "Configuration").
 * Empty database or Keycloak settings select the embedded defaults.
 */
public record Config(
    Mode mode,
    String httpHost,
    int httpPort,
    long httpBodyLimit,
    Path dataDir,
    Optional<String> dbUrl,
    String dbUser,
    String dbPassword,
    int dbPoolSize,
    Optional<String> keycloakUrl,
    String keycloakRealm,
    String keycloakAudience,
    String keycloakAdminClientId,
    String keycloakAdminClientSecret,
    int keycloakDevPort,
    Duration shutdownGrace,
    boolean seedDemo,
    int embeddedDbPort,
    ClusterConfig cluster,
    Optional<String> dbMigrationUser,
    String dbMigrationPassword,
    String signingClientId,
    String signingClientSecret,
    long documentMaxBytes,
    int trainingFanOutChunk) {

  public enum Mode { DEV, PROD }

  /** Dev-realm secret of the provisioning client; production supplies its own through the environment. */
  public static final String DEV_ADMIN_CLIENT_SECRET = "traceline-provisioner-dev-secret";
  /** Dev-realm secret of the client that checks signers' credentials (11.200). */
  public static final String DEV_SIGNING_CLIENT_SECRET = "traceline-signing-dev-secret";

  public boolean devMode() {
    return mode == Mode.DEV;
  }

  public static Config fromEnvironment(Map<String, String> env, boolean devFlag) {
    EnvReader read = new EnvReader(env);
    Mode mode = devFlag ? Mode.DEV : read.enumValue("TRACELINE_MODE", Mode.class, Mode.PROD);
    boolean dev = mode == Mode.DEV;
    Config config = new Config(
        mode,
        read.string("TRACELINE_HTTP_HOST", "0.0.0.0"),
        read.port("TRACELINE_HTTP_PORT", 8080),
        read.positiveLong("TRACELINE_HTTP_BODY_LIMIT", 1_048_576),
        Path.of(read.string("TRACELINE_DATA_DIR", ".traceline")).toAbsolutePath(),
        read.optional("TRACELINE_DB_URL"),
        read.string("TRACELINE_DB_USER", "traceline"),
        read.string("TRACELINE_DB_PASSWORD", ""),
        (int) read.positiveLong("TRACELINE_DB_POOL_SIZE", 16),
        read.optional("TRACELINE_KEYCLOAK_URL"),
        read.string("TRACELINE_KEYCLOAK_REALM", "traceline"),
        read.string("TRACELINE_KEYCLOAK_AUDIENCE", "traceline-api"),
        read.string("TRACELINE_KEYCLOAK_ADMIN_CLIENT_ID", "traceline-provisioner"),
        read.string("TRACELINE_KEYCLOAK_ADMIN_CLIENT_SECRET", dev ? DEV_ADMIN_CLIENT_SECRET : ""),
        read.port("TRACELINE_KEYCLOAK_DEV_PORT", 8180),
        Duration.ofSeconds(read.positiveLong("TRACELINE_SHUTDOWN_GRACE_SECONDS", 20)),
        read.bool("TRACELINE_DEMO", dev),
        read.port("TRACELINE_EMBEDDED_DB_PORT", 0),
        ClusterConfig.read(read, dev),
        read.optional("TRACELINE_DB_MIGRATION_USER"),
        read.string("TRACELINE_DB_MIGRATION_PASSWORD", ""),
        read.string("TRACELINE_KEYCLOAK_SIGNING_CLIENT_ID", "traceline-signing"),
        read.string("TRACELINE_KEYCLOAK_SIGNING_CLIENT_SECRET", dev ? DEV_SIGNING_CLIENT_SECRET : ""),
        read.positiveLong("TRACELINE_DOCUMENT_MAX_BYTES", 26_214_400),
        (int) read.positiveLong("TRACELINE_TRAINING_FANOUT_CHUNK", 10_000));
    config.check();
    return config;
  }

  private void check() {
    if (!devMode() && keycloakUrl.isEmpty()) {
      throw new ConfigException("TRACELINE_KEYCLOAK_URL is required outside dev mode "
          + "(dev mode starts a local Keycloak: run with the argument 'dev' or TRACELINE_MODE=dev)");
    }
    if (keycloakAdminClientSecret.isEmpty()) {
      throw new ConfigException("TRACELINE_KEYCLOAK_ADMIN_CLIENT_SECRET is required outside dev mode");
    }
    if (signingClientSecret.isEmpty()) {
      throw new ConfigException("TRACELINE_KEYCLOAK_SIGNING_CLIENT_SECRET is required outside dev mode "
          + "(the confidential client that checks signers' credentials at each electronic signature)");
    }
  }

  /** The login that owns the schemas and runs migrations: TRACELINE_DB_MIGRATION_USER, else the runtime user. */
  public String migrationUser() {
    return dbMigrationUser.orElse(dbUser);
  }

  public String migrationPassword() {
    return dbMigrationUser.isPresent() ? dbMigrationPassword : dbPassword;
  }

  /** The runtime role when it differs from the owner (it then gets only runtime-grants.sql's privileges), else null. */
  public String separateRuntimeRole() {
    return migrationUser().equals(dbUser) ? null : dbUser;
  }

  /** Runs migrations as {@code user} (the owner) while the pool keeps the runtime login. */
  public Config withMigrationLogin(String user, String password) {
    return new Config(mode, httpHost, httpPort, httpBodyLimit, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize,
        keycloakUrl, keycloakRealm, keycloakAudience, keycloakAdminClientId, keycloakAdminClientSecret,
        keycloakDevPort, shutdownGrace, seedDemo, embeddedDbPort, cluster, Optional.of(user), password, signingClientId,
        signingClientSecret, documentMaxBytes, trainingFanOutChunk);
  }

  public Config withKeycloakUrl(String url) {
    return new Config(mode, httpHost, httpPort, httpBodyLimit, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize,
        Optional.of(url), keycloakRealm, keycloakAudience, keycloakAdminClientId, keycloakAdminClientSecret,
        keycloakDevPort, shutdownGrace, seedDemo, embeddedDbPort, cluster, dbMigrationUser, dbMigrationPassword,
        signingClientId, signingClientSecret, documentMaxBytes, trainingFanOutChunk);
  }

  public Config withCluster(ClusterConfig clusterConfig) {
    return new Config(mode, httpHost, httpPort, httpBodyLimit, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize,
        keycloakUrl, keycloakRealm, keycloakAudience, keycloakAdminClientId, keycloakAdminClientSecret,
        keycloakDevPort, shutdownGrace, seedDemo, embeddedDbPort, clusterConfig, dbMigrationUser, dbMigrationPassword,
        signingClientId, signingClientSecret, documentMaxBytes, trainingFanOutChunk);
  }

  public Config withHttpPort(int port) {
    return new Config(mode, httpHost, port, httpBodyLimit, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize,
        keycloakUrl, keycloakRealm, keycloakAudience, keycloakAdminClientId, keycloakAdminClientSecret,
        keycloakDevPort, shutdownGrace, seedDemo, embeddedDbPort, cluster, dbMigrationUser, dbMigrationPassword,
        signingClientId, signingClientSecret, documentMaxBytes, trainingFanOutChunk);
  }

  public Config withDatabase(String url, String user, String password) {
    return new Config(mode, httpHost, httpPort, httpBodyLimit, dataDir, Optional.of(url), user, password, dbPoolSize,
        keycloakUrl, keycloakRealm, keycloakAudience, keycloakAdminClientId, keycloakAdminClientSecret,
        keycloakDevPort, shutdownGrace, seedDemo, embeddedDbPort, cluster, dbMigrationUser, dbMigrationPassword,
        signingClientId, signingClientSecret, documentMaxBytes, trainingFanOutChunk);
  }

  @Override
  public String toString() {
    return "Config[mode=" + mode + ", http=" + httpHost + ":" + httpPort + ", dataDir=" + dataDir
        + ", db=" + dbUrl.orElse("(embedded)") + ", dbUser=" + dbUser + ", dbMigrationUser=" + migrationUser()
        + ", keycloak=" + keycloakUrl.orElse("(embedded)")
        + ", realm=" + keycloakRealm + ", demo=" + seedDemo + ", cluster=" + cluster.name() + "@" + cluster.port()
        + (cluster.members().isEmpty() ? "" : " members " + cluster.members())
        + cluster.kubernetesServiceDns().map(dns -> " dns " + dns).orElse("") + "]";
  }
}
