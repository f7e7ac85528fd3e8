package io.wharf.server.group;

import io.wharf.common.Clock;
import io.wharf.common.config.ConfigKey;
import io.wharf.coordinator.group.GroupConfig;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.coordinator.group.ShareGroupSettings;
import io.wharf.coordinator.share.DeadLetters;
import io.wharf.coordinator.share.ShareConfigs;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.coordinator.share.ShareLog;
import io.wharf.metadata.MetadataController;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.partition.ReplicaManager;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's coordinators over their internal topics: groups and offsets in {@code __consumer_offsets}, share-
 * partition state in {@code __share_group_state}. Each is created and loaded when first needed.
 */
public final class Coordinators {

    private static final Logger log = LoggerFactory.getLogger(Coordinators.class);

    private final BrokerConfig config;
    private final MetadataController controller;
    private final ReplicaManager replicas;
    private final Executor pool;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    public Coordinators(
            BrokerConfig config,
            MetadataController controller,
            ReplicaManager replicas,
            Executor pool,
            ScheduledExecutorService scheduler,
            Clock clock) {
        this.config = config;
        this.controller = controller;
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
        return new CoordinatorManager<>(controller, replicas, topic, partitions -> {
            GroupCoordinator coordinator = new GroupCoordinator(
                    partitions,
                    new InternalPartitionWriter(GroupCoordinator.TOPIC, replicas, clock),
                    pool,
                    new ScheduledCoordinatorTimer(scheduler),
                    clock,
                    groupConfig(),
                    new ImageTopicsView(replicas),
                    config.get(BrokerConfig.COORDINATOR_SNAPSHOT_BYTES),
                    shareSettings);
            return loaded("Group coordinator", partitions, coordinator.loadAll(), coordinator);
        });
    }

    /**
     * The share coordinator, over {@code __share_group_state}. Its records are deltas, so the topic deletes by
     * snapshot, never by compaction.
     */
    public CoordinatorManager<ShareCoordinator> shares(
            ShareLog shareLog, ShareConfigs configs, DeadLetters deadLetters) {
        CoordinatorManager.TopicSpec topic = topic(
                ShareCoordinator.TOPIC,
                BrokerConfig.SHARE_STATE_TOPIC_NUM_PARTITIONS,
                BrokerConfig.SHARE_STATE_TOPIC_REPLICATION_FACTOR,
                BrokerConfig.SHARE_STATE_TOPIC_SEGMENT_BYTES,
                "delete");
        return new CoordinatorManager<>(controller, replicas, topic, partitions -> {
            ShareCoordinator coordinator = new ShareCoordinator(
                    partitions,
                    new InternalPartitionWriter(ShareCoordinator.TOPIC, replicas, clock),
                    pool,
                    new ScheduledCoordinatorTimer(scheduler),
                    clock,
                    shareLog,
                    configs,
                    deadLetters,
                    config.get(BrokerConfig.COORDINATOR_SNAPSHOT_BYTES));
            return loaded("Share coordinator", partitions, coordinator.loadAll(), coordinator);
        });
    }

    /** An internal topic kept forever (no retention), sized by the given broker keys. */
    private CoordinatorManager.TopicSpec topic(
            String name,
            ConfigKey<Integer> partitions,
            ConfigKey<Integer> replicationFactor,
            ConfigKey<Integer> segmentBytes,
            String cleanupPolicy) {
        return new CoordinatorManager.TopicSpec(
                name,
                config.get(partitions),
                config.get(replicationFactor).shortValue(),
                Map.of(
                        "cleanup.policy",
                        cleanupPolicy,
                        "retention.ms",
                        "-1",
                        "segment.bytes",
                        String.valueOf(config.get(segmentBytes))));
    }

    private static <C> CompletableFuture<C> loaded(
            String what, int partitions, CompletableFuture<Void> load, C coordinator) {
        long started = System.nanoTime();
        return load.thenApply(v -> {
            log.info(
                    "{} loaded {} partitions in {} ms",
                    what,
                    partitions,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return coordinator;
        });
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
