package io.wharf.server.share;

import io.wharf.common.TopicId;
import io.wharf.coordinator.share.ShareConfigs;
import io.wharf.coordinator.share.SharePartitionKey;
import io.wharf.coordinator.share.ShareStateSummary;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.server.handler.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the group coordinator does to the share-partitions of its share groups, wherever their state (the share
 * coordinators) and their data (the partitions' leaders) are: it creates them when a member is first assigned a
 * partition, describes their start offsets and lag, resets and deletes them. Which share-partitions a group has is
 * asked of the share coordinators for every partition of every topic that could hold one, so nothing about them is
 * kept here. Thread-safe.
 */
public final class ShareGroupStates {

    /** A share-partition as DescribeShareGroupOffsets shows it; lag -1 when the data partition's leader cannot say. */
    public record Offsets(long startOffset, long lag) {}

    private final ShareStatePersister persister;
    private final PartitionOffsets offsets;
    private final ShareConfigs configs;
    private final Supplier<MetadataImage> image;

    public ShareGroupStates(
            ShareStatePersister persister,
            PartitionOffsets offsets,
            ShareConfigs configs,
            Supplier<MetadataImage> image) {
        this.persister = persister;
        this.offsets = offsets;
        this.configs = configs;
        this.image = image;
    }

    /**
     * Creates the share-partitions of newly assigned partitions that do not exist yet, at the offset
     * {@code share.auto.offset.reset} gives now, so that {@code latest} means "from when the group was given the
     * partition". One that cannot be created now is created by its leader on the first fetch.
     */
    public CompletableFuture<Void> initialize(String groupId, Map<TopicId, List<Integer>> assignment) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        assignment.forEach((topic, partitions) -> partitions.forEach(p -> {
            SharePartitionKey key = new SharePartitionKey(groupId, topic, p);
            done.add(persister
                    .summary(key)
                    .thenCompose(summary -> summary.isPresent()
                            ? CompletableFuture.completedFuture(null)
                            : offsets.startOffset(topic, p, configs.of(groupId).offsetReset())
                                    .thenCompose(start -> persister.initialize(key, 0, start))));
        }));
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /**
     * The group's share-partitions among {@code keys} that exist, with their start offsets and lag (records up to
     * the high watermark not yet acknowledged or archived).
     */
    public CompletableFuture<Map<SharePartitionKey, Offsets>> describe(
            String groupId, Collection<SharePartitionKey> keys) {
        return persister.summaries(groupId, keys).thenCompose(summaries -> {
            Map<SharePartitionKey, ShareStateSummary> existing = new HashMap<>();
            summaries.forEach((key, summary) -> summary.ifPresent(s -> existing.put(key, s)));
            List<PartitionOffsets.Partition> partitions = existing.keySet().stream()
                    .map(k -> new PartitionOffsets.Partition(k.topicId(), k.partition()))
                    .distinct()
                    .toList();
            return offsets.highWatermarks(partitions).thenApply(hwms -> {
                Map<SharePartitionKey, Offsets> described = new HashMap<>();
                existing.forEach((key, summary) -> described.put(
                        key,
                        offsets(
                                summary,
                                hwms.getOrDefault(
                                        new PartitionOffsets.Partition(key.topicId(), key.partition()), -1L))));
                return Map.copyOf(described);
            });
        });
    }

    private static Offsets offsets(ShareStateSummary summary, long highWatermark) {
        long lag = highWatermark < 0
                ? -1
                : Math.max(0, highWatermark - summary.startOffset() - summary.deliveryCompleteCount());
        return new Offsets(summary.startOffset(), lag);
    }

    /**
     * Sets a share-partition's start offset and forgets its record states, in a new state epoch: its leader's next
     * write is refused, and it reads the new state.
     */
    public CompletableFuture<Void> reset(SharePartitionKey key, long startOffset) {
        return persister
                .summary(key)
                .thenCompose(summary -> persister.initialize(
                        key, summary.map(s -> s.stateEpoch() + 1).orElse(0), startOffset));
    }

    /** Deletes share-partitions of a group: their next use starts from share.auto.offset.reset. */
    public CompletableFuture<Void> delete(String groupId, Collection<SharePartitionKey> keys) {
        return persister.deleteAll(groupId, keys);
    }

    /** Every share-partition {@code groupId} could have on the topics {@code topics} selects: one per partition. */
    public List<SharePartitionKey> candidates(String groupId, Predicate<TopicId> topics) {
        List<SharePartitionKey> keys = new ArrayList<>();
        for (TopicImage topic : image.get().topics().values()) {
            if (Topics.isInternal(topic.name()) || !topics.test(topic.id())) {
                continue;
            }
            topic.partitions().keySet().forEach(p -> keys.add(new SharePartitionKey(groupId, topic.id(), p)));
        }
        return keys;
    }

    /** The topic of {@code name} in the current metadata, if any. */
    public Optional<TopicImage> topic(String name) {
        return image.get().topic(name);
    }
}
