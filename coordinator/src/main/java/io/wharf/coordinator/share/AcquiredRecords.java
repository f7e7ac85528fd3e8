package io.wharf.coordinator.share;

/** Offsets {@code [firstOffset, lastOffset]} handed to a member, each delivered for the {@code deliveries}th time. */
public record AcquiredRecords(long firstOffset, long lastOffset, int deliveries) {}
