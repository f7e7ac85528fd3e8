package io.wharf.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A transactional producer's mistakes, sent as exact requests: each gets its Kafka error code and changes nothing. The
 * last one is the late write of Jepsen's Bufstream analysis: a produce that arrives after its transaction was aborted
 * must not land after the marker, where read_committed consumers would take it as committed.
 */
class TransactionBadInputTest {

    private static final short INIT_VERSION = 5;
    private static final short ADD_VERSION = 3;
    private static final short END_VERSION = 4;
    private static final short PRODUCE_VERSION = 11;
    private static final String TOPIC = "txn-bad";

    private static TestBroker broker;
    private static WireClient wire;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(Map.of(
                "transaction.state.log.num.partitions", "1",
                "offsets.topic.num.partitions", "1",
                "transaction.max.timeout.ms", "120000"));
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        wire = new WireClient(broker.bootstrapServers());
        FindCoordinatorResponseData found = wire.send(
                ApiKeys.FIND_COORDINATOR,
                (short) 4,
                new FindCoordinatorRequestData().setKeyType((byte) 1).setCoordinatorKeys(List.of("warm-up")));
        assertThat(found.coordinators().get(0).errorCode()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        wire.close();
        broker.close();
    }

    private static InitProducerIdResponseData init(String id, int timeoutMs) throws Exception {
        return wire.send(
                ApiKeys.INIT_PRODUCER_ID,
                INIT_VERSION,
                new InitProducerIdRequestData().setTransactionalId(id).setTransactionTimeoutMs(timeoutMs));
    }

    private static InitProducerIdResponseData initRetrying(String id) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            InitProducerIdResponseData response = init(id, 60_000);
            if (response.errorCode() != Errors.CONCURRENT_TRANSACTIONS.code()) {
                return response;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("InitProducerId stayed CONCURRENT_TRANSACTIONS");
    }

    private static Errors add(String id, InitProducerIdResponseData producer) throws Exception {
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic()
                .setName(TOPIC)
                .setPartitions(List.of(0)));
        AddPartitionsToTxnResponseData response = wire.send(
                ApiKeys.ADD_PARTITIONS_TO_TXN,
                ADD_VERSION,
                new AddPartitionsToTxnRequestData()
                        .setV3AndBelowTransactionalId(id)
                        .setV3AndBelowProducerId(producer.producerId())
                        .setV3AndBelowProducerEpoch(producer.producerEpoch())
                        .setV3AndBelowTopics(topics));
        return Errors.forCode(response.resultsByTopicV3AndBelow()
                .iterator()
                .next()
                .resultsByPartition()
                .iterator()
                .next()
                .partitionErrorCode());
    }

    private static Errors end(String id, InitProducerIdResponseData producer, boolean commit) throws Exception {
        EndTxnResponseData response = wire.send(
                ApiKeys.END_TXN,
                END_VERSION,
                new EndTxnRequestData()
                        .setTransactionalId(id)
                        .setProducerId(producer.producerId())
                        .setProducerEpoch(producer.producerEpoch())
                        .setCommitted(commit));
        return Errors.forCode(response.errorCode());
    }

    @Test
    void aTransactionalBatchWithoutATransactionalIdIsRefused() throws Exception {
        InitProducerIdResponseData producer = init("no-id", 60_000);
        long before = logEnd();

        assertThat(produce(null, producer, 0)).isEqualTo(Errors.INVALID_RECORD);

        assertThat(logEnd()).isEqualTo(before);
    }

    private static Errors produce(String id, InitProducerIdResponseData producer, int sequence) throws Exception {
        ByteBuffer batch = RecordBatchBuilder.create()
                .producer(producer.producerId(), producer.producerEpoch(), sequence)
                .transactional()
                .add(System.currentTimeMillis(), null, new byte[] {(byte) sequence})
                .build();
        ProduceRequestData request = new ProduceRequestData()
                .setAcks((short) -1)
                .setTimeoutMs(30_000)
                .setTransactionalId(id);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(TOPIC);
        topicData
                .partitionData()
                .add(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(MemoryRecords.readableRecords(batch)));
        request.topicData().add(topicData);
        ProduceResponseData response = wire.send(ApiKeys.PRODUCE, PRODUCE_VERSION, request);
        return Errors.forCode(response.responses()
                .iterator()
                .next()
                .partitionResponses()
                .get(0)
                .errorCode());
    }

    private static String state(String id) throws Exception {
        DescribeTransactionsResponseData response = wire.send(
                ApiKeys.DESCRIBE_TRANSACTIONS,
                (short) 0,
                new DescribeTransactionsRequestData().setTransactionalIds(List.of(id)));
        DescribeTransactionsResponseData.TransactionState state =
                response.transactionStates().iterator().next();
        return state.errorCode() != 0 ? Errors.forCode(state.errorCode()).name() : state.transactionState();
    }

    private static long logEnd() {
        return broker.broker()
                .services()
                .replicas()
                .partition(new io.wharf.common.TopicPartition(TOPIC, 0))
                .orElseThrow()
                .log()
                .logEndOffset();
    }

    @Test
    void aTimeoutAboveTheMaximumIsRefusedAndCreatesNothing() throws Exception {
        assertThat(Errors.forCode(init("too-long", 120_001).errorCode())).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
        assertThat(state("too-long")).isEqualTo("TRANSACTIONAL_ID_NOT_FOUND");
    }

    @Test
    void aTransactionalProduceToAPartitionNotAddedIsRefused() throws Exception {
        InitProducerIdResponseData producer = init("not-added", 60_000);
        long before = logEnd();

        assertThat(produce("not-added", producer, 0)).isEqualTo(Errors.INVALID_TXN_STATE);

        assertThat(logEnd()).isEqualTo(before);
        assertThat(state("not-added")).isEqualTo("Empty");
    }

    @Test
    void aFencedEpochIsRefusedEverywhereAndChangesNothing() throws Exception {
        InitProducerIdResponseData old = init("fenced", 60_000);
        InitProducerIdResponseData current = initRetrying("fenced");
        assertThat(current.producerEpoch()).isEqualTo((short) (old.producerEpoch() + 1));

        assertThat(add("fenced", old)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(end("fenced", old, true)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(produce("fenced", old, 0)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(state("fenced")).isEqualTo("Empty");
        assertThat(add("fenced", current)).isEqualTo(Errors.NONE);
    }

    @Test
    void aSecondInitWhileATransactionIsOpenIsConcurrentAndAbortsIt() throws Exception {
        InitProducerIdResponseData producer = init("concurrent", 60_000);
        assertThat(add("concurrent", producer)).isEqualTo(Errors.NONE);
        assertThat(produce("concurrent", producer, 0)).isEqualTo(Errors.NONE);

        assertThat(Errors.forCode(init("concurrent", 60_000).errorCode())).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        InitProducerIdResponseData next = initRetrying("concurrent");

        assertThat(next.producerEpoch()).isGreaterThan(producer.producerEpoch());
        assertThat(state("concurrent")).isEqualTo("Empty");
        assertThat(TransactionsTest.readAll(broker, TOPIC, "read_committed")).doesNotContain("\u0000");
    }

    @Test
    void aLateWriteOfAnAbortedTransactionIsRefusedAndNeverReadAsCommitted() throws Exception {
        InitProducerIdResponseData producer = init("late", 60_000);
        assertThat(add("late", producer)).isEqualTo(Errors.NONE);
        assertThat(produce("late", producer, 0)).isEqualTo(Errors.NONE);
        assertThat(end("late", producer, false)).isEqualTo(Errors.NONE);

        // The delayed retry of a batch of the aborted transaction reaches the partition after the ABORT marker.
        assertThat(produce("late", producer, 1)).isEqualTo(Errors.INVALID_TXN_STATE);

        assertThat(TransactionsTest.readAll(broker, TOPIC, "read_committed")).doesNotContain("\u0000");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> add("late", producer) == Errors.NONE);
        assertThat(produce("late", producer, 1)).isEqualTo(Errors.NONE);
        assertThat(end("late", producer, true)).isEqualTo(Errors.NONE);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(TransactionsTest.readAll(broker, TOPIC, "read_committed"))
                        .containsExactly("\u0001"));
    }

    @Test
    void txnOffsetCommitByTopicIdCommitsKnownTopicsAndRefusesUnknownIds() throws Exception {
        Uuid topicId;
        try (Admin admin = broker.admin()) {
            topicId = admin.describeTopics(List.of(TOPIC))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(TOPIC)
                    .topicId();
        }
        Uuid unknownId = Uuid.randomUuid();
        InitProducerIdResponseData producer = initRetrying("by-id");
        TxnOffsetCommitRequestData request = new TxnOffsetCommitRequestData()
                .setTransactionalId("by-id")
                .setGroupId("by-id-group")
                .setProducerId(producer.producerId())
                .setProducerEpoch(producer.producerEpoch());
        for (Uuid id : List.of(topicId, unknownId)) {
            request.topics()
                    .add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                            .setTopicId(id)
                            .setPartitions(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                                    .setPartitionIndex(0)
                                    .setCommittedOffset(7))));
        }

        TxnOffsetCommitResponseData response = wire.send(ApiKeys.TXN_OFFSET_COMMIT, (short) 6, request);

        Map<Uuid, Errors> byId = new java.util.HashMap<>();
        response.topics()
                .forEach(t -> byId.put(
                        t.topicId(), Errors.forCode(t.partitions().get(0).errorCode())));
        assertThat(byId).containsOnly(Map.entry(topicId, Errors.NONE), Map.entry(unknownId, Errors.UNKNOWN_TOPIC_ID));
        assertThat(state("by-id"))
                .as("the offsets partition joined the transaction")
                .isEqualTo("Ongoing");
        EndTxnResponseData ended = wire.send(
                ApiKeys.END_TXN,
                (short) 5,
                new EndTxnRequestData()
                        .setTransactionalId("by-id")
                        .setProducerId(producer.producerId())
                        .setProducerEpoch(producer.producerEpoch())
                        .setCommitted(true));
        assertThat(Errors.forCode(ended.errorCode())).isEqualTo(Errors.NONE);
        try (Admin admin = broker.admin()) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(admin.listConsumerGroupOffsets("by-id-group")
                                    .partitionsToOffsetAndMetadata()
                                    .get(30, TimeUnit.SECONDS))
                            .containsOnlyKeys(new TopicPartition(TOPIC, 0))
                            .extractingByKey(new TopicPartition(TOPIC, 0))
                            .extracting(OffsetAndMetadata::offset)
                            .isEqualTo(7L));
        }
    }
}
