package io.wharf.tests.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The check every fault test ends with: read a topic's partitions from the start to their end and assert that every
 * acknowledged record is at the offset it was acknowledged with (nothing lost, nothing moved), and that no value is in
 * the log twice (nothing duplicated, which the idempotent producer promises across retries and failovers).
 */
final class AckedLog {

    private AckedLog() {}

    /** Reads {@code topic} through {@code bootstrap}: place → value. */
    static Map<AckedLoad.Place, String> read(String bootstrap, String topic, int partitions) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        // A position out of range is a failure to see, never a jump to the end past what was not read.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        Map<AckedLoad.Place, String> stored = new HashMap<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                assertThat(System.nanoTime())
                        .as("read %s to %s in time", topic, ends)
                        .isLessThan(deadline);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    AckedLoad.Place place = new AckedLoad.Place(record.partition(), record.offset());
                    assertThat(stored.put(place, record.value()))
                            .as("one value at %s", place)
                            .isNull();
                }
            }
        }
        return stored;
    }

    /** Per partition, the highest offset in {@code places}. */
    private static Map<Integer, Long> highest(Map<AckedLoad.Place, String> places) {
        Map<Integer, Long> highest = new java.util.TreeMap<>();
        places.keySet().forEach(p -> highest.merge(p.partition(), p.offset(), Math::max));
        return highest;
    }

    /** Asserts that the log holds every acknowledged record at its place and no value twice; returns what it read. */
    static Map<AckedLoad.Place, String> verify(
            String bootstrap, String topic, int partitions, Map<AckedLoad.Place, String> acknowledged) {
        Map<AckedLoad.Place, String> stored = read(bootstrap, topic, partitions);
        List<String> missing = new ArrayList<>();
        acknowledged.forEach((place, value) -> {
            String there = stored.get(place);
            if (!value.equals(there)) {
                missing.add(value + " acknowledged at " + place + ", found " + there);
            }
        });
        assertThat(missing)
                .as(
                        "acknowledged records lost or moved (read up to %s; acknowledged up to %s)",
                        highest(stored), highest(acknowledged))
                .isEmpty();
        Map<String, AckedLoad.Place> seen = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        stored.forEach((place, value) -> {
            AckedLoad.Place before = seen.put(value, place);
            if (before != null) {
                duplicates.add(value + " at " + before + " and " + place);
            }
        });
        assertThat(duplicates).as("values written twice").isEmpty();
        assertThat(acknowledged).as("something was acknowledged").isNotEmpty();
        return stored;
    }
}
