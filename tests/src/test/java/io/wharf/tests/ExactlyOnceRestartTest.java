package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A consume → transform → produce loop with {@code sendOffsetsToTransaction}, run through a broker restart that comes
 * in the middle of a transaction: every input appears exactly once in the output, transformed, and the group's
 * committed offsets cover the whole input.
 */
class ExactlyOnceRestartTest {

    private static final int INPUTS = 300;
    private static final String GROUP = "eos-copier";

    @Test
    void everyInputIsCopiedExactlyOnceThroughARestart() throws Exception {
        try (TestBroker broker = TestBroker.start(
                Map.of("transaction.state.log.num.partitions", "2", "offsets.topic.num.partitions", "2"))) {
            try (Admin admin = broker.admin()) {
                admin.createTopics(List.of(new NewTopic("eos-in", 2, (short) 1), new NewTopic("eos-out", 2, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<byte[], byte[]> input = broker.producer(Map.of())) {
                for (int i = 0; i < INPUTS; i++) {
                    input.send(new ProducerRecord<>("eos-in", ("in-" + i).getBytes(UTF_8)));
                }
            }

            int copied = copy(broker, INPUTS / 3, true);
            // A transaction was left open when the broker stopped; its successor aborts it and starts over.
            broker.restart();
            copied += copy(broker, INPUTS, false);
            assertThat(copied).isGreaterThanOrEqualTo(INPUTS);

            List<String> output = TransactionsTest.readAll(broker, "eos-out", "read_committed");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < INPUTS; i++) {
                expected.add("out-" + i);
            }
            assertThat(output).hasSize(INPUTS).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /**
     * Copies until {@code target} inputs were committed in all (counting from the group's committed offsets), then,
     * when {@code leaveOpen}, copies one more batch in a transaction it never ends.
     *
     * @return the inputs copied in committed transactions
     */
    private static int copy(TestBroker broker, int target, boolean leaveOpen) throws Exception {
        KafkaProducer<byte[], byte[]> producer = TransactionsTest.transactional(broker, "eos-copier-1");
        KafkaConsumer<byte[], byte[]> consumer = broker.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                GROUP,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                25));
        int copied = 0;
        try {
            producer.initTransactions();
            consumer.subscribe(List.of("eos-in"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (committedTotal(consumer) < target) {
                assertThat(System.nanoTime())
                        .as("copying reaches %d inputs", target)
                        .isLessThan(deadline);
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                transform(producer, records);
                producer.sendOffsetsToTransaction(nextOffsets(records), consumer.groupMetadata());
                producer.commitTransaction();
                copied += records.count();
            }
            if (leaveOpen) {
                ConsumerRecords<byte[], byte[]> more = ConsumerRecords.empty();
                while (more.isEmpty()) {
                    more = consumer.poll(Duration.ofMillis(200));
                }
                producer.beginTransaction();
                transform(producer, more);
                producer.sendOffsetsToTransaction(nextOffsets(more), consumer.groupMetadata());
                producer.flush();
            }
        } finally {
            consumer.close(Duration.ZERO);
            producer.close(Duration.ZERO);
        }
        return copied;
    }

    private static void transform(KafkaProducer<byte[], byte[]> producer, ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String value = new String(r.value(), UTF_8).replace("in-", "out-");
            producer.send(new ProducerRecord<>("eos-out", value.getBytes(UTF_8)));
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private static long committedTotal(KafkaConsumer<byte[], byte[]> consumer) {
        List<TopicPartition> partitions = List.of(new TopicPartition("eos-in", 0), new TopicPartition("eos-in", 1));
        return consumer.committed(new java.util.HashSet<>(partitions)).values().stream()
                .mapToLong(o -> o == null ? 0 : o.offset())
                .sum();
    }
}
