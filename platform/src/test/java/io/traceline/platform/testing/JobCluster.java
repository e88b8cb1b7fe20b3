package io.traceline.platform.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.traceline.platform.Platform;
import io.traceline.platform.config.ClusterConfig;
import io.traceline.platform.config.Config;

/**
 * A cluster of platform instances sharing the test database and Keycloak: in this JVM (fast), or as
 * separate {@code java -jar} processes that a test can {@code kill -9}. Members find each other by a
 * loopback member list, as on a laptop or CI.
 */
public final class JobCluster implements AutoCloseable {

  private final Map<String, String> extraEnv = new java.util.HashMap<>();
  private Duration pollInterval;

  private final String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<Platform> platforms = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> httpPorts = new ArrayList<>();

  public JobCluster(int size) {
    while (clusterPorts.size() < size) {
      int port = TestPlatform.freePortOutsideEphemeralRange();
      if (!clusterPorts.contains(port)) {
        clusterPorts.add(port);
      }
    }
  }

  private List<String> members() {
    return clusterPorts.stream().map(port -> "127.0.0.1:" + port).toList();
  }

  /**
   * Members started in this JVM after this call look for due work only every {@code interval} (and when woken): a test
   * of what must not wait for a poll.
   */
  public JobCluster withPollInterval(Duration interval) {
    pollInterval = interval;
    return this;
  }

  /** Starts member {@code index} in this JVM. */
  public Platform startInJvm(int index) {
    ClusterConfig cluster = ClusterConfig.loopback(name, clusterPorts.get(index), members(), true);
    if (pollInterval != null) {
      cluster = new ClusterConfig(cluster.name(), cluster.port(), cluster.bindInterface(), cluster.members(),
          cluster.kubernetesServiceDns(), cluster.jobsEnabled(), pollInterval, cluster.jobsConcurrency(),
          cluster.jobsMaxAttempts(), cluster.jobsRetryBase(), cluster.jobsStealAfter());
    }
    Config config = TestPlatform.config(0).withCluster(cluster);
    Platform platform = Platform.start(config);
    platforms.add(platform);
    httpPorts.add(platform.httpPort());
    return platform;
  }

  /** Sets an environment variable for the member processes started after this call. */
  public JobCluster withEnv(String name, String value) {
    extraEnv.put(name, value);
    return this;
  }

  /** Starts member {@code index} as a separate process from the built jar; returns its HTTP port once ready. */
  public int startProcess(int index) throws Exception {
    int httpPort = TestPlatform.freePort();
    TestDatabase.Settings db = TestDatabase.get();
    Path log = TestPlatform.workDir().resolve("member-" + name + "-" + index + ".log");
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx384m", "-jar", jar().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("TRACELINE_HTTP_HOST", "127.0.0.1");
    env.put("TRACELINE_HTTP_PORT", String.valueOf(httpPort));
    env.put("TRACELINE_DB_URL", db.url());
    env.put("TRACELINE_DB_USER", db.user());
    env.put("TRACELINE_DB_PASSWORD", db.password());
    env.put("TRACELINE_DB_POOL_SIZE", "4");
    env.put("TRACELINE_KEYCLOAK_URL", TestKeycloak.url());
    env.put("TRACELINE_KEYCLOAK_ADMIN_CLIENT_SECRET", Config.DEV_ADMIN_CLIENT_SECRET);
    env.put("TRACELINE_KEYCLOAK_SIGNING_CLIENT_SECRET", Config.DEV_SIGNING_CLIENT_SECRET);
    env.put("TRACELINE_DATA_DIR", TestPlatform.workDir().resolve("member-" + index).toString());
    env.put("TRACELINE_CLUSTER_NAME", name);
    env.put("TRACELINE_CLUSTER_PORT", String.valueOf(clusterPorts.get(index)));
    env.put("TRACELINE_CLUSTER_INTERFACE", "127.0.0.1");
    env.put("TRACELINE_CLUSTER_MEMBERS", String.join(",", members()));
    env.put("TRACELINE_JOBS_POLL_MILLIS", "200");
    env.put("TRACELINE_TRAINING_FANOUT_CHUNK", String.valueOf(TestPlatform.FANOUT_CHUNK));
    env.put("TRACELINE_JOBS_RETRY_BASE_MILLIS", "200");
    env.put("TRACELINE_LOG_FORMAT", "text");
    env.put("TRACELINE_SHUTDOWN_GRACE_SECONDS", "5");
    env.putAll(extraEnv);
    Process process = builder.start();
    processes.add(process);
    httpPorts.add(httpPort);
    awaitReady(process, httpPort, log);
    return httpPort;
  }

  private static void awaitReady(Process process, int port, Path log) throws Exception {
    Api api = new Api("http://127.0.0.1:" + port);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Member exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        if (api.get("/health/ready", null).status() == 200) {
          return;
        }
      } catch (IllegalStateException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("Member on port " + port + " not ready:\n" + Files.readString(log));
  }

  public Process process(int i) {
    return processes.get(i);
  }

  public Api api(int i) {
    return new Api("http://127.0.0.1:" + httpPorts.get(i));
  }

  public List<Platform> platforms() {
    return platforms;
  }

  /** Stops the in-JVM members (gracefully) and the processes (SIGTERM, then SIGKILL). */
  @Override
  public void close() {
    platforms.forEach(Platform::close);
    platforms.clear();
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("traceline.platform.jar", "target/traceline.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("The platform jar " + jar + " is built by 'mvn package' before the integration tests");
    }
    return jar;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public String toString() {
    return name + " " + members().stream().collect(Collectors.joining(",")) + File.pathSeparator;
  }
}
