package io.wharf.metadata.controller;

/**
 * Defaults and limits the controller applies.
 *
 * @param defaultPartitions partitions of a topic created with -1
 * @param defaultReplicationFactor replicas of a topic created with -1
 * @param deleteTopicEnable whether topics may be deleted
 * @param partitionsPerTopicMax the most partitions one topic may have
 * @param partitionsMax the most partitions the cluster may have in all
 * @param sessionTimeoutMs a broker whose heartbeats stop for this long is fenced
 */
public record ControllerSettings(
        int defaultPartitions,
        short defaultReplicationFactor,
        boolean deleteTopicEnable,
        int partitionsPerTopicMax,
        int partitionsMax,
        long sessionTimeoutMs) {

    /** Settings for tests: one partition and one replica by default, generous limits, a 9 s session. */
    public static ControllerSettings defaults() {
        return new ControllerSettings(1, (short) 1, true, 10_000, 50_000, 9_000);
    }
}
