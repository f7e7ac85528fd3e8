package io.wharf.server.partition;

import io.wharf.common.TopicId;
import io.wharf.common.TopicPartition;
import io.wharf.common.timer.DelayTimer;
import io.wharf.metadata.MetadataPublisher;
import io.wharf.metadata.controller.Controller;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.replication.PartitionAssignment;
import io.wharf.replication.PartitionReplica;
import io.wharf.replication.ReplicaFetcherManager;
import io.wharf.replication.ReplicationThrottle;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.ConfigResolver;
import io.wharf.storage.LogConfig;
import io.wharf.storage.LogManager;
import io.wharf.storage.PartitionLog;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions hosted on this broker, kept in step with the metadata: every new image creates the logs of new
 * partitions assigned here, gives each replica the role the image says (leader or follower, in which epoch), applies
 * changed topic configs, and deletes the logs of partitions that are gone from here (deleted, moved away, or deleted
 * and created again under a new id). Logs on disk that the metadata does not know are deleted at start.
 *
 * <p>Threads: images arrive on the metadata publisher's thread, never the thread that applies records, since
 * opening and deleting logs takes time; lookups come from any thread.
 */
public final class ReplicaManager implements MetadataPublisher.Subscriber, AutoCloseable {

    /** Told after an image was applied to the replicas, on the publisher's thread. */
    @FunctionalInterface
    public interface Listener {
        void onReplicasChanged(MetadataImage image);
    }

    private static final Logger log = LoggerFactory.getLogger(ReplicaManager.class);

    private final int nodeId;
    private final BrokerConfig config;
    private final LogManager logManager;
    private final ControllerIsrChannel isrChannel;
    private final ReplicaFetcherManager fetchers;
    private final Map<TopicPartition, PartitionReplica> partitions = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ReplicationThrottles throttles;
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private volatile boolean deleteUnknown;

    /**
     * @param controller where leaders send ISR changes
     * @param brokerEpoch this broker's registration epoch, which ISR changes and fetches carry
     * @param fetchers the replica fetchers that copy followed partitions from their leaders
     * @param throttles the replication throttles of moving replicas, kept up to date by the metadata publisher
     * @param timer where ISR changes that could not be sent wait before they are sent again
     */
    public ReplicaManager(
            BrokerConfig config,
            LogManager logManager,
            Controller controller,
            LongSupplier brokerEpoch,
            ReplicaFetcherManager fetchers,
            ReplicationThrottles throttles,
            DelayTimer timer) {
        this.nodeId = config.nodeId();
        this.config = config;
        this.logManager = logManager;
        this.isrChannel = new ControllerIsrChannel(controller::alterIsrs, nodeId, brokerEpoch, timer);
        this.fetchers = fetchers;
        this.throttles = throttles;
    }

    /** The throttle of what this broker sends to followers of moving replicas. */
    public ReplicationThrottle leaderThrottle() {
        return throttles.leader();
    }

    public int nodeId() {
        return nodeId;
    }

    public MetadataImage image() {
        return image;
    }

    public Optional<PartitionReplica> partition(TopicPartition topicPartition) {
        return Optional.ofNullable(partitions.get(topicPartition));
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /**
     * Completes once the high watermark of each of these partitions hosted here covers every record appended before
     * the call; partitions not hosted here are skipped. A failed fsync completes it too: the answer then shows the
     * watermark as it stands.
     */
    public CompletableFuture<Void> settleWatermarks(Collection<TopicPartition> wanted) {
        CompletableFuture<?>[] settling = wanted.stream()
                .map(partitions::get)
                .filter(Objects::nonNull)
                .map(p -> p.settleWatermark().exceptionally(failure -> null))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(settling);
    }

    public Map<TopicPartition, PartitionReplica> partitions() {
        return Map.copyOf(partitions);
    }

    /** The config resolver for the current image. */
    public ConfigResolver configs() {
        return new ConfigResolver(config, image);
    }

    /** What a partition's metadata means for its replica here. */
    static PartitionAssignment assignment(PartitionImage state) {
        return new PartitionAssignment(
                state.leader(), state.leaderEpoch(), state.partitionEpoch(), state.replicas(), state.isr());
    }

    @Override
    public synchronized void onImage(MetadataImage previous, MetadataImage current) {
        image = current;
        ConfigResolver resolver = new ConfigResolver(config, current);
        logManager.createAll(newLogs(current, resolver));
        Set<TopicPartition> hosted = new HashSet<>();
        for (TopicImage topic : current.topics().values()) {
            LogConfig logConfig = resolver.logConfig(topic.name());
            for (PartitionImage state : topic.partitions().values()) {
                if (!state.replicas().contains(nodeId)) {
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic.name(), state.partition());
                hosted.add(tp);
                PartitionReplica existing = partitions.get(tp);
                if (existing != null && !existing.topicId().equals(topic.id())) {
                    remove(tp, existing);
                    existing = null;
                }
                PartitionAssignment assignment = assignment(state);
                if (existing == null) {
                    PartitionLog partitionLog = logManager.getOrCreate(tp, logConfig);
                    partitionLog.updateConfig(logConfig);
                    PartitionReplica created =
                            new PartitionReplica(tp, topic.id(), partitionLog, nodeId, assignment, isrChannel);
                    partitions.put(tp, created);
                    created.setMinInsyncReplicas(resolver.minInsyncReplicas(topic.name()));
                    created.update(assignment);
                    fetchers.follow(created);
                } else {
                    if (!existing.log().config().equals(logConfig)) {
                        existing.log().updateConfig(logConfig);
                    }
                    existing.setMinInsyncReplicas(resolver.minInsyncReplicas(topic.name()));
                    if (!existing.assignment().equals(assignment)) {
                        existing.update(assignment);
                        fetchers.follow(existing);
                    }
                }
            }
        }
        for (Map.Entry<TopicPartition, PartitionReplica> entry :
                Map.copyOf(partitions).entrySet()) {
            if (!hosted.contains(entry.getKey())) {
                remove(entry.getKey(), entry.getValue());
            }
        }
        if (deleteUnknown) {
            deleteLogsNotHosted();
        }
        for (Listener listener : listeners) {
            listener.onReplicasChanged(current);
        }
    }

    /** The logs of partitions {@code current} assigns here that have no replica here yet, with their configs. */
    private Map<TopicPartition, LogConfig> newLogs(MetadataImage current, ConfigResolver resolver) {
        Map<TopicPartition, LogConfig> fresh = new HashMap<>();
        for (TopicImage topic : current.topics().values()) {
            for (PartitionImage state : topic.partitions().values()) {
                TopicPartition tp = new TopicPartition(topic.name(), state.partition());
                if (state.replicas().contains(nodeId) && !partitions.containsKey(tp)) {
                    fresh.computeIfAbsent(tp, key -> resolver.logConfig(topic.name()));
                }
            }
        }
        return fresh;
    }

    /**
     * From now on, deletes logs on disk that the metadata does not assign here: what a topic deletion that crashed
     * half-way, or a partition moved away while this broker was down, leaves behind. Called once the image is known
     * to be whole (a replayed local log, or a registration the controller confirmed); before that an image that lags
     * would make every log look unknown.
     */
    public void deleteUnknownLogs() {
        deleteUnknown = true;
        deleteLogsNotHosted();
    }

    private synchronized void deleteLogsNotHosted() {
        for (TopicPartition onDisk : logManager.logs().keySet()) {
            if (!partitions.containsKey(onDisk)) {
                deleteLog(onDisk);
            }
        }
    }

    /** Drops laggards from the ISRs this broker leads; called every half {@code replica.lag.time.max.ms}. */
    public void shrinkIsrs(long lagMaxMs) {
        for (PartitionReplica partition : partitions.values()) {
            if (partition.isLeader()) {
                partition.maybeShrinkIsr(lagMaxMs);
            }
        }
    }

    private void remove(TopicPartition tp, PartitionReplica partition) {
        partitions.remove(tp);
        fetchers.unfollow(tp);
        partition.remove();
        deleteLog(tp);
    }

    private void deleteLog(TopicPartition tp) {
        try {
            logManager.delete(tp);
            log.info("Deleted the log of {}", tp);
        } catch (IOException e) {
            log.error("Cannot delete the log of {}", tp, e);
        }
    }

    /** The name of the topic with {@code id} in the current image, if any. */
    public Optional<String> topicName(TopicId id) {
        return image.topic(id).map(TopicImage::name);
    }

    /** Stops sending ISR changes: those not yet answered fail. */
    @Override
    public void close() {
        isrChannel.close();
    }
}
