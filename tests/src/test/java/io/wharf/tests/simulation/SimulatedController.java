package io.wharf.tests.simulation;

import io.wharf.common.TopicId;
import io.wharf.metadata.controller.BrokerHeartbeat;
import io.wharf.metadata.controller.BrokerRegistration;
import io.wharf.metadata.controller.Controller.Committed;
import io.wharf.metadata.controller.ControllerPlans;
import io.wharf.metadata.controller.HeartbeatResult;
import io.wharf.metadata.controller.IsrChange;
import io.wharf.metadata.controller.IsrResult;
import io.wharf.metadata.controller.PartitionResult;
import io.wharf.metadata.controller.Reassignment;
import io.wharf.metadata.controller.RegistrationResult;
import io.wharf.metadata.image.BrokerImage;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.metadata.record.ClusterRecord;
import io.wharf.metadata.record.MetadataRecord;
import io.wharf.metadata.record.PartitionRecord;
import io.wharf.metadata.record.TopicRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The active metadata controller, as {@code QuorumController} runs it, with the metadata quorum reduced to a counter:
 * each request is computed by the real planners against the current image, its records are "committed" at once
 * (applied with {@link MetadataImage#apply}, the next batch offset) and the answer is sent back. The soft state is
 * the real one's: when each broker was last heard from, checked every quarter session, so that a silent broker is
 * fenced; a failover gives every broker a fresh session, as a newly active controller does.
 *
 * <p>Every new image is pushed to every broker over the network, where it may be delayed, overtaken or lost; brokers
 * also poll for it, so one that missed an image catches up later.
 */
final class SimulatedController {

    private final Simulation sim;
    private final ControllerPlans plans = new ControllerPlans(false);
    private final List<Integer> brokerIds;
    private final BiConsumer<Integer, MetadataImage> imagePushed;
    private final Map<Integer, Long> lastContactMs = new TreeMap<>();
    private MetadataImage image = MetadataImage.EMPTY;
    private long offset = -1;

    /** @param imagePushed sends a new image to a broker */
    SimulatedController(Simulation sim, List<Integer> brokerIds, BiConsumer<Integer, MetadataImage> imagePushed) {
        this.sim = sim;
        this.brokerIds = List.copyOf(brokerIds);
        this.imagePushed = imagePushed;
    }

    /**
     * Creates the topic: partition {@code i} on {@code replicationFactor} brokers from the {@code i}-th on, every
     * replica in sync and no leader yet; brokers take leadership as they are unfenced.
     */
    void createTopic(String name, TopicId id, int partitions, int replicationFactor) {
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new ClusterRecord("simulated-cluster"));
        records.add(new TopicRecord(name, id));
        for (int p = 0; p < partitions; p++) {
            List<Integer> replicas = new ArrayList<>();
            for (int r = 0; r < replicationFactor; r++) {
                replicas.add(brokerIds.get((p + r) % brokerIds.size()));
            }
            records.add(new PartitionRecord(id, p, replicas, replicas, PartitionRecord.NO_LEADER, 0, 0));
        }
        commit(records, "create topic " + name);
    }

    MetadataImage image() {
        return image;
    }

    void start() {
        long interval = Math.max(50, Math.min(1_000, SimulationSettings.SESSION_TIMEOUT_MS / 4));
        every(interval, "controller session check", this::expireSessions);
        every(SimulationSettings.LEADER_REBALANCE_INTERVAL_MS, "controller leader rebalance", this::rebalance);
    }

    private void every(long intervalMs, String label, Runnable action) {
        sim.after(intervalMs, label, () -> {
            action.run();
            every(intervalMs, label, action);
        });
    }

    Committed<RegistrationResult> register(BrokerRegistration request) {
        ControllerPlans.Plan<RegistrationResult> plan =
                plans.register(image, request, sessionAlive(request.brokerId()));
        if (plan.result().error() == null) {
            lastContactMs.put(request.brokerId(), sim.nowMs());
        }
        long at = commit(plan.records(), "register broker " + request.brokerId());
        return new Committed<>(plan.result(), at);
    }

    Committed<HeartbeatResult> heartbeat(BrokerHeartbeat request) {
        ControllerPlans.Plan<HeartbeatResult> plan = plans.heartbeat(image, request);
        if (plan.result().error() == null) {
            lastContactMs.put(request.brokerId(), sim.nowMs());
        }
        long at = commit(plan.records(), "heartbeat of broker " + request.brokerId());
        return new Committed<>(plan.result(), at);
    }

    Committed<List<IsrResult>> alterIsrs(List<IsrChange> changes) {
        ControllerPlans.Plan<List<IsrResult>> plan = plans.alterIsrs(image, changes);
        long at = commit(
                plan.records(),
                "ISRs of "
                        + changes.stream()
                                .map(c -> c.partition() + " to " + c.isr())
                                .toList() + " from broker " + changes.get(0).brokerId());
        return new Committed<>(plan.result(), at);
    }

    /** An administrator's reassignment of partitions (a null target cancels one in progress). */
    List<PartitionResult> reassign(List<Reassignment> requests) {
        ControllerPlans.Plan<List<PartitionResult>> plan = plans.reassign(image, requests);
        commit(plan.records(), "reassignment " + requests);
        return plan.result();
    }

    /** A new active controller: every registered broker gets a whole session before it may be fenced. */
    void failOver() {
        long now = sim.nowMs();
        lastContactMs.clear();
        image.brokers().keySet().forEach(id -> lastContactMs.put(id, now));
        sim.note("controller fails over");
    }

    private boolean sessionAlive(int brokerId) {
        Long last = lastContactMs.get(brokerId);
        return last != null && sim.nowMs() - last <= SimulationSettings.SESSION_TIMEOUT_MS;
    }

    private void expireSessions() {
        long now = sim.nowMs();
        for (BrokerImage broker : image.brokers().values()) {
            if (broker.isFenced()) {
                continue;
            }
            long last = lastContactMs.computeIfAbsent(broker.brokerId(), id -> now);
            if (now - last > SimulationSettings.SESSION_TIMEOUT_MS) {
                commit(
                        plans.expire(image, broker.brokerId(), broker.epoch()),
                        "fence broker " + broker.brokerId() + " (no heartbeat for " + (now - last) + " ms)");
            }
        }
    }

    private void rebalance() {
        commit(plans.rebalance(image, SimulationSettings.LEADER_IMBALANCE_PERCENTAGE), "preferred leader elections");
    }

    /** Applies {@code records} as the next batch and sends the image to every broker; the image's offset. */
    private long commit(List<MetadataRecord> records, String why) {
        if (records.isEmpty()) {
            return image.offset();
        }
        offset++;
        countChanges(records);
        image = image.apply(records, offset);
        sim.note("metadata " + offset + ": " + why + describe(records));
        for (int broker : brokerIds) {
            imagePushed.accept(broker, image);
        }
        return offset;
    }

    private void countChanges(List<MetadataRecord> records) {
        for (MetadataRecord record : records) {
            if (record instanceof PartitionRecord p) {
                PartitionImage before = image.topic(p.topicId())
                        .map(t -> t.partitions().get(p.partition()))
                        .orElse(null);
                if (before != null && before.leaderEpoch() != p.leaderEpoch()) {
                    sim.count(p.leader() < 0 ? "partitions left without a leader" : "leaders elected");
                }
                if (before != null && p.isr().size() < before.isr().size()) {
                    sim.count("ISR shrinks");
                } else if (before != null && p.isr().size() > before.isr().size()) {
                    sim.count("ISR expansions");
                }
            }
        }
    }

    private String describe(List<MetadataRecord> records) {
        StringBuilder text = new StringBuilder();
        for (MetadataRecord record : records) {
            if (record instanceof PartitionRecord p) {
                text.append("; p")
                        .append(p.partition())
                        .append(" leader ")
                        .append(p.leader())
                        .append(" epoch ")
                        .append(p.leaderEpoch())
                        .append(" isr ")
                        .append(p.isr());
            }
        }
        return text.toString();
    }

    /** The partitions as the controller has them, for the failure report. */
    String describePartitions() {
        StringBuilder text = new StringBuilder();
        for (TopicImage topic : image.topics().values()) {
            for (PartitionImage p : topic.partitions().values()) {
                text.append("  p")
                        .append(p.partition())
                        .append(": leader ")
                        .append(p.leader())
                        .append(" epoch ")
                        .append(p.leaderEpoch())
                        .append(" partition epoch ")
                        .append(p.partitionEpoch())
                        .append(" replicas ")
                        .append(p.replicas())
                        .append(" isr ")
                        .append(p.isr())
                        .append('\n');
            }
        }
        for (BrokerImage broker : image.brokers().values()) {
            text.append("  broker ")
                    .append(broker.brokerId())
                    .append(": ")
                    .append(broker.state())
                    .append(" epoch ")
                    .append(broker.epoch())
                    .append('\n');
        }
        return text.toString();
    }
}
