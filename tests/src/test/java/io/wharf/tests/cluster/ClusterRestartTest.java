package io.wharf.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.embedded.EmbeddedCluster;
import io.wharf.metadata.image.MetadataImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What the metadata quorum keeps across restarts: every topic, config and reserved producer-id block survives a
 * restart of every node, a node whose directory was wiped catches up from the others' snapshot, and consumer groups
 * whose coordinators are on different brokers keep their offsets when one of those brokers dies. Snapshots are taken
 * every few kilobytes of metadata, so the Raft log behind them is purged and a catching-up node must install one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRestartTest {

    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.builder()
                .brokers(3)
                .config("metadata.log.max.record.bytes.between.snapshots", "4096")
                .config("offsets.topic.num.partitions", "6")
                .start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    @Order(1)
    void aRestartOfEveryNodeKeepsTopicsConfigsAndProducerIdBlocks() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            for (int i = 0; i < 20; i++) {
                admin.createTopics(List.of(new NewTopic("kept-" + i, 2, (short) 3)
                                .configs(Map.of("retention.ms", String.valueOf(60_000 + i)))))
                        .all()
                        .get(60, TimeUnit.SECONDS);
            }
        }
        produceIdempotently("kept-0");
        long nextProducerId = cluster.image().nextProducerId();
        assertThat(nextProducerId).isPositive();

        for (int node : cluster.nodeIds()) {
            cluster.stop(node);
        }
        cluster.nodeIds().parallelStream().forEach(cluster::restart);
        cluster.awaitReady(120_000);

        MetadataImage image = cluster.image();
        for (int i = 0; i < 20; i++) {
            assertThat(image.topic("kept-" + i)).as("kept-%d", i).isPresent();
        }
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "kept-7")))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .values()
                    .iterator()
                    .next();
            assertThat(config.get("retention.ms").value()).isEqualTo("60007");
        }
        // A block reserved before the restart is never handed out again.
        produceIdempotently("kept-1");
        assertThat(cluster.image().nextProducerId()).isGreaterThan(nextProducerId);
    }

    @Test
    @Order(2)
    void aWipedNodeCatchesUpFromASnapshotAndGetsItsReplicasBack() throws Exception {
        int wiped = 3;
        cluster.stop(wiped);
        deleteContents(cluster.dataDir(wiped));
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("while-wiped", 1, (short) 2)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        cluster.restart(wiped);
        cluster.awaitReady(120_000);
        MetadataImage image =
                cluster.broker(wiped).orElseThrow().metadata().publisher().image();
        assertThat(image.topics()).containsKeys("kept-0", "kept-19", "while-wiped");
        // Its replicas of the RF=3 topics come back by replication.
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(cluster.image()
                                .topic("kept-0")
                                .orElseThrow()
                                .partitions()
                                .get(0)
                                .isr())
                        .contains(wiped));
    }

    @Test
    @Order(3)
    void groupsWhoseCoordinatorsLiveOnDifferentBrokersKeepTheirOffsetsWhenOneDies() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("grouped", 1, (short) 3)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        produceIdempotently("grouped");
        // One group per broker: its coordinator is the leader of its __consumer_offsets partition.
        Map<Integer, String> groupOnBroker = new HashMap<>();
        for (int i = 0; groupOnBroker.size() < 3 && i < 1_000; i++) {
            String group = "group-" + i;
            commit(group, 1);
            int coordinator = cluster.leaderOf("__consumer_offsets", (group.hashCode() & 0x7fffffff) % 6);
            groupOnBroker.putIfAbsent(coordinator, group);
        }
        assertThat(groupOnBroker.keySet()).containsExactlyInAnyOrder(1, 2, 3);
        groupOnBroker.forEach((broker, group) -> commit(group, 1 + broker));

        int victim = 2;
        cluster.kill(victim);
        try {
            for (Map.Entry<Integer, String> entry : groupOnBroker.entrySet()) {
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(committed(entry.getValue()))
                                .as("%s, coordinated by %d", entry.getValue(), entry.getKey())
                                .isEqualTo(1L + entry.getKey()));
            }
            // The group that lost its coordinator commits again through the new one.
            commit(groupOnBroker.get(victim), 7);
            assertThat(committed(groupOnBroker.get(victim))).isEqualTo(7);
        } finally {
            cluster.restart(victim);
            cluster.awaitReady(120_000);
        }
    }

    private static void produceIdempotently(String topic) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(
                cluster.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true))) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i)).get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static void commit(String group, long offset) {
        try (KafkaConsumer<String, String> consumer =
                Clients.consumer(cluster.bootstrapServers(), Map.of("group.id", group))) {
            consumer.commitSync(
                    Map.of(new TopicPartition("grouped", 0), new OffsetAndMetadata(offset)), Duration.ofSeconds(60));
        }
    }

    private static long committed(String group) throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS)
                    .get(new TopicPartition("grouped", 0));
            return committed == null ? -1 : committed.offset();
        }
    }

    private static void deleteContents(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(dir)) {
                    Files.delete(path);
                }
            }
        }
        assertThat(Set.of(dir.toFile().list())).isEmpty();
    }
}
