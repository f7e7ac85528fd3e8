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
     * @param highWatermark the offset below which records may be delivered
     * @param leaderEpoch the epoch in which this broker leads the partition: what fences its share-state writes
     */
    record Bounds(String topicName, long logStartOffset, long highWatermark, int leaderEpoch) {}

    /** Receives a scan's batches in offset order, each followed by its records' attributes. */
    interface Visitor {
        /**
         * One batch; {@code control} batches hold no deliverable records.
         *
         * @return false to stop the scan after this batch's records
         */
        boolean batch(long baseOffset, long lastOffset, int sizeInBytes, boolean control);

        /**
         * One record of the batch just announced.
         *
         * @param dueAtMs when it may be delivered ({@code wharf.delay.ms} or the topic's delivery delay), or -1
         * @param expiresAtMs when it expires ({@code wharf.ttl.ms}), or -1
         * @param priority 0 to 9 ({@code wharf.priority}), 0 when not set
         */
        void record(long offset, long dueAtMs, long expiresAtMs, int priority);
    }

    /** The partition's bounds, or empty when this broker does not lead it. */
    Optional<Bounds> bounds(TopicId topic, int partition);

    /** The first offset whose record is at least as new as {@code timestampMs}, or -1 when there is none. */
    long offsetForTimestamp(TopicId topic, int partition, long timestampMs);

    /**
     * Reads the batches holding offsets {@code [from, to)}, starting with the one that holds {@code from}; the first
     * batch may begin before {@code from}.
     */
    void scan(TopicId topic, int partition, long from, long to, Visitor visitor);
}
