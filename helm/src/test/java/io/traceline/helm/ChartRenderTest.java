package io.traceline.helm;

import static io.traceline.helm.Chart.FULLNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.traceline.helm.Chart.Node;
import io.traceline.helm.Chart.Rendered;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The rendered chart")
class ChartRenderTest {

  @Nested
  @DisplayName("Deployment")
  class DeploymentTest {

    @Test
    @DisplayName("probes startup and liveness on /health/live and readiness on /health/ready, on the http port")
    void probesUseTheHealthEndpoints() {
      Node container = Chart.render().container();

      assertThat(container.string("startupProbe.httpGet.path")).isEqualTo("/health/live");
      assertThat(container.string("livenessProbe.httpGet.path")).isEqualTo("/health/live");
      assertThat(container.string("readinessProbe.httpGet.path")).isEqualTo("/health/ready");
      assertThat(List.of("startupProbe", "livenessProbe", "readinessProbe"))
          .allSatisfy(probe -> assertThat(container.string(probe + ".httpGet.port")).isEqualTo("http"));
    }

    @Test
    @DisplayName("exposes http on 8080 and the Hazelcast member port on 5701")
    void exposesHttpAndHazelcastPorts() {
      Node container = Chart.render().container();

      assertThat(container.named("ports", "http").at("containerPort")).isEqualTo(8080);
      assertThat(container.named("ports", "hazelcast").at("containerPort")).isEqualTo(5701);
    }

    @Test
    @DisplayName("carries a sha256 checksum of the ConfigMap in the pod annotations")
    void carriesConfigChecksum() {
      assertThat(Chart.render().checksum()).matches("[0-9a-f]{64}");
    }

    @Test
    @DisplayName("gets a new checksum when a configuration value changes, so the pods roll")
    void configChangeChangesChecksum() {
      String before = Chart.render().checksum();

      assertThat(Chart.render(Map.of("database.poolSize", 32)).checksum()).isNotEqualTo(before);
      assertThat(Chart.render(Map.of("logFormat", "text")).checksum()).isNotEqualTo(before);
    }

    @Test
    @DisplayName("keeps its checksum when only the replica count changes, so scaling restarts nothing")
    void scalingKeepsChecksum() {
      assertThat(Chart.render(Map.of("replicaCount", 4)).checksum()).isEqualTo(Chart.render().checksum());
    }

    @Test
    @DisplayName("runs the configured number of replicas")
    void honoursReplicaCount() {
      assertThat(Chart.render().deployment().at("spec.replicas")).isEqualTo(1);
      assertThat(Chart.render(Map.of("replicaCount", 3)).deployment().at("spec.replicas")).isEqualTo(3);
    }

    @Test
    @DisplayName("runs as non-root on a read-only root filesystem, with emptyDirs for /tmp and the data directory")
    void runsLockedDown() {
      Rendered rendered = Chart.render();
      Node pod = rendered.deployment().node("spec.template.spec");
      Node container = rendered.container();

      assertThat(pod.at("securityContext.runAsNonRoot")).isEqualTo(true);
      assertThat(container.at("securityContext.readOnlyRootFilesystem")).isEqualTo(true);
      assertThat(container.at("securityContext.allowPrivilegeEscalation")).isEqualTo(false);
      assertThat(container.named("volumeMounts", "tmp").string("mountPath")).isEqualTo("/tmp");
      String dataDir = rendered.configMap().string("data.TRACELINE_DATA_DIR");
      assertThat(container.named("volumeMounts", "data").string("mountPath")).isEqualTo(dataDir);
      assertThat(pod.named("volumes", "tmp").at("emptyDir")).isInstanceOf(Map.class);
      assertThat(pod.named("volumes", "data").at("emptyDir")).isInstanceOf(Map.class);
    }

    @Test
    @DisplayName("waits in preStop, then gives the platform more than its shutdown grace before the kill")
    void shutsDownGracefully() {
      Rendered rendered = Chart.render();
      Node pod = rendered.deployment().node("spec.template.spec");
      int grace = Integer.parseInt(rendered.configMap().string("data.TRACELINE_SHUTDOWN_GRACE_SECONDS"));
      int preStop = (Integer) rendered.container().at("lifecycle.preStop.sleep.seconds");

      assertThat(preStop).isPositive();
      assertThat((Integer) pod.at("terminationGracePeriodSeconds")).isGreaterThan(preStop + grace);
    }

    @Test
    @DisplayName("derives the termination grace from a raised shutdown grace")
    void terminationGraceFollowsShutdownGrace() {
      Rendered rendered = Chart.render(Map.of("shutdown.graceSeconds", 60));

      assertThat(rendered.configMap().string("data.TRACELINE_SHUTDOWN_GRACE_SECONDS")).isEqualTo("60");
      assertThat((Integer) rendered.deployment().at("spec.template.spec.terminationGracePeriodSeconds"))
          .isGreaterThan(60);
    }

    @Test
    @DisplayName("runs `sleep` in the container for preStop when the exec mode is chosen")
    void execPreStop() {
      Node container = Chart.render(Map.of("shutdown.preStopMode", "exec")).container();

      assertThat(container.at("lifecycle.preStop.exec.command")).isEqualTo(List.of("sleep", "5"));
      assertThat(container.at("lifecycle.preStop.sleep")).isNull();
    }

    @Test
    @DisplayName("prefers spreading pods over nodes by default, and requires it with the hard preset")
    void antiAffinity() {
      Node soft = Chart.render().deployment().node("spec.template.spec.affinity.podAntiAffinity");
      Node hard = Chart.render(Map.of("podAntiAffinityPreset", "hard"))
          .deployment().node("spec.template.spec.affinity.podAntiAffinity");

      assertThat(soft.list("preferredDuringSchedulingIgnoredDuringExecution")).hasSize(1);
      assertThat(soft.at("requiredDuringSchedulingIgnoredDuringExecution")).isNull();
      assertThat(hard.list("requiredDuringSchedulingIgnoredDuringExecution")).hasSize(1);
      assertThat(Chart.render(Map.of("podAntiAffinityPreset", "none"))
          .deployment().at("spec.template.spec.affinity")).isNull();
    }

    @Test
    @DisplayName("adds prometheus scrape annotations only when asked")
    void prometheusAnnotations() {
      Map<String, Object> plain = Chart.render().deployment().map("spec.template.metadata.annotations");
      Map<String, Object> scraped = Chart.render(Map.of("metrics.prometheusAnnotations", true))
          .deployment().map("spec.template.metadata.annotations");

      assertThat(plain).doesNotContainKey("prometheus.io/scrape");
      assertThat(scraped).containsEntry("prometheus.io/scrape", "true")
          .containsEntry("prometheus.io/path", "/metrics")
          .containsEntry("prometheus.io/port", "8080");
    }

    @Test
    @DisplayName("pulls the appVersion tag by default and a digest when one is given")
    void image() {
      String digest = "sha256:" + "a".repeat(64);

      assertThat(Chart.render().container().string("image")).isEqualTo("ghcr.io/traceline/traceline:0.1.0");
      assertThat(Chart.render(Map.of("image.digest", digest)).container().string("image"))
          .isEqualTo("ghcr.io/traceline/traceline@" + digest);
    }
  }

  @Nested
  @DisplayName("configuration")
  class ConfigurationTest {

    @Test
    @DisplayName("runs the platform in prod mode with JSON logs and the default JVM options")
    void productionDefaults() {
      Map<String, Object> data = Chart.render().configMap().map("data");

      assertThat(data).containsEntry("TRACELINE_MODE", "prod")
          .containsEntry("TRACELINE_HTTP_HOST", "0.0.0.0")
          .containsEntry("TRACELINE_HTTP_PORT", "8080")
          .containsEntry("TRACELINE_HTTP_BODY_LIMIT", "1048576")
          .containsEntry("TRACELINE_DOCUMENT_MAX_BYTES", "26214400")
          .containsEntry("TRACELINE_DB_URL", "postgresql://pg.quality.svc:5432/traceline")
          .containsEntry("TRACELINE_DB_USER", "traceline")
          .containsEntry("TRACELINE_DB_POOL_SIZE", "16")
          .containsEntry("TRACELINE_KEYCLOAK_URL", "https://id.example.com")
          .containsEntry("TRACELINE_KEYCLOAK_REALM", "traceline")
          .containsEntry("TRACELINE_KEYCLOAK_AUDIENCE", "traceline-api")
          .containsEntry("TRACELINE_KEYCLOAK_ADMIN_CLIENT_ID", "traceline-provisioner")
          .containsEntry("TRACELINE_KEYCLOAK_SIGNING_CLIENT_ID", "traceline-signing")
          .containsEntry("TRACELINE_SHUTDOWN_GRACE_SECONDS", "20")
          .containsEntry("TRACELINE_LOG_FORMAT", "json")
          .containsEntry("TRACELINE_CLUSTER_PORT", "5701")
          .containsEntry("TRACELINE_CLUSTER_MEMBERS", "")
          .containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75");
    }

    @Test
    @DisplayName("configures the job runtime from values, and names the Hazelcast cluster after the release")
    void jobRuntime() {
      Map<String, Object> defaults = Chart.render().configMap().map("data");
      assertThat(defaults).containsEntry("TRACELINE_JOBS_ENABLED", "true")
          .containsEntry("TRACELINE_JOBS_POLL_MILLIS", "500")
          .containsEntry("TRACELINE_JOBS_CONCURRENCY", "4")
          .containsEntry("TRACELINE_CLUSTER_NAME", FULLNAME);

      Map<String, Object> tuned = Chart.render(Map.of("jobs.enabled", "false", "jobs.concurrency", "8",
          "jobs.maxAttempts", "7")).configMap().map("data");
      assertThat(tuned).containsEntry("TRACELINE_JOBS_ENABLED", "false")
          .containsEntry("TRACELINE_JOBS_CONCURRENCY", "8")
          .containsEntry("TRACELINE_JOBS_MAX_ATTEMPTS", "7");
    }

    @Test
    @DisplayName("points Hazelcast discovery at the headless Service's fully qualified name")
    void discoveryDns() {
      assertThat(Chart.render().configMap().string("data.TRACELINE_CLUSTER_KUBERNETES_SERVICE_DNS"))
          .isEqualTo(FULLNAME + "-hazelcast." + Chart.NAMESPACE + ".svc.cluster.local");
    }

    @Test
    @DisplayName("keeps secrets out of the ConfigMap and loads it into the container")
    void noSecretsInConfigMap() {
      Rendered rendered = Chart.render(Map.of(
          "database.existingSecret", "", "database.password", "pw-in-values",
          "keycloak.existingSecret", "", "keycloak.adminClientSecret", "cs-in-values",
          "keycloak.signingClientSecret", "ss-in-values"));

      assertThat(rendered.configMap().map("data"))
          .doesNotContainKeys("TRACELINE_DB_PASSWORD", "TRACELINE_KEYCLOAK_ADMIN_CLIENT_SECRET",
              "TRACELINE_KEYCLOAK_SIGNING_CLIENT_SECRET")
          .doesNotContainValue("pw-in-values")
          .doesNotContainValue("cs-in-values")
          .doesNotContainValue("ss-in-values");
      assertThat(rendered.container().list("envFrom"))
          .extracting(n -> n.string("configMapRef.name"))
          .contains(FULLNAME);
    }

    @Test
    @DisplayName("refuses to render without a database URL or a Keycloak URL")
    void requiresUrls() {
      assertThatThrownBy(() -> Chart.render(Map.of("database.url", "")))
          .hasMessageContaining("database.url is required");
      assertThatThrownBy(() -> Chart.render(Map.of("keycloak.url", "")))
          .hasMessageContaining("keycloak.url is required");
    }

    @Test
    @DisplayName("appends extra environment variables after the chart's own")
    void extraEnv() {
      Node container = Chart.render(Map.of("extraEnv[0].name", "TZ", "extraEnv[0].value", "UTC")).container();

      assertThat(container.named("env", "TZ").string("value")).isEqualTo("UTC");
    }
  }

  @Nested
  @DisplayName("secrets")
  class SecretsTest {

    @Test
    @DisplayName("reads the database password and Keycloak client secret from existing Secrets by key")
    void existingSecrets() {
      Rendered rendered = Chart.render(Map.of(
          "database.existingSecretPasswordKey", "pg-pass",
          "keycloak.existingSecretClientSecretKey", "kc-secret"));
      Node container = rendered.container();

      Node db = container.named("env", "TRACELINE_DB_PASSWORD").node("valueFrom.secretKeyRef");
      Node kc = container.named("env", "TRACELINE_KEYCLOAK_ADMIN_CLIENT_SECRET").node("valueFrom.secretKeyRef");
      assertThat(db.string("name")).isEqualTo("traceline-db");
      assertThat(db.string("key")).isEqualTo("pg-pass");
      assertThat(kc.string("name")).isEqualTo("traceline-keycloak");
      assertThat(kc.string("key")).isEqualTo("kc-secret");
      Node signing = container.named("env", "TRACELINE_KEYCLOAK_SIGNING_CLIENT_SECRET").node("valueFrom.secretKeyRef");
      assertThat(signing.string("name")).isEqualTo("traceline-keycloak");
      assertThat(signing.string("key")).isEqualTo("signing-client-secret");
      assertThat(rendered.all("Secret")).isEmpty();
    }

    @Test
    @DisplayName("runs migrations as the owner named by database.migrationUser, its password read from the database Secret")
    void migrationLogin() {
      Rendered plain = Chart.render();
      assertThat(plain.configMap().map("data")).doesNotContainKey("TRACELINE_DB_MIGRATION_USER");
      assertThat(plain.container().list("env")).extracting(n -> n.string("name"))
          .doesNotContain("TRACELINE_DB_MIGRATION_PASSWORD");

      Rendered owner = Chart.render(Map.of("database.migrationUser", "traceline_owner", "database.user", "traceline_app"));
      assertThat(owner.configMap().map("data")).containsEntry("TRACELINE_DB_MIGRATION_USER", "traceline_owner")
          .containsEntry("TRACELINE_DB_USER", "traceline_app");
      Node password = owner.container().named("env", "TRACELINE_DB_MIGRATION_PASSWORD").node("valueFrom.secretKeyRef");
      assertThat(password.string("name")).isEqualTo("traceline-db");
      assertThat(password.string("key")).isEqualTo("migration-password");
    }

    @Test
    @DisplayName("reads the database user from the existing Secret when a user key is given")
    void userFromSecret() {
      Rendered rendered = Chart.render(Map.of("database.existingSecretUserKey", "username"));

      assertThat(rendered.container().named("env", "TRACELINE_DB_USER").node("valueFrom.secretKeyRef").at("key"))
          .isEqualTo("username");
      assertThat(rendered.configMap().map("data")).doesNotContainKey("TRACELINE_DB_USER");
    }

    @Test
    @DisplayName("creates its own Secret from plain-text values for evaluation, and rolls pods when it changes")
    void evaluationSecret() {
      Map<String, Object> plain = Map.of(
          "database.existingSecret", "", "database.password", "pw",
          "keycloak.existingSecret", "", "keycloak.adminClientSecret", "cs", "keycloak.signingClientSecret", "ss");
      Rendered rendered = Chart.render(plain);
      Node container = rendered.container();

      Node secret = rendered.get("Secret", FULLNAME);
      assertThat(secret.map("data")).containsOnlyKeys("db-password", "keycloak-admin-client-secret",
          "keycloak-signing-client-secret");
      assertThat(container.named("env", "TRACELINE_KEYCLOAK_SIGNING_CLIENT_SECRET").string("valueFrom.secretKeyRef.key"))
          .isEqualTo("keycloak-signing-client-secret");
      assertThat(container.named("env", "TRACELINE_DB_PASSWORD").string("valueFrom.secretKeyRef.name"))
          .isEqualTo(FULLNAME);
      assertThat(container.named("env", "TRACELINE_KEYCLOAK_ADMIN_CLIENT_SECRET")
          .string("valueFrom.secretKeyRef.key")).isEqualTo("keycloak-admin-client-secret");

      String secretChecksum = rendered.deployment().string("spec.template.metadata.annotations.checksum/secret");
      Map<String, Object> changed = new java.util.HashMap<>(plain);
      changed.put("database.password", "rotated");
      assertThat(Chart.render(changed).deployment().string("spec.template.metadata.annotations.checksum/secret"))
          .matches("[0-9a-f]{64}")
          .isNotEqualTo(secretChecksum);
    }

    @Test
    @DisplayName("refuses to render when neither an existing Secret nor a password is given")
    void requiresASecretSource() {
      assertThatThrownBy(() -> Chart.render(Map.of("database.existingSecret", "")))
          .hasMessageContaining("database.existingSecret");
      assertThatThrownBy(() -> Chart.render(Map.of("keycloak.existingSecret", "")))
          .hasMessageContaining("keycloak.existingSecret");
      assertThatThrownBy(() -> Chart.render(Map.of("keycloak.existingSecret", "", "keycloak.adminClientSecret", "cs")))
          .hasMessageContaining("keycloak.signingClientSecret");
    }
  }

  @Nested
  @DisplayName("Services")
  class ServicesTest {

    @Test
    @DisplayName("publish HTTP on a ClusterIP Service targeting the http port")
    void httpService() {
      Node service = Chart.render().get("Service", FULLNAME);

      assertThat(service.string("spec.type")).isEqualTo("ClusterIP");
      assertThat(service.named("spec.ports", "http").string("targetPort")).isEqualTo("http");
      assertThat(service.list("spec.ports")).hasSize(1);
    }

    @Test
    @DisplayName("include a headless discovery Service that lists members before they are ready")
    void headlessDiscoveryService() {
      Rendered rendered = Chart.render();
      Node service = rendered.get("Service", FULLNAME + "-hazelcast");

      assertThat(service.string("spec.clusterIP")).isEqualTo("None");
      assertThat(service.at("spec.publishNotReadyAddresses")).isEqualTo(true);
      assertThat(service.named("spec.ports", "hazelcast").at("port")).isEqualTo(5701);
      assertThat(service.map("spec.selector"))
          .isEqualTo(rendered.deployment().map("spec.selector.matchLabels"));
    }
  }

  @Nested
  @DisplayName("availability")
  class AvailabilityTest {

    @Test
    @DisplayName("has no HorizontalPodAutoscaler by default")
    void noHpaByDefault() {
      assertThat(Chart.render().all("HorizontalPodAutoscaler")).isEmpty();
    }

    @Test
    @DisplayName("scales on CPU with an autoscaling/v2 HPA when enabled, and leaves replicas to it")
    void hpaWhenEnabled() {
      Rendered rendered = Chart.render(Map.of("autoscaling.enabled", true, "replicaCount", 3));
      Node hpa = rendered.get("HorizontalPodAutoscaler", FULLNAME);

      assertThat(hpa.string("apiVersion")).isEqualTo("autoscaling/v2");
      assertThat(hpa.string("spec.scaleTargetRef.name")).isEqualTo(FULLNAME);
      assertThat(hpa.at("spec.minReplicas")).isEqualTo(2);
      assertThat(hpa.list("spec.metrics"))
          .extracting(m -> m.string("resource.name"), m -> m.at("resource.target.averageUtilization"))
          .containsExactly(org.assertj.core.groups.Tuple.tuple("cpu", 75));
      assertThat(rendered.deployment().map("spec")).doesNotContainKey("replicas");
    }

    @Test
    @DisplayName("has a PodDisruptionBudget allowing one pod down at a time by default")
    void pdbByDefault() {
      Rendered rendered = Chart.render();
      Node pdb = rendered.get("PodDisruptionBudget", FULLNAME);

      assertThat(pdb.at("spec.maxUnavailable")).isEqualTo(1);
      assertThat(pdb.map("spec")).doesNotContainKey("minAvailable");
      assertThat(pdb.map("spec.selector.matchLabels"))
          .isEqualTo(rendered.deployment().map("spec.selector.matchLabels"));
    }

    @Test
    @DisplayName("uses minAvailable instead when it is set, and drops the PDB when disabled")
    void pdbMinAvailableAndDisabled() {
      Node pdb = Chart.render(Map.of("podDisruptionBudget.minAvailable", "50%"))
          .get("PodDisruptionBudget", FULLNAME);

      assertThat(pdb.at("spec.minAvailable")).isEqualTo("50%");
      assertThat(pdb.map("spec")).doesNotContainKey("maxUnavailable");
      assertThat(Chart.render(Map.of("podDisruptionBudget.enabled", false)).all("PodDisruptionBudget")).isEmpty();
    }

    @Test
    @DisplayName("has no ServiceMonitor by default, and one scraping /metrics on http when enabled")
    void serviceMonitor() {
      assertThat(Chart.render().all("ServiceMonitor")).isEmpty();

      Node monitor = Chart.render(Map.of("metrics.serviceMonitor.enabled", true)).get("ServiceMonitor", FULLNAME);
      assertThat(monitor.list("spec.endpoints"))
          .extracting(e -> e.string("port"), e -> e.string("path"))
          .containsExactly(org.assertj.core.groups.Tuple.tuple("http", "/metrics"));
    }

    @Test
    @DisplayName("lets only the release's own pods reach the Hazelcast port")
    void networkPolicy() {
      Rendered rendered = Chart.render();
      Node policy = rendered.get("NetworkPolicy", FULLNAME);
      Node hazelcastRule = policy.list("spec.ingress").stream()
          .filter(r -> "hazelcast".equals(r.list("ports").get(0).string("port")))
          .findFirst()
          .orElseThrow();

      assertThat(hazelcastRule.list("from")).singleElement()
          .satisfies(peer -> assertThat(peer.map("podSelector.matchLabels"))
              .isEqualTo(rendered.deployment().map("spec.selector.matchLabels")));
    }
  }

  @Nested
  @DisplayName("helm test pod")
  class TestPodTest {

    @Test
    @DisplayName("is a test hook that curls /health/ready through the HTTP Service and is not selected by it")
    void curlsReadiness(@TempDir Path workDir) {
      Rendered rendered = Chart.renderWithTestHooks(workDir);
      Node pod = rendered.get("Pod", FULLNAME + "-test-connection");

      assertThat(pod.map("metadata.annotations")).containsEntry(Chart.HOOK_ANNOTATION, "test");
      assertThat(pod.list("spec.containers").get(0).list("command"))
          .extracting(Node::value)
          .contains("curl")
          .last().asString()
          .startsWith("http://" + FULLNAME + ".")
          .endsWith("/health/ready");
      Map<String, Object> selector = rendered.get("Service", FULLNAME).map("spec.selector");
      assertThat(pod.map("metadata.labels").entrySet().containsAll(selector.entrySet()))
          .as("the Service selector %s must not match the test pod", selector)
          .isFalse();
    }
  }

  @Nested
  @DisplayName("values.schema.json")
  class SchemaTest {

    @Test
    @DisplayName("rejects a replica count that is not a number")
    void rejectsNonNumericReplicaCount() {
      assertThatThrownBy(() -> Chart.render(Map.of("replicaCount", "three")))
          .hasMessageContaining("schema")
          .hasMessageContaining("replicaCount");
    }

    @Test
    @DisplayName("rejects an unknown top-level key")
    void rejectsUnknownKey() {
      assertThatThrownBy(() -> Chart.render(Map.of("replicas", 3)))
          .hasMessageContaining("schema")
          .hasMessageContaining("replicas");
    }

    @Test
    @DisplayName("rejects a log format other than json or text, and a database URL that is not PostgreSQL")
    void rejectsBadEnumsAndPatterns() {
      assertThatThrownBy(() -> Chart.render(Map.of("logFormat", "xml")))
          .hasMessageContaining("logFormat");
      assertThatThrownBy(() -> Chart.render(Map.of("database.url", "mysql://db:3306/traceline")))
          .hasMessageContaining("database");
    }
  }
}
