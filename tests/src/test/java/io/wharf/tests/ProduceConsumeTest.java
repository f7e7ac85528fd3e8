package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real producers and consumers over six partitions: every compression codec, every acks setting; each record must
 * come back with its key, value, headers, timestamp, partition and offset.
 */
class ProduceConsumeTest {

    private static final int PARTITIONS = 6;
    private static TestBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start();
        admin = broker.admin();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        admin.close();
        broker.close();
    }

    private static void createTopic(String name) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, PARTITIONS, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    /** What was sent, to compare with what comes back. */
    private record Sent(int partition, long offset, String key, String value, long timestamp, String header) {}

    private static List<Sent> produce(String topic, int count, Map<String, Object> settings) throws Exception {
        List<Future<RecordMetadata>> futures = new ArrayList<>(count);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        long baseTimestamp = System.currentTimeMillis() - 60_000;
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(settings)) {
            for (int i = 0; i < count; i++) {
                RecordHeaders headers = new RecordHeaders();
                headers.add("seq", String.valueOf(i).getBytes(UTF_8));
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                        topic,
                        null,
                        baseTimestamp + i,
                        ("key-" + i).getBytes(UTF_8),
                        ("value-" + i + "-" + "x".repeat(i % 50)).getBytes(UTF_8),
                        headers);
                records.add(record);
                futures.add(producer.send(record));
            }
            producer.flush();
        }
        List<Sent> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            RecordMetadata metadata = futures.get(i).get(60, TimeUnit.SECONDS);
            ProducerRecord<byte[], byte[]> record = records.get(i);
            sent.add(new Sent(
                    metadata.partition(),
                    metadata.offset(),
                    new String(record.key(), UTF_8),
                    new String(record.value(), UTF_8),
                    record.timestamp(),
                    String.valueOf(i)));
        }
        return sent;
    }

    private static Map<String, ConsumerRecord<byte[], byte[]>> consumeAll(String topic, int expected) {
        Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer(Map.of())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (byKey.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    byKey.put(new String(record.key(), UTF_8), record);
                }
            }
        }
        return byKey;
    }

    private static void assertRoundTrip(List<Sent> sent, Map<String, ConsumerRecord<byte[], byte[]>> received) {
        assertThat(received).hasSize(sent.size());
        for (Sent s : sent) {
            ConsumerRecord<byte[], byte[]> record = received.get(s.key());
            assertThat(record).as("record %s", s.key()).isNotNull();
            assertThat(record.partition()).isEqualTo(s.partition());
            assertThat(record.offset()).isEqualTo(s.offset());
            assertThat(new String(record.value(), UTF_8)).isEqualTo(s.value());
            assertThat(record.timestamp()).isEqualTo(s.timestamp());
            assertThat(new String(record.headers().lastHeader("seq").value(), UTF_8))
                    .isEqualTo(s.header());
        }
    }

    /** One idempotent producer's records reach each partition in the order it sent them. */
    private static void assertStoredInSendOrder(List<Sent> sent) {
        Map<Integer, Long> lastOffset = new HashMap<>();
        for (Sent s : sent) {
            Long previous = lastOffset.put(s.partition(), s.offset());
            if (previous != null) {
                assertThat(s.offset())
                        .as("offset of %s after %d", s.key(), previous)
                        .isGreaterThan(previous);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void everyCodecRoundTripsAHundredThousandRecords(String codec) throws Exception {
        String topic = "codec-" + codec;
        createTopic(topic);
        List<Sent> sent = produce(topic, 100_000, Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec));

        assertThat(sent.stream().map(Sent::partition).distinct()).hasSize(PARTITIONS);
        assertRoundTrip(sent, consumeAll(topic, sent.size()));
        assertStoredInSendOrder(sent);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "all"})
    void everyAcksSettingDeliversEveryRecord(String acks) throws Exception {
        String topic = "acks-" + acks;
        createTopic(topic);
        Map<String, Object> settings =
                Map.of(ProducerConfig.ACKS_CONFIG, acks, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, acks.equals("all"));
        List<Sent> sent = produce(topic, 20_000, settings);

        Map<String, ConsumerRecord<byte[], byte[]>> received = consumeAll(topic, sent.size());
        if (acks.equals("0")) {
            // acks=0 gives the producer no offsets; check content, not the offsets it could not know
            assertThat(received).hasSize(sent.size());
            assertThat(sent)
                    .allSatisfy(s -> assertThat(new String(received.get(s.key()).value(), UTF_8))
                            .isEqualTo(s.value()));
        } else {
            assertRoundTrip(sent, received);
        }
    }

    @Test
    void keyedRecordsAlwaysLandInTheSamePartition() throws Exception {
        createTopic("keyed");
        Map<String, Integer> partitionOfKey = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of())) {
            for (int round = 0; round < 3; round++) {
                for (int k = 0; k < 50; k++) {
                    RecordMetadata metadata = producer.send(new ProducerRecord<>(
                                    "keyed", ("k" + k).getBytes(UTF_8), ("r" + round).getBytes(UTF_8)))
                            .get(30, TimeUnit.SECONDS);
                    Integer previous = partitionOfKey.putIfAbsent("k" + k, metadata.partition());
                    if (previous != null) {
                        assertThat(metadata.partition()).isEqualTo(previous);
                    }
                }
            }
        }
        assertThat(partitionOfKey.values().stream().distinct().count()).isGreaterThan(1);
    }
}
