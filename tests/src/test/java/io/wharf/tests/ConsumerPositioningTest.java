package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A consumer that keeps its own position: assign, seek, offsets by time, earliest and latest. */
class ConsumerPositioningTest {

    private static final TopicPartition TP = new TopicPartition("positions", 0);
    private static final long BASE_TIMESTAMP = System.currentTimeMillis() - 3_600_000L / 2;
    private static TestBroker broker;

    @BeforeAll
    static void fill() throws Exception {
        broker = TestBroker.start();
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(TP.topic(), 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of())) {
            for (int i = 0; i < 1000; i++) {
                producer.send(
                        new ProducerRecord<>(TP.topic(), 0, BASE_TIMESTAMP + i * 10L, null, ("v" + i).getBytes(UTF_8)));
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    private static List<ConsumerRecord<byte[], byte[]>> pollAtLeast(KafkaConsumer<byte[], byte[]> consumer, int n) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (records.size() < n && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    @Test
    void seekStartsExactlyAtTheOffset() {
        try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer(Map.of())) {
            consumer.assign(List.of(TP));
            consumer.seek(TP, 777);
            ConsumerRecord<byte[], byte[]> first = pollAtLeast(consumer, 1).get(0);
            assertThat(first.offset()).isEqualTo(777);
            assertThat(new String(first.value(), UTF_8)).isEqualTo("v777");
        }
    }

    @Test
    void beginningAndEndOffsetsBoundTheLog() {
        try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer(Map.of())) {
            assertThat(consumer.beginningOffsets(List.of(TP))).containsEntry(TP, 0L);
            assertThat(consumer.endOffsets(List.of(TP))).containsEntry(TP, 1000L);
        }
    }

    @Test
    void offsetsForTimesFindsTheFirstRecordAtOrAfterATime() {
        try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer(Map.of())) {
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(Map.of(TP, BASE_TIMESTAMP + 4321));
            assertThat(found.get(TP).offset()).isEqualTo(433);
            assertThat(found.get(TP).timestamp()).isEqualTo(BASE_TIMESTAMP + 4330);

            assertThat(consumer.offsetsForTimes(Map.of(TP, BASE_TIMESTAMP + 10_000_000L))
                            .get(TP))
                    .isNull();
        }
    }

    @Test
    void readingBeyondTheEndWithoutAResetPolicyFails() {
        try (KafkaConsumer<byte[], byte[]> consumer =
                broker.consumer(Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
            consumer.assign(List.of(TP));
            consumer.seek(TP, 5000);
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 50; i++) {
                            consumer.poll(Duration.ofMillis(200));
                        }
                    })
                    .isInstanceOf(OffsetOutOfRangeException.class);
        }
    }

    @Test
    void latestResetWaitsForNewRecords() throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer =
                broker.consumer(Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"))) {
            consumer.assign(List.of(TP));
            assertThat(consumer.poll(Duration.ofMillis(500))).isEmpty();
            assertThat(consumer.position(TP)).isEqualTo(1000L);
            try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of())) {
                producer.send(new ProducerRecord<>(TP.topic(), 0, null, "late".getBytes(UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
            List<ConsumerRecord<byte[], byte[]>> records = pollAtLeast(consumer, 1);
            assertThat(new String(records.get(0).value(), UTF_8)).isEqualTo("late");
            assertThat(records.get(0).offset()).isEqualTo(1000L);
        }
    }
}
