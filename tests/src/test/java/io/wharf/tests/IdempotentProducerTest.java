package io.wharf.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;

/**
 * The idempotent producer on the wire: a produce request replayed byte for byte is answered with the original offsets
 * and written once; a sequence gap is refused.
 */
class IdempotentProducerTest {

    private static final short PRODUCE_VERSION = 11;

    private static ProduceRequestData produce(String topic, long producerId, short epoch, int sequence, int records) {
        RecordBatchBuilder builder = RecordBatchBuilder.create().producer(producerId, epoch, sequence);
        for (int i = 0; i < records; i++) {
            builder.add(System.currentTimeMillis(), null, new byte[] {(byte) (sequence + i)});
        }
        ByteBuffer batch = builder.build();
        ProduceRequestData request =
                new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(topic);
        topicData
                .partitionData()
                .add(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(MemoryRecords.readableRecords(batch)));
        request.topicData().add(topicData);
        return request;
    }

    private static ProduceResponseData.PartitionProduceResponse only(ProduceResponseData response) {
        return response.responses().iterator().next().partitionResponses().get(0);
    }

    @Test
    void aReplayedRequestGetsTheOriginalOffsetsAndIsWrittenOnce() throws Exception {
        try (TestBroker broker = TestBroker.start();
                Admin admin = broker.admin();
                WireClient wire = new WireClient(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("idem", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            InitProducerIdResponseData init = wire.send(
                    ApiKeys.INIT_PRODUCER_ID,
                    (short) 4,
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000));
            assertThat(init.errorCode()).isZero();
            long producerId = init.producerId();

            ProduceResponseData.PartitionProduceResponse first =
                    only(wire.send(ApiKeys.PRODUCE, PRODUCE_VERSION, produce("idem", producerId, (short) 0, 0, 3)));
            ProduceResponseData.PartitionProduceResponse second =
                    only(wire.send(ApiKeys.PRODUCE, PRODUCE_VERSION, produce("idem", producerId, (short) 0, 3, 2)));
            ProduceResponseData.PartitionProduceResponse replay =
                    only(wire.send(ApiKeys.PRODUCE, PRODUCE_VERSION, produce("idem", producerId, (short) 0, 0, 3)));

            assertThat(first.errorCode()).isZero();
            assertThat(second.baseOffset()).isEqualTo(3);
            assertThat(replay.errorCode()).isZero();
            assertThat(replay.baseOffset()).isEqualTo(first.baseOffset());
            try (var consumer = broker.consumer(java.util.Map.of())) {
                var tp = new org.apache.kafka.common.TopicPartition("idem", 0);
                assertThat(consumer.endOffsets(List.of(tp))).containsEntry(tp, 5L);
            }
        }
    }

    @Test
    void aSequenceGapIsRefused() throws Exception {
        try (TestBroker broker = TestBroker.start();
                Admin admin = broker.admin();
                WireClient wire = new WireClient(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("gap", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            InitProducerIdResponseData init = wire.send(
                    ApiKeys.INIT_PRODUCER_ID,
                    (short) 4,
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000));
            long producerId = init.producerId();
            only(wire.send(ApiKeys.PRODUCE, PRODUCE_VERSION, produce("gap", producerId, (short) 0, 0, 2)));

            ProduceResponseData.PartitionProduceResponse gap =
                    only(wire.send(ApiKeys.PRODUCE, PRODUCE_VERSION, produce("gap", producerId, (short) 0, 5, 1)));

            assertThat(Errors.forCode(gap.errorCode())).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
            assertThat(gap.errorMessage()).contains("sequence 5 after 1");
        }
    }

    @Test
    void producerIdsAreNeverReusedAcrossRestarts() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            long before;
            try (WireClient wire = new WireClient(broker.bootstrapServers())) {
                InitProducerIdResponseData init = wire.send(
                        ApiKeys.INIT_PRODUCER_ID,
                        (short) 4,
                        new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000));
                before = init.producerId();
            }
            broker.restart();
            try (WireClient wire = new WireClient(broker.bootstrapServers())) {
                InitProducerIdResponseData init = wire.send(
                        ApiKeys.INIT_PRODUCER_ID,
                        (short) 4,
                        new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000));
                assertThat(init.producerId()).isGreaterThan(before);
            }
        }
    }
}
