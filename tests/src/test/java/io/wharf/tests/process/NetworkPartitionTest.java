package io.wharf.tests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.tests.WireClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition leader cut off from the other brokers and the quorum by the network (each broker in a network
 * namespace of its own, {@link NetworkNamespaces}), while the test's clients still reach it: it must stop
 * acknowledging once its session has run out, the majority side must elect a new leader and take writes, and after
 * the network heals the old leader rejoins as a follower with nothing acknowledged lost.
 */
class NetworkPartitionTest {

    private static final int PARTITIONS = 3;
    private static final AtomicInteger probes = new AtomicInteger();

    @TempDir
    static Path dir;

    private static NetworkNamespaces net;
    private static ProcessCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        net = NetworkNamespaces.create(3);
        List<ProcessCluster.Address> addresses = new ArrayList<>();
        for (int node = 1; node <= 3; node++) {
            addresses.add(new ProcessCluster.Address(net.address(node), 9092, 9093, net.commandPrefix(node)));
        }
        cluster = ProcessCluster.start(dir, addresses, Map.of());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aLeaderCutOffStopsAcknowledgingAndTheMajorityElectsAnother() throws Exception {
        String topic = "partitioned";
        cluster.createTopic(topic, PARTITIONS, Map.of());
        AckedLoad load = new AckedLoad(cluster.bootstrapServers(), topic, PARTITIONS);
        try {
            for (int round = 0; round < ProcessCluster.rounds(1); round++) {
                load.awaitMoreAcks(300, 60);
                int leader = cluster.leaderOf(topic, 0);
                assertThat(refuses(cluster.node(leader), topic))
                        .as("the probe's write before the cut")
                        .isFalse();
                ProcessCluster.step("round " + round + ": cutting node " + leader + " off the others");
                net.isolate(leader);
                ProcessCluster.await(
                        30, "a leader of " + topic + "-0 on the majority side", () -> ledElsewhere(topic, leader));
                ProcessCluster.step("majority side leader elected");
                ProcessCluster.await(
                        30, "node " + leader + " refusing writes", () -> refuses(cluster.node(leader), topic));
                ProcessCluster.step("node " + leader + " refuses writes");
                load.awaitMoreAcks(300, 60);
                long acknowledgedEnd = load.acknowledged.keySet().stream()
                        .filter(p -> p.partition() == 0)
                        .mapToLong(p -> p.offset() + 1)
                        .max()
                        .orElse(0);
                net.heal(leader);
                ProcessCluster.step("healed");
                // The healed node's metadata is the one it had at the cut until it catches up, naming it leader
                // still: it must not answer as one meanwhile (a consumer asking it for the end of the log would
                // stop short of what the majority acknowledged). The next round starts once every node gives the
                // same leaders and ISRs.
                ProcessCluster.await(60, "every node's metadata agreeing on " + topic, () -> {
                    long end = latestOffset(cluster.node(leader), topic);
                    assertThat(end == -1 || end >= acknowledgedEnd)
                            .as(
                                    "the end of %s-0 as node %d gives it just after the heal: %d, with %d acknowledged",
                                    topic, leader, end, acknowledgedEnd)
                            .isTrue();
                    return agreed(topic);
                });
                ProcessCluster.step("every node agrees on the leaders");
                cluster.awaitFullIsr(topic, 3, 60);
            }
            load.awaitMoreAcks(200, 60);
        } finally {
            load.close();
        }
        AckedLog.verify(cluster.bootstrapServers(), topic, PARTITIONS, load.acknowledged);
    }

    /** ListOffsets "latest" of partition 0 asked of {@code node} alone: the offset, or -1 for an error. */
    private static long latestOffset(BrokerNode node, String topic) {
        try (WireClient wire = new WireClient(node.address())) {
            ListOffsetsResponseData response = wire.send(
                    ApiKeys.LIST_OFFSETS,
                    (short) 7,
                    new ListOffsetsRequestData()
                            .setReplicaId(-1)
                            .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic()
                                    .setName(topic)
                                    .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                            .setPartitionIndex(0)
                                            .setTimestamp(-1))))));
            ListOffsetsResponseData.ListOffsetsPartitionResponse answer =
                    response.topics().get(0).partitions().get(0);
            return answer.errorCode() == 0 ? answer.offset() : -1;
        } catch (Exception unreachable) {
            return -1;
        }
    }

    /** Whether every node, asked alone, names the same leader and the same three in-sync replicas per partition. */
    private static boolean agreed(String topic) {
        List<String> views = cluster.nodes().stream().map(n -> viewOf(n, topic)).toList();
        return views.stream().allMatch(v -> v != null && v.equals(views.get(0)));
    }

    /** {@code topic}'s partitions as {@code node} alone sees them (leader and ISR), or null if any lacks one. */
    private static String viewOf(BrokerNode node, String topic) {
        List<MetadataResponseData.MetadataResponsePartition> partitions = partitionsAsSeenBy(node, topic);
        StringBuilder view = new StringBuilder();
        for (MetadataResponseData.MetadataResponsePartition p : partitions) {
            if (p.leaderId() < 0 || p.isrNodes().size() != 3) {
                return null;
            }
            view.append(p.partitionIndex())
                    .append(':')
                    .append(p.leaderId())
                    .append(p.isrNodes().stream().sorted().toList());
        }
        return view.length() == 0 ? null : view.toString();
    }

    /**
     * Whether every node but {@code old} names another leader of partition 0. Asked of each node alone (a bare
     * Metadata request), because a client would also ask the cut-off node, which still believes it leads.
     */
    private static boolean ledElsewhere(String topic, int old) {
        return cluster.nodes().stream().filter(n -> n.id != old).allMatch(n -> {
            int seen = partitionsAsSeenBy(n, topic).stream()
                    .filter(p -> p.partitionIndex() == 0)
                    .findFirst()
                    .map(MetadataResponseData.MetadataResponsePartition::leaderId)
                    .orElse(-1);
            return seen != -1 && seen != old;
        });
    }

    /** {@code topic}'s partitions in {@code node}'s own Metadata answer, by index; empty when it does not answer. */
    private static List<MetadataResponseData.MetadataResponsePartition> partitionsAsSeenBy(
            BrokerNode node, String topic) {
        try (WireClient wire = new WireClient(node.address())) {
            MetadataResponseData response = wire.send(
                    ApiKeys.METADATA,
                    (short) 12,
                    new MetadataRequestData()
                            .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic))));
            return response.topics().find(topic).partitions().stream()
                    .sorted(Comparator.comparingInt(MetadataResponseData.MetadataResponsePartition::partitionIndex))
                    .toList();
        } catch (Exception notYet) {
            return List.of();
        }
    }

    /**
     * Whether an {@code acks=1} write sent to {@code node} alone fails: the cut-off leader must refuse even writes it
     * could take on its own, once its session has run out.
     */
    private static boolean refuses(BrokerNode node, String topic) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.address());
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        try (KafkaProducer<String, String> probe =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            probe.send(new ProducerRecord<>(topic, 0, null, "probe-" + probes.incrementAndGet()))
                    .get(10, TimeUnit.SECONDS);
            return false;
        } catch (Exception refused) {
            return true;
        }
    }
}
