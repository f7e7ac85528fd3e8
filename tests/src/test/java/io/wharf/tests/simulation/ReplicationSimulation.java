package io.wharf.tests.simulation;

import io.wharf.common.TopicId;
import io.wharf.common.TopicPartition;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.replication.PartitionReplica;
import io.wharf.storage.FlushPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One seeded run of the replication simulation: a cluster of {@link SimulatedBroker}s (real replicas over real logs
 * in a temporary directory), a {@link SimulatedController} (the real planners), {@link SimulatedProducer}s, and
 * {@link Faults} that crash brokers, restart them and cut the network, all driven by one {@link Simulation}. After
 * every event the {@link ReplicationChecker} checks the invariants. When the chaos is over, every broker is restarted
 * and the network healed; the run waits until every replica of every partition is in sync with its leader, then
 * checks that every acknowledged record is there.
 *
 * <p>Everything about a run follows from its seed and flush policy, so {@link #run} with the same arguments replays
 * the same run, event for event; a failure names both.
 */
final class ReplicationSimulation {

    /** What a run did, for the test's report. */
    record Outcome(
            long seed,
            FlushPolicy policy,
            long events,
            long acknowledged,
            long committed,
            long simulatedMs,
            long digest,
            Map<String, Long> counts) {}

    private final Simulation sim;
    private final SimulationSettings settings;
    private final Path root;
    private final SimulatedNetwork network;
    private final SimulatedController controller;
    private final ReplicationChecker checker;
    private final Map<Integer, SimulatedBroker> brokers = new TreeMap<>();
    private final Map<Integer, SimulatedBroker.Remains> crashed = new TreeMap<>();
    private final Map<Integer, Integer> generations = new TreeMap<>();
    private final List<SimulatedProducer> producers = new ArrayList<>();
    private final Faults faults;

    private ReplicationSimulation(long seed, FlushPolicy policy, long chaosMs, Path root) {
        this.sim = new Simulation(seed);
        this.settings = SimulationSettings.draw(sim, policy, chaosMs);
        this.root = root;
        this.network = new SimulatedNetwork(sim, settings.dropChance(), settings.slowChance());
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id <= settings.brokers(); id++) {
            ids.add(id);
        }
        this.controller = new SimulatedController(sim, ids, this::pushImage);
        this.checker = new ReplicationChecker(policy == FlushPolicy.ACKS_ALL);
        this.faults = new Faults(this);
    }

    /**
     * Runs seed {@code seed} under {@code policy} with {@code chaosMs} of faults, in a fresh directory under {@code
     * parent} that is deleted afterwards.
     *
     * @throws SimulationFailure naming the seed, with the last events, when an invariant breaks
     */
    static Outcome run(long seed, FlushPolicy policy, long chaosMs, Path parent) {
        Path root;
        try {
            root = Files.createTempDirectory(parent, "sim-" + seed + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ReplicationSimulation run = new ReplicationSimulation(seed, policy, chaosMs, root);
        try {
            return run.run();
        } catch (RuntimeException | AssertionError e) {
            throw new SimulationFailure(run.report(e), e);
        } finally {
            run.brokers.values().forEach(SimulatedBroker::stop);
            CrashedDisk.delete(root);
        }
    }

    private Outcome run() {
        controller.createTopic(
                SimulationSettings.TOPIC,
                new TopicId(sim.seed, 1),
                settings.partitions(),
                settings.replicationFactor());
        controller.start();
        for (int id = 1; id <= settings.brokers(); id++) {
            generations.put(id, 0);
            start(id, new SimulatedBroker.Remains(directory(id, 0), Map.of(), MetadataImage.EMPTY, TopicId.ZERO));
        }
        for (int i = 0; i < settings.producers(); i++) {
            SimulatedProducer producer = new SimulatedProducer(this, i);
            producers.add(producer);
            producer.start();
        }
        faults.start();
        runUntil(settings.chaosMs());
        producers.forEach(SimulatedProducer::stop);
        faults.stop();
        network.healAll();
        for (int id : List.copyOf(crashed.keySet())) {
            restart(id);
        }
        sim.note("healed: every broker up, every link restored");
        long deadline = settings.chaosMs() + settings.settleMaxMs();
        while (!settled()) {
            if (!sim.step(deadline)) {
                throw new SimulationFailure(
                        "the cluster did not settle within " + settings.settleMaxMs() + " ms of being healed");
            }
            check();
        }
        checker.atEnd(controller.image(), this::liveBroker);
        return new Outcome(
                sim.seed,
                settings.flushPolicy(),
                sim.eventsRun(),
                checker.acknowledgedRecords(),
                checker.committedRecords(),
                sim.elapsedMs(),
                sim.digest(),
                sim.counts());
    }

    private void runUntil(long elapsedMs) {
        while (sim.step(elapsedMs)) {
            check();
        }
        sim.idleUntil(elapsedMs);
    }

    private void check() {
        checker.afterEvent(liveBrokers(), controller.image());
    }

    /** Every partition has a leader that knows it, all replicas in its ISR and caught up, and nothing in flight. */
    private boolean settled() {
        MetadataImage image = controller.image();
        for (TopicImage topic : image.topics().values()) {
            for (PartitionImage p : topic.partitions().values()) {
                if (!settled(new TopicPartition(topic.name(), p.partition()), p)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean settled(TopicPartition tp, PartitionImage p) {
        if (!p.hasLeader()
                || p.isReassigning()
                || p.isr().size() != p.replicas().size()) {
            return false;
        }
        SimulatedBroker leader = liveBroker(p.leader());
        PartitionReplica leading = leader == null ? null : leader.replicas().get(tp);
        if (leading == null || !leading.isLeader() || leading.leaderEpoch() != p.leaderEpoch()) {
            return false;
        }
        long end = leading.log().logEndOffset();
        for (int member : p.replicas()) {
            SimulatedBroker broker = liveBroker(member);
            PartitionReplica replica = broker == null ? null : broker.replicas().get(tp);
            if (replica == null
                    || replica.leaderEpoch() != p.leaderEpoch()
                    || replica.log().logEndOffset() != end
                    || replica.highWatermark() != end) {
                return false;
            }
        }
        return true;
    }

    // ---- brokers

    private Path directory(int id, int generation) {
        Path dir = root.resolve("broker-" + id + "-" + generation);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private void start(int id, SimulatedBroker.Remains remains) {
        SimulatedBroker broker = new SimulatedBroker(this, id, generations.get(id), remains);
        brokers.put(id, broker);
        sim.note(broker.name() + " starts"
                + (remains.image().offset() >= 0
                        ? " with the metadata it had (offset " + remains.image().offset() + ")"
                        : " with no metadata"));
        broker.start();
    }

    /** Crashes broker {@code id} (a power loss or a process kill, as the flush policy says) unless it is down. */
    void crash(int id) {
        SimulatedBroker broker = brokers.get(id);
        if (broker == null || !broker.alive()) {
            return;
        }
        int next = generations.merge(id, 1, Integer::sum);
        sim.note(broker.name() + (settings.powerLoss() ? " loses power" : " is killed"));
        crashed.put(id, broker.crash(directory(id, next)));
    }

    /** Asks broker {@code id} to shut down cleanly (it may take a while), unless it is down. */
    void shutDown(int id) {
        SimulatedBroker broker = liveBroker(id);
        if (broker != null) {
            broker.shutDown();
        }
    }

    /** Broker {@code id} stopped cleanly, leaving {@code remains}; it starts again a while later. */
    void stopped(int id, SimulatedBroker.Remains remains) {
        generations.merge(id, 1, Integer::sum);
        crashed.put(id, remains);
        sim.after(sim.between(100, 3_000), "broker " + id + " starts again", () -> restart(id));
    }

    /** Starts broker {@code id} again, with its disk as the crash (or the clean stop) left it. */
    void restart(int id) {
        SimulatedBroker.Remains remains = crashed.remove(id);
        if (remains == null) {
            return;
        }
        // A broker that replays its own copy of the metadata log starts with what it had; one that follows the
        // quorum's image from afar starts with none.
        MetadataImage image = sim.chance(0.5) ? remains.image() : MetadataImage.EMPTY;
        start(id, new SimulatedBroker.Remains(remains.dataDir(), remains.checkpoint(), image, remains.incarnation()));
    }

    boolean isDown(int id) {
        return crashed.containsKey(id);
    }

    /** The live incarnation of broker {@code id}, or null while it is down. */
    SimulatedBroker liveBroker(int id) {
        SimulatedBroker broker = brokers.get(id);
        return broker != null && broker.alive() ? broker : null;
    }

    private List<SimulatedBroker> liveBrokers() {
        List<SimulatedBroker> live = new ArrayList<>();
        for (SimulatedBroker broker : brokers.values()) {
            if (broker.alive()) {
                live.add(broker);
            }
        }
        return live;
    }

    /** Runs {@code action} on the live incarnation of {@code id}, if there is one. */
    void serve(int id, Consumer<SimulatedBroker> action) {
        SimulatedBroker broker = liveBroker(id);
        if (broker != null) {
            action.accept(broker);
        }
    }

    private void pushImage(int brokerId, MetadataImage image) {
        SimulatedBroker target = liveBroker(brokerId);
        if (target != null) {
            network.send(SimulatedNetwork.CONTROLLER, brokerId, "image " + image.offset(), () -> target.onImage(image));
        }
    }

    // ---- what the parts share

    Simulation sim() {
        return sim;
    }

    SimulationSettings settings() {
        return settings;
    }

    SimulatedNetwork network() {
        return network;
    }

    SimulatedController controller() {
        return controller;
    }

    ReplicationChecker checker() {
        return checker;
    }

    private String report(Throwable failure) {
        StringBuilder text = new StringBuilder();
        text.append("seed ")
                .append(sim.seed)
                .append(" (")
                .append(settings.flushPolicy().configValue())
                .append(") failed at ")
                .append(sim.elapsedMs())
                .append(" ms: ")
                .append(failure.getMessage())
                .append("\n  run it again: ./mvnw -B -ntp -o test -pl tests -am -Dtest=ReplicationSimulationTest")
                .append(" -Dsurefire.failIfNoSpecifiedTests=false -Dwharf.sim.seed=")
                .append(sim.seed)
                .append(" -Dwharf.sim.policy=")
                .append(settings.flushPolicy().configValue())
                .append(" -Dwharf.sim.chaosMs=")
                .append(settings.chaosMs())
                .append("\n  ")
                .append(settings)
                .append("\nthe controller's image:\n")
                .append(controller.describePartitions())
                .append("brokers:\n");
        for (SimulatedBroker broker : brokers.values()) {
            text.append("  ")
                    .append(broker.alive() ? broker.toString() : broker.name() + " down")
                    .append('\n');
        }
        text.append("the last events:\n");
        for (String line : sim.trace()) {
            text.append("  ").append(line).append('\n');
        }
        return text.toString();
    }
}
