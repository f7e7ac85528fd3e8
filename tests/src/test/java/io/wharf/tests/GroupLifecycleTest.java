package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Committed offsets and group state across consumer restarts and broker restarts; static members; fan-out. */
class GroupLifecycleTest {

    private static final Map<String, String> FAST = Map.of("group.initial.rebalance.delay.ms", "0");

    private static List<String> consume(KafkaConsumer<byte[], byte[]> consumer, int atLeast) {
        List<String> values = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (values.size() < atLeast && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(new String(r.value(), UTF_8)));
        }
        return values;
    }

    private static void createTopic(TestBroker broker, String topic, int partitions) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRestartedConsumerResumesFromItsCommittedOffsetEvenAfterABrokerRestart() throws Exception {
        try (TestBroker broker = TestBroker.start(FAST)) {
            createTopic(broker, "resume", 1);
            ConsumerGroupTest.produceTo(broker, "resume", 0, 100);
            Map<String, Object> settings = Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "resumers",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                    40);
            try (KafkaConsumer<byte[], byte[]> first = broker.consumer(settings)) {
                first.subscribe(List.of("resume"));
                List<String> got = consume(first, 40);
                first.commitSync(Map.of(new TopicPartition("resume", 0), new OffsetAndMetadata(40, "half-way")));
                assertThat(got).startsWith("v0");
            }

            broker.restart();

            try (Admin admin = broker.admin()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("resumers")
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                assertThat(committed.get(new TopicPartition("resume", 0)).offset())
                        .isEqualTo(40);
                assertThat(committed.get(new TopicPartition("resume", 0)).metadata())
                        .isEqualTo("half-way");
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("resumers"))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get("resumers");
                assertThat(group.groupState()).isEqualTo(GroupState.EMPTY);
            }
            try (KafkaConsumer<byte[], byte[]> second = broker.consumer(settings)) {
                second.subscribe(List.of("resume"));
                List<String> got = consume(second, 60);
                assertThat(got.get(0)).isEqualTo("v40");
                assertThat(got).hasSize(60).doesNotContain("v39");
            }
        }
    }

    @Test
    void twoGroupsOnOneTopicEachReceiveEveryRecord() throws Exception {
        try (TestBroker broker = TestBroker.start(FAST)) {
            createTopic(broker, "fanout", 3);
            ConsumerGroupTest.produceTo(broker, "fanout", 0, 300);
            for (String group : List.of("billing", "audit")) {
                try (KafkaConsumer<byte[], byte[]> consumer =
                        broker.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group))) {
                    consumer.subscribe(List.of("fanout"));
                    assertThat(new HashSet<>(consume(consumer, 300)))
                            .as("group %s", group)
                            .hasSize(300);
                }
            }
        }
    }

    @Test
    void aStaticMemberBackWithinItsSessionCausesNoRebalance() throws Exception {
        try (TestBroker broker = TestBroker.start(FAST)) {
            createTopic(broker, "static", 4);
            ConsumerGroupTest.produceTo(broker, "static", 0, 40);
            AtomicInteger otherRebalances = new AtomicInteger();
            Map<String, Object> common =
                    Map.of(ConsumerConfig.GROUP_ID_CONFIG, "statics", ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000);
            KafkaConsumer<byte[], byte[]> other = broker.consumer(with(common, "b"));
            KafkaConsumer<byte[], byte[]> first = broker.consumer(with(common, "a"));
            try {
                other.subscribe(List.of("static"), counting(otherRebalances));
                first.subscribe(List.of("static"));
                waitForAssignment(List.of(first, other), 4);
                Set<TopicPartition> firstPartitions = Set.copyOf(first.assignment());
                int before = otherRebalances.get();
                first.close();

                try (KafkaConsumer<byte[], byte[]> again = broker.consumer(with(common, "a"))) {
                    again.subscribe(List.of("static"));
                    long deadline = System.currentTimeMillis() + 30_000;
                    while (again.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
                        again.poll(Duration.ofMillis(100));
                        other.poll(Duration.ofMillis(100));
                    }
                    assertThat(again.assignment()).isEqualTo(firstPartitions);
                    for (int i = 0; i < 20; i++) {
                        other.poll(Duration.ofMillis(100));
                    }
                    assertThat(otherRebalances.get())
                            .as("the other member saw no rebalance")
                            .isEqualTo(before);
                }
            } finally {
                other.close();
            }
        }
    }

    private static Map<String, Object> with(Map<String, Object> common, String instance) {
        Map<String, Object> settings = new java.util.HashMap<>(common);
        settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
        return settings;
    }

    private static ConsumerRebalanceListener counting(AtomicInteger counter) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                counter.incrementAndGet();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                counter.incrementAndGet();
            }
        };
    }

    private static void waitForAssignment(List<KafkaConsumer<byte[], byte[]>> consumers, int total) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            consumers.forEach(c -> c.poll(Duration.ofMillis(100)));
            if (consumers.stream().allMatch(c -> !c.assignment().isEmpty())
                    && consumers.stream().mapToInt(c -> c.assignment().size()).sum() == total) {
                return;
            }
        }
        throw new AssertionError("no stable assignment");
    }
}
