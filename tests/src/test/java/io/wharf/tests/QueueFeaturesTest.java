package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Wharf's queue headers with a real share consumer: {@code wharf.delay.ms} and the topic's
 * {@code wharf.delivery.delay.ms} hold a record back until due, {@code wharf.ttl.ms} expires a record before it is
 * delivered (and dead-letters it), and {@code wharf.priority} hands out higher priorities first.
 */
class QueueFeaturesTest {

    private static TestBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(ShareGroupTest.BROKER_SETTINGS);
        admin = broker.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        broker.close();
    }

    private static void send(String topic, String value, long timestamp, Header... headers) {
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, 0, timestamp, null, value.getBytes(UTF_8), List.of(headers)));
        }
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(UTF_8));
    }

    /** Polls until {@code count} records came, each with the time it was received. */
    private static List<Received> receive(KafkaShareConsumer<byte[], byte[]> consumer, int count) {
        List<Received> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                received.add(new Received(
                        new String(record.value(), UTF_8), record.timestamp(), System.currentTimeMillis()));
            }
            return received.size() >= count;
        });
        return received;
    }

    private record Received(String value, long timestamp, long receivedAt) {}

    @Test
    void delayedRecordsAreDeliveredOnlyOnceDue() throws Exception {
        String topic = "delayed";
        String group = "patient";
        ShareGroupTest.createTopic(admin, topic, 1);
        ShareGroupTest.setGroupConfigs(admin, group, Map.of("share.auto.offset.reset", "earliest"));
        long now = System.currentTimeMillis();
        send(topic, "later", now, header("wharf.delay.ms", "1500"));
        send(topic, "now", now);
        try (KafkaShareConsumer<byte[], byte[]> consumer = broker.shareConsumer(group, Map.of())) {
            consumer.subscribe(List.of(topic));
            List<Received> received = receive(consumer, 2);
            assertThat(received).extracting(Received::value).containsExactly("now", "later");
            Received later = received.get(1);
            assertThat(later.receivedAt()).isGreaterThanOrEqualTo(later.timestamp() + 1500);
        }
    }

    @Test
    void aTopicDelaysEveryRecordUnlessTheRecordSaysOtherwise() throws Exception {
        String topic = "topic-delayed";
        String group = "topic-patient";
        admin.createTopics(
                        List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("wharf.delivery.delay.ms", "1500"))))
                .all()
                .get(30, TimeUnit.SECONDS);
        ShareGroupTest.setGroupConfigs(admin, group, Map.of("share.auto.offset.reset", "earliest"));
        long now = System.currentTimeMillis();
        send(topic, "topic-delay", now);
        send(topic, "no-delay", now, header("wharf.delay.ms", "0"));
        try (KafkaShareConsumer<byte[], byte[]> consumer = broker.shareConsumer(group, Map.of())) {
            consumer.subscribe(List.of(topic));
            List<Received> received = receive(consumer, 2);
            assertThat(received).extracting(Received::value).containsExactly("no-delay", "topic-delay");
            assertThat(received.get(1).receivedAt())
                    .isGreaterThanOrEqualTo(received.get(1).timestamp() + 1500);
        }
    }

    @Test
    void expiredRecordsAreNeverDeliveredAndAreDeadLettered() throws Exception {
        String topic = "perishable";
        String group = "too-late";
        ShareGroupTest.createTopic(admin, topic, 1);
        ShareGroupTest.setGroupConfigs(
                admin,
                group,
                Map.of("share.auto.offset.reset", "earliest", "errors.deadletterqueue.topic.name", "dlq.perishable"));
        long now = System.currentTimeMillis();
        send(topic, "stale", now - 60_000, header("wharf.ttl.ms", "30000"));
        send(topic, "fresh", now, header("wharf.ttl.ms", "600000"));
        send(topic, "forever", now);
        try (KafkaShareConsumer<byte[], byte[]> consumer = broker.shareConsumer(group, Map.of())) {
            consumer.subscribe(List.of(topic));
            assertThat(receive(consumer, 2)).extracting(Received::value).containsExactly("fresh", "forever");
            assertThat(consumer.poll(Duration.ofMillis(500))).isEmpty();
        }
        List<ConsumerRecord<byte[], byte[]>> dead = ShareGroupTest.readPartition(broker, "dlq.perishable", 1);
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).value(), UTF_8)).isEqualTo("stale");
        assertThat(ShareGroupTest.headers(dead.get(0)))
                .containsEntry("__dlq.errors.delivery.count", "0")
                .containsEntry("__dlq.errors.message", "Offset expired before delivery (wharf.ttl.ms).")
                .doesNotContainKey("wharf.ttl.ms");
    }

    @Test
    void higherPrioritiesAreAcquiredFirst() throws Exception {
        String topic = "prioritized";
        String group = "triage";
        ShareGroupTest.createTopic(admin, topic, 1);
        ShareGroupTest.setGroupConfigs(admin, group, Map.of("share.auto.offset.reset", "earliest"));
        long now = System.currentTimeMillis();
        String[] priorities = {"1", "9", "0", "5", "9", "", "7"};
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of("linger.ms", "50"))) {
            for (int i = 0; i < priorities.length; i++) {
                List<Header> headers =
                        priorities[i].isEmpty() ? List.of() : List.of(header("wharf.priority", priorities[i]));
                producer.send(new ProducerRecord<>(
                        topic, 0, now, null, ("p" + priorities[i] + "-" + i).getBytes(UTF_8), headers));
            }
        }
        try (KafkaShareConsumer<byte[], byte[]> consumer =
                broker.shareConsumer(group, Map.of("share.acquire.mode", "record_limit", "max.poll.records", "1"))) {
            consumer.subscribe(List.of(topic));
            assertThat(receive(consumer, priorities.length))
                    .extracting(Received::value)
                    .containsExactly("p9-1", "p9-4", "p7-6", "p5-3", "p1-0", "p0-2", "p-5");
        }
    }
}
