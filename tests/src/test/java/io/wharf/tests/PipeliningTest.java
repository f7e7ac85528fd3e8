package io.wharf.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.protocol.record.RecordBatchBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.junit.jupiter.api.Test;

/**
 * Requests pipelined on one connection take effect in the order they were sent, as Kafka promises, even though a
 * fetch with nothing to read is answered on the network thread and a produce on a request thread.
 */
class PipeliningTest {

    private static final short PRODUCE_VERSION = 11;
    private static final short FETCH_VERSION = 12;
    private static final int PAIRS = 30;

    private static ProduceRequestData produce(int value) {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName("piped");
        topicData
                .partitionData()
                .add(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(MemoryRecords.readableRecords(RecordBatchBuilder.create()
                                .add(System.currentTimeMillis(), null, new byte[] {(byte) value})
                                .build())));
        request.topicData().add(topicData);
        return request;
    }

    private static FetchRequestData fetchAll() {
        return new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(0)
                .setMinBytes(1)
                .setMaxBytes(1 << 20)
                .setTopics(List.of(new FetchRequestData.FetchTopic()
                        .setTopic("piped")
                        .setPartitions(List.of(new FetchRequestData.FetchPartition()
                                .setPartition(0)
                                .setFetchOffset(0)
                                .setPartitionMaxBytes(1 << 20)))));
    }

    private static int records(FetchResponseData response) {
        Records records =
                (Records) response.responses().get(0).partitions().get(0).records();
        int count = 0;
        for (RecordBatch batch : records.batches()) {
            for (Record ignored : batch) {
                count++;
            }
        }
        return count;
    }

    @Test
    void eachFetchSeesExactlyTheProducesSentBeforeIt() throws Exception {
        // With the os flush policy the watermark is the log end, so what a fetch sees shows where it ran.
        try (TestBroker broker = TestBroker.start(Map.of("wharf.log.flush.policy", "os"));
                Admin admin = broker.admin();
                WireClient wire = WireClient.connect(broker)) {
            admin.createTopics(List.of(new NewTopic("piped", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            // A first fetch before anything is written: the one a caught-up consumer sends.
            int empty = wire.sendOnly(ApiKeys.FETCH, FETCH_VERSION, fetchAll());
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < PAIRS; i++) {
                ids.add(wire.sendOnly(ApiKeys.PRODUCE, PRODUCE_VERSION, produce(i)));
                ids.add(wire.sendOnly(ApiKeys.FETCH, FETCH_VERSION, fetchAll()));
            }

            assertThat(records(wire.<FetchResponseData>receive(ApiKeys.FETCH, FETCH_VERSION, empty)))
                    .isZero();
            for (int i = 0; i < PAIRS; i++) {
                ProduceResponseData produced = wire.receive(ApiKeys.PRODUCE, PRODUCE_VERSION, ids.get(2 * i));
                assertThat(produced.responses()
                                .iterator()
                                .next()
                                .partitionResponses()
                                .get(0)
                                .baseOffset())
                        .isEqualTo(i);
                FetchResponseData fetched = wire.receive(ApiKeys.FETCH, FETCH_VERSION, ids.get(2 * i + 1));
                assertThat(records(fetched)).as("fetch after produce %d", i).isEqualTo(i + 1);
            }
        }
    }
}
