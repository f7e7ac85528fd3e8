package io.wharf.tests.simulation;

import io.wharf.common.TopicPartition;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.protocol.record.Record;
import io.wharf.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client writing {@code acks=all} batches of unique records (plain, not idempotent: a failed batch is not retried,
 * the next one has new records) to whichever broker its metadata says leads the partition. Its metadata is the image
 * of whichever broker it last asked, so it is often stale and writes to deposed leaders; now and then it writes to a
 * broker picked at random. A refusal or a timeout makes it ask for metadata again.
 */
final class SimulatedProducer {

    static final int FIRST_NODE = 100;

    private final ReplicationSimulation cluster;
    private final int node;
    private MetadataImage metadata = MetadataImage.EMPTY;
    private int sequence;
    private boolean running = true;

    SimulatedProducer(ReplicationSimulation cluster, int index) {
        this.cluster = cluster;
        this.node = FIRST_NODE + index;
    }

    void start() {
        refreshMetadata();
        cluster.sim().after(cluster.sim().between(0, 20), "producer " + node + " writes", this::writeLoop);
    }

    void stop() {
        running = false;
    }

    private void writeLoop() {
        if (!running) {
            return;
        }
        produceOnce();
        cluster.sim().after(cluster.sim().between(1, 40), "producer " + node + " writes", this::writeLoop);
    }

    private void produceOnce() {
        Simulation sim = cluster.sim();
        int partition = sim.between(0, cluster.settings().partitions() - 1);
        TopicPartition tp = new TopicPartition(SimulationSettings.TOPIC, partition);
        int target = leaderOf(partition);
        if (target < 0 || sim.chance(0.05)) {
            target = sim.between(1, cluster.settings().brokers());
        }
        RecordBatchBuilder builder = RecordBatchBuilder.create();
        List<String> identities = new ArrayList<>();
        int count = sim.between(1, 4);
        for (int i = 0; i < count; i++) {
            byte[] value = ("w" + node + "-" + sequence + "-" + i).getBytes(StandardCharsets.UTF_8);
            builder.add(sim.nowMs(), null, value);
            identities.add(LogContents.identity(new Record(-1, sim.nowMs(), null, value, List.of())));
        }
        sequence++;
        ByteBuffer batch = builder.build();
        SimulatedBroker broker = cluster.liveBroker(target);
        cluster.network()
                .<BrokerRequests.ProduceAnswer>request(
                        node,
                        target,
                        "produce " + tp,
                        SimulationSettings.PRODUCE_TIMEOUT_MS + 500,
                        reply -> {
                            if (broker != null && broker.alive()) {
                                broker.requests().serveProduce(tp, batch, identities, reply);
                            }
                        },
                        answer -> {
                            if (answer.error() != null) {
                                refreshMetadata();
                            }
                        },
                        this::refreshMetadata);
    }

    private int leaderOf(int partition) {
        return metadata.topic(SimulationSettings.TOPIC)
                .map(t -> t.partitions().get(partition))
                .map(PartitionImage::leader)
                .orElse(-1);
    }

    private void refreshMetadata() {
        if (!running) {
            return;
        }
        int asked = cluster.sim().between(1, cluster.settings().brokers());
        SimulatedBroker broker = cluster.liveBroker(asked);
        cluster.network()
                .<MetadataImage>request(
                        node,
                        asked,
                        "metadata",
                        1_000,
                        reply -> {
                            if (broker != null && broker.alive()) {
                                reply.accept(broker.image());
                            }
                        },
                        image -> {
                            if (image.offset() > metadata.offset()) {
                                metadata = image;
                            }
                        },
                        () -> {});
    }
}
