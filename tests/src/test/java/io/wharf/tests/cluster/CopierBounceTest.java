package io.wharf.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.embedded.EmbeddedCluster;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.tests.ChildJvm;
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
import org.junit.jupiter.api.Test;

/**
 * Kafka's own system test of transactions, on three brokers: {@code TransactionalMessageCopier} (kafka-tools, in a
 * process of its own) copies a partition in transactions of 20 records with random aborts while every broker is bounced in turn,
 * the first and third gracefully, the second killed, each time while the copier is mid-way. Every topic, the
 * transaction state and the offsets have three replicas and a minimum ISR of two, so one broker down at a time stops
 * nothing. A read_committed consumer of the output must then see every input record exactly once.
 */
class CopierBounceTest {

    private static final int RECORDS = 40_000;
    private static final Pattern CONSUMED = Pattern.compile("\"consumed\":(\\d+)");

    @Test
    void everyRecordIsCopiedExactlyOnceWhileEachBrokerIsBounced() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.builder()
                .brokers(3)
                .config("transaction.state.log.num.partitions", "1")
                .config("transaction.state.log.replication.factor", "3")
                .config("transaction.state.log.min.isr", "2")
                .config("offsets.topic.num.partitions", "1")
                .config("offsets.topic.replication.factor", "3")
                .config("min.insync.replicas", "2")
                .config("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
                .start()) {
            try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
                admin.createTopics(List.of(
                                new NewTopic("bounce-in", 1, (short) 3), new NewTopic("bounce-out", 1, (short) 3)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
            }
            awaitFullIsrs(cluster);
            try (KafkaProducer<String, String> producer =
                    Clients.producer(cluster.bootstrapServers(), Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>("bounce-in", "m-" + i));
                }
            }

            AtomicLong consumed = new AtomicLong();
            List<String> output = new CopyOnWriteArrayList<>();
            Process copier = copier(cluster, line -> {
                output.add(line);
                Matcher m = CONSUMED.matcher(line);
                if (m.find()) {
                    consumed.set(Long.parseLong(m.group(1)));
                }
            });
            try {
                long step = RECORDS / 20;
                for (int node : cluster.nodeIds()) {
                    long target = consumed.get() + step;
                    try {
                        EmbeddedCluster.await(
                                120_000,
                                "the copier to copy " + step + " more",
                                () -> consumed.get() >= target || !copier.isAlive());
                    } catch (java.util.concurrent.TimeoutException e) {
                        throw new AssertionError(
                                "the copier stalled at " + consumed.get() + " before broker " + node + ": "
                                        + tail(output),
                                e);
                    }
                    assertThat(copier.isAlive())
                            .as("the copier runs before broker %d is bounced (%s)", node, tail(output))
                            .isTrue();
                    if (node == 2) {
                        cluster.kill(node);
                    } else {
                        cluster.stop(node);
                    }
                    cluster.restart(node);
                    awaitFullIsrs(cluster);
                }
                assertThat(copier.waitFor(180, TimeUnit.SECONDS))
                        .as("the copier finishes (%s)", tail(output))
                        .isTrue();
                assertThat(copier.exitValue())
                        .as("its exit status (%s)", tail(output))
                        .isZero();
            } finally {
                copier.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }

            List<String> copied = Clients.readAll(cluster.bootstrapServers(), "bounce-out", "read_committed");
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < RECORDS; i++) {
                expected.add("m-" + i);
            }
            assertThat(new HashSet<>(copied)).isEqualTo(expected);
            assertThat(copied).as("no record copied twice").hasSize(RECORDS);
        }
    }

    private static void awaitFullIsrs(EmbeddedCluster cluster) throws Exception {
        EmbeddedCluster.await(120_000, "every ISR full", () -> {
            return cluster.image().topics().values().stream()
                    .map(TopicImage::partitions)
                    .flatMap(m -> m.values().stream())
                    .map(PartitionImage::isr)
                    .allMatch(isr -> isr.size() == 3);
        });
    }

    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 20), lines.size());
    }

    private static Process copier(EmbeddedCluster cluster, java.util.function.Consumer<String> lines) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--broker-list",
                cluster.bootstrapServers(),
                "--input-topic",
                "bounce-in",
                "--input-partition",
                "0",
                "--output-topic",
                "bounce-out",
                "--transactional-id",
                "bounce-copier",
                "--consumer-group",
                "bounce-group",
                "--transaction-size",
                "20",
                "--transaction-timeout",
                "10000",
                "--enable-random-aborts",
                "--use-group-metadata"));
        return ChildJvm.start(TransactionalMessageCopier.class, lines, args.toArray(String[]::new));
    }
}
