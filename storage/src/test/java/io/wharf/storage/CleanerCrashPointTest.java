package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.protocol.record.Compression;
import io.wharf.protocol.record.Record;
import io.wharf.storage.segment.LogSegment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A swap of cleaned segments stopped after each of its steps, as a crash there would stop it: the log reopens with
 * either the old segments or the cleaned ones (never both, never neither), serves every offset as appended or not at
 * all, and keeps the latest value of every key.
 */
class CleanerCrashPointTest {

    static final LogConfig CONFIG = CleanerFixture.compacted(1024);

    @TempDir
    Path dir;

    private final LogFixture fixture = new LogFixture();

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    /** A compacted log of 30 rounds over 4 keys, cleanable. */
    static List<Record> writeDirtyLog(LogFixture fixture, PartitionLog log) throws Exception {
        for (int round = 0; round < 30; round++) {
            log.append(
                    CleanerFixture.keyed(
                            fixture.clock.nowMs(),
                            Compression.NONE,
                            "a",
                            "a" + round,
                            "b",
                            "b" + round,
                            "c",
                            round % 3 == 0 ? null : "c" + round,
                            "d" + (round % 5),
                            "v" + round),
                    AppendOrigin.CLIENT,
                    0);
        }
        CleanerFixture.commitAll(log);
        return LogFixture.readAll(log);
    }

    /**
     * Makes the next swap of {@code log} fail after {@code step}, runs a pass, abandons the log as a crash would and
     * reopens it.
     */
    static PartitionLog crashAfter(LogFixture fixture, Path dir, PartitionLog log, CleanerSwap.Step step)
            throws IOException {
        log.injectSwapFaults(reached -> {
            if (reached == step) {
                throw new IOException("crash after " + step);
            }
        });
        assertThatThrownBy(() -> CleanerFixture.clean(log, fixture.clock, 1 << 20))
                .isInstanceOf(LogException.class);
        log.abandon();
        fixture.abandon(log);
        return fixture.open(dir, CONFIG);
    }

    @ParameterizedTest
    @EnumSource(CleanerSwap.Step.class)
    void aSwapStoppedAfterAnyStepLeavesTheOldSegmentsOrTheNew(CleanerSwap.Step step) throws Exception {
        PartitionLog log = fixture.open(dir, CONFIG);
        List<Record> before = writeDirtyLog(fixture, log);
        List<Long> basesBefore = log.segmentBaseOffsets();

        PartitionLog reopened = crashAfter(fixture, dir, log, step);

        List<Record> after = LogFixture.readAll(reopened);
        LogCleanerTest.assertServedAsAppended(before, after);
        assertThat(CleanerFixture.latest(after)).isEqualTo(CleanerFixture.latest(before));
        assertThat(reopened.logEndOffset()).isEqualTo(log.logEndOffset());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(LogSegment.CLEANED_SUFFIX) || name.equals(CleanerSwap.MANIFEST));
        }
        boolean decided = step != CleanerSwap.Step.CLEANED_WRITTEN;
        if (decided) {
            assertThat(after).as("the cleaned segment replaced the old ones").hasSizeLessThan(before.size());
        } else {
            assertThat(after).hasSameSizeAs(before);
            assertThat(reopened.segmentBaseOffsets()).isEqualTo(basesBefore);
        }
        RecoveryCase expected = switch (step) {
            case CLEANED_WRITTEN -> RecoveryCase.CLEANER_SWAP_ROLLED_BACK;
            case MANIFEST_DELETED -> null;
            default -> RecoveryCase.CLEANER_SWAP_COMPLETED;
        };
        if (expected != null) {
            assertThat(reopened.recoveryCases()).contains(expected);
        }
        // The reopened log cleans on as if nothing had happened.
        reopened.updateHighWatermark(reopened.logEndOffset());
        CleanerFixture.clean(reopened, fixture.clock, 1 << 20);
        assertThat(CleanerFixture.latest(LogFixture.readAll(reopened))).isEqualTo(CleanerFixture.latest(before));
    }

    @ParameterizedTest
    @EnumSource(CleanerSwap.Step.class)
    void aLogWithoutItsStateFileStillOpensWholeAfterASwap(CleanerSwap.Step step) throws Exception {
        PartitionLog log = fixture.open(dir, CONFIG);
        List<Record> before = writeDirtyLog(fixture, log);
        crashAfter(fixture, dir, log, step).close();
        Files.delete(dir.resolve("partition.state"));

        PartitionLog reopened = fixture.open(dir, CONFIG);

        assertThat(reopened.recoveryCases()).doesNotContain(RecoveryCase.SEGMENTS_AFTER_CUT);
        assertThat(CleanerFixture.latest(LogFixture.readAll(reopened))).isEqualTo(CleanerFixture.latest(before));
        assertThat(reopened.logEndOffset()).isEqualTo(log.logEndOffset());
    }
}
