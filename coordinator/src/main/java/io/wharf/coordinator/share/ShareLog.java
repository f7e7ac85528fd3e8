package io.wharf.coordinator.share;

import io.wharf.common.TopicId;
import java.util.Optional;

/**
 * What a share-partition leader reads of the data partitions this broker leads: their bounds and leader epoch, and
 * the records' batch boundaries and queue attributes. Implemented by the broker; called from share-partition
 * leaders' threads.
 */
public interface ShareLog {

    /**
     * Where a partition's log stands.
     *
     * @param topicName the topic's name
     * @param logStartOffset the first offset still in the log
     * @param highWatermark the offset below which records may be delivered: the high watermark, or for a group
     *     that reads committed records only, the last stable offset
     * @param leaderEpoch the epoch in which this broker leads the partition: what fences its share-state writes
     * @param readCommitted whether the group reads committed records only ({@code share.isolation.level})
     */
    record Bounds(String topicName, long logStartOffset, long highWatermark, int leaderEpoch, boolean readCommitted) {}

    /** Receives a scan's batches in offset order, each followed by its records' attributes. */
    interface Visitor {
        /**
         * One batch. An {@code undeliverable} batch is a control batch, or, for a scan of committed records only, a
         * batch of an aborted transaction: none of its records is followed, and none may be delivered.
         *
         * @return false to stop the scan after this batch's records
         */
        boolean batch(long baseOffset, long lastOffset, int sizeInBytes, boolean undeliverable);

        /**
         * One record of the batch just announced.
         *
         * @param dueAtMs when it may be delivered ({@code wharf.delay.ms} or the topic's delivery delay), or -1
         * @param expiresAtMs when it expires ({@code wharf.ttl.ms}), or -1
         * @param priority 0 to 9 ({@code wharf.priority}), 0 when not set
         */
        void record(long offset, long dueAtMs, long expiresAtMs, int priority);
    }

    /**
     * The partition's bounds, or empty when this broker does not lead it.
     *
     * @param readCommitted whether they are for a group that reads committed records only
     */
    Optional<Bounds> bounds(TopicId topic, int partition, boolean readCommitted);

    /** The first offset whose record is at least as new as {@code timestampMs}, or -1 when there is none. */
    long offsetForTimestamp(TopicId topic, int partition, long timestampMs);

    /**
     * Reads the batches holding offsets {@code [from, to)}, starting with the one that holds {@code from}; the first
     * batch may begin before {@code from}. With {@code readCommitted}, the batches of aborted transactions are
     * undeliverable.
     */
    void scan(TopicId topic, int partition, long from, long to, boolean readCommitted, Visitor visitor);
}
