package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.header.internals.RecordHeader;
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

    /**
     * Every value {@code consumer} gets until nothing new has come for a second, and at least {@code atLeast} came
     * (each poll acknowledges the previous one's records as accepted).
     */
    static List<String> pollUntilQuiet(KafkaShareConsumer<byte[], byte[]> consumer, int atLeast) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(1) || values.size() < atLeast) {
            assertThat(System.nanoTime())
                    .as("%d records for the share consumer, %s so far", atLeast, values)
                    .isLessThan(deadline);
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                values.add(new String(record.value(), UTF_8));
                quietSince = System.nanoTime();
            }
        }
        return values;
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
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> assignedMembers(group) == 5);
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

    @Test
    void poisonRecordsEndInTheDeadLetterTopicWithTheirHeaders() throws Exception {
        String topic = "poisoned";
        String group = "careful";
        createTopic(admin, topic, 1);
        setGroupConfigs(
                admin,
                group,
                Map.of(
                        "share.auto.offset.reset", "earliest",
                        "share.delivery.count.limit", "3",
                        "errors.deadletterqueue.topic.name", "dlq.poisoned"));
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of())) {
            for (String value : List.of("poison", "fine", "bad")) {
                producer.send(new ProducerRecord<>(
                        topic,
                        null,
                        ("key-" + value).getBytes(UTF_8),
                        value.getBytes(UTF_8),
                        List.of(new RecordHeader("trace", ("t-" + value).getBytes(UTF_8)))));
            }
        }
        List<Short> poisonDeliveries = new ArrayList<>();
        try (KafkaShareConsumer<byte[], byte[]> consumer =
                broker.shareConsumer(group, Map.of("share.acknowledgement.mode", "explicit"))) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    String value = new String(record.value(), UTF_8);
                    if (value.equals("poison")) {
                        poisonDeliveries.add(record.deliveryCount().orElseThrow());
                    }
                    consumer.acknowledge(
                            record,
                            switch (value) {
                                case "poison" -> AcknowledgeType.RELEASE;
                                case "bad" -> AcknowledgeType.REJECT;
                                default -> AcknowledgeType.ACCEPT;
                            });
                }
                consumer.commitSync();
                return startOffsets(admin, group, topic).getOrDefault(0, -1L) == 3L;
            });
        }
        assertThat(poisonDeliveries).containsExactly((short) 1, (short) 2, (short) 3);

        List<ConsumerRecord<byte[], byte[]>> dead = readPartition(broker, "dlq.poisoned", 2);
        assertThat(dead).extracting(r -> new String(r.value(), UTF_8)).containsExactly("bad", "poison");
        ConsumerRecord<byte[], byte[]> poison = dead.get(1);
        assertThat(new String(poison.key(), UTF_8)).isEqualTo("key-poison");
        assertThat(headers(poison))
                .containsEntry("trace", "t-poison")
                .containsEntry("__dlq.errors.topic", topic)
                .containsEntry("__dlq.errors.partition", "0")
                .containsEntry("__dlq.errors.offset", "0")
                .containsEntry("__dlq.errors.group", group)
                .containsEntry("__dlq.errors.delivery.count", "3")
                .containsEntry("__dlq.errors.message", "Offset delivery count exceeded the threshold.");
        assertThat(headers(dead.get(0)))
                .containsEntry("__dlq.errors.offset", "2")
                .containsEntry("__dlq.errors.delivery.count", "1")
                .containsEntry("__dlq.errors.message", "Offset rejected by client.");
    }

    /** Subscribes {@code consumer} to {@code topic} and accepts {@code count} distinct records, confirmed. */
    static void takeAll(KafkaShareConsumer<byte[], byte[]> consumer, String topic, int count) {
        consumer.subscribe(List.of(topic));
        Set<String> seen = new HashSet<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(r -> seen.add(new String(r.value(), UTF_8)));
            return seen.size() == count;
        });
        assertThat(consumer.commitSync().values()).allMatch(Optional::isEmpty);
    }

    /** The first {@code count} records of partition 0 of {@code topic}, read from the start. */
    static List<ConsumerRecord<byte[], byte[]>> readPartition(TestBroker broker, String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = broker.consumer(Map.of())) {
            reader.assign(List.of(new TopicPartition(topic, 0)));
            reader.seekToBeginning(reader.assignment());
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                reader.poll(Duration.ofMillis(100)).forEach(records::add);
                return records.size() >= count;
            });
        }
        return records;
    }

    static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        record.headers().forEach(h -> headers.put(h.key(), new String(h.value(), UTF_8)));
        return headers;
    }

    /** The share group's start offset of each partition of {@code topic}, by partition (-1: not consumed yet). */
    static Map<Integer, Long> startOffsets(Admin admin, String group, String topic) throws Exception {
        Map<Integer, Long> offsets = new HashMap<>();
        admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                .partitionsToOffsetInfo(group)
                .get(30, TimeUnit.SECONDS)
                .forEach((tp, offset) -> {
                    if (tp.topic().equals(topic)) {
                        offsets.put(tp.partition(), offset == null ? -1L : offset.startOffset());
                    }
                });
        return offsets;
    }

    @Test
    void renewKeepsARecordLockedPastItsLockDuration() throws Exception {
        String topic = "slow-work";
        String group = "slow";
        createTopic(admin, topic, 1);
        setGroupConfigs(
                admin, group, Map.of("share.auto.offset.reset", "earliest", "share.record.lock.duration.ms", "2000"));
        ConsumerGroupTest.produceTo(broker, topic, 0, 1);
        try (KafkaShareConsumer<byte[], byte[]> slow =
                        broker.shareConsumer(group, Map.of("share.acknowledgement.mode", "explicit"));
                KafkaShareConsumer<byte[], byte[]> other = broker.shareConsumer(group, Map.of())) {
            slow.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> held = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                slow.poll(Duration.ofMillis(100)).forEach(held::add);
                return !held.isEmpty();
            });
            other.subscribe(List.of(topic));
            for (int i = 0; i < 6; i++) {
                assertThat(other.poll(Duration.ofMillis(500)))
                        .as("renewed, the record stays with the slow consumer")
                        .isEmpty();
                ConsumerRecord<byte[], byte[]> renewing = held.remove(0);
                slow.acknowledge(renewing, AcknowledgeType.RENEW);
                assertThat(slow.commitSync().values()).allMatch(Optional::isEmpty);
                // The client hands a renewed record back to the application on its next poll.
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    slow.poll(Duration.ofMillis(100)).forEach(held::add);
                    return !held.isEmpty();
                });
                assertThat(held.get(0).offset()).isEqualTo(renewing.offset());
            }
            slow.acknowledge(held.get(0), AcknowledgeType.ACCEPT);
            assertThat(slow.commitSync().values()).allMatch(Optional::isEmpty);
            assertThat(other.poll(Duration.ofMillis(500))).isEmpty();
        }
        assertThat(startOffsets(admin, group, topic)).containsEntry(0, 1L);
    }

    @Test
    void shareGroupsAreListedDescribedAndTheirOffsetsManaged() throws Exception {
        String topic = "managed";
        String group = "managed-group";
        createTopic(admin, topic, 2);
        setGroupConfigs(admin, group, Map.of("share.auto.offset.reset", "earliest"));
        ConsumerGroupTest.produceTo(broker, topic, 0, 20);
        try (KafkaShareConsumer<byte[], byte[]> consumer = broker.shareConsumer(group, Map.of())) {
            takeAll(consumer, topic, 20);
            assertThat(admin.listGroups(ListGroupsOptions.forShareGroups())
                            .all()
                            .get(30, TimeUnit.SECONDS))
                    .anySatisfy(listing -> {
                        assertThat(listing.groupId()).isEqualTo(group);
                        assertThat(listing.type()).contains(GroupType.SHARE);
                    });
            assertThat(admin.alterShareGroupOffsets(group, Map.of(new TopicPartition(topic, 0), 0L))
                            .all())
                    .as("offsets change only while the group is empty")
                    .failsWithin(Duration.ofSeconds(30))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(GroupNotEmptyException.class);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> admin.describeShareGroups(List.of(group))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get(group)
                        .members()
                        .isEmpty());
        assertThat(startOffsets(admin, group, topic).values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(20L);

        admin.alterShareGroupOffsets(group, Map.of(new TopicPartition(topic, 0), 0L))
                .all()
                .get(30, TimeUnit.SECONDS);
        assertThat(startOffsets(admin, group, topic)).containsEntry(0, 0L);
        admin.deleteShareGroupOffsets(group, Set.of(topic)).all().get(30, TimeUnit.SECONDS);
        assertThat(startOffsets(admin, group, topic)).isEmpty();

        admin.deleteShareGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
        assertThat(admin.listGroups(ListGroupsOptions.forShareGroups()).all().get(30, TimeUnit.SECONDS))
                .noneMatch(listing -> listing.groupId().equals(group));
    }

    @Test
    void aDeletedTopicsSharePartitionsGoWithIt() throws Exception {
        String topic = "short-lived";
        String group = "short-lived-group";
        createTopic(admin, topic, 2);
        setGroupConfigs(admin, group, Map.of("share.auto.offset.reset", "earliest"));
        ConsumerGroupTest.produceTo(broker, topic, 0, 4);
        try (KafkaShareConsumer<byte[], byte[]> consumer = broker.shareConsumer(group, Map.of())) {
            takeAll(consumer, topic, 4);
        }
        assertThat(startOffsets(admin, group, topic)).hasSize(2);
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        assertThat(admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                        .partitionsToOffsetInfo(group)
                        .get(30, TimeUnit.SECONDS))
                .isEmpty();
    }
}
