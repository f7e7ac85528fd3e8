package io.wharf.server.group;

import io.wharf.common.Clock;
import io.wharf.coordinator.group.GroupConfig;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.metadata.MetadataController;
import io.wharf.metadata.image.TopicImage;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.partition.ReplicaManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the group coordinator up: {@code __consumer_offsets} is created when the first group needs it (so a broker
 * that never sees a group never pays for fifty partitions), its partitions are replayed, and then group requests are
 * served. A broker that finds the topic at start loads it at once.
 *
 * <p>Thread-safe.
 */
public final class GroupCoordinatorManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinatorManager.class);

    private final BrokerConfig config;
    private final MetadataController controller;
    private final ReplicaManager replicas;
    private final Executor pool;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private CompletableFuture<GroupCoordinator> ready;

    public GroupCoordinatorManager(
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

    /** Loads the coordinator at start when {@code __consumer_offsets} already exists. */
    public synchronized void startIfPresent() {
        Optional<TopicImage> topic = replicas.image().topic(GroupCoordinator.TOPIC);
        if (topic.isPresent() && ready == null) {
            ready = load(topic.get().partitionCount());
        }
    }

    /** The coordinator, once its topic exists and is loaded; creates the topic first when it is missing. */
    public synchronized CompletableFuture<GroupCoordinator> coordinator() {
        if (ready != null && !ready.isCompletedExceptionally()) {
            return ready;
        }
        Optional<TopicImage> existing = replicas.image().topic(GroupCoordinator.TOPIC);
        if (existing.isPresent()) {
            ready = load(existing.get().partitionCount());
            return ready;
        }
        int partitions = config.get(BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS);
        MetadataController.NewTopic topic = new MetadataController.NewTopic(
                GroupCoordinator.TOPIC,
                partitions,
                config.get(BrokerConfig.OFFSETS_TOPIC_REPLICATION_FACTOR).shortValue(),
                Map.of(),
                Map.of(
                        "cleanup.policy", "compact",
                        "retention.ms", "-1",
                        "segment.bytes", String.valueOf(config.get(BrokerConfig.OFFSETS_TOPIC_SEGMENT_BYTES))));
        ready = controller.createTopics(List.of(topic), false).thenCompose(results -> {
            MetadataController.TopicResult result = results.get(0);
            if (!result.isSuccess()
                    && !replicas.image().topic(GroupCoordinator.TOPIC).isPresent()) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("cannot create " + GroupCoordinator.TOPIC + ": " + result.message()));
            }
            log.info("Created {} with {} partitions", GroupCoordinator.TOPIC, partitions);
            return load(
                    replicas.image().topic(GroupCoordinator.TOPIC).orElseThrow().partitionCount());
        });
        return ready;
    }

    private CompletableFuture<GroupCoordinator> load(int partitions) {
        long started = System.nanoTime();
        GroupCoordinator coordinator = new GroupCoordinator(
                partitions,
                new OffsetsPartitionWriter(GroupCoordinator.TOPIC, replicas, clock),
                pool,
                new ScheduledCoordinatorTimer(scheduler),
                clock,
                groupConfig(),
                new ImageTopicsView(replicas),
                config.get(BrokerConfig.COORDINATOR_SNAPSHOT_BYTES));
        return coordinator.loadAll().thenApply(v -> {
            log.info(
                    "Group coordinator loaded {} partitions in {} ms",
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

    @Override
    public synchronized void close() {
        if (ready != null && ready.isDone() && !ready.isCompletedExceptionally()) {
            ready.join().close();
        }
    }
}
