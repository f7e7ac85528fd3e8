package io.wharf.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.embedded.EmbeddedCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transactions on three brokers, with the transaction coordinator on one broker and the data partitions led by the
 * other two, so that every marker travels by WriteTxnMarkers; and markers held back while their partition's only
 * broker is down, which must lose no committed record and expose no aborted one.
 */
class TransactionClusterTest {

    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.builder()
                .brokers(3)
                .config("transaction.state.log.num.partitions", "3")
                .config("offsets.topic.num.partitions", "3")
                .start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static KafkaProducer<String, String> transactional(String id) {
        return Clients.producer(
                cluster.bootstrapServers(),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id, ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000));
    }

    /** The broker that coordinates {@code id}, once its producer has initialized. */
    private static int coordinatorOf(String id) throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            return admin.describeTransactions(List.of(id))
                    .description(id)
                    .get(60, TimeUnit.SECONDS)
                    .coordinatorId();
        }
    }

    private static TransactionState stateOf(String id) throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            return admin.describeTransactions(List.of(id))
                    .description(id)
                    .get(60, TimeUnit.SECONDS)
                    .state();
        }
    }

    /** A topic with one single-replica partition on each of {@code brokers}, in that order. */
    private static void createOn(String topic, List<Integer> brokers) throws Exception {
        Map<Integer, List<Integer>> assignment = new java.util.HashMap<>();
        for (int p = 0; p < brokers.size(); p++) {
            assignment.put(p, List.of(brokers.get(p)));
        }
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(topic, assignment))).all().get(60, TimeUnit.SECONDS);
        }
    }

    private static List<Integer> othersThan(int node) {
        return cluster.nodeIds().stream().filter(n -> n != node).toList();
    }

    @Test
    void markersReachPartitionsLedByOtherBrokersThanTheCoordinator() throws Exception {
        try (KafkaProducer<String, String> producer = transactional("spread")) {
            producer.initTransactions();
            int coordinator = coordinatorOf("spread");
            createOn("txn-spread", othersThan(coordinator));
            TopicPartition first = new TopicPartition("txn-spread", 0);
            assertThat(cluster.leaderOf("txn-spread", 0)).isNotEqualTo(coordinator);
            assertThat(cluster.leaderOf("txn-spread", 1)).isNotEqualTo(coordinator);

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("txn-spread", 0, null, "c-0"));
            producer.send(new ProducerRecord<>("txn-spread", 1, null, "c-1"));
            producer.sendOffsetsToTransaction(
                    Map.of(first, new OffsetAndMetadata(5)), new ConsumerGroupMetadata("spread-group"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("txn-spread", 0, null, "a-0"));
            producer.send(new ProducerRecord<>("txn-spread", 1, null, "a-1"));
            producer.flush();
            producer.abortTransaction();

            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(
                                    Clients.readAll(cluster.bootstrapServers(), "txn-spread", "read_committed"))
                            .containsExactlyInAnyOrder("c-0", "c-1"));
            try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
                assertThat(admin.listConsumerGroupOffsets("spread-group")
                                .partitionsToOffsetAndMetadata()
                                .get(60, TimeUnit.SECONDS))
                        .containsEntry(first, new OffsetAndMetadata(5));
            }
        }
    }

    @Test
    void markersHeldBackByADownBrokerLoseNoCommitAndExposeNoAbort() throws Exception {
        try (KafkaProducer<String, String> committer = transactional("held-commit");
                KafkaProducer<String, String> aborter = transactional("held-abort")) {
            committer.initTransactions();
            aborter.initTransactions();
            int coordinator = coordinatorOf("held-commit");
            int other = coordinatorOf("held-abort");
            int data = cluster.nodeIds().stream()
                    .filter(n -> n != coordinator && n != other)
                    .findFirst()
                    .orElse(othersThan(coordinator).get(0));
            createOn("txn-held", List.of(data));

            committer.beginTransaction();
            committer.send(new ProducerRecord<>("txn-held", 0, null, "committed"));
            committer.flush();
            aborter.beginTransaction();
            aborter.send(new ProducerRecord<>("txn-held", 0, null, "aborted"));
            aborter.flush();

            cluster.stop(data);
            try {
                committer.commitTransaction();
                aborter.abortTransaction();
                assertThat(stateOf("held-commit")).isEqualTo(TransactionState.PREPARE_COMMIT);
            } finally {
                cluster.restart(data);
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> stateOf("held-commit") == TransactionState.COMPLETE_COMMIT
                            && stateOf("held-abort") == TransactionState.COMPLETE_ABORT);
            assertThat(Clients.readAll(cluster.bootstrapServers(), "txn-held", "read_committed"))
                    .containsExactly("committed");
        }
    }
}
