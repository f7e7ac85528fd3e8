package io.wharf.coordinator.share;

/**
 * The settings of one share group: its group configs where set, else the broker's {@code group.share.*} defaults.
 *
 * @param sessionTimeoutMs a member that does not heartbeat for this long is removed
 * @param heartbeatIntervalMs how often members are told to heartbeat
 * @param lockDurationMs how long an acquired record stays locked to its member
 * @param deliveryCountLimit deliveries after which a record that is still not accepted is archived
 * @param maxRecordLocks the in-flight window: records from the start offset on that the share-partition tracks
 * @param offsetReset where a share-partition starts when first consumed
 * @param deadLetterTopic where archived records are copied, or null
 * @param readCommitted {@code share.isolation.level=read_committed}: records are delivered up to the last stable
 *     offset only, and those of aborted transactions never
 */
public record ShareGroupConfig(
        int sessionTimeoutMs,
        int heartbeatIntervalMs,
        int lockDurationMs,
        int deliveryCountLimit,
        int maxRecordLocks,
        OffsetReset offsetReset,
        String deadLetterTopic,
        boolean readCommitted) {

    /** Kafka's defaults, and no dead-letter topic. */
    public static ShareGroupConfig defaults() {
        return new ShareGroupConfig(
                45_000, 5_000, 30_000, 5, 2_000, new OffsetReset(OffsetReset.Kind.LATEST, null), null, false);
    }
}
