package io.traceline.platform.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The embedded Hazelcast member and the job runtime it distributes. Members find each other by a
 * member list (laptop, CI: loopback ports) or by Kubernetes DNS (the chart's headless Service).
 */
public record ClusterConfig(
    String name,
    int port,
    Optional<String> bindInterface,
    List<String> members,
    Optional<String> kubernetesServiceDns,
    boolean jobsEnabled,
    Duration jobsPollInterval,
    int jobsConcurrency,
    int jobsMaxAttempts,
    Duration jobsRetryBase,
    Duration jobsStealAfter) {

  static ClusterConfig read(EnvReader read, boolean dev) {
    List<String> members = read.optional("TRACELINE_CLUSTER_MEMBERS")
        .map(list -> List.of(list.split("\\s*,\\s*"))).orElse(List.of())
        .stream().filter(member -> !member.isBlank()).toList();
    return new ClusterConfig(
        read.string("TRACELINE_CLUSTER_NAME", "traceline"),
        read.port("TRACELINE_CLUSTER_PORT", 5701),
        // A dev run's member talks to no one else: keep it on loopback.
        read.optional("TRACELINE_CLUSTER_INTERFACE").or(() -> dev && members.isEmpty() ? Optional.of("127.0.0.1") : Optional.empty()),
        members,
        read.optional("TRACELINE_CLUSTER_KUBERNETES_SERVICE_DNS"),
        read.bool("TRACELINE_JOBS_ENABLED", true),
        Duration.ofMillis(read.positiveLong("TRACELINE_JOBS_POLL_MILLIS", 500)),
        (int) read.positiveLong("TRACELINE_JOBS_CONCURRENCY", 4),
        (int) read.positiveLong("TRACELINE_JOBS_MAX_ATTEMPTS", 5),
        Duration.ofMillis(read.positiveLong("TRACELINE_JOBS_RETRY_BASE_MILLIS", 1000)),
        Duration.ofSeconds(read.positiveLong("TRACELINE_JOBS_STEAL_AFTER_SECONDS", 30)));
  }

  /** A member of cluster {@code name} on loopback port {@code port}, joining {@code members}: tests. */
  public static ClusterConfig loopback(String name, int port, List<String> members, boolean jobsEnabled) {
    return new ClusterConfig(name, port, Optional.of("127.0.0.1"), members, Optional.empty(), jobsEnabled,
        Duration.ofMillis(200), 4, 5, Duration.ofMillis(200), Duration.ofSeconds(30));
  }
}
