package io.wharf.storage;

import static io.wharf.storage.CleanerFixture.keyed;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.ManualClock;
import io.wharf.protocol.record.Compression;
import io.wharf.protocol.record.Record;
import io.wharf.storage.cleaner.CleanerStats;
import io.wharf.storage.cleaner.LogCleaner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCleanerTest {

    private static final long BIG_MAP = 1 << 20;

    @TempDir
    Path dir;

    private final LogFixture fixture = new LogFixture();
    private final ManualClock clock = fixture.clock;

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    /** Appends {@code rounds} updates of keys k0..k{keys-1}, value "r<round>-k<key>", one batch per round. */
    private void appendRounds(PartitionLog log, int rounds, int keys, Compression compression) {
        for (int round = 0; round < rounds; round++) {
            String[] keyValues = new String[keys * 2];
            for (int k = 0; k < keys; k++) {
                keyValues[k * 2] = "k" + k;
                keyValues[k * 2 + 1] = "r" + round + "-k" + k;
            }
            log.append(keyed(clock.nowMs(), compression, keyValues), AppendOrigin.CLIENT, 0);
        }
    }

    @Test
    void theLatestValueOfEveryKeySurvivesAndOffsetsStay() throws Exception {
        PartitionLog log = fixture.open(dir, CleanerFixture.compacted(2048));
        appendRounds(log, 40, 10, Compression.NONE);
        List<Record> before = LogFixture.readAll(log);
        CleanerFixture.commitAll(log);
        int segmentsBefore = log.segmentCount();

        CleanerStats stats = CleanerFixture.clean(log, clock, BIG_MAP);

        List<Record> after = LogFixture.readAll(log);
        assertThat(CleanerFixture.latest(after)).isEqualTo(CleanerFixture.latest(before));
        assertServedAsAppended(before, after);
        long activeBase = log.segmentBaseOffsets().get(log.segmentCount() - 1);
        for (Map.Entry<String, Integer> count : CleanerFixture.counts(
                        after.stream().filter(r -> r.offset() < activeBase).toList())
                .entrySet()) {
            assertThat(count.getValue())
                    .as("records of %s below the active segment", count.getKey())
                    .isEqualTo(1);
        }
        assertThat(after.stream().filter(r -> r.offset() >= activeBase).toList())
                .as("the active segment is never cleaned")
                .hasSameSizeAs(
                        before.stream().filter(r -> r.offset() >= activeBase).toList());
        int segmentsAfterFirst = log.segmentCount();
        CleanerFixture.clean(log, clock, BIG_MAP);
        assertThat(log.segmentCount()).as("small cleaned segments merge").isLessThan(segmentsAfterFirst);
        assertThat(segmentsAfterFirst).isLessThanOrEqualTo(segmentsBefore);
        List<Record> afterSecond = LogFixture.readAll(log);
        assertServedAsAppended(before, afterSecond);
        assertThat(afterSecond.stream().map(Record::offset).toList())
                .isEqualTo(after.stream().map(Record::offset).toList());
        assertThat(stats.keys()).isEqualTo(10);
        assertThat(stats.bytesWritten()).isLessThan(stats.bytesRead());
        assertThat(log.logEndOffset()).isEqualTo(400);
        assertThat(log.cleanerCheckpoint()).isEqualTo(activeBase);
    }

    /** Every record served is the one appended at its offset, and offsets only increase. */
    static void assertServedAsAppended(List<Record> appended, List<Record> served) {
        Map<Long, Record> byOffset = new HashMap<>();
        appended.forEach(r -> byOffset.put(r.offset(), r));
        long previous = -1;
        for (Record record : served) {
            assertThat(record.offset()).isGreaterThan(previous);
            previous = record.offset();
            Record original = byOffset.get(record.offset());
            assertThat(original).as("offset %d was appended", record.offset()).isNotNull();
            assertThat(record.key()).isEqualTo(original.key());
            assertThat(record.value()).isEqualTo(original.value());
        }
    }

    @Test
    void aSmallMapCleansInSeveralPasses() throws Exception {
        PartitionLog log = fixture.open(dir, CleanerFixture.compacted(4096));
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 200; k += 10) {
                String[] keyValues = new String[20];
                for (int j = 0; j < 10; j++) {
                    keyValues[j * 2] = "k" + (k + j);
                    keyValues[j * 2 + 1] = "r" + round;
                }
                log.append(keyed(clock.nowMs(), Compression.NONE, keyValues), AppendOrigin.CLIENT, 0);
            }
        }
        List<Record> before = LogFixture.readAll(log);
        CleanerFixture.commitAll(log);

        int passes = CleanerFixture.cleanFully(log, clock, 50 * 24);

        assertThat(passes).as("a 45-key map over 200 keys").isGreaterThan(2);
        List<Record> after = LogFixture.readAll(log);
        assertThat(CleanerFixture.latest(after)).isEqualTo(CleanerFixture.latest(before));
        assertServedAsAppended(before, after);
        long activeBase = log.segmentBaseOffsets().get(log.segmentCount() - 1);
        assertThat(CleanerFixture.counts(after.stream()
                                .filter(r -> r.offset() < activeBase)
                                .toList())
                        .values())
                .allMatch(count -> count == 1);
    }

    @Test
    void tombstonesGoOnlyAfterDeleteRetention() throws Exception {
        PartitionLog log = fixture.open(dir, CleanerFixture.compacted(1024));
        appendRounds(log, 10, 5, Compression.NONE);
        log.append(keyed(clock.nowMs(), Compression.NONE, "k1", null, "k2", null), AppendOrigin.CLIENT, 0);
        appendRounds(log, 10, 1, Compression.NONE);
        CleanerFixture.commitAll(log);

        CleanerFixture.clean(log, clock, BIG_MAP);
        Map<String, String> latest = CleanerFixture.latest(LogFixture.readAll(log));
        assertThat(latest).containsEntry("k1", null).containsEntry("k2", null);

        clock.advance(2, TimeUnit.HOURS);
        CleanerStats stats = CleanerFixture.clean(log, clock, BIG_MAP);

        latest = CleanerFixture.latest(LogFixture.readAll(log));
        assertThat(latest).doesNotContainKeys("k1", "k2").containsKeys("k0", "k3", "k4");
        assertThat(stats.tombstonesRemoved()).isEqualTo(2);
    }

    @Test
    void compressedBatchesAreFilteredWithTheirCodecAndWholeOnesAreNotRecompressed() throws Exception {
        PartitionLog log = fixture.open(dir, CleanerFixture.compacted(4096));
        appendRounds(log, 10, 8, Compression.LZ4);
        log.append(keyed(clock.nowMs(), Compression.GZIP, "only-once", "v"), AppendOrigin.CLIENT, 0);
        ByteBuffer whole = log.read(80, 10_000, Long.MAX_VALUE, true).readFully();
        appendRounds(log, 30, 1, Compression.NONE);
        List<Record> before = LogFixture.readAll(log);
        CleanerFixture.commitAll(log);

        CleanerFixture.clean(log, clock, BIG_MAP);

        List<Record> after = LogFixture.readAll(log);
        assertThat(CleanerFixture.latest(after)).isEqualTo(CleanerFixture.latest(before));
        assertServedAsAppended(before, after);
        ByteBuffer kept = log.read(80, 10_000, Long.MAX_VALUE, true).readFully();
        int wholeSize = new io.wharf.protocol.record.BatchView().wrap(whole, 0).sizeInBytes();
        assertThat(kept.slice(0, wholeSize))
                .as("a batch that keeps every record keeps its bytes")
                .isEqualTo(whole.slice(0, wholeSize));
    }

    @Test
    void aProducersLastBatchStaysSoARetryIsStillADuplicate() throws Exception {
        PartitionLog log = fixture.open(dir, CleanerFixture.compacted(1024));
        ByteBuffer last = null;
        for (int sequence = 0; sequence < 20; sequence++) {
            ByteBuffer batch = idempotent(sequence, "k0", "v" + sequence);
            last = batch.duplicate();
            log.append(batch, AppendOrigin.CLIENT, 0);
        }
        ByteBuffer retry = idempotent(19, "k0", "v19");
        appendRounds(log, 20, 2, Compression.NONE);
        CleanerFixture.commitAll(log);

        CleanerFixture.clean(log, clock, BIG_MAP);
        log.close();
        PartitionLog reopened = fixture.open(dir, CleanerFixture.compacted(1024));

        AppendResult result = reopened.append(retry, AppendOrigin.CLIENT, 0);
        assertThat(result.duplicate()).isTrue();
        assertThat(result.firstOffset()).isEqualTo(19);
        assertThat(last).isNotNull();
    }

    private ByteBuffer idempotent(int sequence, String key, String value) {
        return io.wharf.protocol.record.RecordBatchBuilder.create()
                .producer(7L, (short) 0, sequence)
                .add(clock.nowMs(), key.getBytes(UTF_8), value.getBytes(UTF_8))
                .build();
    }

    @Test
    void segmentsYoungerThanTheMinimumLagAreLeftAlone() throws Exception {
        LogConfig config = LogConfig.parse(Map.of(
                "segment.bytes", "1024",
                "file.delete.delay.ms", "0",
                "cleanup.policy", "compact",
                "min.compaction.lag.ms", "60000"));
        PartitionLog log = fixture.open(dir, config);
        appendRounds(log, 30, 3, Compression.NONE);
        CleanerFixture.commitAll(log);

        assertThat(log.cleanableRange(clock.nowMs()).hasDirtyRecords()).isFalse();
        clock.advance(2, TimeUnit.MINUTES);
        assertThat(log.cleanableRange(clock.nowMs()).hasDirtyRecords()).isTrue();
    }

    @Test
    void theMaximumLagRollsTheActiveSegmentSoItCanBeCleaned() throws Exception {
        LogConfig config = LogConfig.parse(
                Map.of("segment.bytes", "1048576", "cleanup.policy", "compact", "max.compaction.lag.ms", "60000"));
        PartitionLog log = fixture.open(dir, config);
        appendRounds(log, 5, 3, Compression.NONE);
        clock.advance(2, TimeUnit.MINUTES);
        appendRounds(log, 1, 3, Compression.NONE);
        CleanerFixture.commitAll(log);

        assertThat(log.segmentCount()).isEqualTo(2);
        CleanableRange range = log.cleanableRange(clock.nowMs());
        assertThat(range.overdue()).isTrue();
        assertThat(range.hasDirtyRecords()).isTrue();
    }

    @Test
    void aCompactOnlyLogIsNotDeletedByRetention() throws Exception {
        LogConfig config = LogConfig.parse(Map.of(
                "segment.bytes",
                "1024",
                "file.delete.delay.ms",
                "0",
                "cleanup.policy",
                "compact",
                "retention.ms",
                "1000"));
        PartitionLog log = fixture.open(dir, config);
        appendRounds(log, 30, 3, Compression.NONE);
        clock.advance(1, TimeUnit.HOURS);

        assertThat(log.applyRetention(clock.nowMs())).isZero();
        log.updateConfig(LogConfig.parse(Map.of(
                "segment.bytes",
                "1024",
                "file.delete.delay.ms",
                "0",
                "cleanup.policy",
                "compact,delete",
                "retention.ms",
                "1000")));
        assertThat(log.applyRetention(clock.nowMs())).isPositive();
    }

    @Test
    void readersDuringCleaningSeeEachOffsetAsAppendedOrNotAtAll() throws Exception {
        // Replaced segments stay readable for file.delete.delay.ms, as after retention.
        LogConfig config = LogConfig.parse(
                Map.of("segment.bytes", "2048", "cleanup.policy", "compact", "file.delete.delay.ms", "60000"));
        PartitionLog log = fixture.open(dir, config);
        appendRounds(log, 200, 5, Compression.NONE);
        List<Record> before = LogFixture.readAll(log);
        CleanerFixture.commitAll(log);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    assertServedAsAppended(before, LogFixture.readAll(log));
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        reader.start();
        for (int i = 0; i < 3; i++) {
            CleanerFixture.clean(log, clock, BIG_MAP);
        }
        done.set(true);
        reader.join();

        assertThat(failure.get()).isNull();
    }

    @Test
    void theCleanerPicksTheDirtiestLogAboveTheRatio() throws Exception {
        PartitionLog dirty = fixture.open(dir.resolve("dirty-0"), CleanerFixture.compacted(1024));
        PartitionLog plain = fixture.open(dir.resolve("plain-0"), LogFixture.smallSegments(1024));
        appendRounds(dirty, 30, 3, Compression.NONE);
        plain.append(fixture.batch("a", "b"), AppendOrigin.CLIENT, 0);
        CleanerFixture.commitAll(dirty);
        CleanerFixture.commitAll(plain);
        LogCleaner cleaner = new LogCleaner(
                new LogCleaner.Settings(false, 1, BIG_MAP, Double.MAX_VALUE, 100, 1),
                clock,
                () -> List.of(plain, dirty));

        Optional<CleanerStats> first = cleaner.cleanDirtiest();
        Optional<CleanerStats> second = cleaner.cleanDirtiest();

        assertThat(first).isPresent();
        assertThat(cleaner.lastPass(dirty)).isEqualTo(first);
        assertThat(second).as("clean now: below min.cleanable.dirty.ratio").isEmpty();
        assertThat(Files.exists(dirty.dir().resolve(CleanerCheckpoint.FILE))).isTrue();
        assertThat(new ArrayList<>(List.of(plain.segmentCount()))).containsExactly(1);
    }
}
