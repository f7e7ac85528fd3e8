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
 * @param leaderRebalanceIntervalMs how often leaderships move back to preferred replicas; 0 never
 * @param leaderImbalancePercentage the share of a broker's preferred partitions led elsewhere that triggers it
 * @param uncleanLeaderElection the static default of {@code unclean.leader.election.enable}
 * @param probeAfterMs a broker silent for this long has its listeners probed, and is fenced at once when they all
 *     refuse connections (see {@link ListenerProbe}); 0 never probes
 */
public record ControllerSettings(
        int defaultPartitions,
        short defaultReplicationFactor,
        boolean deleteTopicEnable,
        int partitionsPerTopicMax,
        int partitionsMax,
        long sessionTimeoutMs,
        long leaderRebalanceIntervalMs,
        int leaderImbalancePercentage,
        boolean uncleanLeaderElection,
        long probeAfterMs) {

    /** Settings for tests: one partition and one replica by default, generous limits, a 9 s session. */
    public static ControllerSettings defaults() {
        return new ControllerSettings(1, (short) 1, true, 10_000, 50_000, 9_000, 0, 10, false, 0);
    }

    /** These settings with listener probing after {@code ms} of silence. */
    public ControllerSettings withProbeAfterMs(long ms) {
        return new ControllerSettings(
                defaultPartitions,
                defaultReplicationFactor,
                deleteTopicEnable,
                partitionsPerTopicMax,
                partitionsMax,
                sessionTimeoutMs,
                leaderRebalanceIntervalMs,
                leaderImbalancePercentage,
                uncleanLeaderElection,
                ms);
    }
}
