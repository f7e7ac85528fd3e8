package io.wharf.storage.segment;

/**
 * An aborted transaction of one producer in one partition: its records from {@code firstOffset} up to its ABORT marker
 * at {@code lastOffset} are to be dropped by read_committed consumers.
 *
 * @param lastStableOffset the partition's first unstable offset right after the marker was written
 */
public record AbortedTransaction(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {}
