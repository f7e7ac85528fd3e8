package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.wharf.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Thousands of random and mutated frames (valid requests with bytes flipped, cut short, or with a lying size),
 * then a normal producer and consumer must still work, nothing may be left in flight, and Netty's leak detector
 * (paranoid in tests) must report nothing. The seed is printed, so a failure can be replayed.
 */
class FuzzTest {

    private static final long SEED = Long.getLong("wharf.fuzz.seed", System.nanoTime());

    @Test
    void garbageNeverHurtsTheBrokerOrOtherClients() throws Exception {
        System.out.println("FuzzTest seed: " + SEED + " (rerun with -Dwharf.fuzz.seed=" + SEED + ")");
        Random random = new Random(SEED);
        Logger leakLogger = (Logger) LoggerFactory.getLogger("io.netty.util.ResourceLeakDetector");
        ListAppender<ILoggingEvent> leaks = new ListAppender<>();
        leaks.start();
        leakLogger.addAppender(leaks);
        try (TestBroker broker = TestBroker.start(Map.of("socket.request.max.bytes", "1048576"));
                Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("fuzz", 2, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            List<byte[]> seeds = validFrames();
            for (int round = 0; round < 300; round++) {
                try (WireClient wire = new WireClient(broker.bootstrapServers())) {
                    for (int i = 0; i < 10; i++) {
                        if (!sendOne(wire, random, seeds)) {
                            break;
                        }
                    }
                } catch (IOException expected) {
                    // the broker may close a connection that sent garbage
                }
            }
            assertThat(broker.broker().services()).isNotNull();
            assertStillServes(broker);
            long deadline = System.currentTimeMillis() + 3_000;
            while (System.currentTimeMillis() < deadline) {
                System.gc();
                Thread.sleep(100);
            }
            assertStillServes(broker);
        } finally {
            leakLogger.detachAppender(leaks);
        }
        assertThat(leaks.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains("LEAK"));
    }

    /** Sends one frame; returns false when the connection is no longer usable. */
    private static boolean sendOne(WireClient wire, Random random, List<byte[]> seeds) throws IOException {
        byte[] frame = seeds.get(random.nextInt(seeds.size())).clone();
        switch (random.nextInt(5)) {
            case 0 -> {
                for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
                    frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
                }
                wire.sendRaw(frame);
            }
            case 1 -> {
                byte[] cut = new byte[random.nextInt(frame.length)];
                System.arraycopy(frame, 0, cut, 0, cut.length);
                wire.sendRaw(cut);
            }
            case 2 -> {
                byte[] noise = new byte[random.nextInt(200)];
                random.nextBytes(noise);
                wire.sendRaw(noise);
            }
            case 3 -> {
                ByteBuffer lying = ByteBuffer.allocate(4 + frame.length);
                lying.putInt(random.nextBoolean() ? -random.nextInt(1000) - 1 : 2_000_000_000)
                        .put(frame);
                wire.sendBytes(lying.array());
                return false;
            }
            default -> wire.sendRaw(frame);
        }
        try {
            wire.receiveRaw();
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    private static void assertStillServes(TestBroker broker) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of());
                KafkaConsumer<byte[], byte[]> consumer = broker.consumer(Map.of())) {
            long offset = producer.send(new ProducerRecord<>("fuzz", 0, null, "alive".getBytes(UTF_8)))
                    .get(30, TimeUnit.SECONDS)
                    .offset();
            var tp = new org.apache.kafka.common.TopicPartition("fuzz", 0);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            var records = consumer.poll(Duration.ofSeconds(10));
            assertThat(records.count()).isPositive();
            assertThat(new String(records.iterator().next().value(), UTF_8)).isEqualTo("alive");
        }
        assertThat(broker.broker().services().replicas().partitions()).isNotEmpty();
    }

    private static List<byte[]> validFrames() {
        List<byte[]> frames = new ArrayList<>();
        frames.add(encode(
                ApiKeys.METADATA,
                (short) 12,
                new MetadataRequestData()
                        .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("fuzz")))));
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName("fuzz");
        topicData
                .partitionData()
                .add(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(MemoryRecords.readableRecords(RecordBatchBuilder.create()
                                .add(System.currentTimeMillis(), "k".getBytes(UTF_8), "v".getBytes(UTF_8))
                                .build())));
        produce.topicData().add(topicData);
        frames.add(encode(ApiKeys.PRODUCE, (short) 9, produce));
        FetchRequestData fetch = new FetchRequestData()
                .setMaxWaitMs(0)
                .setMinBytes(1)
                .setMaxBytes(1 << 20)
                .setReplicaId(-1)
                .setSessionEpoch(-1);
        fetch.topics()
                .add(new FetchRequestData.FetchTopic()
                        .setTopic("fuzz")
                        .setPartitions(List.of(new FetchRequestData.FetchPartition()
                                .setPartition(0)
                                .setFetchOffset(0)
                                .setPartitionMaxBytes(1 << 20))));
        frames.add(encode(ApiKeys.FETCH, (short) 12, fetch));
        ListOffsetsRequestData listOffsets = new ListOffsetsRequestData().setReplicaId(-1);
        listOffsets
                .topics()
                .add(new ListOffsetsRequestData.ListOffsetsTopic()
                        .setName("fuzz")
                        .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                .setPartitionIndex(0)
                                .setTimestamp(-1))));
        frames.add(encode(ApiKeys.LIST_OFFSETS, (short) 7, listOffsets));
        CreateTopicsRequestData create = new CreateTopicsRequestData().setTimeoutMs(1000);
        create.topics()
                .add(new CreateTopicsRequestData.CreatableTopic()
                        .setName("made-by-fuzz")
                        .setNumPartitions(1)
                        .setReplicationFactor((short) 1));
        frames.add(encode(ApiKeys.CREATE_TOPICS, (short) 7, create));
        return frames;
    }

    private static byte[] encode(ApiKeys key, short version, ApiMessage body) {
        RequestHeader header = new RequestHeader(key, version, "fuzz", 1);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        short headerVersion = key.requestHeaderVersion(version);
        ByteBuffer buffer = ByteBuffer.allocate(header.data().size(cache, headerVersion) + body.size(cache, version));
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.data().write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        return buffer.array();
    }
}
