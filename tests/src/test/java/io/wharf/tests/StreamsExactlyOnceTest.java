package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams word count with {@code processing.guarantee=exactly_once_v2} on Wharf: the instance is stopped at once
 * in the middle, its local state wiped, and a new one takes over from the changelog and the committed offsets. The
 * last count of every word, read committed, is exact.
 */
class StreamsExactlyOnceTest {

    private static final List<String> WORDS = List.of("alpha", "beta", "gamma", "delta", "epsilon");
    private static final int LINES = 200;

    @Test
    void wordCountsAreExactAcrossAnAbruptStopAndARestartFromTheChangelog() throws Exception {
        Path stateDir = Files.createTempDirectory("wharf-streams");
        try (TestBroker broker = TestBroker.start(Map.of(
                "transaction.state.log.num.partitions", "2",
                "offsets.topic.num.partitions", "2",
                "group.initial.rebalance.delay.ms", "0"))) {
            try (Admin admin = broker.admin()) {
                admin.createTopics(List.of(new NewTopic("wc-in", 2, (short) 1), new NewTopic("wc-out", 2, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            Map<String, Long> expected = new HashMap<>();
            produceLines(broker, 0, LINES / 2, expected);

            KafkaStreams first = start(broker, stateDir);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> !lastCounts(broker).isEmpty());
            first.close(Duration.ZERO); // does not wait for the threads, nor commit what they hold
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> first.state() == KafkaStreams.State.NOT_RUNNING
                            || first.state() == KafkaStreams.State.ERROR);
            first.cleanUp(); // the local state is lost: the next instance restores it from the changelog
            produceLines(broker, LINES / 2, LINES, expected);

            KafkaStreams second = start(broker, stateDir);
            try {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(lastCounts(broker)).isEqualTo(expected));
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

    private static KafkaStreams start(TestBroker broker, Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("wc-in", org.apache.kafka.streams.kstream.Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(
                        line -> Arrays.asList(line.toLowerCase(Locale.ROOT).split(" ")))
                .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                .count()
                .toStream()
                .to("wc-out", Produced.with(Serdes.String(), Serdes.Long()));
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "wharf-word-count");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // The stopped instance never leaves its group: its successor waits one session for it.
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
        KafkaStreams streams = new KafkaStreams(builder.build(), properties);
        streams.start();
        return streams;
    }

    private static void produceLines(TestBroker broker, int from, int to, Map<String, Long> expected) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of())) {
            for (int i = from; i < to; i++) {
                String line = WORDS.get(i % WORDS.size()) + " " + WORDS.get((i * 3 + 1) % WORDS.size());
                for (String word : line.split(" ")) {
                    expected.merge(word, 1L, Long::sum);
                }
                producer.send(new ProducerRecord<>("wc-in", ("k" + i).getBytes(UTF_8), line.getBytes(UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The last count of each word in the output, as a read_committed consumer sees it. */
    private static Map<String, Long> lastCounts(TestBroker broker) {
        Map<String, Long> counts = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                broker.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            List<TopicPartition> partitions = List.of(new TopicPartition("wc-out", 0), new TopicPartition("wc-out", 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    counts.put(
                            new String(r.key(), UTF_8),
                            ByteBuffer.wrap(r.value()).getLong());
                }
            }
        }
        return counts;
    }
}
