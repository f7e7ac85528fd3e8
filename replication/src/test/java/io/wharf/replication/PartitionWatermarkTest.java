package io.wharf.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.common.ManualClock;
import io.wharf.common.TopicId;
import io.wharf.common.TopicPartition;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.storage.LogConfig;
import io.wharf.storage.LogRuntime;
import io.wharf.storage.PartitionLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under the acks-all flush policy the high watermark is what is on disk, and who asks for the fsync decides how soon
 * it moves: readers and acks=all at once, an unread partition at most every {@link
 * PartitionReplica#UNREAD_FLUSH_INTERVAL_MS}.
 */
class PartitionWatermarkTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final ExecutorService flushes = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private PartitionLog log;
    private PartitionReplica partition;

    @BeforeEach
    void open() throws IOException {
        log = PartitionLog.open(dir, LogConfig.parse(Map.of()), new LogRuntime(clock, flushes, scheduler));
        PartitionAssignment leaderHere = new PartitionAssignment(1, 0, 0, List.of(1), List.of(1));
        partition =
                new PartitionReplica(new TopicPartition("t", 0), TopicId.random(), log, 1, leaderHere, IsrChannel.NONE);
        partition.update(leaderHere);
    }

    @AfterEach
    void close() throws IOException {
        log.close();
        flushes.shutdownNow();
        scheduler.shutdownNow();
    }

    private void append(String value) {
        partition.appendAsLeader(RecordBatchBuilder.create()
                .add(clock.nowMs(), null, value.getBytes(StandardCharsets.UTF_8))
                .build());
    }

    private void awaitWatermark(long offset) {
        await().atMost(Duration.ofSeconds(10)).until(() -> partition.highWatermark() == offset);
    }

    @Test
    void appendsNobodyReadsAreFlushedAtMostEveryInterval() {
        append("a");
        awaitWatermark(1);
        append("b");
        append("c");
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> log.logEndOffset() == 3);
        assertThat(partition.highWatermark())
                .as("no fsync asked for within the interval")
                .isEqualTo(1);

        clock.advanceMs(PartitionReplica.UNREAD_FLUSH_INTERVAL_MS);
        append("d");
        awaitWatermark(4);
    }

    @Test
    void aReaderGetsTheUnflushedTailFlushedAndLaterAppendsAtOnce() {
        append("a");
        awaitWatermark(1);
        append("b");
        assertThat(partition.highWatermark()).isEqualTo(1);

        partition.readForConsumer(1, 1 << 20, true);
        awaitWatermark(2);

        append("c");
        awaitWatermark(3);
        clock.advanceMs(PartitionReplica.READERS_ACTIVE_MS);
        append("d");
        awaitWatermark(4);
        append("e");
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> log.logEndOffset() == 5);
        assertThat(partition.highWatermark())
                .as("the reader went quiet, so the interval applies again")
                .isEqualTo(4);
    }

    @Test
    void settlingCoversEverythingAppendedBefore() {
        append("a");
        append("b");
        append("c");

        partition.settleWatermark().join();

        assertThat(partition.highWatermark()).isEqualTo(3);
    }

    @Test
    void anAcksAllWaiterIsAnsweredOnlyOnceTheWatermarkIsPastItsRecords() {
        append("a");
        append("b");

        partition.awaitCommitted(2).join();

        assertThat(partition.highWatermark()).isEqualTo(2);
        assertThat(log.durableOffset()).isGreaterThanOrEqualTo(2);
    }
}
