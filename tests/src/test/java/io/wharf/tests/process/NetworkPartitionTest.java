package io.wharf.tests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.tests.WireClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
                net.heal(leader);
                ProcessCluster.step("healed");
                cluster.awaitFullIsr(topic, 3, 60);
            }
            load.awaitMoreAcks(200, 60);
        } finally {
            load.close();
        }
        AckedLog.verify(cluster.bootstrapServers(), topic, PARTITIONS, load.acknowledged);
    }

    /**
     * Whether every node but {@code old} names another leader of partition 0. Asked of each node alone (a bare
     * Metadata request), because a client would also ask the cut-off node, which still believes it leads.
     */
    private static boolean ledElsewhere(String topic, int old) {
        return cluster.nodes().stream().filter(n -> n.id != old).allMatch(n -> {
            int seen = leaderAsSeenBy(n, topic);
            return seen != -1 && seen != old;
        });
    }

    private static int leaderAsSeenBy(BrokerNode node, String topic) {
        try (WireClient wire = new WireClient(node.address())) {
            MetadataResponseData response = wire.send(
                    ApiKeys.METADATA,
                    (short) 12,
                    new MetadataRequestData()
                            .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic))));
            return response.topics().find(topic).partitions().stream()
                    .filter(p -> p.partitionIndex() == 0)
                    .findFirst()
                    .map(MetadataResponseData.MetadataResponsePartition::leaderId)
                    .orElse(-1);
        } catch (Exception notYet) {
            return -1;
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
