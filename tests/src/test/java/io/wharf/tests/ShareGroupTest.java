package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Share groups with real share consumers: work shared out record by record, each record accepted once. */
class ShareGroupTest {

    static final Map<String, String> BROKER_SETTINGS = Map.of(
            "group.share.min.record.lock.duration.ms", "1000",
            "group.share.min.heartbeat.interval.ms", "200",
            "group.share.heartbeat.interval.ms", "500",
            "share.coordinator.state.topic.num.partitions", "4",
            "offsets.topic.num.partitions", "4");

    private static TestBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(BROKER_SETTINGS);
        admin = broker.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        broker.close();
    }

    static void createTopic(Admin admin, String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    static void setGroupConfigs(Admin admin, String group, Map<String, String> configs) throws Exception {
        List<AlterConfigOp> ops = new ArrayList<>();
        configs.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    /** The members of a share group that have been given partitions. */
    static long assignedMembers(String group) throws Exception {
        return admin.describeShareGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members().stream()
                .filter(m -> !m.assignment().topicPartitions().isEmpty())
                .count();
    }

    @Test
    void fiveConsumersOnTwoPartitionsAllGetWorkAndEachRecordIsAcceptedOnce() throws Exception {
        String topic = "work";
        String group = "workers";
        createTopic(admin, topic, 2);
        setGroupConfigs(admin, group, Map.of("share.auto.offset.reset", "earliest"));
        int total = 2_000;

        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        Map<Integer, Set<String>> byConsumer = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            int id = c;
            byConsumer.put(id, ConcurrentHashMap.newKeySet());
            Thread thread = new Thread(() -> {
                try (KafkaShareConsumer<byte[], byte[]> consumer =
                        broker.shareConsumer(group, Map.of("max.poll.records", "10"))) {
                    consumer.subscribe(List.of(topic));
                    while (!stop.get()) {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                            String value = new String(record.value(), UTF_8);
                            received.add(value);
                            byConsumer.get(id).add(value);
                        }
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> assignedMembers(group) == 5);
            for (int from = 0; from < total; from += 20) {
                ConsumerGroupTest.produceTo(broker, topic, from, from + 20);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= total);
        } finally {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        }
        assertThat(received).hasSize(total).doesNotHaveDuplicates();
        assertThat(byConsumer.values()).allSatisfy(values -> assertThat(values).isNotEmpty());
    }
}
