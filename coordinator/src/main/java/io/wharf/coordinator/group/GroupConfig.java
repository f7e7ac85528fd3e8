package io.wharf.coordinator.group;

import java.util.List;

/**
 * The group coordinator's settings (Kafka's broker keys of the same meaning).
 *
 * @param minSessionTimeoutMs the shortest session a classic member may ask for
 * @param maxSessionTimeoutMs the longest session a classic member may ask for
 * @param initialRebalanceDelayMs how long the first rebalance of an empty classic group waits for more members
 * @param maxGroupSize the most members a group may have
 * @param consumerSessionTimeoutMs the session of a KIP-848 member
 * @param consumerHeartbeatIntervalMs how often KIP-848 members heartbeat
 * @param consumerAssignors the server-side assignors, the first is the default
 * @param offsetMetadataMaxBytes the largest metadata string of a committed offset
 * @param protocolMetadataMaxBytes the largest protocol metadata or assignment of a classic member
 * @param offsetsRetentionMs how long the offsets of an empty group are kept
 */
public record GroupConfig(
        int minSessionTimeoutMs,
        int maxSessionTimeoutMs,
        int initialRebalanceDelayMs,
        int maxGroupSize,
        int consumerSessionTimeoutMs,
        int consumerHeartbeatIntervalMs,
        List<String> consumerAssignors,
        int offsetMetadataMaxBytes,
        int protocolMetadataMaxBytes,
        long offsetsRetentionMs) {

    public static GroupConfig defaults() {
        return new GroupConfig(
                6_000,
                1_800_000,
                3_000,
                Integer.MAX_VALUE,
                45_000,
                5_000,
                List.of("uniform", "range"),
                4096,
                1 << 20,
                7L * 24 * 60 * 60 * 1000);
    }
}
