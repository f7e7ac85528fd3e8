package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.TopicPartition;
import io.wharf.storage.PartitionLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A Kafka Streams KTable restored from its compacted changelog on Wharf: the table's updates go to a changelog topic
 * that Streams creates with {@code cleanup.policy=compact}; once the cleaner has run on it, the application is stopped,
 * its local state wiped, and a new instance rebuilds the table from the changelog alone, with the latest value of
 * every key.
 */
class StreamsTableRestoreTest {

    private static final String APPLICATION = "wharf-latest-table";
    private static final String STORE = "latest";
    private static final String CHANGELOG = APPLICATION + "-" + STORE + "-changelog";
    private static final int KEYS = 20;
    private static final int ROUNDS = 30;

    @Test
    void aTableRestoresTheLatestValueOfEveryKeyFromItsCompactedChangelog() throws Exception {
        Path stateDir = Files.createTempDirectory("wharf-streams-table");
        try (TestBroker broker = TestBroker.start(Map.of(
                "offsets.topic.num.partitions", "2",
                "group.initial.rebalance.delay.ms", "0",
                "log.cleaner.backoff.ms", "50"))) {
            try (Admin admin = broker.admin()) {
                admin.createTopics(List.of(new NewTopic("table-in", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            Map<String, String> latest = produce(broker);

            KafkaStreams first = start(broker, stateDir, new Restored());
            PartitionLog changelog;
            try {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(90))
                        .ignoreExceptions()
                        .until(() -> partitionLog(broker, CHANGELOG).logEndOffset() >= (long) KEYS * ROUNDS);
                changelog = partitionLog(broker, CHANGELOG);
                assertThat(changelog.config().compact())
                        .as("Streams made its changelog compacted")
                        .isTrue();
                long end = changelog.logEndOffset();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> changelog.cleanerCheckpoint() > end / 2);
            } finally {
                first.close(Duration.ofSeconds(30));
            }
            first.cleanUp(); // the local state is gone: the next instance has only the changelog

            Restored restored = new Restored();
            KafkaStreams second = start(broker, stateDir, restored);
            try {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(90))
                        .until(() -> second.state() == KafkaStreams.State.RUNNING);
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .untilAsserted(() -> assertThat(table(second)).isEqualTo(latest));
                assertThat(restored.records.get())
                        .as("the table came from the changelog, with the older values compacted away")
                        .isBetween((long) KEYS, (long) KEYS * ROUNDS - 1);
            } finally {
                second.close(Duration.ofSeconds(30));
            }
        } finally {
            try (Stream<Path> files = Files.walk(stateDir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** {@link #ROUNDS} values for each of {@link #KEYS} keys; returns the latest of each. */
    private static Map<String, String> produce(TestBroker broker) throws Exception {
        Map<String, String> latest = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of())) {
            for (int round = 0; round < ROUNDS; round++) {
                for (int k = 0; k < KEYS; k++) {
                    String key = "key-" + k;
                    String value = "value-" + round + "-" + k;
                    producer.send(new ProducerRecord<>("table-in", key.getBytes(UTF_8), value.getBytes(UTF_8)));
                    latest.put(key, value);
                }
                producer.flush();
            }
        }
        return latest;
    }

    /** Counts the records Streams restores into its stores. */
    private static final class Restored implements StateRestoreListener {
        final AtomicLong records = new AtomicLong();

        @Override
        public void onRestoreStart(
                org.apache.kafka.common.TopicPartition partition, String store, long startOffset, long endOffset) {}

        @Override
        public void onBatchRestored(
                org.apache.kafka.common.TopicPartition partition, String store, long batchEndOffset, long count) {
            records.addAndGet(count);
        }

        @Override
        public void onRestoreEnd(org.apache.kafka.common.TopicPartition partition, String store, long total) {}
    }

    private static KafkaStreams start(TestBroker broker, Path stateDir, StateRestoreListener restores) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("table-in", Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                .reduce(
                        (older, newer) -> newer,
                        Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.String()));
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        // Every update reaches the changelog, so it holds many values per key for the cleaner to remove.
        properties.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        // Small segments, so the cleaner has several to work on; batches smaller still, as one must fit a segment.
        properties.put(StreamsConfig.topicPrefix("segment.bytes"), "8192");
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 2048);
        properties.put(StreamsConfig.topicPrefix("min.cleanable.dirty.ratio"), "0.01");
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        KafkaStreams streams = new KafkaStreams(builder.build(), properties);
        streams.setGlobalStateRestoreListener(restores);
        streams.start();
        return streams;
    }

    private static Map<String, String> table(KafkaStreams streams) {
        ReadOnlyKeyValueStore<String, String> store =
                streams.store(StoreQueryParameters.fromNameAndType(STORE, QueryableStoreTypes.keyValueStore()));
        Map<String, String> table = new HashMap<>();
        try (var all = store.all()) {
            all.forEachRemaining(entry -> table.put(entry.key, entry.value));
        }
        return table;
    }

    private static PartitionLog partitionLog(TestBroker broker, String topic) {
        return broker.broker()
                .services()
                .replicas()
                .partition(new TopicPartition(topic, 0))
                .orElseThrow()
                .log();
    }
}
