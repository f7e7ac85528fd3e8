package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.common.ManualClock;
import io.wharf.common.TopicPartition;
import io.wharf.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final TopicPartition MY_TOPIC_2 = new TopicPartition("my-topic", 2);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(LogFixture.START_MS);
    private final LogManager.Settings settings =
            new LogManager.Settings(2, 2, 1000, 1000, 60_000, LogRuntime.DEFAULT_PREALLOCATE_BYTES);

    private ByteBuffer batch(String value) {
        return RecordBatchBuilder.create()
                .add(clock.nowMs(), null, value.getBytes(UTF_8))
                .build();
    }

    private LogManager open(LogConfig config) throws IOException {
        return LogManager.open(dir, settings, clock, tp -> config);
    }

    @Test
    void reopensEveryPartitionWithItsHighWatermark() throws IOException {
        try (LogManager manager = open(LogConfig.defaults())) {
            for (TopicPartition tp : new TopicPartition[] {ORDERS_0, ORDERS_1, MY_TOPIC_2}) {
                PartitionLog log = manager.getOrCreate(tp, LogConfig.defaults());
                for (int i = 0; i <= tp.partition(); i++) {
                    log.append(batch(tp + "/" + i), AppendOrigin.CLIENT, 0);
                }
                log.updateHighWatermark(tp.partition());
            }
        }

        try (LogManager manager = open(LogConfig.defaults())) {
            assertThat(manager.logs()).containsOnlyKeys(ORDERS_0, ORDERS_1, MY_TOPIC_2);
            PartitionLog log = manager.log(MY_TOPIC_2).orElseThrow();
            assertThat(log.logEndOffset()).isEqualTo(3);
            assertThat(log.highWatermark()).isEqualTo(2);
            assertThat(log.recoveryCases()).containsExactly(RecoveryCase.CLEAN_SHUTDOWN);
            assertThat(manager.log(ORDERS_0).orElseThrow().highWatermark()).isZero();
        }
    }

    @Test
    void createsManyLogsAtOnceKeepingTheOnesThatExist() throws IOException {
        Map<TopicPartition, LogConfig> wanted = new java.util.HashMap<>();
        for (int p = 0; p < 12; p++) {
            wanted.put(new TopicPartition("many", p), LogConfig.defaults());
        }
        wanted.put(ORDERS_0, LogConfig.defaults());
        try (LogManager manager = open(LogConfig.defaults())) {
            PartitionLog existing = manager.getOrCreate(ORDERS_0, LogConfig.defaults());
            existing.append(batch("kept"), AppendOrigin.CLIENT, 0);

            manager.createAll(wanted);

            assertThat(manager.logs()).containsOnlyKeys(wanted.keySet());
            assertThat(manager.log(ORDERS_0)).containsSame(existing);
            assertThat(existing.logEndOffset()).isEqualTo(1);
            PartitionLog fresh = manager.log(new TopicPartition("many", 7)).orElseThrow();
            fresh.append(batch("first"), AppendOrigin.CLIENT, 0);
            assertThat(fresh.logEndOffset()).isEqualTo(1);
        }
        try (LogManager manager = open(LogConfig.defaults())) {
            assertThat(manager.logs()).containsOnlyKeys(wanted.keySet());
            assertThat(manager.log(new TopicPartition("many", 7)).orElseThrow().logEndOffset())
                    .isEqualTo(1);
            assertThat(manager.log(new TopicPartition("many", 3)).orElseThrow().logEndOffset())
                    .isZero();
        }
    }

    @Test
    void deletingAPartitionRemovesItsFilesForGood() throws IOException {
        try (LogManager manager = open(LogConfig.defaults())) {
            manager.getOrCreate(ORDERS_0, LogConfig.defaults()).append(batch("a"), AppendOrigin.CLIENT, 0);
            manager.getOrCreate(ORDERS_1, LogConfig.defaults()).append(batch("b"), AppendOrigin.CLIENT, 0);

            manager.delete(ORDERS_0);

            assertThat(manager.log(ORDERS_0)).isEmpty();
            assertThat(Files.exists(dir.resolve("orders-0"))).isFalse();
            await().atMost(5, TimeUnit.SECONDS).until(() -> directoriesEndingWith(LogManager.DELETE_SUFFIX) == 0);
        }
        try (LogManager manager = open(LogConfig.defaults())) {
            assertThat(manager.logs()).containsOnlyKeys(ORDERS_1);
        }
    }

    @Test
    void maintenanceAppliesRetentionWhenItIsDue() throws IOException {
        LogConfig config =
                LogConfig.parse(Map.of("segment.bytes", "1024", "retention.ms", "10000", "file.delete.delay.ms", "0"));
        try (LogManager manager = open(config)) {
            PartitionLog log = manager.getOrCreate(ORDERS_0, config);
            for (int i = 0; i < 100; i++) {
                log.append(batch("v" + i), AppendOrigin.CLIENT, 0);
            }
            int segments = log.segmentCount();
            clock.advance(20, TimeUnit.SECONDS);

            manager.runMaintenance(clock.nowMs());

            assertThat(log.segmentCount()).isLessThan(segments);
            assertThat(log.logStartOffset()).isEqualTo(100);
        }
    }

    @Test
    void aPartitionWithoutAStateFileIsRecoveredAtStart() throws IOException {
        try (LogManager manager = open(LogConfig.defaults())) {
            manager.getOrCreate(ORDERS_0, LogConfig.defaults()).append(batch("a"), AppendOrigin.CLIENT, 0);
        }
        Files.delete(dir.resolve("orders-0").resolve(PartitionState.FILE_NAME));

        try (LogManager manager = open(LogConfig.defaults())) {
            PartitionLog log = manager.log(ORDERS_0).orElseThrow();
            assertThat(log.recoveryCases()).contains(RecoveryCase.MISSING_STATE);
            assertThat(log.logEndOffset()).isEqualTo(1);
        }
    }

    private long directoriesEndingWith(String suffix) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .count();
        }
    }

    @Test
    void theCleanerThreadsCleanCompactedLogsAndStopAtClose() throws Exception {
        LogConfig compacted = CleanerFixture.compacted(1024);
        io.wharf.storage.cleaner.LogCleaner cleaner;
        try (LogManager manager = open(compacted)) {
            PartitionLog log = manager.getOrCreate(ORDERS_0, compacted);
            for (int i = 0; i < 60; i++) {
                log.append(
                        CleanerFixture.keyed(
                                clock.nowMs(), io.wharf.protocol.record.Compression.NONE, "k" + (i % 3), "v" + i),
                        AppendOrigin.CLIENT,
                        0);
            }
            CleanerFixture.commitAll(log);
            cleaner = manager.startCleaner(
                    new io.wharf.storage.cleaner.LogCleaner.Settings(true, 2, 1 << 20, Double.MAX_VALUE, 10, 1));

            await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> cleaner.lastPass(log).isPresent());
            assertThat(CleanerFixture.counts(LogFixture.readAll(log)).values().stream()
                            .mapToInt(Integer::intValue)
                            .sum())
                    .isLessThan(60);
            assertThat(manager.cleaner()).containsSame(cleaner);
        }
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("wharf-log-cleaner-") && t.isAlive());
    }
}
