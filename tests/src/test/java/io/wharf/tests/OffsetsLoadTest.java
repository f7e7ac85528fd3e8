package io.wharf.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.common.TopicPartition;
import io.wharf.protocol.record.RecordReader;
import io.wharf.storage.LogSlice;
import io.wharf.storage.PartitionLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.junit.jupiter.api.Test;

/**
 * A broker that committed many offsets for 100 groups restarts and loads its group coordinators from a compacted
 * {@code __consumer_offsets}: what a load replays is about the live state (one offset per group and partition), not
 * the history. Prints the figures; asserts only the latest offsets and that the log holds far fewer records than were
 * committed. The CI size commits 2,000 offsets; {@code -Dwharf.measure.offsets.rounds=100
 * -Dwharf.measure.offsets.partitions=100 -Dwharf.measure.offsets.segment.bytes=1048576} commits 1,000,000.
 */
class OffsetsLoadTest {

    private static final int GROUPS = 100;
    private static final int OFFSETS_PARTITIONS = 5;

    @Test
    void aRestartReplaysAboutTheLiveOffsetsNotTheirHistory() throws Exception {
        int rounds = Integer.getInteger("wharf.measure.offsets.rounds", 4);
        int partitions = Integer.getInteger("wharf.measure.offsets.partitions", 5);
        try (TestBroker broker = TestBroker.start(Map.of(
                "log.cleaner.backoff.ms",
                "50",
                "log.cleaner.min.cleanable.ratio",
                "0.01",
                "offsets.topic.num.partitions",
                String.valueOf(OFFSETS_PARTITIONS),
                "offsets.topic.segment.bytes",
                String.valueOf(Integer.getInteger("wharf.measure.offsets.segment.bytes", 8 * 1024))))) {
            List<org.apache.kafka.common.TopicPartition> tracked = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tracked.add(new org.apache.kafka.common.TopicPartition("tracked", p));
            }
            long commitStart = System.nanoTime();
            try (Admin admin = broker.admin()) {
                admin.createTopics(List.of(new NewTopic("tracked", partitions, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                for (int round = 1; round <= rounds; round++) {
                    List<KafkaFuture<Void>> commits = new ArrayList<>();
                    for (int g = 0; g < GROUPS; g++) {
                        Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                        for (org.apache.kafka.common.TopicPartition tp : tracked) {
                            offsets.put(tp, new OffsetAndMetadata(round * 1000L + g));
                        }
                        commits.add(admin.alterConsumerGroupOffsets("group-" + g, offsets)
                                .all());
                    }
                    KafkaFuture.allOf(commits.toArray(KafkaFuture[]::new)).get(120, TimeUnit.SECONDS);
                }
            }
            long committed = (long) rounds * GROUPS * partitions;
            long commitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - commitStart);
            long written = 0;
            for (int p = 0; p < OFFSETS_PARTITIONS; p++) {
                written += offsetsLog(broker, p).logEndOffset();
            }
            await().atMost(Duration.ofSeconds(300))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> allClean(broker));
            long replayable = 0;
            for (int p = 0; p < OFFSETS_PARTITIONS; p++) {
                replayable += records(offsetsLog(broker, p));
            }

            long restartStart = System.nanoTime();
            broker.restart();
            try (Admin admin = broker.admin()) {
                for (int g = 0; g < GROUPS; g++) {
                    Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets =
                            admin.listConsumerGroupOffsets("group-" + g)
                                    .partitionsToOffsetAndMetadata()
                                    .get(60, TimeUnit.SECONDS);
                    assertThat(offsets).hasSize(partitions);
                    for (OffsetAndMetadata offset : offsets.values()) {
                        assertThat(offset.offset()).isEqualTo(rounds * 1000L + g);
                    }
                }
            }
            long restartMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartStart);
            System.out.printf(
                    "OffsetsLoadTest: %d offsets committed for %d groups in %d ms (%d records written);"
                            + " after cleaning %d records remain for %d live offsets; restart and load of every group's"
                            + " offsets took %d ms%n",
                    committed, GROUPS, commitMs, written, replayable, GROUPS * partitions, restartMs);
            assertThat(replayable).isLessThan(written / 2);
        }
    }

    private static PartitionLog offsetsLog(TestBroker broker, int partition) {
        return broker.broker()
                .services()
                .replicas()
                .partition(new TopicPartition("__consumer_offsets", partition))
                .orElseThrow()
                .log();
    }

    private static boolean allClean(TestBroker broker) {
        for (int p = 0; p < OFFSETS_PARTITIONS; p++) {
            PartitionLog log = offsetsLog(broker, p);
            if (log.cleanerCheckpoint()
                    < log.cleanableRange(log.clock().nowMs()).endOffset()) {
                return false;
            }
        }
        return true;
    }

    /** The records a load would replay: every record from the log start on. */
    private static long records(PartitionLog log) {
        long count = 0;
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            LogSlice slice = log.read(offset, 1 << 20, Long.MAX_VALUE, true);
            java.nio.ByteBuffer bytes = slice.readFully();
            io.wharf.protocol.record.BatchView view = new io.wharf.protocol.record.BatchView();
            for (int position = 0; position < bytes.limit(); ) {
                view.wrap(bytes, position);
                offset = view.lastOffset() + 1;
                position += view.sizeInBytes();
            }
            count += RecordReader.records(bytes).size();
        }
        return count;
    }
}
