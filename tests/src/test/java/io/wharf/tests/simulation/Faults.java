package io.wharf.tests.simulation;

import io.wharf.metadata.controller.PartitionResult;
import io.wharf.metadata.controller.Reassignment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The faults of a run, one every so often while the chaos lasts: a broker crashes (and starts again a while later),
 * a broker is cut off from the controller, from the other brokers or from everyone for a while, one link between two
 * brokers is cut, a broker shuts down cleanly and starts again, a partition's replicas are moved (an administrator's
 * reassignment, or the cancelling of one), or the controller fails over. Faults overlap freely: several brokers may
 * be down or cut off at once.
 */
final class Faults {

    private final ReplicationSimulation cluster;
    private boolean running;

    Faults(ReplicationSimulation cluster) {
        this.cluster = cluster;
    }

    void start() {
        running = true;
        next();
    }

    void stop() {
        running = false;
    }

    private void next() {
        Simulation sim = cluster.sim();
        long mean = cluster.settings().faultIntervalMs();
        sim.after(sim.between((int) mean / 2, (int) mean * 3 / 2), "fault", () -> {
            if (running) {
                inject();
                next();
            }
        });
    }

    private void inject() {
        Simulation sim = cluster.sim();
        int broker = sim.between(1, cluster.settings().brokers());
        int kind = sim.between(0, 99);
        if (kind < 30) {
            crash(broker);
        } else if (kind < 45) {
            cutOff(broker, List.of(SimulatedNetwork.CONTROLLER), "the controller");
        } else if (kind < 57) {
            cutOff(broker, otherBrokers(broker), "the other brokers");
        } else if (kind < 65) {
            List<Integer> everyone = otherBrokers(broker);
            everyone.add(SimulatedNetwork.CONTROLLER);
            cutOff(broker, everyone, "everyone");
        } else if (kind < 75) {
            int other = sim.pick(otherBrokers(broker));
            cutOff(broker, List.of(other), "broker " + other);
        } else if (kind < 85) {
            sim.count("controlled shutdowns");
            cluster.shutDown(broker);
        } else if (kind < 95) {
            reassign();
        } else {
            sim.count("controller failovers");
            cluster.controller().failOver();
        }
    }

    /** Moves a partition's replicas to brokers drawn at random, or cancels a move in progress. */
    private void reassign() {
        Simulation sim = cluster.sim();
        int partition = sim.between(0, cluster.settings().partitions() - 1);
        List<Integer> target = null;
        if (!sim.chance(0.2)) {
            List<Integer> brokers = otherBrokers(SimulatedNetwork.CONTROLLER);
            Collections.shuffle(brokers, sim.random);
            target = List.copyOf(brokers.subList(0, cluster.settings().replicationFactor()));
        }
        sim.count("reassignments");
        List<PartitionResult> results =
                cluster.controller().reassign(List.of(new Reassignment(SimulationSettings.TOPIC, partition, target)));
        sim.note("reassign p" + partition + " to " + (target == null ? "cancel" : target) + ": "
                + results.get(0).error());
    }

    private List<Integer> otherBrokers(int broker) {
        List<Integer> others = new ArrayList<>();
        for (int id = 1; id <= cluster.settings().brokers(); id++) {
            if (id != broker) {
                others.add(id);
            }
        }
        return others;
    }

    private void crash(int broker) {
        Simulation sim = cluster.sim();
        if (cluster.isDown(broker)) {
            return;
        }
        sim.count("crashes");
        cluster.crash(broker);
        sim.after(sim.between(100, 5_000), "broker " + broker + " restarts", () -> cluster.restart(broker));
    }

    private void cutOff(int broker, List<Integer> from, String whom) {
        Simulation sim = cluster.sim();
        SimulatedNetwork network = cluster.network();
        for (int other : from) {
            network.cut(broker, other);
        }
        long forMs = sim.between(200, 8_000);
        sim.count("network partitions");
        sim.note("broker " + broker + " is cut off from " + whom + " for " + forMs + " ms");
        sim.after(forMs, "broker " + broker + " reconnects", () -> {
            for (int other : from) {
                network.heal(broker, other);
            }
            sim.note("broker " + broker + " is reconnected to " + whom);
        });
    }
}
