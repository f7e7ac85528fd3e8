package io.wharf.tests.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.wharf.storage.FlushPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs the seeded replication simulation ({@link ReplicationSimulation}) for a fixed set of seeds under each flush
 * policy, and checks that a seed replays its run. A failure names its seed and policy, the command that runs it
 * again, and the last events.
 *
 * <pre>
 * -Dwharf.sim.seeds=N        run seeds F..F+N-1 of each policy instead of the CI set (F: -Dwharf.sim.firstSeed, 0)
 * -Dwharf.sim.seed=S         run seed S only
 * -Dwharf.sim.policy=P       run policy P only: acks-all or os
 * -Dwharf.sim.chaosMs=MS     simulated milliseconds of faults per run (default 15000)
 * -Dwharf.sim.trace=LINES    how many of the last events a failure shows (default 150)
 * </pre>
 *
 * <p>Runs in {@code /dev/shm} where there is one: the logs are real files, and a RAM disk keeps thousands of runs
 * fast.
 */
class ReplicationSimulationTest {

    private static final int CI_SEEDS = 40;
    private static final long CHAOS_MS = Long.getLong("wharf.sim.chaosMs", 15_000);
    private static final Path PARENT = Files.isDirectory(Path.of("/dev/shm"))
            ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"));

    private static Level wharfLevel;

    /** The logs and replicas log every truncation and ISR change; thousands of runs would drown the output. */
    @BeforeAll
    static void quiet() {
        Logger wharf = (Logger) LoggerFactory.getLogger("io.wharf");
        wharfLevel = wharf.getLevel();
        wharf.setLevel(Level.OFF);
    }

    @AfterAll
    static void loud() {
        ((Logger) LoggerFactory.getLogger("io.wharf")).setLevel(wharfLevel);
    }

    @Test
    void acksAllKeepsEveryAcknowledgedRecordThroughPowerLosses() {
        runSeeds(FlushPolicy.ACKS_ALL);
    }

    @Test
    void osPolicyKeepsEveryAcknowledgedRecordThroughProcessKills() {
        runSeeds(FlushPolicy.OS);
    }

    @Test
    void aSeedReplaysItsRunEventForEvent() {
        ReplicationSimulation.Outcome first = ReplicationSimulation.run(7, FlushPolicy.ACKS_ALL, 5_000, PARENT);
        ReplicationSimulation.Outcome again = ReplicationSimulation.run(7, FlushPolicy.ACKS_ALL, 5_000, PARENT);
        assertThat(again).isEqualTo(first);
    }

    private static void runSeeds(FlushPolicy policy) {
        String wanted = System.getProperty("wharf.sim.policy");
        if (wanted != null && !wanted.equals(policy.configValue())) {
            return;
        }
        List<Long> seeds = seeds();
        long started = System.nanoTime();
        long events = 0;
        long acknowledged = 0;
        Map<String, Long> counts = new TreeMap<>();
        for (long seed : seeds) {
            ReplicationSimulation.Outcome outcome = ReplicationSimulation.run(seed, policy, CHAOS_MS, PARENT);
            events += outcome.events();
            acknowledged += outcome.acknowledged();
            outcome.counts().forEach((what, count) -> counts.merge(what, count, Long::sum));
        }
        System.out.printf(
                "replication simulation (%s): %d seeds, %d events, %d records acknowledged, %d ms%n  %s%n",
                policy.configValue(),
                seeds.size(),
                events,
                acknowledged,
                (System.nanoTime() - started) / 1_000_000,
                counts);
    }

    private static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        Long one = Long.getLong("wharf.sim.seed");
        if (one != null) {
            seeds.add(one);
            return seeds;
        }
        long first = Long.getLong("wharf.sim.firstSeed", 0);
        long count = Long.getLong("wharf.sim.seeds", CI_SEEDS);
        for (long seed = first; seed < first + count; seed++) {
            seeds.add(seed);
        }
        return seeds;
    }
}
