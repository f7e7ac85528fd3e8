package io.wharf.server.share;

import io.wharf.common.Clock;
import io.wharf.common.TopicId;
import io.wharf.coordinator.share.OffsetReset;
import io.wharf.coordinator.share.ShareLog;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where data partitions stand, as the group coordinator needs it for share groups: the offset a new share-partition
 * starts at ({@code share.auto.offset.reset} applied to the log now) and the high watermark a lag is measured to.
 * Answered by the partition's leader. Thread-safe.
 */
public final class PartitionOffsets {

    private final ShareLog log;
    private final Clock clock;

    /** @param log the partitions this broker leads */
    public PartitionOffsets(ShareLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /**
     * The offset a new share-partition of {@code topic}-{@code partition} starts at now.
     *
     * @return fails when the partition's leader cannot say
     */
    public CompletableFuture<Long> startOffset(TopicId topic, int partition, OffsetReset reset) {
        Optional<ShareLog.Bounds> bounds = log.bounds(topic, partition);
        if (bounds.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException(topic + "-" + partition + " is not led by this broker"));
        }
        long since = reset.kind() == OffsetReset.Kind.BY_DURATION
                ? log.offsetForTimestamp(topic, partition, reset.sinceMs(clock.nowMs()))
                : -1;
        return CompletableFuture.completedFuture(
                reset.startOffset(bounds.get().logStartOffset(), bounds.get().highWatermark(), since));
    }

    /** The partition's high watermark, or -1 when its leader cannot say. */
    public CompletableFuture<Long> highWatermark(TopicId topic, int partition) {
        return CompletableFuture.completedFuture(
                log.bounds(topic, partition).map(ShareLog.Bounds::highWatermark).orElse(-1L));
    }
}
