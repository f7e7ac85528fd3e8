package io.wharf.storage.producer;

/**
 * A producer's transaction in one partition that a marker ended.
 *
 * @param firstOffset the offset of its first record
 * @param markerOffset the offset of the marker that ended it
 * @param aborted whether the marker was ABORT
 */
public record CompletedTransaction(long producerId, long firstOffset, long markerOffset, boolean aborted) {}
