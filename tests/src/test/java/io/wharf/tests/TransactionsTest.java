package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.tests.cluster.Clients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka transactions with the real clients on one broker: what read_committed and read_uncommitted consumers see of
 * committed, aborted and mixed transactions, zombie fencing, transactional offsets, and the admin view.
 */
class TransactionsTest {

    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(
                Map.of("transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3"));
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    private static void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    static KafkaProducer<byte[], byte[]> transactional(TestBroker target, String id) {
        return target.producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, id,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000));
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, value.getBytes(UTF_8));
    }

    /** Every value in the topic up to its end for this isolation level, read by a fresh consumer. */
    static List<String> readAll(TestBroker target, String topic, String isolation) {
        return Clients.readAll(target.bootstrapServers(), topic, isolation);
    }

    @Test
    void committedAbortedAndMixedTransactionsAsEachIsolationLevelSeesThem() throws Exception {
        createTopic("txn-mixed", 2);
        try (KafkaProducer<byte[], byte[]> producer = transactional(broker, "mixed")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record("txn-mixed", "c1"));
            producer.send(record("txn-mixed", "c2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(record("txn-mixed", "a1"));
            producer.send(record("txn-mixed", "a2"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(record("txn-mixed", "c3"));
            producer.commitTransaction();
        }

        assertThat(readAll(broker, "txn-mixed", "read_committed")).containsExactlyInAnyOrder("c1", "c2", "c3");
        assertThat(readAll(broker, "txn-mixed", "read_uncommitted"))
                .containsExactlyInAnyOrder("c1", "c2", "a1", "a2", "c3");
    }

    @Test
    void aReadCommittedShareGroupGetsNothingAbortedAndNothingPastAnOpenTransaction() throws Exception {
        createTopic("txn-share", 1);
        try (Admin admin = broker.admin()) {
            for (String isolation : List.of("read_committed", "read_uncommitted")) {
                ShareGroupTest.setGroupConfigs(
                        admin,
                        "txn-share-" + isolation,
                        Map.of("share.auto.offset.reset", "earliest", "share.isolation.level", isolation));
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = transactional(broker, "share-reader");
                KafkaProducer<byte[], byte[]> plain = broker.producer(Map.of());
                KafkaShareConsumer<byte[], byte[]> committed =
                        broker.shareConsumer("txn-share-read_committed", Map.of());
                KafkaShareConsumer<byte[], byte[]> uncommitted =
                        broker.shareConsumer("txn-share-read_uncommitted", Map.of())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record("txn-share", "c1"));
            producer.send(record("txn-share", "c2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(record("txn-share", "a1"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(record("txn-share", "open")).get(30, TimeUnit.SECONDS);
            plain.send(record("txn-share", "plain")).get(30, TimeUnit.SECONDS);

            committed.subscribe(List.of("txn-share"));
            uncommitted.subscribe(List.of("txn-share"));
            assertThat(ShareGroupTest.pollUntilQuiet(committed, 2))
                    .as("committed records, and none past the open transaction's first")
                    .containsExactly("c1", "c2");
            assertThat(ShareGroupTest.pollUntilQuiet(uncommitted, 5))
                    .containsExactlyInAnyOrder("c1", "c2", "a1", "open", "plain");

            producer.commitTransaction();
            assertThat(ShareGroupTest.pollUntilQuiet(committed, 2))
                    .as("the rest, once the transaction committed")
                    .containsExactly("open", "plain");
        }
    }

    @Test
    void manyBatchesInFlightInOneTransactionKeepTheirOrder() throws Exception {
        createTopic("txn-pipelined", 1);
        int count = 3_000;
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "pipelined",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.BATCH_SIZE_CONFIG, 512,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5))) {
            producer.initTransactions();
            for (int txn = 0; txn < 3; txn++) {
                producer.beginTransaction();
                for (int i = txn * count / 3; i < (txn + 1) * count / 3; i++) {
                    producer.send(record("txn-pipelined", String.format("%05d", i)));
                }
                producer.commitTransaction();
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(String.format("%05d", i));
        }
        assertThat(readAll(broker, "txn-pipelined", "read_committed")).isEqualTo(expected);
    }

    @Test
    void anOpenTransactionHoldsReadCommittedConsumersBackUntilItCommits() throws Exception {
        createTopic("txn-open", 1);
        try (KafkaProducer<byte[], byte[]> producer = transactional(broker, "open")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record("txn-open", "pending")).get(30, TimeUnit.SECONDS);
            TopicPartition tp = new TopicPartition("txn-open", 0);
            try (KafkaConsumer<byte[], byte[]> committed =
                            broker.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
                    KafkaConsumer<byte[], byte[]> uncommitted = broker.consumer(Map.of())) {
                assertThat(committed.endOffsets(List.of(tp))).as("the LSO").containsEntry(tp, 0L);
                assertThat(uncommitted.endOffsets(List.of(tp)))
                        .as("the high watermark")
                        .containsEntry(tp, 1L);
                assertThat(readAll(broker, "txn-open", "read_committed")).isEmpty();
            }
            producer.commitTransaction();
        }
        assertThat(readAll(broker, "txn-open", "read_committed")).containsExactly("pending");
    }

    @Test
    void aProducerKilledInATransactionIsAbortedAfterItsTimeoutAndReadersMoveOn() throws Exception {
        createTopic("txn-killed", 1);
        TopicPartition tp = new TopicPartition("txn-killed", 0);
        KafkaProducer<byte[], byte[]> doomed = broker.producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "killed", ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 1_000));
        doomed.initTransactions();
        doomed.beginTransaction();
        doomed.send(record("txn-killed", "never-committed")).get(30, TimeUnit.SECONDS);
        doomed.close(Duration.ZERO); // as if the process died: no EndTxn is sent
        try (KafkaProducer<byte[], byte[]> plain = broker.producer(Map.of())) {
            plain.send(record("txn-killed", "after")).get(30, TimeUnit.SECONDS);
        }

        try (KafkaConsumer<byte[], byte[]> committed =
                broker.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> committed.endOffsets(List.of(tp)).get(tp) >= 3); // record, plain record, marker
        }
        assertThat(readAll(broker, "txn-killed", "read_committed")).containsExactly("after");
    }

    @Test
    void aSecondProducerWithTheSameIdFencesTheFirstAndAbortsItsTransaction() throws Exception {
        createTopic("txn-zombie", 1);
        KafkaProducer<byte[], byte[]> zombie = transactional(broker, "zombie");
        zombie.initTransactions();
        zombie.beginTransaction();
        zombie.send(record("txn-zombie", "from-zombie")).get(30, TimeUnit.SECONDS);

        try (KafkaProducer<byte[], byte[]> successor = transactional(broker, "zombie")) {
            successor.initTransactions();
            assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);
            successor.beginTransaction();
            successor.send(record("txn-zombie", "from-successor"));
            successor.commitTransaction();
        } finally {
            zombie.close(Duration.ZERO);
        }
        assertThat(readAll(broker, "txn-zombie", "read_committed")).containsExactly("from-successor");
    }

    @Test
    void transactionalOffsetsAreInvisibleUntilCommitAndDroppedOnAbort() throws Exception {
        createTopic("txn-offsets", 1);
        TopicPartition tp = new TopicPartition("txn-offsets", 0);
        try (KafkaProducer<byte[], byte[]> producer = transactional(broker, "offsets");
                Admin admin = broker.admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record("txn-offsets", "x"));
            producer.sendOffsetsToTransaction(
                    Map.of(tp, new OffsetAndMetadata(7)),
                    new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("offsets-group"));
            assertThat(admin.listConsumerGroupOffsets("offsets-group")
                            .partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS))
                    .as("not committed before the transaction is")
                    .doesNotContainKey(tp);
            producer.commitTransaction();
            // EndTxn is answered once the commit is decided; the markers that apply it, here to the group's
            // offsets, are written after, as in Kafka.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(admin.listConsumerGroupOffsets("offsets-group")
                                    .partitionsToOffsetAndMetadata()
                                    .get(30, TimeUnit.SECONDS))
                            .containsEntry(tp, new OffsetAndMetadata(7)));

            producer.beginTransaction();
            producer.sendOffsetsToTransaction(
                    Map.of(tp, new OffsetAndMetadata(9)),
                    new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("offsets-group"));
            producer.abortTransaction();
            assertThat(admin.listConsumerGroupOffsets("offsets-group")
                            .partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS))
                    .containsEntry(tp, new OffsetAndMetadata(7));
        }
    }

    @Test
    void theAdminClientListsAndDescribesTransactionsAndProducers() throws Exception {
        createTopic("txn-admin", 1);
        try (KafkaProducer<byte[], byte[]> producer = transactional(broker, "admin-view");
                Admin admin = broker.admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record("txn-admin", "v")).get(30, TimeUnit.SECONDS);

            TransactionDescription described = admin.describeTransactions(List.of("admin-view"))
                    .description("admin-view")
                    .get(30, TimeUnit.SECONDS);
            assertThat(described.state().toString()).isEqualTo("Ongoing");
            assertThat(described.topicPartitions()).containsExactly(new TopicPartition("txn-admin", 0));
            assertThat(admin.listTransactions().all().get(30, TimeUnit.SECONDS))
                    .extracting(TransactionListing::transactionalId)
                    .contains("admin-view");
            assertThat(admin.describeProducers(List.of(new TopicPartition("txn-admin", 0)))
                            .partitionResult(new TopicPartition("txn-admin", 0))
                            .get(30, TimeUnit.SECONDS)
                            .activeProducers())
                    .anySatisfy(
                            p -> assertThat(p.currentTransactionStartOffset()).hasValue(0L));
            producer.commitTransaction();
        }
    }

    /** Kafka's {@code kafka-transactions.sh abort}, run as the script runs it, against this broker. */
    private static ChildJvm.Run kafkaTransactionsAbort(String topic, long startOffset) throws Exception {
        return ChildJvm.run(
                "org.apache.kafka.tools.TransactionsCommand",
                "--bootstrap-server",
                broker.bootstrapServers(),
                "abort",
                "--topic",
                topic,
                "--partition",
                "0",
                "--start-offset",
                String.valueOf(startOffset));
    }

    @Test
    void kafkaTransactionsAbortEndsATransactionItsProducerLeftOpen() throws Exception {
        createTopic("txn-hanging", 1);
        TopicPartition tp = new TopicPartition("txn-hanging", 0);
        try (KafkaProducer<byte[], byte[]> plain = broker.producer(Map.of())) {
            plain.send(record("txn-hanging", "before")).get(30, TimeUnit.SECONDS);
        }
        KafkaProducer<byte[], byte[]> hanging = transactional(broker, "hanging");
        try (KafkaConsumer<byte[], byte[]> committed =
                        broker.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
                Admin admin = broker.admin()) {
            hanging.initTransactions();
            hanging.beginTransaction();
            for (int i = 0; i < 3; i++) {
                hanging.send(record("txn-hanging", "hanging-" + i));
            }
            hanging.flush();
            assertThat(committed.endOffsets(List.of(tp))).as("the LSO").containsEntry(tp, 1L);

            ChildJvm.Run wrongOffset = kafkaTransactionsAbort("txn-hanging", 2);
            assertThat(wrongOffset.exitCode())
                    .as("no transaction starts at offset 2: %s", wrongOffset.output())
                    .isNotZero();
            assertThat(committed.endOffsets(List.of(tp)))
                    .as("the LSO, after a refused abort")
                    .containsEntry(tp, 1L);

            ChildJvm.Run aborted = kafkaTransactionsAbort("txn-hanging", 1);
            assertThat(aborted.exitCode()).as(aborted.output()).isZero();
            assertThat(committed.endOffsets(List.of(tp)))
                    .as("the LSO past the three records and the abort marker")
                    .containsEntry(tp, 5L);
            assertThat(admin.describeProducers(List.of(tp))
                            .partitionResult(tp)
                            .get(30, TimeUnit.SECONDS)
                            .activeProducers())
                    .allSatisfy(
                            p -> assertThat(p.currentTransactionStartOffset()).isEmpty());
        } finally {
            hanging.close(Duration.ZERO);
        }
        assertThat(readAll(broker, "txn-hanging", "read_committed")).containsExactly("before");
        assertThat(readAll(broker, "txn-hanging", "read_uncommitted"))
                .containsExactly("before", "hanging-0", "hanging-1", "hanging-2");

        try (KafkaProducer<byte[], byte[]> successor = transactional(broker, "hanging")) {
            successor.initTransactions();
            successor.beginTransaction();
            successor.send(record("txn-hanging", "after"));
            successor.commitTransaction();
        }
        assertThat(readAll(broker, "txn-hanging", "read_committed")).containsExactly("before", "after");
    }

    /** Runs {@code count} committed transactions of one record each and returns the epoch the coordinator holds. */
    private static short epochAfterTransactions(TestBroker target, String topic, String id, int count)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = transactional(target, id);
                Admin admin = target.admin()) {
            producer.initTransactions();
            for (int i = 0; i < count; i++) {
                producer.beginTransaction();
                producer.send(record(topic, id + "-" + i));
                producer.commitTransaction();
            }
            return (short) admin.describeTransactions(List.of(id))
                    .description(id)
                    .get(30, TimeUnit.SECONDS)
                    .producerEpoch();
        }
    }

    @Test
    void underTransactionVersion2EveryTransactionGivesTheProducerANewEpoch() throws Exception {
        createTopic("txn-v2", 2);
        try (Admin admin = broker.admin()) {
            FinalizedVersionRange finalized = admin.describeFeatures()
                    .featureMetadata()
                    .get(30, TimeUnit.SECONDS)
                    .finalizedFeatures()
                    .get("transaction.version");
            assertThat(finalized).isNotNull();
            assertThat(finalized.maxVersionLevel()).isEqualTo((short) 2);
        }

        assertThat(epochAfterTransactions(broker, "txn-v2", "v2-epochs", 3)).isEqualTo((short) 3);
        assertThat(readAll(broker, "txn-v2", "read_committed"))
                .containsExactlyInAnyOrder("v2-epochs-0", "v2-epochs-1", "v2-epochs-2");
    }

    @Test
    void aBrokerSetToTransactionVersion0KeepsTheEpochFromOneTransactionToTheNext() throws Exception {
        try (TestBroker v0 = TestBroker.start(Map.of(
                        "transaction.version", "0",
                        "transaction.state.log.num.partitions", "1",
                        "offsets.topic.num.partitions", "1"));
                Admin admin = v0.admin()) {
            admin.createTopics(List.of(new NewTopic("txn-v0", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            assertThat(admin.describeFeatures()
                            .featureMetadata()
                            .get(30, TimeUnit.SECONDS)
                            .finalizedFeatures())
                    .doesNotContainKey("transaction.version");

            assertThat(epochAfterTransactions(v0, "txn-v0", "v0-epochs", 3)).isZero();
            assertThat(readAll(v0, "txn-v0", "read_committed"))
                    .containsExactly("v0-epochs-0", "v0-epochs-1", "v0-epochs-2");
        }
    }
}
