package io.wharf.storage;

/**
 * A record found by time: its timestamp, its offset and the leader epoch of its batch (ListOffsets returns all three).
 */
public record TimestampOffset(long timestamp, long offset, int leaderEpoch) {}
