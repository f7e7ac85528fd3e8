package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.tools.TransactionalMessageCopier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Kafka's own system-test tool for transactions, {@code TransactionalMessageCopier} from kafka-tools, in a process of
 * its own: it copies a partition to another topic in transactions of 100 records with random aborts, committing the
 * consumed offsets in each transaction; it is SIGKILLed half-way and started again under the same transactional id.
 * A read_committed consumer of the output must then see every input record exactly once.
 */
class TransactionalMessageCopierTest {

    private static final int RECORDS = 3_000;
    private static final Pattern CONSUMED = Pattern.compile("\"consumed\":(\\d+)");

    @Test
    void everyRecordIsCopiedExactlyOnceThroughAKilledCopierWithRandomAborts() throws Exception {
        try (TestBroker broker = TestBroker.start(Map.of(
                "transaction.state.log.num.partitions", "1",
                "offsets.topic.num.partitions", "1",
                // the killed copier's open transaction is aborted within a second of its timeout
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"))) {
            try (Admin admin = broker.admin()) {
                admin.createTopics(List.of(
                                new NewTopic("copier-in", 1, (short) 1), new NewTopic("copier-out", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>("copier-in", ("m-" + i).getBytes(UTF_8)));
                }
            }

            AtomicLong consumed = new AtomicLong();
            List<String> output = new CopyOnWriteArrayList<>();
            Process first = copier(broker, line -> {
                output.add(line);
                Matcher m = CONSUMED.matcher(line);
                if (m.find()) {
                    consumed.set(Long.parseLong(m.group(1)));
                }
            });
            try {
                Awaitility.await("the copier is half-way")
                        .atMost(60, TimeUnit.SECONDS)
                        .until(() -> consumed.get() >= RECORDS / 3 || !first.isAlive());
                assertThat(first.isAlive()).as("the copier runs (%s)", output).isTrue();
            } finally {
                first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }

            List<String> second = new CopyOnWriteArrayList<>();
            Process restarted = copier(broker, second::add);
            try {
                assertThat(restarted.waitFor(120, TimeUnit.SECONDS))
                        .as("the restarted copier finishes (%s)", second)
                        .isTrue();
                assertThat(restarted.exitValue())
                        .as("its exit status (%s)", second)
                        .isZero();
            } finally {
                restarted.destroyForcibly();
            }

            List<String> copied = TransactionsTest.readAll(broker, "copier-out", "read_committed");
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < RECORDS; i++) {
                expected.add("m-" + i);
            }
            assertThat(copied).hasSize(RECORDS);
            assertThat(new HashSet<>(copied)).isEqualTo(expected);
            assertThat(TransactionsTest.readAll(broker, "copier-out", "read_uncommitted")
                            .size())
                    .as("aborted copies are in the log, hidden from read_committed")
                    .isGreaterThanOrEqualTo(RECORDS);
        }
    }

    private static Process copier(TestBroker broker, java.util.function.Consumer<String> lines) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--broker-list",
                broker.bootstrapServers(),
                "--input-topic",
                "copier-in",
                "--input-partition",
                "0",
                "--output-topic",
                "copier-out",
                "--transactional-id",
                "copier",
                "--consumer-group",
                "copier-group",
                "--transaction-size",
                "100",
                "--transaction-timeout",
                "5000",
                "--enable-random-aborts",
                "--use-group-metadata"));
        return ChildJvm.start(TransactionalMessageCopier.class, lines, args.toArray(String[]::new));
    }
}
