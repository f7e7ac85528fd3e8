package io.wharf.storage.producer;

/**
 * One appended batch of an idempotent producer: its sequence range and where it landed.
 *
 * @param firstSeq the sequence number of its first record
 * @param lastSeq the sequence number of its last record
 * @param firstOffset the offset of its first record
 * @param lastOffset the offset of its last record
 * @param timestamp its max timestamp (or the append time)
 */
public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {}
