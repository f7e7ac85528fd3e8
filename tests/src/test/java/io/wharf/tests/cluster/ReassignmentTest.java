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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
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
