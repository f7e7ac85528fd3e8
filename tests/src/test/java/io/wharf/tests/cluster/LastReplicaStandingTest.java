package io.wharf.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.embedded.EmbeddedCluster;
import io.wharf.metadata.image.PartitionImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The last in-sync replica standing (the case of Kafka's KIP-966): a partition whose ISR shrank to its leader, and
 * whose leader then died, stays without a leader until that replica comes back, however long its other replica has
 * been up, because only it holds every acknowledged record. Five nodes, so that two of them down still leaves the
 * metadata quorum a majority.
 */
class LastReplicaStandingTest {

    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.builder().brokers(5).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static Optional<PartitionImage> partition() {
        return cluster.image().topic("standing").map(t -> t.partitions().get(0));
    }

    @Test
    void theReplicaOutsideTheIsrIsNotElectedAndTheLastInSyncOneLeadsWithEveryAcknowledgedRecord() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("standing", Map.of(0, List.of(1, 2)))
                            .configs(Map.of("min.insync.replicas", "1"))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        List<String> acknowledged = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(
                cluster.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000))) {
            send(producer, "both-", acknowledged);
            cluster.kill(2);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> assertThat(partition().orElseThrow().isr()).containsExactly(1));
            // Acknowledged by the leader alone: the only replica that has these is broker 1.
            send(producer, "alone-", acknowledged);
        }
        cluster.kill(1);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(partition().orElseThrow().hasLeader()).isFalse());
        assertThat(partition().orElseThrow().isr()).containsExactly(1);

        cluster.restart(2);
        cluster.awaitReady(60_000);
        // Broker 2 is active and a replica, but lacks what broker 1 acknowledged alone: it must not lead.
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> !partition().orElseThrow().hasLeader());

        cluster.restart(1);
        cluster.awaitReady(60_000);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(cluster.leaderOf("standing", 0)).isEqualTo(1));
        assertThat(readAll(acknowledged.size())).containsExactlyElementsOf(acknowledged);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(partition().orElseThrow().isr()).containsExactlyInAnyOrder(1, 2));
    }

    private static void send(KafkaProducer<String, String> producer, String prefix, List<String> acknowledged)
            throws Exception {
        for (int i = 0; i < 20; i++) {
            RecordMetadata m = producer.send(new ProducerRecord<>("standing", 0, "k", prefix + i))
                    .get(60, TimeUnit.SECONDS);
            acknowledged.add(m.offset() + ":" + prefix + i);
        }
    }

    private static List<String> readAll(int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
            org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition("standing", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.offset() + ":" + record.value());
                }
            }
        }
        return values;
    }
}
