package io.wharf.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.common.TopicPartition;
import io.wharf.embedded.EmbeddedCluster;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.replication.PartitionReplica;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Partitions with three replicas: followers copy the leader, an acks=all write is on every in-sync replica when it is
 * acknowledged, and when the leader dies a follower that has every acknowledged record takes over.
 */
class ReplicationTest {

    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.builder()
                .brokers(3)
                .config("min.insync.replicas", "2")
                .start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static void create(String topic, int partitions) throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 3)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Object> idempotentAcksAll() {
        return Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }

    private static List<String> readAll(String topic, int partition, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
            org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, partition);
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

    @Test
    void followersHoldEveryAcknowledgedRecord() throws Exception {
        create("copied", 1);
        try (KafkaProducer<String, String> producer =
                Clients.producer(cluster.bootstrapServers(), idempotentAcksAll())) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>("copied", 0, "k", "v" + i)).get(60, TimeUnit.SECONDS);
            }
        }
        PartitionImage state =
                cluster.image().topic("copied").orElseThrow().partitions().get(0);
        assertThat(state.isr()).containsExactlyInAnyOrder(1, 2, 3);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int node : cluster.nodeIds()) {
                PartitionReplica replica = cluster.broker(node)
                        .orElseThrow()
                        .services()
                        .replicas()
                        .partition(new TopicPartition("copied", 0))
                        .orElseThrow();
                assertThat(replica.log().logEndOffset())
                        .as("log end on node %d", node)
                        .isEqualTo(200);
                assertThat(replica.highWatermark())
                        .as("high watermark on node %d", node)
                        .isEqualTo(200);
            }
        });
    }

    @Test
    void aFollowerTakesOverWithEveryAcknowledgedRecordWhenTheLeaderIsKilled() throws Exception {
        create("failover", 1);
        List<String> acknowledged = new ArrayList<>();
        try (KafkaProducer<String, String> producer =
                Clients.producer(cluster.bootstrapServers(), idempotentAcksAll())) {
            for (int i = 0; i < 100; i++) {
                RecordMetadata m = producer.send(new ProducerRecord<>("failover", 0, "k", "before-" + i))
                        .get(60, TimeUnit.SECONDS);
                acknowledged.add(m.offset() + ":before-" + i);
            }
            int leader = cluster.leaderOf("failover", 0);
            cluster.kill(leader);
            try {
                for (int i = 0; i < 100; i++) {
                    RecordMetadata m = producer.send(new ProducerRecord<>("failover", 0, "k", "after-" + i))
                            .get(60, TimeUnit.SECONDS);
                    acknowledged.add(m.offset() + ":after-" + i);
                }
                assertThat(cluster.leaderOf("failover", 0)).isNotEqualTo(leader);
                assertThat(readAll("failover", 0, acknowledged.size())).containsExactlyElementsOf(acknowledged);
            } finally {
                cluster.restart(leader);
                cluster.awaitReady(60_000);
            }
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(cluster.image()
                                    .topic("failover")
                                    .orElseThrow()
                                    .partitions()
                                    .get(0)
                                    .isr())
                            .containsExactlyInAnyOrder(1, 2, 3));
        }
    }

    @Test
    void acksAllIsRefusedWhenTooFewReplicasAreInSyncAndResumesWhenTheyAreBack() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(
                            List.of(new NewTopic("starved", 1, (short) 3).configs(Map.of("min.insync.replicas", "3"))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        int leader = cluster.leaderOf("starved", 0);
        int follower =
                cluster.nodeIds().stream().filter(n -> n != leader).findFirst().orElseThrow();
        Map<String, Object> settings = new HashMap<>(idempotentAcksAll());
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), settings)) {
            producer.send(new ProducerRecord<>("starved", 0, "k", "first")).get(60, TimeUnit.SECONDS);
            cluster.kill(follower);
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !cluster.image()
                                .topic("starved")
                                .orElseThrow()
                                .partitions()
                                .get(0)
                                .isr()
                                .contains(follower));
                // A producer that does not retry sees the error itself; a retrying one keeps trying until it times out.
                Map<String, Object> once = Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        false,
                        ProducerConfig.RETRIES_CONFIG,
                        0);
                try (KafkaProducer<String, String> single = Clients.producer(cluster.bootstrapServers(), once)) {
                    assertThatThrownBy(() -> single.send(new ProducerRecord<>("starved", 0, "k", "refused"))
                                    .get(30, TimeUnit.SECONDS))
                            .hasRootCauseInstanceOf(NotEnoughReplicasException.class);
                }
            } finally {
                cluster.restart(follower);
                cluster.awaitReady(60_000);
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> cluster.image()
                                    .topic("starved")
                                    .orElseThrow()
                                    .partitions()
                                    .get(0)
                                    .isr()
                                    .size()
                            == 3);
            producer.send(new ProducerRecord<>("starved", 0, "k", "resumed")).get(60, TimeUnit.SECONDS);
        }
        assertThat(readAll("starved", 0, 2)).containsExactly("0:first", "1:resumed");
    }

    @Test
    void withTwoOfThreeNodesDownNothingIsAcknowledgedAndWritesResumeWhenTheyAreBack() throws Exception {
        create("quorumless", 1);
        int leader = cluster.leaderOf("quorumless", 0);
        List<Integer> others =
                cluster.nodeIds().stream().filter(n -> n != leader).toList();
        Map<String, Object> settings = new HashMap<>(idempotentAcksAll());
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 6_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), settings)) {
            producer.send(new ProducerRecord<>("quorumless", 0, "k", "first")).get(60, TimeUnit.SECONDS);
            others.forEach(cluster::kill);
            try {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("quorumless", 0, "k", "unconfirmed"))
                                .get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class);
            } finally {
                others.forEach(cluster::restart);
                cluster.awaitReady(60_000);
            }
        }
        try (KafkaProducer<String, String> producer =
                Clients.producer(cluster.bootstrapServers(), idempotentAcksAll())) {
            producer.send(new ProducerRecord<>("quorumless", 0, "k", "resumed")).get(60, TimeUnit.SECONDS);
        }
        List<String> values = readAll("quorumless", 0, 2).stream()
                .map(v -> v.substring(v.indexOf(':') + 1))
                .toList();
        assertThat(values).startsWith("first").endsWith("resumed");
    }
}
