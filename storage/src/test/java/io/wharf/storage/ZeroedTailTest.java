package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.protocol.record.BatchView;
import io.wharf.storage.segment.LogSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zeroed tail of a busy active segment: zeros written ahead of the appends so that an fsync writes only data.
 * Readers never see it, no segment but the last ever ends in it, and a crash that leaves it behind loses nothing.
 */
class ZeroedTailTest {

    private static final int TAIL = 4096;

    @TempDir
    Path dir;

    private final LogFixture fixture = new LogFixture(TAIL);

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    private static LogConfig config(int segmentBytes) {
        return LogConfig.parse(Map.of(
                "segment.bytes", String.valueOf(segmentBytes),
                "index.interval.bytes", "128",
                "file.delete.delay.ms", "0"));
    }

    /** Appends {@code count} batches of one 100-byte record each, each waiting for its fsync as with acks=all. */
    private List<String> append(PartitionLog log, int from, int count) {
        List<String> values = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String value = String.format("%0100d", i);
            values.add(value);
            log.append(fixture.batch(value), AppendOrigin.CLIENT, 0);
            log.flush(log.logEndOffset()).join();
        }
        return values;
    }

    private static List<String> values(PartitionLog log) {
        return LogFixture.readAll(log).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .toList();
    }

    private Path activeFile(PartitionLog log) {
        List<Long> bases = log.segmentBaseOffsets();
        return dir.resolve(LogSegment.fileName(bases.get(bases.size() - 1), LogSegment.LOG_SUFFIX));
    }

    @Test
    void aBusySegmentKeepsZerosAheadOfItsAppendsThatReadersNeverSee() throws IOException {
        PartitionLog log = fixture.open(dir, config(1 << 20));
        List<String> written = new ArrayList<>(append(log, 0, 60));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Files.size(activeFile(log))).isGreaterThan(log.sizeInBytes()));
        written.addAll(append(log, 60, 60));

        assertThat(values(log)).isEqualTo(written);
        assertThat(log.read(log.logEndOffset(), 1 << 20, Long.MAX_VALUE, true).isEmpty())
                .as("nothing to read past the last batch, zeros or not")
                .isTrue();
    }

    @Test
    void aLogFsyncedRarelyWritesNoZeros() throws IOException {
        PartitionLog log = fixture.open(dir, config(1 << 20));
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 60; i++) {
                log.append(fixture.batch(String.format("%0100d", i)), AppendOrigin.CLIENT, 0);
            }
            log.flush(log.logEndOffset()).join();
            fixture.clock.advanceMs(1_000);
        }

        assertThat(Files.size(activeFile(log))).isEqualTo(log.sizeInBytes());
    }

    @Test
    void onlyTheLastSegmentCanEndInZeros() throws IOException {
        PartitionLog log = fixture.open(dir, config(16 * 1024));
        List<String> written = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            written.addAll(append(log, round * 40, 40));
        }
        List<Long> bases = log.segmentBaseOffsets();
        assertThat(bases).hasSizeGreaterThan(3);

        for (Long base : bases.subList(0, bases.size() - 1)) {
            Path file = dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX));
            assertThat(batchesFillExactly(file))
                    .as("%s holds whole batches and nothing else", file)
                    .isTrue();
        }
        fixture.abandon(log);
        PartitionLog reopened = fixture.open(dir, config(16 * 1024));
        assertThat(reopened.segmentBaseOffsets()).isEqualTo(bases);
        assertThat(reopened.recoveryCases()).doesNotContain(RecoveryCase.SEGMENTS_AFTER_CUT);
        assertThat(values(reopened)).isEqualTo(written);
    }

    /** Whether the file is a sequence of batches (by their length fields) that ends exactly at the end of the file. */
    private static boolean batchesFillExactly(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        int position = 0;
        while (position + BatchView.LOG_OVERHEAD <= bytes.limit()) {
            int length = bytes.getInt(position + Long.BYTES);
            if (length <= 0) {
                return false;
            }
            position += BatchView.LOG_OVERHEAD + length;
        }
        return position == bytes.limit();
    }

    @Test
    void aCrashLeavesTheZerosBehindAndRecoveryCutsThemWithoutLosingABatch() throws IOException {
        PartitionLog log = fixture.open(dir, config(1 << 20));
        List<String> written = new ArrayList<>(append(log, 0, 60));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Files.size(activeFile(log))).isGreaterThan(log.sizeInBytes()));
        written.addAll(append(log, 60, 5));
        long end = log.logEndOffset();
        fixture.abandon(log);

        PartitionLog reopened = fixture.open(dir, config(1 << 20));

        assertThat(reopened.recoveryCases()).contains(RecoveryCase.ZERO_FILLED_TAIL);
        assertThat(reopened.logEndOffset()).isEqualTo(end);
        assertThat(values(reopened)).isEqualTo(written);
        assertThat(Files.size(activeFile(reopened))).isEqualTo(reopened.sizeInBytes());
        reopened.append(fixture.batch("after"), AppendOrigin.CLIENT, 0);
        assertThat(values(reopened)).endsWith("after");
    }

    @Test
    void aCleanCloseCutsTheZerosSoTheNextOpenTrustsTheFile() throws IOException {
        PartitionLog log = fixture.open(dir, config(1 << 20));
        List<String> written = append(log, 0, 60);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Files.size(activeFile(log))).isGreaterThan(log.sizeInBytes()));
        long size = log.sizeInBytes();
        log.close();

        assertThat(Files.size(activeFile(log))).isEqualTo(size);
        PartitionLog reopened = fixture.open(dir, config(1 << 20));
        assertThat(reopened.recoveryCases()).containsExactly(RecoveryCase.CLEAN_SHUTDOWN);
        assertThat(values(reopened)).isEqualTo(written);
    }
}
