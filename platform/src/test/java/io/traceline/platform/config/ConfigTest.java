package io.traceline.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Configuration from environment variables")
class ConfigTest {

  private static final Map<String, String> PROD_MINIMUM = Map.of(
      "TRACELINE_KEYCLOAK_URL", "https://id.example.org",
      "TRACELINE_KEYCLOAK_ADMIN_CLIENT_SECRET", "s3cret",
      "TRACELINE_KEYCLOAK_SIGNING_CLIENT_SECRET", "sign-s3cret");

  @Test
  @DisplayName("production defaults: port 8080 on all interfaces, 1 MiB bodies, embedded database, 20 s grace, no demo")
  void productionDefaults() {
    Config config = Config.fromEnvironment(PROD_MINIMUM, false);

    assertThat(config.mode()).isEqualTo(Config.Mode.PROD);
    assertThat(config.devMode()).isFalse();
    assertThat(config.httpHost()).isEqualTo("0.0.0.0");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.httpBodyLimit()).isEqualTo(1_048_576);
    assertThat(config.dataDir()).isEqualTo(Path.of(".traceline").toAbsolutePath());
    assertThat(config.dbUrl()).isEmpty();
    assertThat(config.dbUser()).isEqualTo("traceline");
    assertThat(config.dbPassword()).isEmpty();
    assertThat(config.dbPoolSize()).isEqualTo(16);
    assertThat(config.keycloakUrl()).contains("https://id.example.org");
    assertThat(config.keycloakRealm()).isEqualTo("traceline");
    assertThat(config.keycloakAudience()).isEqualTo("traceline-api");
    assertThat(config.keycloakAdminClientId()).isEqualTo("traceline-provisioner");
    assertThat(config.keycloakAdminClientSecret()).isEqualTo("s3cret");
    assertThat(config.keycloakDevPort()).isEqualTo(8180);
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.seedDemo()).isFalse();
    assertThat(config.migrationUser()).isEqualTo("traceline");
    assertThat(config.separateRuntimeRole()).isNull();
    assertThat(config.signingClientId()).isEqualTo("traceline-signing");
    assertThat(config.signingClientSecret()).isEqualTo("sign-s3cret");
  }

  @Test
  @DisplayName("migrations run as TRACELINE_DB_MIGRATION_USER (the owner) while the pool runs as the runtime role")
  void separateMigrationLogin() {
    Map<String, String> env = new HashMap<>(PROD_MINIMUM);
    env.put("TRACELINE_DB_USER", "traceline_app");
    env.put("TRACELINE_DB_PASSWORD", "app-pw");
    env.put("TRACELINE_DB_MIGRATION_USER", "traceline_owner");
    env.put("TRACELINE_DB_MIGRATION_PASSWORD", "owner-pw");
    Config config = Config.fromEnvironment(env, false);

    assertThat(config.migrationUser()).isEqualTo("traceline_owner");
    assertThat(config.migrationPassword()).isEqualTo("owner-pw");
    assertThat(config.separateRuntimeRole()).isEqualTo("traceline_app");
    assertThat(config.toString()).doesNotContain("owner-pw").doesNotContain("app-pw");
  }

  @Test
  @DisplayName("outside dev mode the signing client's secret is required; dev mode uses the dev realm's")
  void signingSecret() {
    Map<String, String> env = new HashMap<>(PROD_MINIMUM);
    env.remove("TRACELINE_KEYCLOAK_SIGNING_CLIENT_SECRET");
    assertThatThrownBy(() -> Config.fromEnvironment(env, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TRACELINE_KEYCLOAK_SIGNING_CLIENT_SECRET");
    assertThat(Config.fromEnvironment(Map.of(), true).signingClientSecret()).isEqualTo(Config.DEV_SIGNING_CLIENT_SECRET);
  }

  @Test
  @DisplayName("every variable overrides its default; blank values count as unset")
  void overrides() {
    Map<String, String> env = new HashMap<>(PROD_MINIMUM);
    env.put("TRACELINE_HTTP_HOST", "127.0.0.1");
    env.put("TRACELINE_HTTP_PORT", "0");
    env.put("TRACELINE_HTTP_BODY_LIMIT", "2048");
    env.put("TRACELINE_DATA_DIR", "/var/lib/traceline");
    env.put("TRACELINE_DB_URL", " postgresql://db:5432/traceline ");
    env.put("TRACELINE_DB_USER", "app");
    env.put("TRACELINE_DB_PASSWORD", "pw");
    env.put("TRACELINE_DB_POOL_SIZE", "4");
    env.put("TRACELINE_KEYCLOAK_REALM", "acme");
    env.put("TRACELINE_KEYCLOAK_AUDIENCE", "acme-api");
    env.put("TRACELINE_KEYCLOAK_ADMIN_CLIENT_ID", "acme-provisioner");
    env.put("TRACELINE_KEYCLOAK_DEV_PORT", "9180");
    env.put("TRACELINE_SHUTDOWN_GRACE_SECONDS", "3");
    env.put("TRACELINE_DEMO", "yes");
    env.put("TRACELINE_MODE", "  ");

    Config config = Config.fromEnvironment(env, false);

    assertThat(config.mode()).isEqualTo(Config.Mode.PROD);
    assertThat(config.httpHost()).isEqualTo("127.0.0.1");
    assertThat(config.httpPort()).isZero();
    assertThat(config.httpBodyLimit()).isEqualTo(2048);
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/traceline"));
    assertThat(config.dbUrl()).contains("postgresql://db:5432/traceline");
    assertThat(config.dbUser()).isEqualTo("app");
    assertThat(config.dbPassword()).isEqualTo("pw");
    assertThat(config.dbPoolSize()).isEqualTo(4);
    assertThat(config.keycloakRealm()).isEqualTo("acme");
    assertThat(config.keycloakAudience()).isEqualTo("acme-api");
    assertThat(config.keycloakAdminClientId()).isEqualTo("acme-provisioner");
    assertThat(config.keycloakDevPort()).isEqualTo(9180);
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.seedDemo()).isTrue();
  }

  @Test
  @DisplayName("the dev flag selects dev mode: embedded Keycloak, the dev realm's admin secret and the demo tenant")
  void devFlag() {
    Config config = Config.fromEnvironment(Map.of("TRACELINE_MODE", "prod"), true);

    assertThat(config.mode()).isEqualTo(Config.Mode.DEV);
    assertThat(config.devMode()).isTrue();
    assertThat(config.keycloakUrl()).isEmpty();
    assertThat(config.keycloakAdminClientSecret()).isEqualTo(Config.DEV_ADMIN_CLIENT_SECRET);
    assertThat(config.seedDemo()).isTrue();
  }

  @Test
  @DisplayName("TRACELINE_MODE=dev without the flag is dev mode too; a dev run may switch the demo off and set its own secret")
  void devByVariable() {
    Config config = Config.fromEnvironment(Map.of("TRACELINE_MODE", "Dev", "TRACELINE_DEMO", "off",
        "TRACELINE_KEYCLOAK_ADMIN_CLIENT_SECRET", "mine"), false);

    assertThat(config.devMode()).isTrue();
    assertThat(config.seedDemo()).isFalse();
    assertThat(config.keycloakAdminClientSecret()).isEqualTo("mine");
  }

  @Test
  @DisplayName("outside dev mode a Keycloak URL is required, and the message names the variable and how to get dev mode")
  void productionNeedsKeycloak() {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TRACELINE_KEYCLOAK_ADMIN_CLIENT_SECRET", "s3cret"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TRACELINE_KEYCLOAK_URL")
        .hasMessageContaining("dev");
  }

  @Test
  @DisplayName("outside dev mode the provisioning client's secret is required, never the dev realm's")
  void productionNeedsAdminSecret() {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TRACELINE_KEYCLOAK_URL", "https://id.example.org"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TRACELINE_KEYCLOAK_ADMIN_CLIENT_SECRET");
  }

  @ParameterizedTest(name = "{0}={1}")
  @DisplayName("a malformed value stops the start with a message naming the variable and the value")
  @CsvSource(delimiter = '|', value = {
      "TRACELINE_HTTP_PORT|http",
      "TRACELINE_HTTP_PORT|65536",
      "TRACELINE_HTTP_PORT|-1",
      "TRACELINE_KEYCLOAK_DEV_PORT|8o80",
      "TRACELINE_HTTP_BODY_LIMIT|1MB",
      "TRACELINE_HTTP_BODY_LIMIT|0",
      "TRACELINE_DB_POOL_SIZE|-4",
      "TRACELINE_DB_POOL_SIZE|many",
      "TRACELINE_SHUTDOWN_GRACE_SECONDS|20s",
      "TRACELINE_DEMO|maybe",
      "TRACELINE_MODE|staging"
  })
  void malformed(String variable, String value) {
    Map<String, String> env = new HashMap<>(PROD_MINIMUM);
    env.put(variable, value);

    assertThatThrownBy(() -> Config.fromEnvironment(env, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(variable)
        .hasMessageContaining(value);
  }

  @Test
  @DisplayName("toString shows where the platform connects but never a password or secret")
  void noSecretsInToString() {
    Map<String, String> env = new HashMap<>(PROD_MINIMUM);
    env.put("TRACELINE_DB_PASSWORD", "db-pass-value");
    String text = Config.fromEnvironment(env, false).toString();

    assertThat(text).contains("https://id.example.org").doesNotContain("db-pass-value").doesNotContain("s3cret");
  }

  @Test
  @DisplayName("with... copies change only the named settings")
  void copies() {
    Config config = Config.fromEnvironment(PROD_MINIMUM, false)
        .withHttpPort(9090)
        .withDatabase("postgresql://localhost:5555/x", "u", "p")
        .withKeycloakUrl("http://localhost:8181");

    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.dbUrl()).isEqualTo(Optional.of("postgresql://localhost:5555/x"));
    assertThat(config.dbUser()).isEqualTo("u");
    assertThat(config.dbPassword()).isEqualTo("p");
    assertThat(config.keycloakUrl()).contains("http://localhost:8181");
    assertThat(config.keycloakAdminClientSecret()).isEqualTo("s3cret");
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
  }
}
