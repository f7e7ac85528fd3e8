package io.wharf.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.embedded.EmbeddedCluster;
import io.wharf.metadata.image.PartitionImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replicas move with the Admin client's reassignment (data copied by replication, the old replicas dropped once the
 * new ones are in sync), leaderships move back with a preferred election, and a controlled shutdown moves a broker's
 * leaderships before it stops, so an acks=all producer sees no failed send.
 */
class ReassignmentTest {

    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.builder().brokers(3).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static void produce(String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer =
                Clients.producer(cluster.bootstrapServers(), Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i)).get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static int count(String topic) {
        int read = 0;
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> ignored : consumer.poll(Duration.ofMillis(200))) {
                    read++;
                }
            }
        }
        return read;
    }

    private static PartitionImage partition(String topic) {
        return cluster.image().topic(topic).orElseThrow().partitions().get(0);
    }

    @Test
    void aReassignedSingleReplicaPartitionIsCopiedToItsNewBroker() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("moved", 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            produce("moved", 500);
            int from = partition("moved").leader();
            int to = cluster.nodeIds().stream()
                    .filter(n -> n != from)
                    .findFirst()
                    .orElseThrow();
            TopicPartition tp = new TopicPartition("moved", 0);
            admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(to)))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Map<TopicPartition, PartitionReassignment> ongoing =
                        admin.listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS);
                assertThat(ongoing).doesNotContainKey(tp);
                assertThat(partition("moved").replicas()).containsExactly(to);
                assertThat(partition("moved").leader()).isEqualTo(to);
            });
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> cluster.broker(from)
                            .orElseThrow()
                            .services()
                            .replicas()
                            .partition(new io.wharf.common.TopicPartition("moved", 0))
                            .isEmpty());
        }
        assertThat(count("moved")).isEqualTo(500);
    }

    @Test
    void aThrottledMoveCopiesAtTheThrottledRateAndFinishesOnceTheThrottleIsLifted() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("throttled", 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            // About 2 MB to copy, at 20 kB/s: a move of more than a minute.
            try (KafkaProducer<String, String> producer = Clients.producer(
                    cluster.bootstrapServers(),
                    Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5))) {
                String value = "x".repeat(1_000);
                for (int i = 0; i < 2_000; i++) {
                    producer.send(new ProducerRecord<>("throttled", 0, "k", value));
                }
                producer.flush();
            }
            int from = partition("throttled").leader();
            int to = cluster.nodeIds().stream()
                    .filter(n -> n != from)
                    .findFirst()
                    .orElseThrow();
            TopicPartition tp = new TopicPartition("throttled", 0);
            // What kafka-reassign-partitions.sh --throttle 20000 writes: both rates on the brokers involved, the
            // current replicas throttled on the leader side and the new one on the follower side.
            Map<ConfigResource, Collection<AlterConfigOp>> throttle = new HashMap<>();
            for (int broker : List.of(from, to)) {
                throttle.put(
                        new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(broker)),
                        List.of(
                                set("leader.replication.throttled.rate", "20000"),
                                set("follower.replication.throttled.rate", "20000"),
                                set("replica.alter.log.dirs.io.max.bytes.per.second", "20000")));
            }
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "throttled");
            throttle.put(
                    topic,
                    List.of(
                            set("leader.replication.throttled.replicas", "0:" + from),
                            set("follower.replication.throttled.replicas", "0:" + to)));
            admin.incrementalAlterConfigs(throttle).all().get(30, TimeUnit.SECONDS);

            admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(to)))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            long copiedAtStart = copied(to);
            Thread.sleep(3_000);
            long copied = copied(to);
            assertThat(admin.listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS))
                    .as("the move is still under way")
                    .containsKey(tp);
            // 11 s of budget (the quota's window) at 20 kB/s, and one fetch of at most 1 MiB past it.
            assertThat(copied - copiedAtStart).isLessThan(20_000L * 11 + (1 << 20));
            // Clients are not held back: a produce to the moving partition's leader is answered.
            produce("throttled", 1);

            Map<ConfigResource, Collection<AlterConfigOp>> lift = new HashMap<>();
            for (int broker : List.of(from, to)) {
                lift.put(
                        new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(broker)),
                        List.of(
                                delete("leader.replication.throttled.rate"),
                                delete("follower.replication.throttled.rate"),
                                delete("replica.alter.log.dirs.io.max.bytes.per.second")));
            }
            lift.put(
                    topic,
                    List.of(
                            delete("leader.replication.throttled.replicas"),
                            delete("follower.replication.throttled.replicas")));
            admin.incrementalAlterConfigs(lift).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(admin.listPartitionReassignments()
                                    .reassignments()
                                    .get(30, TimeUnit.SECONDS))
                            .doesNotContainKey(tp));
            assertThat(partition("throttled").replicas()).containsExactly(to);
        }
        assertThat(count("throttled")).isEqualTo(2_001);
    }

    /** How many bytes broker {@code node}'s replica of the throttled partition holds, 0 before it has one. */
    private static long copied(int node) {
        return cluster.broker(node)
                .orElseThrow()
                .services()
                .replicas()
                .partition(new io.wharf.common.TopicPartition("throttled", 0))
                .map(p -> p.log().sizeInBytes())
                .orElse(0L);
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    private static AlterConfigOp delete(String key) {
        return new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE);
    }

    @Test
    void aPreferredElectionMovesLeadershipBackAfterAFailover() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("preferred", 1, (short) 3)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            produce("preferred", 10);
            int preferred = partition("preferred").preferredLeader();
            cluster.kill(preferred);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> partition("preferred").leader() != preferred
                            && partition("preferred").leader() >= 0);
            cluster.restart(preferred);
            cluster.awaitReady(60_000);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> partition("preferred").isr().size() == 3);
            TopicPartition tp = new TopicPartition("preferred", 0);
            admin.electLeaders(ElectionType.PREFERRED, Set.of(tp)).partitions().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> partition("preferred").leader() == preferred);
        }
        assertThat(count("preferred")).isEqualTo(10);
    }

    @Test
    void aControlledShutdownMovesLeadershipFirstSoAcksAllSendsNeitherFailNorRepeat() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("graceful", 1, (short) 3)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        int leader = partition("graceful").leader();
        List<Throwable> failures = new ArrayList<>();
        // The default client: acks=all, idempotent, retrying what the old leader refuses once it hands over.
        Map<String, Object> settings = Map.of(ProducerConfig.ACKS_CONFIG, "all");
        int sent = 0;
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), settings)) {
            producer.send(new ProducerRecord<>("graceful", 0, "k", "warm-up")).get(30, TimeUnit.SECONDS);
            Thread stopper = new Thread(() -> cluster.stop(leader));
            stopper.start();
            while (stopper.isAlive()) {
                producer.send(new ProducerRecord<>("graceful", 0, "k", "v" + sent++), (m, e) -> {
                    if (e != null) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                });
                Thread.sleep(2);
            }
            producer.flush();
        } finally {
            cluster.restart(leader);
            cluster.awaitReady(60_000);
        }
        assertThat(partition("graceful").leader()).isNotEqualTo(-1);
        assertThat(failures).isEmpty();
        assertThat(count("graceful")).isEqualTo(sent + 1);
    }
}
