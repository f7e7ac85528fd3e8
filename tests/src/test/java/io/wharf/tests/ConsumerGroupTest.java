package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Consumer groups with real consumers: partitions shared out, every record consumed, offsets committed. */
class ConsumerGroupTest {

    private static TestBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(Map.of("group.initial.rebalance.delay.ms", "0"));
        admin = broker.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        broker.close();
    }

    static void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    static void produce(String topic, int count) throws Exception {
        produceTo(broker, topic, 0, count);
    }

    /** Sends values "v{from}" .. "v{to-1}", keyed alike, and waits for them. */
    static void produceTo(TestBroker target, String topic, int from, int to) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = target.producer(Map.of())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(UTF_8), ("v" + i).getBytes(UTF_8)));
            }
            producer.flush();
        }
    }

    static KafkaConsumer<byte[], byte[]> member(String group, Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(extra);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return broker.consumer(settings);
    }

    /** Polls all consumers in turn until every one has a non-empty assignment and they add up to {@code total}. */
    static void pollUntilAssigned(List<KafkaConsumer<byte[], byte[]>> consumers, int total, Set<String> seen) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            for (KafkaConsumer<byte[], byte[]> consumer : consumers) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    seen.add(new String(record.value(), UTF_8));
                }
            }
            int assigned =
                    consumers.stream().mapToInt(c -> c.assignment().size()).sum();
            Set<TopicPartition> union = new HashSet<>();
            consumers.forEach(c -> union.addAll(c.assignment()));
            if (assigned == total
                    && union.size() == total
                    && consumers.stream().allMatch(c -> !c.assignment().isEmpty())) {
                return;
            }
        }
        throw new AssertionError("partitions were not shared out: "
                + consumers.stream().map(c -> c.assignment().toString()).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic-range", "classic-roundrobin", "classic-cooperative", "consumer"})
    void threeConsumersOnSixPartitionsGetTwoEachAndConsumeEverything(String flavour) throws Exception {
        String topic = "shared-" + flavour;
        createTopic(topic, 6);
        produce(topic, 600);
        Map<String, Object> settings = new HashMap<>();
        switch (flavour) {
            case "classic-range" ->
                settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
            case "classic-roundrobin" ->
                settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RoundRobinAssignor.class.getName());
            case "classic-cooperative" ->
                settings.put(
                        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
            default -> settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        }
        List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try {
            for (int i = 0; i < 3; i++) {
                KafkaConsumer<byte[], byte[]> consumer = member("group-" + flavour, settings);
                consumer.subscribe(List.of(topic));
                consumers.add(consumer);
            }
            pollUntilAssigned(consumers, 6, seen);
            for (KafkaConsumer<byte[], byte[]> consumer : consumers) {
                assertThat(consumer.assignment()).as("assignment of a member").hasSize(2);
            }
            long deadline = System.currentTimeMillis() + 60_000;
            while (seen.size() < 600 && System.currentTimeMillis() < deadline) {
                for (KafkaConsumer<byte[], byte[]> consumer : consumers) {
                    consumer.poll(Duration.ofMillis(100)).forEach(r -> seen.add(new String(r.value(), UTF_8)));
                }
            }
            assertThat(seen).hasSize(600);
            for (KafkaConsumer<byte[], byte[]> consumer : consumers) {
                consumer.commitSync(Duration.ofSeconds(30));
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("group-" + flavour)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            assertThat(committed).hasSize(6);
            assertThat(committed.values().stream()
                            .mapToLong(OffsetAndMetadata::offset)
                            .sum())
                    .isEqualTo(600);
        } finally {
            consumers.forEach(KafkaConsumer::close);
        }
    }
}
