package io.wharf.protocol.record;

/**
 * What a walk over a batch's records learned.
 *
 * @param count the number of records
 * @param maxTimestamp the largest record timestamp, or {@link BatchView#NO_TIMESTAMP} when there are no records
 * @param offsetDeltaOfMaxTimestamp the offset delta of the first record that has {@code maxTimestamp}
 * @param minTimestamp the smallest record timestamp
 * @param hasNullKey whether some record has no key (compacted topics refuse those)
 */
public record RecordsSummary(
        int count, long maxTimestamp, int offsetDeltaOfMaxTimestamp, long minTimestamp, boolean hasNullKey) {}
