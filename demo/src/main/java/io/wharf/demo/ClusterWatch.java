package io.wharf.demo;

import io.wharf.common.TopicPartition;
import io.wharf.embedded.EmbeddedCluster;
import io.wharf.metadata.image.BrokerImage;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.replication.PartitionReplica;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What the demo shows of the cluster: each partition's leader, ISR and high watermark, and the changes between one
 * look and the next (a broker fenced or back, a leader elected, a replica leaving or rejoining the ISR) as event lines.
 */
final class ClusterWatch {

    /** One partition as the screen shows it. */
    record PartitionRow(int partition, int leader, int leaderEpoch, List<Integer> isr, long highWatermark) {}

    private final EmbeddedCluster cluster;
    private final String topic;
    private MetadataImage last = MetadataImage.EMPTY;

    ClusterWatch(EmbeddedCluster cluster, String topic) {
        this.cluster = cluster;
        this.topic = topic;
    }

    /** Looks at the cluster and reports what changed since the last look. */
    List<PartitionRow> look(Consumer<String> events) {
        MetadataImage image = cluster.image();
        describeChanges(last, image, events);
        last = image;
        List<PartitionRow> rows = new ArrayList<>();
        image.topic(topic).ifPresent(t -> new TreeMap<>(t.partitions()).values().forEach(p -> rows.add(row(p))));
        return rows;
    }

    /** Brokers by id, true when active. */
    Map<Integer, Boolean> brokers() {
        Map<Integer, Boolean> states = new TreeMap<>();
        for (int id : cluster.nodeIds()) {
            states.put(id, cluster.broker(id).isPresent() && last.isActive(id));
        }
        return states;
    }

    /** The broker leading the most partitions of the topic. */
    int busiestLeader() {
        Map<Integer, Integer> led = new TreeMap<>();
        cluster.image()
                .topic(topic)
                .ifPresent(t -> t.partitions().values().forEach(p -> led.merge(p.leader(), 1, Integer::sum)));
        return led.entrySet().stream()
                .filter(e -> e.getKey() >= 0)
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElseThrow();
    }

    /** Whether every partition has a leader on a live broker. */
    boolean allLed() {
        return cluster.image()
                .topic(topic)
                .map(t -> t.partitions().values().stream()
                        .allMatch(
                                p -> p.hasLeader() && cluster.broker(p.leader()).isPresent()))
                .orElse(false);
    }

    /** Whether every partition has all its replicas in sync. */
    boolean allInSync() {
        return cluster.image()
                .topic(topic)
                .map(t -> t.partitions().values().stream()
                        .allMatch(p -> p.isr().size() == p.replicas().size()))
                .orElse(false);
    }

    private PartitionRow row(PartitionImage p) {
        long hw = -1;
        if (p.hasLeader()) {
            hw = cluster.broker(p.leader())
                    .flatMap(b -> b.services().replicas().partition(new TopicPartition(topic, p.partition())))
                    .map(PartitionReplica::highWatermark)
                    .orElse(-1L);
        }
        return new PartitionRow(p.partition(), p.leader(), p.leaderEpoch(), p.isr(), hw);
    }

    private void describeChanges(MetadataImage before, MetadataImage after, Consumer<String> events) {
        for (BrokerImage broker : after.brokers().values()) {
            boolean was = before.isActive(broker.brokerId());
            boolean is = after.isActive(broker.brokerId());
            if (was && !is) {
                events.accept("broker " + broker.brokerId() + " is fenced: the controller stopped hearing from it");
            } else if (!was && is && !before.brokers().isEmpty()) {
                events.accept("broker " + broker.brokerId() + " is active again");
            }
        }
        Optional<Map<Integer, PartitionImage>> previous = before.topic(topic).map(t -> t.partitions());
        after.topic(topic).ifPresent(t -> {
            for (PartitionImage p : new TreeMap<>(t.partitions()).values()) {
                PartitionImage old = previous.map(m -> m.get(p.partition())).orElse(null);
                if (old == null) {
                    continue;
                }
                if (old.leader() != p.leader()) {
                    events.accept("partition " + p.partition() + ": leader " + name(old.leader()) + " -> "
                            + name(p.leader()) + " (leader epoch " + p.leaderEpoch() + ")");
                }
                for (int replica : old.isr()) {
                    if (!p.isr().contains(replica)) {
                        events.accept("partition " + p.partition() + ": broker " + replica + " left the ISR");
                    }
                }
                for (int replica : p.isr()) {
                    if (!old.isr().contains(replica)) {
                        events.accept("partition " + p.partition() + ": broker " + replica
                                + " caught up and rejoined the ISR");
                    }
                }
            }
        });
    }

    private static String name(int broker) {
        return broker < 0 ? "none" : String.valueOf(broker);
    }
}
