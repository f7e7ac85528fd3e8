package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.common.TopicPartition;
import io.wharf.storage.PartitionLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log compaction seen by real clients: a compacted topic read from the start with kafka-clients and with kcat
 * (librdkafka) gives the latest value of every key once the cleaner has run, and {@code __consumer_offsets}, compacted
 * too, still loads every group's latest offsets after a restart, and {@code __share_group_state}, compacted, still
 * loads every share-partition's state. A transactional producer's compacted topic keeps the latest committed value of
 * every key, loses its aborted values, and the producer goes on after the cleaning.
 */
class CompactionTest {

    private static final int UPDATES_PER_SNAPSHOT = 10;

    private static TestBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(Map.of(
                "log.cleaner.backoff.ms", "50",
                "offsets.topic.num.partitions", "1",
                "offsets.topic.segment.bytes", "4096",
                "log.cleaner.min.cleanable.ratio", "0.01",
                "share.coordinator.state.topic.num.partitions", "1",
                "share.coordinator.state.topic.segment.bytes", "4096",
                "share.coordinator.snapshot.update.records.per.snapshot", String.valueOf(UPDATES_PER_SNAPSHOT),
                "group.share.min.heartbeat.interval.ms", "200",
                "group.share.heartbeat.interval.ms", "500"));
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    /** Produces {@code rounds} values for each of {@code keys} keys; returns the latest value of each. */
    private static Map<String, String> produce(String topic, int rounds, int keys) throws Exception {
        Map<String, String> latest = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer =
                broker.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, "0"))) {
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < keys; k++) {
                    String key = "key-" + k;
                    String value = "value-" + round + "-" + k;
                    producer.send(new ProducerRecord<>(topic, key.getBytes(UTF_8), value.getBytes(UTF_8)));
                    latest.put(key, value);
                }
                producer.flush();
            }
        }
        return latest;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, long end) {
        return readAll(topic, end, "read_uncommitted");
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, long end, String isolation) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false", ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    @Test
    void aCompactedTopicReadsAsTheLatestValueOfEveryKey() throws Exception {
        String topic = "compacted";
        createCompactedTopic(topic);
        Map<String, String> latest = produce(topic, 30, 20);
        PartitionLog log = partitionLog(topic);
        long end = log.logEndOffset();
        await().atMost(Duration.ofSeconds(30)).until(() -> log.cleanerCheckpoint() > end / 2);

        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic, end);

        assertThat(records.size()).as("compaction removed the older values").isLessThan(600);
        assertThat(latestByKey(records, Set.of())).isEqualTo(latest);
        if (Files.isExecutable(Path.of("/usr/bin/kcat")) || System.getenv("CI") != null) {
            assertThat(kcatLatest(topic)).isEqualTo(latest);
        }
    }

    @Test
    void aTransactionalProducersCompactedTopicKeepsItsLatestCommittedValues() throws Exception {
        String topic = "compacted-transactions";
        createCompactedTopic(topic);
        int keys = 20;
        int rounds = 11;
        Map<String, String> committed = new HashMap<>();
        Set<String> aborted = new HashSet<>();
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "compacting", ProducerConfig.LINGER_MS_CONFIG, "0"))) {
            producer.initTransactions();
            // Every third round, the last one among them, is aborted: its values must never hide a committed one.
            for (int round = 0; round < rounds; round++) {
                Map<String, String> values = new HashMap<>();
                producer.beginTransaction();
                for (int k = 0; k < keys; k++) {
                    String key = "key-" + k;
                    String value = "value-" + round + "-" + k;
                    producer.send(new ProducerRecord<>(topic, key.getBytes(UTF_8), value.getBytes(UTF_8)));
                    values.put(key, value);
                }
                if (round % 3 == 1) {
                    producer.abortTransaction();
                    aborted.addAll(values.values());
                } else {
                    producer.commitTransaction();
                    committed.putAll(values);
                }
            }
            PartitionLog log = partitionLog(topic);
            long end = log.logEndOffset();
            await().atMost(Duration.ofSeconds(30)).until(() -> log.cleanerCheckpoint() > end / 2);
            long clean = log.cleanerCheckpoint();

            List<ConsumerRecord<byte[], byte[]>> everything = readAll(topic, end);
            assertThat(everything).as("compaction removed older values").hasSizeLessThan(rounds * keys);
            assertThat(everything.stream().filter(r -> r.offset() < clean).map(CompactionTest::value))
                    .as("the cleaned part of the log holds no aborted value")
                    .noneMatch(aborted::contains);
            assertThat(latestByKey(readAll(topic, end, "read_committed"), aborted))
                    .isEqualTo(committed);
            assertThat(shareGroupReads(topic, "read_committed"))
                    .as("a read_committed share group over the cleaned log, record for record")
                    .containsExactlyInAnyOrderElementsOf(readAll(topic, end, "read_committed").stream()
                            .map(CompactionTest::value)
                            .toList());

            // The producer's state survived the cleaning: its next transaction is accepted and read.
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "key-0".getBytes(UTF_8), "after-cleaning".getBytes(UTF_8)));
            producer.commitTransaction();
            committed.put("key-0", "after-cleaning");
        }
        assertThat(latestByKey(readAll(topic, partitionLog(topic).logEndOffset(), "read_committed"), aborted))
                .isEqualTo(committed);
    }

    /**
     * Every value a new share group of {@code isolation} gets from the start of {@code topic}, read until nothing new
     * comes for a second (each acknowledged as accepted by the next poll).
     */
    private static List<String> shareGroupReads(String topic, String isolation) throws Exception {
        String group = topic + "-share-" + isolation;
        try (Admin admin = broker.admin()) {
            ShareGroupTest.setGroupConfigs(
                    admin, group, Map.of("share.auto.offset.reset", "earliest", "share.isolation.level", isolation));
        }
        try (KafkaShareConsumer<byte[], byte[]> consumer = broker.shareConsumer(group, Map.of())) {
            consumer.subscribe(List.of(topic));
            return ShareGroupTest.pollUntilQuiet(consumer, 1);
        }
    }

    private static void createCompactedTopic(String topic) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                            .configs(Map.of(
                                    "cleanup.policy", "compact",
                                    "segment.bytes", "4096",
                                    "min.cleanable.dirty.ratio", "0.01"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** The last value read of every key; fails on a value of {@code mustNotAppear} or offsets out of order. */
    private static Map<String, String> latestByKey(
            List<ConsumerRecord<byte[], byte[]>> records, Set<String> mustNotAppear) {
        Map<String, String> latest = new HashMap<>();
        long previous = -1;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            assertThat(record.offset()).isGreaterThan(previous);
            previous = record.offset();
            assertThat(value(record)).isNotIn(mustNotAppear);
            latest.put(new String(record.key(), UTF_8), value(record));
        }
        return latest;
    }

    private static String value(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.value(), UTF_8);
    }

    /** kcat's view of the topic from the start: the last value it prints for each key. */
    private Map<String, String> kcatLatest(String topic) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        "kcat",
                        "-b",
                        broker.bootstrapServers(),
                        "-C",
                        "-t",
                        topic,
                        "-o",
                        "beginning",
                        "-e",
                        "-q",
                        "-K",
                        "\t")
                .redirectError(dir.resolve("kcat.err").toFile())
                .start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(Files.readString(dir.resolve("kcat.err")))
                .isZero();
        Map<String, String> latest = new HashMap<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                String[] parts = line.split("\t", 2);
                latest.put(parts[0], parts[1]);
            }
        }
        return latest;
    }

    @Test
    void committedOffsetsSurviveCompactionOfTheOffsetsTopicAndARestart() throws Exception {
        String topic = "tracked";
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, 0);
        int groups = 4;
        int commits = 100;
        try (Admin admin = broker.admin()) {
            for (int c = 1; c <= commits; c++) {
                for (int g = 0; g < groups; g++) {
                    admin.alterConsumerGroupOffsets("group-" + g, Map.of(tp, new OffsetAndMetadata(c * 10L + g)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                }
            }
        }
        PartitionLog offsets = partitionLog("__consumer_offsets");
        long end = offsets.logEndOffset();
        await().atMost(Duration.ofSeconds(30)).until(() -> offsets.cleanerCheckpoint() > end / 2);

        broker.restart();

        try (Admin admin = broker.admin()) {
            for (int g = 0; g < groups; g++) {
                Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets("group-" + g)
                                .partitionsToOffsetAndMetadata()
                                .get(30, TimeUnit.SECONDS);
                assertThat(committed.get(tp).offset()).isEqualTo(commits * 10L + g);
            }
        }
    }

    @Test
    void shareGroupStateSurvivesCompactionOfItsTopicAndARestart() throws Exception {
        String topic = "queued";
        String group = "queue-workers";
        try (Admin admin = broker.admin()) {
            ShareGroupTest.createTopic(admin, topic, 1);
            ShareGroupTest.setGroupConfigs(admin, group, Map.of("share.auto.offset.reset", "earliest"));
        }
        int first = 300;
        for (int from = 0; from < first; from += 3) {
            ConsumerGroupTest.produceTo(broker, topic, from, from + 3);
        }
        try (KafkaShareConsumer<byte[], byte[]> consumer =
                broker.shareConsumer(group, Map.of("max.poll.records", "3"))) {
            ShareGroupTest.takeAll(consumer, topic, first);
        }
        PartitionLog state = partitionLog("__share_group_state");
        long end = state.logEndOffset();
        assertThat(end).as("the acknowledgements wrote many records").isGreaterThan(5L * UPDATES_PER_SNAPSHOT);
        await().atMost(Duration.ofSeconds(30)).until(() -> state.cleanerCheckpoint() > end / 2);
        long clean = state.cleanerCheckpoint();
        long cleanedRecords;
        try (Admin admin = broker.admin()) {
            assertThat(ShareGroupTest.startOffsets(admin, group, topic)).containsEntry(0, (long) first);
        }
        cleanedRecords = readAll("__share_group_state", clean).stream()
                .filter(r -> r.offset() < clean)
                .count();
        assertThat(cleanedRecords)
                .as("below the clean offset: one whole state and at most %d updates", UPDATES_PER_SNAPSHOT)
                .isBetween(1L, 1L + UPDATES_PER_SNAPSHOT);

        broker.restart();

        try (Admin admin = broker.admin()) {
            assertThat(ShareGroupTest.startOffsets(admin, group, topic)).containsEntry(0, (long) first);
        }
        ConsumerGroupTest.produceTo(broker, topic, first, first + 20);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (KafkaShareConsumer<byte[], byte[]> consumer = broker.shareConsumer(group, Map.of())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> seen.add(new String(r.value(), UTF_8)));
                return seen.size() >= 20;
            });
            consumer.poll(Duration.ofMillis(500)).forEach(r -> seen.add(new String(r.value(), UTF_8)));
            consumer.commitSync();
        }
        assertThat(seen)
                .as("only the records produced after the restart are delivered")
                .hasSize(20);
    }

    private static PartitionLog partitionLog(String topic) {
        return broker.broker()
                .services()
                .replicas()
                .partition(new TopicPartition(topic, 0))
                .orElseThrow()
                .log();
    }
}
