package io.wharf.server.config;

import io.wharf.common.config.ConfigKey;
import java.util.List;

/**
 * The settings of a node in a cluster, under Kafka KRaft's names: which roles it has, who the controllers are, its
 * listeners' roles, its rack, and the timeouts of the metadata quorum and of broker sessions. A node without {@code
 * controller.quorum.voters} is a cluster of one: it is its own controller and keeps its metadata in a local file.
 */
public final class ClusterConfigs {

    public static final ConfigKey<List<String>> PROCESS_ROLES = ConfigKey.list(
                    "process.roles", List.of("broker", "controller"))
            .oneOf("broker", "controller")
            .doc("This node's roles in a cluster: broker (serves clients and hosts partitions), controller (a voter of"
                    + " the metadata quorum), or both. Read only with controller.quorum.voters; a single node is"
                    + " both.")
            .build();
    public static final ConfigKey<String> CONTROLLER_QUORUM_VOTERS = ConfigKey.string("controller.quorum.voters", null)
            .doc("The controllers of the metadata quorum as id@host:port,...; each port is that controller's"
                    + " CONTROLLER listener. Unset: a single node that is its own controller.")
            .build();
    public static final ConfigKey<String> CONTROLLER_QUORUM_BOOTSTRAP_SERVERS = ConfigKey.string(
                    "controller.quorum.bootstrap.servers", null)
            .doc("Kafka's dynamic quorum; Wharf needs controller.quorum.voters, which names every controller and its"
                    + " id, and refuses this key without it.")
            .build();
    public static final ConfigKey<List<String>> CONTROLLER_LISTENER_NAMES = ConfigKey.list(
                    "controller.listener.names", List.of("CONTROLLER"))
            .doc("The listener names used by the metadata quorum; the first is the one this controller listens on.")
            .build();
    public static final ConfigKey<String> INTER_BROKER_LISTENER_NAME = ConfigKey.string(
                    "inter.broker.listener.name", null)
            .doc("The listener brokers use to reach each other (replication); defaults to the first listener that is"
                    + " not a controller listener.")
            .build();
    public static final ConfigKey<String> LISTENER_SECURITY_PROTOCOL_MAP = ConfigKey.string(
                    "listener.security.protocol.map", null)
            .doc("Each listener's security protocol, as NAME:PROTOCOL,...; Wharf serves PLAINTEXT only, so every"
                    + " listener in use must map to PLAINTEXT.")
            .build();
    public static final ConfigKey<String> BROKER_RACK = ConfigKey.string("broker.rack", null)
            .doc("This broker's rack; replicas of a partition are spread over racks.")
            .build();
    public static final ConfigKey<Integer> BROKER_SESSION_TIMEOUT_MS = ConfigKey.integer(
                    "broker.session.timeout.ms", 9_000)
            .atLeast(100)
            .doc("A broker whose heartbeats stop for this long is fenced: its leaderships move and it leaves"
                    + " Metadata and new placements. A broker that cannot reach the controller for this long stops"
                    + " leading.")
            .build();
    public static final ConfigKey<Integer> BROKER_PROBE_AFTER_MS = ConfigKey.integer(
                    "wharf.broker.probe.after.ms", 1_500)
            .atLeast(0)
            .doc("A broker that has not heartbeated for this long has its registered listeners probed by the active"
                    + " controller: when every one refuses a connection its process is gone, and it is fenced at once"
                    + " instead of after broker.session.timeout.ms. A broker that answers, or cannot be reached at all"
                    + " (a network split), keeps its whole session. 0 turns probing off. Keep it above"
                    + " broker.heartbeat.interval.ms.")
            .build();
    public static final ConfigKey<Integer> BROKER_HEARTBEAT_INTERVAL_MS = ConfigKey.integer(
                    "broker.heartbeat.interval.ms", 1_000)
            .atLeast(10)
            .doc("How often a broker heartbeats to the controller (every 100 ms at most while it is fenced).")
            .build();
    public static final ConfigKey<Integer> CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS = ConfigKey.integer(
                    "controller.quorum.election.timeout.ms", 1_000)
            .atLeast(10)
            .doc("A controller that hears nothing from the quorum's leader for between this and twice this starts an"
                    + " election (after a pre-vote, so a paused controller does not depose a healthy leader).")
            .build();
    public static final ConfigKey<Integer> CONTROLLER_QUORUM_REQUEST_TIMEOUT_MS = ConfigKey.integer(
                    "controller.quorum.request.timeout.ms", 2_000)
            .atLeast(10)
            .doc("How long one request to the metadata quorum may take before it is tried again.")
            .build();
    public static final ConfigKey<Integer> CONTROLLER_REQUEST_TIMEOUT_MS = ConfigKey.integer(
                    "wharf.controller.request.timeout.ms", 30_000)
            .atLeast(100)
            .doc("How long a change forwarded to the active controller (CreateTopics and friends, registrations) may"
                    + " wait for one to answer, elections included, before the client is told it failed.")
            .build();
    public static final ConfigKey<Long> METADATA_SNAPSHOT_BYTES = ConfigKey.longKey(
                    "metadata.log.max.record.bytes.between.snapshots", 20L << 20)
            .atLeast(1)
            .doc("Metadata written since the last snapshot past which the image is snapshotted and the metadata log"
                    + " behind it deleted.")
            .build();
    public static final ConfigKey<Integer> METADATA_LOG_SEGMENT_BYTES = ConfigKey.integer(
                    "metadata.log.segment.bytes", 8 << 20)
            .atLeast(64 << 10)
            .doc("The size of a segment of a controller's metadata log; whole segments behind a snapshot are"
                    + " deleted.")
            .build();
    public static final ConfigKey<String> METADATA_LOG_DIR = ConfigKey.string("metadata.log.dir", null)
            .doc("Where the metadata log is kept; defaults to the data directory.")
            .build();
    public static final ConfigKey<Boolean> CONTROLLED_SHUTDOWN_ENABLE = ConfigKey.bool(
                    "controlled.shutdown.enable", true)
            .doc("On SIGTERM, ask the controller to move this broker's leaderships and take it out of Metadata before"
                    + " stopping.")
            .build();
    public static final ConfigKey<Long> CONTROLLED_SHUTDOWN_TIMEOUT_MS = ConfigKey.longKey(
                    "wharf.controlled.shutdown.timeout.ms", 30_000L)
            .atLeast(0)
            .doc("How long a controlled shutdown waits for the controller before the broker stops anyway.")
            .build();
    public static final ConfigKey<Boolean> AUTO_LEADER_REBALANCE_ENABLE = ConfigKey.bool(
                    "auto.leader.rebalance.enable", true)
            .doc("Move leadership back to each partition's preferred replica (its first) when it is in sync and"
                    + " the share of partitions led elsewhere passes leader.imbalance.per.broker.percentage.")
            .build();
    public static final ConfigKey<Long> LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS = ConfigKey.longKey(
                    "leader.imbalance.check.interval.seconds", 300L)
            .atLeast(1)
            .doc("How often the active controller looks for partitions led by other than their preferred replica.")
            .build();
    public static final ConfigKey<Integer> LEADER_IMBALANCE_PER_BROKER_PERCENTAGE = ConfigKey.integer(
                    "leader.imbalance.per.broker.percentage", 10)
            .between(0, 100)
            .doc("The share of a broker's preferred partitions that may be led elsewhere before leaderships move"
                    + " back.")
            .build();

    public static final ConfigKey<Long> REPLICA_LAG_TIME_MAX_MS = ConfigKey.longKey("replica.lag.time.max.ms", 30_000L)
            .atLeast(1)
            .doc("A follower that has not caught up with its leader for this long leaves the ISR.")
            .build();
    public static final ConfigKey<Integer> REPLICA_FETCH_WAIT_MAX_MS = ConfigKey.integer(
                    "replica.fetch.wait.max.ms", 500)
            .atLeast(0)
            .doc("How long a leader may hold a follower's fetch while it has nothing new.")
            .build();
    public static final ConfigKey<Integer> REPLICA_FETCH_MIN_BYTES = ConfigKey.integer("replica.fetch.min.bytes", 1)
            .atLeast(1)
            .doc("The bytes a leader waits for before it answers a follower's fetch.")
            .build();
    public static final ConfigKey<Integer> REPLICA_FETCH_MAX_BYTES = ConfigKey.integer(
                    "replica.fetch.max.bytes", 1 << 20)
            .atLeast(1024)
            .doc("The most bytes of one partition a follower's fetch asks for (at least one batch is sent).")
            .build();
    public static final ConfigKey<Integer> REPLICA_FETCH_RESPONSE_MAX_BYTES = ConfigKey.integer(
                    "replica.fetch.response.max.bytes", 10 << 20)
            .atLeast(1024)
            .doc("The most bytes one follower's fetch asks for over all its partitions.")
            .build();
    public static final ConfigKey<Integer> REPLICA_FETCH_BACKOFF_MS = ConfigKey.integer(
                    "replica.fetch.backoff.ms", 1_000)
            .atLeast(0)
            .doc("How long a follower waits before it fetches again a partition its leader refused, or from a leader"
                    + " it cannot reach.")
            .build();
    public static final ConfigKey<Integer> REPLICA_SOCKET_TIMEOUT_MS = ConfigKey.integer(
                    "replica.socket.timeout.ms", 30_000)
            .atLeast(100)
            .doc("How long a follower's fetch may take beyond replica.fetch.wait.max.ms before it is tried again.")
            .build();

    public static final ConfigKey<String> REPLICA_SELECTOR_CLASS = ConfigKey.string("replica.selector.class", null)
            .doc("Set to org.apache.kafka.common.replica.RackAwareReplicaSelector to have a consumer that names its"
                    + " client.rack fetch from an in-sync replica in its rack (KIP-392); unset, consumers fetch from"
                    + " leaders. Only the rack-aware selector is known.")
            .check(v -> v == null || v.endsWith("RackAwareReplicaSelector"), "RackAwareReplicaSelector")
            .build();

    public static final ConfigKey<Long> LEADER_REPLICATION_THROTTLED_RATE = ConfigKey.longKey(
                    "leader.replication.throttled.rate", Long.MAX_VALUE)
            .atLeast(1)
            .defaultDescribedAs("no limit")
            .doc("Bytes per second this broker sends, as leader, to followers of throttled replicas (a topic's"
                    + " leader.replication.throttled.replicas) that are not in sync; a follower in the ISR is never"
                    + " held back. Dynamic, per broker or cluster-wide; kafka-reassign-partitions.sh --throttle sets"
                    + " it.")
            .build();
    public static final ConfigKey<Long> FOLLOWER_REPLICATION_THROTTLED_RATE = ConfigKey.longKey(
                    "follower.replication.throttled.rate", Long.MAX_VALUE)
            .atLeast(1)
            .defaultDescribedAs("no limit")
            .doc("Bytes per second this broker fetches, as follower, for throttled replicas (a topic's"
                    + " follower.replication.throttled.replicas) that are not in sync. Dynamic, per broker or"
                    + " cluster-wide; kafka-reassign-partitions.sh --throttle sets it.")
            .build();
    public static final ConfigKey<Long> REPLICA_ALTER_LOG_DIRS_IO_MAX_BYTES_PER_SECOND = ConfigKey.longKey(
                    "replica.alter.log.dirs.io.max.bytes.per.second", Long.MAX_VALUE)
            .atLeast(1)
            .defaultDescribedAs("no limit")
            .doc("Accepted (kafka-reassign-partitions.sh --throttle sets it) and unused: a Wharf broker has one data"
                    + " directory, so replicas never move between directories.")
            .build();

    /** The keys above that may change while the broker runs (IncrementalAlterConfigs on a broker or the default). */
    public static final java.util.Set<String> DYNAMIC_KEYS = java.util.Set.of(
            LEADER_REPLICATION_THROTTLED_RATE.name(),
            FOLLOWER_REPLICATION_THROTTLED_RATE.name(),
            REPLICA_ALTER_LOG_DIRS_IO_MAX_BYTES_PER_SECOND.name());

    /** The keys above, in documentation order. */
    public static final List<ConfigKey<?>> KEYS = List.of(
            PROCESS_ROLES,
            CONTROLLER_QUORUM_VOTERS,
            CONTROLLER_QUORUM_BOOTSTRAP_SERVERS,
            CONTROLLER_LISTENER_NAMES,
            INTER_BROKER_LISTENER_NAME,
            LISTENER_SECURITY_PROTOCOL_MAP,
            BROKER_RACK,
            BROKER_SESSION_TIMEOUT_MS,
            BROKER_HEARTBEAT_INTERVAL_MS,
            BROKER_PROBE_AFTER_MS,
            CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS,
            CONTROLLER_QUORUM_REQUEST_TIMEOUT_MS,
            CONTROLLER_REQUEST_TIMEOUT_MS,
            METADATA_SNAPSHOT_BYTES,
            METADATA_LOG_SEGMENT_BYTES,
            METADATA_LOG_DIR,
            CONTROLLED_SHUTDOWN_ENABLE,
            CONTROLLED_SHUTDOWN_TIMEOUT_MS,
            AUTO_LEADER_REBALANCE_ENABLE,
            LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS,
            LEADER_IMBALANCE_PER_BROKER_PERCENTAGE,
            REPLICA_LAG_TIME_MAX_MS,
            REPLICA_FETCH_WAIT_MAX_MS,
            REPLICA_FETCH_MIN_BYTES,
            REPLICA_FETCH_MAX_BYTES,
            REPLICA_FETCH_RESPONSE_MAX_BYTES,
            REPLICA_FETCH_BACKOFF_MS,
            REPLICA_SOCKET_TIMEOUT_MS,
            REPLICA_SELECTOR_CLASS,
            LEADER_REPLICATION_THROTTLED_RATE,
            FOLLOWER_REPLICATION_THROTTLED_RATE,
            REPLICA_ALTER_LOG_DIRS_IO_MAX_BYTES_PER_SECOND);

    private ClusterConfigs() {}
}
