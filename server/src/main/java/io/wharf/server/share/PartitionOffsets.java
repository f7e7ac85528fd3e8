package io.wharf.server.share;

import io.wharf.common.Clock;
import io.wharf.common.TopicId;
import io.wharf.coordinator.share.OffsetReset;
import io.wharf.coordinator.share.ShareLog;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Where data partitions stand, as the group coordinator needs it for share groups: the offset a new share-partition
 * starts at ({@code share.auto.offset.reset} applied to the log now) and the high watermark a lag is measured to.
 * The partition's leader answers: this broker's log when it leads it, else the leader with ListOffsets (earliest,
 * latest, or by timestamp), as a consumer would ask. Thread-safe.
 */
public final class PartitionOffsets {

    /** A data partition by topic id. */
    public record Partition(TopicId topicId, int partition) {}

    private static final long EARLIEST = -2;
    private static final long LATEST = -1;

    private final int nodeId;
    private final ShareLog log;
    private final Supplier<MetadataImage> image;
    private final InterBrokerClient brokers;
    private final Clock clock;

    /**
     * @param log the partitions this broker leads
     * @param image where the other partitions' leaders are found
     */
    public PartitionOffsets(
            int nodeId, ShareLog log, Supplier<MetadataImage> image, InterBrokerClient brokers, Clock clock) {
        this.nodeId = nodeId;
        this.log = log;
        this.image = image;
        this.brokers = brokers;
        this.clock = clock;
    }

    /**
     * The offset a new share-partition of {@code topic}-{@code partition} starts at now.
     *
     * @return fails when the partition's leader cannot say
     */
    public CompletableFuture<Long> startOffset(TopicId topic, int partition, OffsetReset reset) {
        Optional<ShareLog.Bounds> bounds = log.bounds(topic, partition, false);
        if (bounds.isPresent()) {
            long since = reset.kind() == OffsetReset.Kind.BY_DURATION
                    ? log.offsetForTimestamp(topic, partition, reset.sinceMs(clock.nowMs()))
                    : -1;
            return CompletableFuture.completedFuture(reset.startOffset(
                    bounds.get().logStartOffset(), bounds.get().highWatermark(), since));
        }
        Partition wanted = new Partition(topic, partition);
        return switch (reset.kind()) {
            case EARLIEST -> remote(wanted, EARLIEST);
            case LATEST -> remote(wanted, LATEST);
            case BY_DURATION -> {
                CompletableFuture<Long> since = remote(wanted, reset.sinceMs(clock.nowMs()));
                CompletableFuture<Long> start = remote(wanted, EARLIEST);
                CompletableFuture<Long> end = remote(wanted, LATEST);
                yield CompletableFuture.allOf(since, start, end)
                        .thenApply(v -> reset.startOffset(start.join(), end.join(), since.join()));
            }
        };
    }

    /** The high watermarks of {@code partitions}, -1 for one whose leader cannot say; one request per leader. */
    public CompletableFuture<Map<Partition, Long>> highWatermarks(Collection<Partition> partitions) {
        Map<Partition, Long> answers = new ConcurrentHashMap<>();
        Map<Integer, List<Partition>> byLeader = new HashMap<>();
        for (Partition p : partitions) {
            Optional<ShareLog.Bounds> bounds = log.bounds(p.topicId(), p.partition(), false);
            if (bounds.isPresent()) {
                answers.put(p, bounds.get().highWatermark());
            } else {
                byLeader.computeIfAbsent(leaderOf(p), l -> new ArrayList<>()).add(p);
            }
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        byLeader.forEach((leader, group) -> done.add(list(leader, group, LATEST)
                .exceptionally(failure -> Map.of())
                .thenAccept(offsets -> group.forEach(p -> answers.put(p, offsets.getOrDefault(p, -1L))))));
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).thenApply(v -> answers);
    }

    private int leaderOf(Partition p) {
        return image.get()
                .topic(p.topicId())
                .map(t -> t.partitions().get(p.partition()))
                .map(PartitionImage::leader)
                .orElse(-1);
    }

    /** One partition's offset for {@code timestamp} at its leader; fails when it cannot say. */
    private CompletableFuture<Long> remote(Partition p, long timestamp) {
        return list(leaderOf(p), List.of(p), timestamp).thenApply(offsets -> {
            Long offset = offsets.get(p);
            if (offset == null) {
                throw new IllegalStateException("the leader of " + p + " did not say where it stands");
            }
            return offset;
        });
    }

    /** ListOffsets at {@code leader} for {@code timestamp}: each partition that answered, with its offset. */
    private CompletableFuture<Map<Partition, Long>> list(int leader, List<Partition> partitions, long timestamp) {
        if (leader < 0 || leader == nodeId) {
            return CompletableFuture.failedFuture(new IOException("no other broker leads " + partitions));
        }
        MetadataImage now = image.get();
        Map<String, ListOffsetsRequestData.ListOffsetsTopic> topics = new LinkedHashMap<>();
        Map<String, TopicId> ids = new HashMap<>();
        for (Partition p : partitions) {
            Optional<TopicImage> topic = now.topic(p.topicId());
            if (topic.isEmpty()) {
                continue;
            }
            ids.put(topic.get().name(), p.topicId());
            topics.computeIfAbsent(
                            topic.get().name(), name -> new ListOffsetsRequestData.ListOffsetsTopic().setName(name))
                    .partitions()
                    .add(new ListOffsetsRequestData.ListOffsetsPartition()
                            .setPartitionIndex(p.partition())
                            .setTimestamp(timestamp));
        }
        ListOffsetsRequestData request = new ListOffsetsRequestData()
                .setReplicaId(-1)
                .setIsolationLevel((byte) 0)
                .setTopics(new ArrayList<>(topics.values()));
        return brokers.<ListOffsetsResponseData>send(leader, request).thenApply(response -> {
            Map<Partition, Long> offsets = new HashMap<>();
            for (ListOffsetsResponseData.ListOffsetsTopicResponse topic : response.topics()) {
                TopicId id = ids.get(topic.name());
                for (ListOffsetsResponseData.ListOffsetsPartitionResponse p : topic.partitions()) {
                    if (id != null && p.errorCode() == Errors.NONE.code()) {
                        offsets.put(new Partition(id, p.partitionIndex()), p.offset());
                    }
                }
            }
            return offsets;
        });
    }
}
