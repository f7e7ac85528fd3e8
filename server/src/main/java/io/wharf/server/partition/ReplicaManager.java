package io.wharf.server.partition;

import io.wharf.common.TopicId;
import io.wharf.common.TopicPartition;
import io.wharf.metadata.MetadataListener;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.ConfigResolver;
import io.wharf.storage.LogConfig;
import io.wharf.storage.LogManager;
import io.wharf.storage.PartitionLog;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions hosted on this broker, kept in step with the metadata: every new image creates the logs of new
 * partitions assigned here, applies changed topic configs, and deletes the logs of topics that are gone (or were
 * deleted and created again under a new id). Logs on disk that the metadata does not know are deleted at start.
 *
 * <p>Threads: images arrive on the controller thread; lookups come from any thread.
 */
public final class ReplicaManager implements MetadataListener {

    private static final Logger log = LoggerFactory.getLogger(ReplicaManager.class);

    private final int nodeId;
    private final BrokerConfig config;
    private final LogManager logManager;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;

    public ReplicaManager(BrokerConfig config, LogManager logManager) {
        this.nodeId = config.nodeId();
        this.config = config;
        this.logManager = logManager;
    }

    public MetadataImage image() {
        return image;
    }

    public Optional<Partition> partition(TopicPartition topicPartition) {
        return Optional.ofNullable(partitions.get(topicPartition));
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

    public Map<TopicPartition, Partition> partitions() {
        return Map.copyOf(partitions);
    }

    /** The config resolver for the current image. */
    public ConfigResolver configs() {
        return new ConfigResolver(config, image);
    }

    @Override
    public void onImage(MetadataImage previous, MetadataImage current) {
        image = current;
        ConfigResolver resolver = new ConfigResolver(config, current);
        Set<TopicPartition> hosted = new HashSet<>();
        for (TopicImage topic : current.topics().values()) {
            LogConfig logConfig = resolver.logConfig(topic.name());
            for (PartitionImage state : topic.partitions().values()) {
                if (!state.replicas().contains(nodeId)) {
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic.name(), state.partition());
                hosted.add(tp);
                Partition existing = partitions.get(tp);
                if (existing != null && !existing.topicId().equals(topic.id())) {
                    remove(tp, existing);
                    existing = null;
                }
                if (existing == null) {
                    PartitionLog partitionLog = logManager.getOrCreate(tp, logConfig);
                    partitionLog.updateConfig(logConfig);
                    partitions.put(tp, new Partition(tp, topic.id(), partitionLog, state));
                    partitions.get(tp).update(state);
                } else {
                    if (!existing.log().config().equals(logConfig)) {
                        existing.log().updateConfig(logConfig);
                    }
                    if (!existing.state().equals(state)) {
                        existing.update(state);
                    }
                }
            }
        }
        for (Map.Entry<TopicPartition, Partition> entry : Map.copyOf(partitions).entrySet()) {
            if (!hosted.contains(entry.getKey())) {
                remove(entry.getKey(), entry.getValue());
            }
        }
        for (TopicPartition onDisk : logManager.logs().keySet()) {
            if (!hosted.contains(onDisk)) {
                deleteLog(onDisk);
            }
        }
    }

    private void remove(TopicPartition tp, Partition partition) {
        partitions.remove(tp);
        partition.markRemoved();
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
}
