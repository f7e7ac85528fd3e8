package io.wharf.server.group;

import io.wharf.common.Clock;
import io.wharf.common.config.ConfigKey;
import io.wharf.coordinator.group.GroupConfig;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.coordinator.group.ShareGroupSettings;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.coordinator.txn.TransactionConfig;
import io.wharf.coordinator.txn.TransactionCoordinator;
import io.wharf.coordinator.txn.TransactionMarkerWriter;
import io.wharf.metadata.controller.Controller;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.partition.ReplicaManager;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The broker's coordinators over their internal topics: groups and offsets in {@code __consumer_offsets}, share-
 * partition state in {@code __share_group_state}, transactions in {@code __transaction_state}. Each is created and loaded when first needed.
 */
public final class Coordinators {

    private final BrokerConfig config;
    private final Controller controller;
    private final boolean clustered;
    private final ReplicaManager replicas;
    private final Executor pool;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    public Coordinators(
            BrokerConfig config,
            Controller controller,
            ReplicaManager replicas,
            Executor pool,
            ScheduledExecutorService scheduler,
            Clock clock) {
        this.config = config;
        this.controller = controller;
        this.clustered = config.cluster().clustered();
        this.replicas = replicas;
        this.pool = pool;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** The group coordinator, over {@code __consumer_offsets}. */
    public CoordinatorManager<GroupCoordinator> groups(ShareGroupSettings shareSettings) {
        CoordinatorManager.TopicSpec topic = topic(
                GroupCoordinator.TOPIC,
                BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS,
                BrokerConfig.OFFSETS_TOPIC_REPLICATION_FACTOR,
                BrokerConfig.OFFSETS_TOPIC_SEGMENT_BYTES,
                "compact");
        return new CoordinatorManager<>(
                controller,
                replicas,
                topic,
                partitions -> new GroupCoordinator(
                        partitions,
                        new InternalPartitionWriter(GroupCoordinator.TOPIC, replicas, clock),
                        pool,
                        new ScheduledCoordinatorTimer(scheduler),
                        clock,
                        groupConfig(),
                        new ImageTopicsView(replicas),
                        config.get(BrokerConfig.COORDINATOR_SNAPSHOT_BYTES),
                        shareSettings));
    }

    /**
     * The share coordinator, over {@code __share_group_state}: the durable state of share-partitions, which their
     * leaders read and write. The topic is compacted: updates take slots that a later one reuses only after a
     * whole-state record of its share-partition, so the cleaner keeps each share-partition's latest whole state and
     * the updates after it. A topic created before keeps the cleanup.policy it was created with.
     */
    public CoordinatorManager<ShareCoordinator> shares() {
        CoordinatorManager.TopicSpec topic = topic(
                ShareCoordinator.TOPIC,
                BrokerConfig.SHARE_STATE_TOPIC_NUM_PARTITIONS,
                BrokerConfig.SHARE_STATE_TOPIC_REPLICATION_FACTOR,
                BrokerConfig.SHARE_STATE_TOPIC_SEGMENT_BYTES,
                "compact");
        return new CoordinatorManager<>(
                controller,
                replicas,
                topic,
                partitions -> new ShareCoordinator(
                        partitions,
                        new InternalPartitionWriter(ShareCoordinator.TOPIC, replicas, clock),
                        pool,
                        new ScheduledCoordinatorTimer(scheduler),
                        config.get(BrokerConfig.COORDINATOR_SNAPSHOT_BYTES),
                        config.get(BrokerConfig.SHARE_SNAPSHOT_UPDATE_RECORDS_PER_SNAPSHOT)));
    }

    /**
     * The transaction coordinator, over {@code __transaction_state}: each record replaces the previous one of its
     * transactional id, so the topic is kept small by snapshots, like the others.
     *
     * @param markers writes the markers of the transactions that end
     */
    public CoordinatorManager<TransactionCoordinator> transactions(TransactionMarkerWriter markers) {
        CoordinatorManager.TopicSpec topic = topic(
                TransactionCoordinator.TOPIC,
                BrokerConfig.TRANSACTION_STATE_LOG_NUM_PARTITIONS,
                BrokerConfig.TRANSACTION_STATE_LOG_REPLICATION_FACTOR,
                BrokerConfig.TRANSACTION_STATE_LOG_SEGMENT_BYTES,
                "compact");
        TransactionConfig transactionConfig = new TransactionConfig(
                config.get(BrokerConfig.TRANSACTION_MAX_TIMEOUT_MS),
                config.get(BrokerConfig.TRANSACTIONAL_ID_EXPIRATION_MS),
                config.get(BrokerConfig.TRANSACTION_ABORT_CHECK_INTERVAL_MS));
        return new CoordinatorManager<>(
                controller,
                replicas,
                topic,
                partitions -> new TransactionCoordinator(
                        partitions,
                        new InternalPartitionWriter(TransactionCoordinator.TOPIC, replicas, clock),
                        pool,
                        new ScheduledCoordinatorTimer(scheduler),
                        clock,
                        transactionConfig,
                        markers,
                        partition -> replicas.partition(
                                        new io.wharf.common.TopicPartition(TransactionCoordinator.TOPIC, partition))
                                .map(p -> p.leaderEpoch())
                                .orElse(-1),
                        config.get(BrokerConfig.COORDINATOR_SNAPSHOT_BYTES)));
    }

    /**
     * An internal topic kept forever (no retention), sized by the given broker keys. A single node keeps one replica
     * whatever the replication factor says; in a cluster the topic waits until enough brokers are active.
     */
    private CoordinatorManager.TopicSpec topic(
            String name,
            ConfigKey<Integer> partitions,
            ConfigKey<Integer> replicationFactor,
            ConfigKey<Integer> segmentBytes,
            String cleanupPolicy) {
        int factor = clustered ? config.get(replicationFactor) : 1;
        return new CoordinatorManager.TopicSpec(
                name,
                config.get(partitions),
                (short) factor,
                Map.of(
                        "cleanup.policy",
                        cleanupPolicy,
                        "retention.ms",
                        "-1",
                        "segment.bytes",
                        String.valueOf(config.get(segmentBytes)),
                        "min.insync.replicas",
                        String.valueOf(Math.min(factor, clustered ? minIsr(name) : 1))));
    }

    private int minIsr(String topicName) {
        if (topicName.equals(TransactionCoordinator.TOPIC)) {
            return config.get(BrokerConfig.TRANSACTION_STATE_LOG_MIN_ISR);
        }
        return topicName.equals(ShareCoordinator.TOPIC) ? config.get(BrokerConfig.SHARE_STATE_TOPIC_MIN_ISR) : 1;
    }

    private GroupConfig groupConfig() {
        return new GroupConfig(
                config.get(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS),
                config.get(BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS),
                config.get(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS),
                config.get(BrokerConfig.GROUP_MAX_SIZE),
                config.get(BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS),
                config.get(BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS),
                config.get(BrokerConfig.GROUP_CONSUMER_ASSIGNORS),
                config.get(BrokerConfig.OFFSET_METADATA_MAX_BYTES),
                config.get(BrokerConfig.GROUP_PROTOCOL_METADATA_MAX_BYTES),
                TimeUnit.MINUTES.toMillis(config.get(BrokerConfig.OFFSETS_RETENTION_MINUTES)));
    }
}
