package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A member whose process dies (SIGKILL: no LeaveGroup, no last commit) loses its partitions to the others once its
 * session times out, and every record is still consumed at least once.
 */
class GroupFailoverTest {

    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(Map.of(
                "group.initial.rebalance.delay.ms", "0",
                "group.consumer.session.timeout.ms", "6000",
                "group.consumer.heartbeat.interval.ms", "1000"));
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aKilledMembersPartitionsMoveAndNothingIsMissed(String protocol) throws Exception {
        String topic = "failover-" + protocol;
        String group = "failover-group-" + protocol;
        try (var admin = broker.admin()) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 6, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        AtomicInteger childAssigned = new AtomicInteger();
        Process child = ChildJvm.start(
                ChildConsumer.class,
                line -> {
                    if (line.startsWith("GOT ")) {
                        consumed.add(line.substring(4));
                    } else if (line.startsWith("ASSIGNED ")) {
                        childAssigned.addAndGet(Integer.parseInt(line.substring(9)));
                    }
                },
                broker.bootstrapServers(),
                group,
                topic,
                protocol);

        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        if (protocol.equals("classic")) {
            settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
            settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1000);
        }
        List<KafkaConsumer<byte[], byte[]>> survivors = new ArrayList<>();
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (childAssigned.get() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(childAssigned.get()).as("the child got partitions").isPositive();
            for (int i = 0; i < 2; i++) {
                KafkaConsumer<byte[], byte[]> consumer = broker.consumer(settings);
                consumer.subscribe(List.of(topic));
                survivors.add(consumer);
            }
            ConsumerGroupTest.produceTo(broker, topic, 0, 300);
            pollFor(survivors, consumed, Duration.ofSeconds(5));

            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            ConsumerGroupTest.produceTo(broker, topic, 300, 600);

            deadline = System.currentTimeMillis() + 90_000;
            while (consumed.size() < 600 && System.currentTimeMillis() < deadline) {
                pollFor(survivors, consumed, Duration.ofMillis(500));
            }
            assertThat(consumed).hasSize(600);
            assertThat(survivors.stream().mapToInt(c -> c.assignment().size()).sum())
                    .as("the survivors own every partition")
                    .isEqualTo(6);
        } finally {
            child.destroyForcibly();
            survivors.forEach(KafkaConsumer::close);
        }
    }

    private static void pollFor(List<KafkaConsumer<byte[], byte[]>> consumers, Set<String> consumed, Duration time) {
        long end = System.currentTimeMillis() + time.toMillis();
        while (System.currentTimeMillis() < end) {
            for (KafkaConsumer<byte[], byte[]> consumer : consumers) {
                consumer.poll(Duration.ofMillis(50)).forEach(r -> consumed.add(new String(r.value(), UTF_8)));
                consumer.commitSync();
            }
        }
    }
}
