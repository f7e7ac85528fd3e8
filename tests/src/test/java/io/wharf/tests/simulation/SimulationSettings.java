package io.wharf.tests.simulation;

import io.wharf.storage.FlushPolicy;
import io.wharf.storage.LogConfig;
import java.util.List;
import java.util.Map;

/**
 * One run's shape, drawn from its seed: how many brokers and partitions, the flush policy, how lossy the network and
 * how slow the disks, and the timeouts (Wharf's defaults scaled down about threefold, keeping their ratios, so that a
 * run of a few simulated tens of seconds sees many sessions expire and many ISR changes).
 *
 * @param flushPolicy {@code acks-all}: a crash is a power loss, which takes whatever was not fsynced; {@code os}: a
 *     crash is a process kill, which takes nothing written (the page cache survives), since under {@code os} a power
 *     loss of every in-sync replica loses acknowledged records by design
 * @param fsyncMaxMs how long an fsync takes at most, but for the odd stall of up to a second
 * @param chaosMs how long faults are injected and producers write
 * @param settleMaxMs how long the cluster may take, once healed, to have every replica in sync
 */
record SimulationSettings(
        int brokers,
        int partitions,
        int replicationFactor,
        int minInsyncReplicas,
        FlushPolicy flushPolicy,
        int segmentBytes,
        int preallocateBytes,
        double dropChance,
        double slowChance,
        int fsyncMaxMs,
        int producers,
        long chaosMs,
        long settleMaxMs,
        long faultIntervalMs) {

    static final String TOPIC = "events";

    static final long SESSION_TIMEOUT_MS = 3_000;
    static final long HEARTBEAT_INTERVAL_MS = 700;
    static final long FENCED_HEARTBEAT_INTERVAL_MS = 100;
    static final long REGISTRATION_RETRY_MS = 500;
    static final long REPLICA_LAG_TIME_MAX_MS = 2_000;
    static final int FETCH_WAIT_MAX_MS = 200;
    static final long FETCH_BACKOFF_MS = 100;
    static final long FETCH_REQUEST_TIMEOUT_MS = 1_000;
    static final int FETCH_MAX_BYTES = 4 << 10;
    static final long CONTROLLER_REQUEST_TIMEOUT_MS = 2_000;
    static final long METADATA_POLL_MS = 300;
    static final long PRODUCE_TIMEOUT_MS = 2_000;
    static final long HIGH_WATERMARK_CHECKPOINT_MS = 1_000;
    static final long LEADER_REBALANCE_INTERVAL_MS = 4_000;
    static final long CONTROLLED_SHUTDOWN_TIMEOUT_MS = 5_000;
    static final int LEADER_IMBALANCE_PERCENTAGE = 10;

    /** A run's settings drawn from {@code sim}'s seed, under {@code policy}. */
    static SimulationSettings draw(Simulation sim, FlushPolicy policy, long chaosMs) {
        return new SimulationSettings(
                sim.between(3, 5),
                sim.between(1, 3),
                3,
                2,
                policy,
                sim.pick(List.of(1 << 11, 1 << 12, 1 << 14)),
                sim.chance(0.5) ? 0 : sim.pick(List.of(1 << 10, 1 << 12)),
                sim.pick(List.of(0.0, 0.01, 0.05)),
                sim.pick(List.of(0.01, 0.05, 0.15)),
                sim.pick(List.of(2, 20, 100)),
                sim.between(1, 3),
                chaosMs,
                60_000,
                sim.pick(List.of(500L, 1_500L, 3_000L)));
    }

    LogConfig logConfig() {
        return LogConfig.parse(Map.of(
                "segment.bytes",
                String.valueOf(segmentBytes),
                "index.interval.bytes",
                "256",
                "file.delete.delay.ms",
                "500",
                "wharf.flush.policy",
                flushPolicy.configValue()));
    }

    /** Whether a crash loses what was not fsynced: a power loss rather than a process kill. */
    boolean powerLoss() {
        return flushPolicy == FlushPolicy.ACKS_ALL;
    }
}
