package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cutting the log: truncation at the end, DeleteRecords and retention at the start. */
class TrimmingTest {

    @TempDir
    Path dir;

    private final LogFixture fixture = new LogFixture();

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    private PartitionLog logWith(int records, LogConfig config) throws IOException {
        PartitionLog log = fixture.open(dir, config);
        for (int i = 0; i < records; i++) {
            log.append(fixture.batch("v" + i), AppendOrigin.CLIENT, i / 10);
        }
        return log;
    }

    private static List<String> values(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "v" + i).toList();
    }

    @Test
    void truncationRemovesTheTailAndAppendsContinueThere() throws IOException {
        PartitionLog log = logWith(100, LogFixture.smallSegments(1024));
        int segmentsBefore = log.segmentCount();

        log.truncateTo(35);

        assertThat(log.logEndOffset()).isEqualTo(35);
        assertThat(log.segmentCount()).isLessThan(segmentsBefore);
        assertThat(LogFixture.values(LogFixture.readAll(log))).isEqualTo(values(0, 35));
        assertThat(log.leaderEpochs().latestEpoch()).isEqualTo(3);
        for (int i = 35; i < 80; i++) {
            log.append(fixture.batch("v" + i), AppendOrigin.CLIENT, 9);
        }
        assertThat(LogFixture.values(LogFixture.readAll(log))).isEqualTo(values(0, 80));
        log.close();
        PartitionLog reopened = fixture.open(dir, LogFixture.smallSegments(1024));
        assertThat(LogFixture.values(LogFixture.readAll(reopened))).isEqualTo(values(0, 80));
    }

    @Test
    void truncationInsideABatchRemovesTheWholeBatch() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(fixture.batch("a", "b"), AppendOrigin.CLIENT, 0);
        log.append(fixture.batch("c", "d", "e"), AppendOrigin.CLIENT, 0);

        log.truncateTo(3);

        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(LogFixture.values(LogFixture.readAll(log))).containsExactly("a", "b");
    }

    @Test
    void deleteRecordsMovesTheLogStartDurably() throws IOException {
        PartitionLog log = logWith(100, LogFixture.smallSegments(1024));

        assertThat(log.deleteRecordsBefore(42)).isEqualTo(42);

        assertThat(log.logStartOffset()).isEqualTo(42);
        assertThat(log.segmentBaseOffsets().get(0)).isLessThanOrEqualTo(42L);
        assertThat(
                        log.segmentBaseOffsets().size() > 1
                                ? log.segmentBaseOffsets().get(1)
                                : 100L)
                .isGreaterThan(42L);
        assertThat(LogFixture.values(LogFixture.readAll(log))).isEqualTo(values(42, 100));
        assertThat(log.offsetForTimestamp(0)).map(TimestampOffset::offset).hasValue(42L);
        assertThatThrownBy(() -> log.deleteRecordsBefore(101)).isInstanceOf(OffsetOutOfRangeException.class);

        // "Durably": even after an unclean stop the deleted records do not come back.
        PartitionLog reopened = fixture.open(dir, LogFixture.smallSegments(1024));
        assertThat(reopened.logStartOffset()).isEqualTo(42);
        assertThat(LogFixture.values(LogFixture.readAll(reopened))).isEqualTo(values(42, 100));
    }

    @Test
    void timeRetentionDeletesExpiredSegmentsAndKeepsTheRest() throws IOException {
        LogConfig config =
                LogConfig.parse(Map.of("segment.bytes", "1024", "retention.ms", "60000", "file.delete.delay.ms", "0"));
        PartitionLog log = fixture.open(dir, config);
        for (int i = 0; i < 50; i++) {
            log.append(fixture.batch("v" + i), AppendOrigin.CLIENT, 0);
        }
        fixture.clock.advance(30, TimeUnit.SECONDS);
        for (int i = 50; i < 100; i++) {
            log.append(fixture.batch("v" + i), AppendOrigin.CLIENT, 0);
        }
        assertThat(log.applyRetention(fixture.clock.nowMs())).isZero();

        fixture.clock.advance(31, TimeUnit.SECONDS);
        int deleted = log.applyRetention(fixture.clock.nowMs());

        assertThat(deleted).isPositive();
        assertThat(log.logStartOffset()).isGreaterThan(0).isLessThanOrEqualTo(50);
        List<String> kept = LogFixture.values(LogFixture.readAll(log));
        assertThat(kept).containsSequence(values(50, 100));
        await().atMost(5, TimeUnit.SECONDS).until(() -> deletedFiles().isEmpty());
    }

    @Test
    void timeRetentionDeletesAnExpiredActiveSegmentToo() throws IOException {
        LogConfig config = LogConfig.parse(Map.of("retention.ms", "1000", "file.delete.delay.ms", "0"));
        PartitionLog log = fixture.open(dir, config);
        log.append(fixture.batch("a", "b"), AppendOrigin.CLIENT, 0);
        fixture.clock.advance(2, TimeUnit.SECONDS);

        assertThat(log.applyRetention(fixture.clock.nowMs())).isEqualTo(1);

        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.append(fixture.batch("c"), AppendOrigin.CLIENT, 0).firstOffset())
                .isEqualTo(2);
    }

    @Test
    void sizeRetentionKeepsTheLogUnderRetentionBytes() throws IOException {
        LogConfig config = LogConfig.parse(
                Map.of("segment.bytes", "1024", "retention.bytes", "3000", "file.delete.delay.ms", "0"));
        PartitionLog log = fixture.open(dir, config);
        for (int i = 0; i < 200; i++) {
            log.append(fixture.batch("v" + i), AppendOrigin.CLIENT, 0);
        }
        assertThat(log.sizeInBytes()).isGreaterThan(3000);

        log.applyRetention(fixture.clock.nowMs());

        assertThat(log.sizeInBytes()).isLessThanOrEqualTo(3000 + 1024);
        assertThat(log.sizeInBytes()).isGreaterThan(3000 - 1024);
        assertThat(LogFixture.values(LogFixture.readAll(log))).endsWith("v199");
    }

    @Test
    void deletedSegmentsStayReadableUntilTheDeleteDelay() throws IOException {
        LogConfig config = LogConfig.parse(Map.of("segment.bytes", "1024", "file.delete.delay.ms", "60000"));
        PartitionLog log = fixture.open(dir, config);
        for (int i = 0; i < 100; i++) {
            log.append(fixture.batch("v" + i), AppendOrigin.CLIENT, 0);
        }
        LogSlice inFlight = log.read(0, 500, Long.MAX_VALUE, true);

        log.deleteRecordsBefore(60);

        assertThat(deletedFiles()).isNotEmpty();
        assertThat(inFlight.readFully().remaining()).isEqualTo(inFlight.sizeInBytes());
    }

    private List<Path> deletedFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".deleted")).toList();
        }
    }
}
