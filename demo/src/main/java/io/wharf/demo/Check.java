package io.wharf.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The demo's closing check, against the whole log read again from the start: every acknowledged record is in the log
 * exactly where the broker said it put it, no record is in the log twice, and the consumer group and the share group
 * each got every acknowledged record.
 */
final class Check {

    /** The outcome, with one line per finding. */
    record Verdict(boolean passed, List<String> lines) {}

    private Check() {}

    static Verdict run(String bootstrap, String topic, Workload clients) {
        Map<Long, Workload.Placement> inLog = new HashMap<>();
        List<String> lines = new ArrayList<>();
        long duplicates = 0;
        long records = 0;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<String, String> reader =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : reader.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!caughtUp(reader, ends) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                    records++;
                    Workload.Placement was = inLog.put(
                            Long.parseLong(record.value()),
                            new Workload.Placement(record.partition(), record.offset()));
                    if (was != null) {
                        duplicates++;
                    }
                }
            }
        }
        long missing = 0;
        long moved = 0;
        for (Map.Entry<Long, Workload.Placement> acked : clients.acknowledged.entrySet()) {
            Workload.Placement found = inLog.get(acked.getKey());
            if (found == null) {
                missing++;
            } else if (!found.equals(acked.getValue())) {
                moved++;
            }
        }
        long notConsumed = clients.acknowledged.keySet().stream()
                .filter(id -> !clients.consumedIds.contains(id))
                .count();
        long notShared = clients.acknowledged.keySet().stream()
                .filter(id -> !clients.shareIds.contains(id))
                .count();
        int acknowledged = clients.acknowledged.size();
        lines.add(String.format(
                "%,d records acknowledged (%,d sends failed and were not acknowledged); %,d records in the log",
                acknowledged, clients.failed.get(), records));
        lines.add(result(missing == 0, "every acknowledged record is in the log", missing + " missing"));
        lines.add(result(moved == 0, "each at the offset it was acknowledged at", moved + " at another offset"));
        lines.add(result(duplicates == 0, "no record twice in the log", duplicates + " duplicates"));
        lines.add(result(
                notConsumed == 0,
                "the consumer group consumed every acknowledged record",
                notConsumed + " not consumed"));
        lines.add(result(
                notShared == 0,
                "the share group acknowledged every acknowledged record",
                notShared + " never acknowledged"));
        boolean passed = missing == 0 && moved == 0 && duplicates == 0 && notConsumed == 0 && notShared == 0;
        return new Verdict(passed, lines);
    }

    /** Whether the consumer group and the share group have every acknowledged record. */
    static boolean consumersCaughtUp(Workload clients) {
        return clients.consumedIds.containsAll(clients.acknowledged.keySet())
                && clients.shareIds.containsAll(clients.acknowledged.keySet());
    }

    private static boolean caughtUp(KafkaConsumer<String, String> reader, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (reader.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static String result(boolean ok, String claim, String failure) {
        return (ok ? "  ok    " : "  FAIL  ") + claim + (ok ? "" : ": " + failure);
    }
}
