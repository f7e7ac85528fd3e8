package io.wharf.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.embedded.EmbeddedCluster;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.server.Broker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three brokers, each a controller of the metadata quorum, in one JVM: topics created through any of them are spread
 * over all, clients find the leaders, and losing the active controller or a broker loses nothing.
 */
class ClusterTest {

    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.builder().brokers(3).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static void createThrough(int node, String topic, int partitions) throws Exception {
        try (Admin admin = Clients.admin(cluster.address(node))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    private static List<String> produceAndRead(String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, topic + "-" + i))
                        .get(60, TimeUnit.SECONDS);
            }
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    @Test
    void topicsCreatedThroughEveryBrokerAreSpreadOverAllAndServed() throws Exception {
        for (int node : cluster.nodeIds()) {
            createThrough(node, "spread-" + node, 6);
        }
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            Collection<Node> brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            assertThat(brokers).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
            // Each broker learns of the topics from its copy of the metadata log: a topic created
            // through one broker reaches the others a moment later.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, TopicDescription> topics = admin.describeTopics(List.of("spread-1", "spread-2", "spread-3"))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS);
                Set<Integer> leaders = new HashSet<>();
                topics.values()
                        .forEach(t -> t.partitions()
                                .forEach(p -> leaders.add(p.leader().id())));
                assertThat(leaders).containsExactlyInAnyOrder(1, 2, 3);
            });
        }
        for (int node : cluster.nodeIds()) {
            assertThat(produceAndRead("spread-" + node, 30)).hasSize(30);
        }
    }

    @Test
    void theNextCreateTopicsSucceedsAfterTheActiveControllerIsKilled() throws Exception {
        int controller = cluster.activeController().orElseThrow();
        createThrough(controller, "before-failover", 1);
        cluster.kill(controller);
        try {
            int other = cluster.nodeIds().stream()
                    .filter(n -> n != controller)
                    .findFirst()
                    .orElseThrow();
            createThrough(other, "after-failover", 3);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> cluster.activeController()
                            .filter(c -> c != controller)
                            .isPresent());
            assertThat(cluster.image().topics()).containsKeys("before-failover", "after-failover");
        } finally {
            cluster.restart(controller);
            cluster.awaitReady(60_000);
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(cluster.broker(controller)
                                .orElseThrow()
                                .metadata()
                                .publisher()
                                .image()
                                .topics())
                        .containsKeys("before-failover", "after-failover"));
    }

    @Test
    void aKilledBrokerIsFencedAfterItsSessionAndServesAgainAfterARestart() throws Exception {
        createThrough(1, "fenced", 6);
        int victim = cluster.leaderOf("fenced", 0);
        cluster.kill(victim);
        await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.image().isActive(victim));
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                                    .extracting(Node::id)
                                    .doesNotContain(victim));
        }
        for (PartitionImage p :
                cluster.image().topic("fenced").orElseThrow().partitions().values()) {
            assertThat(p.leader()).isNotEqualTo(victim);
        }
        cluster.restart(victim);
        cluster.awaitReady(60_000);
        assertThat(cluster.leaderOf("fenced", 0)).isEqualTo(victim);
        assertThat(produceAndRead("fenced", 12)).hasSize(12);
    }

    @Test
    void aNodeWhoseDataBelongsToAnotherClusterStopsAndTheClusterGoesOn() throws Exception {
        int stranger = 3;
        String clusterId = cluster.broker(1).orElseThrow().clusterId();
        cluster.stop(stranger);
        Path meta = cluster.dataDir(stranger).resolve("meta.properties");
        String properties = Files.readString(meta);
        assertThat(properties).contains("cluster.id=" + clusterId);
        Files.writeString(meta, properties.replace(clusterId, "AnotherClusterIdAAAAAA"));
        try {
            cluster.restart(stranger);
            Broker broker = cluster.broker(stranger).orElseThrow();
            broker.stopped().get(60, TimeUnit.SECONDS);
            // It stopped without adopting the quorum's id, and the other two still serve.
            assertThat(Files.readString(meta)).contains("cluster.id=AnotherClusterIdAAAAAA");
            cluster.kill(stranger);
            createThrough(1, "after-stranger", 2);
            assertThat(produceAndRead("after-stranger", 4)).hasSize(4);
        } finally {
            Files.writeString(meta, properties);
            cluster.kill(stranger);
            cluster.restart(stranger);
            cluster.awaitReady(60_000);
        }
    }
}
