package io.traceline.platform.cluster;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.ReplicaMigrationEvent;
import com.hazelcast.topic.ITopic;
import io.traceline.platform.config.ClusterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's Hazelcast member (Community Edition, embedded). Hazelcast decides who works on what:
 * each job and chunk belongs to a partition, each partition to one member, and ownership moves when
 * members join or leave. PostgreSQL stays the durable truth; nothing here holds a job.
 */
public final class ClusterMember implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);
  private static final String WAKE_TOPIC = "traceline.jobs.wake";

  private final HazelcastInstance hazelcast;
  private final ITopic<String> wake;

  private ClusterMember(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
    this.wake = hazelcast.getTopic(WAKE_TOPIC);
  }

  /** Starts the member and joins the cluster (blocking: a few seconds). */
  public static ClusterMember start(ClusterConfig cluster) {
    Config config = new Config();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Notice a member that vanished (kill -9, lost node) within seconds rather than the default minute.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    // On shutdown, hand partitions over before leaving (graceful shutdown).
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "30");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    cluster.bindInterface().ifPresent(address -> {
      network.getInterfaces().setEnabled(true).addInterface(address);
      config.setProperty("hazelcast.socket.bind.any", "false");
    });
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.kubernetesServiceDns().isPresent()) {
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", cluster.kubernetesServiceDns().get())
          .setProperty("service-port", String.valueOf(cluster.port()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    }
    long started = System.nanoTime();
    HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(config);
    ClusterMember member = new ClusterMember(hazelcast);
    LOG.info("Cluster member {} joined '{}' with {} member(s) in {} ms", member.memberId(), cluster.name(),
        member.memberCount(), (System.nanoTime() - started) / 1_000_000);
    return member;
  }

  public String memberId() {
    return hazelcast.getCluster().getLocalMember().getUuid().toString();
  }

  public int memberCount() {
    return hazelcast.getCluster().getMembers().size();
  }

  /** Describes the members for the operator: id, address, and whether it is this instance. */
  public java.util.List<java.util.Map<String, Object>> describeMembers() {
    return hazelcast.getCluster().getMembers().stream().map(member -> java.util.Map.<String, Object>of(
        "id", member.getUuid().toString(),
        "address", member.getAddress().getHost() + ":" + member.getAddress().getPort(),
        "local", member.localMember())).toList();
  }

  public int partitionCount() {
    return hazelcast.getPartitionService().getPartitions().size();
  }

  /** The partition a key belongs to (Hazelcast's own hashing, so ownership follows the cluster). */
  public int partitionOf(Object key) {
    return hazelcast.getPartitionService().getPartition(key).getPartitionId();
  }

  /** Partitions this member owns now; recomputed on each call, since ownership moves with membership. */
  public Set<Integer> ownedPartitions() {
    Member local = hazelcast.getCluster().getLocalMember();
    Set<Integer> owned = new HashSet<>();
    for (Partition partition : hazelcast.getPartitionService().getPartitions()) {
      Member owner = partition.getOwner();
      if (owner != null && owner.getUuid().equals(local.getUuid())) {
        owned.add(partition.getPartitionId());
      }
    }
    return owned;
  }

  /** Calls {@code onRemoved} with the id of every member that leaves or dies, and {@code onChange} on any change. */
  public void onMembershipChange(Consumer<String> onRemoved, Runnable onChange) {
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("Cluster member joined: {} ({} members)", event.getMember().getUuid(), event.getMembers().size());
        onChange.run();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        LOG.warn("Cluster member left: {} ({} members)", event.getMember().getUuid(), event.getMembers().size());
        onRemoved.accept(event.getMember().getUuid().toString());
        onChange.run();
      }
    });
  }

  /**
   * Calls {@code onMoved} each time a round of partition migrations has finished (a member joined or left and the
   * partitions were rebalanced): the partitions this member owns, and with them the chunks it should run, have changed.
   * A membership event alone comes before the migration, when ownership is still the old one.
   */
  public void onPartitionsMoved(Runnable onMoved) {
    hazelcast.getPartitionService().addMigrationListener(new MigrationListener() {
      @Override
      public void migrationStarted(MigrationState state) {
      }

      @Override
      public void migrationFinished(MigrationState state) {
        onMoved.run();
      }

      @Override
      public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
      }

      @Override
      public void replicaMigrationFailed(ReplicaMigrationEvent event) {
      }
    });
  }

  /** Tells every member that work is due now (instead of waiting for its next poll). */
  public void wakeAll(String reason) {
    wake.publishAsync(reason);
  }

  public void onWake(Runnable action) {
    wake.addMessageListener(message -> action.run());
  }

  /** Graceful: partitions are migrated to the remaining members before this one leaves. */
  @Override
  public void close() {
    if (hazelcast.getLifecycleService().isRunning()) {
      hazelcast.shutdown();
    }
  }
}
