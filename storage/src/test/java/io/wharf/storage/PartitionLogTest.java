package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.protocol.record.BatchStructure;
import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.Record;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.protocol.record.RecordReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {

    @TempDir
    Path dir;

    private final LogFixture fixture = new LogFixture();

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    @Test
    void assignsConsecutiveOffsetsAndStampsTheLeaderEpoch() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());

        AppendResult first = log.append(fixture.batch("a", "b"), AppendOrigin.CLIENT, 4);
        AppendResult second = log.append(fixture.batch("c", "d", "e"), AppendOrigin.CLIENT, 4);
        AppendResult third = log.append(fixture.batch("f"), AppendOrigin.CLIENT, 5);

        assertThat(List.of(first.firstOffset(), first.lastOffset())).containsExactly(0L, 1L);
        assertThat(List.of(second.firstOffset(), second.lastOffset())).containsExactly(2L, 4L);
        assertThat(List.of(third.firstOffset(), third.lastOffset())).containsExactly(5L, 5L);
        assertThat(third.recordCount()).isEqualTo(1);
        assertThat(log.logEndOffset()).isEqualTo(6);

        List<Record> records = LogFixture.readAll(log);
        assertThat(LogFixture.values(records)).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(records).extracting(Record::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);

        ByteBuffer stored = log.read(5, 1000, Long.MAX_VALUE, true).readFully();
        assertThat(new BatchView().wrap(stored, 0).partitionLeaderEpoch()).isEqualTo(5);
        assertThat(log.leaderEpochs().entries())
                .extracting(e -> e.epoch() + "@" + e.startOffset())
                .containsExactly("4@0", "5@5");
    }

    @Test
    void storesBatchesByteForByteExceptOffsetAndEpoch() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(fixture.batch("x"), AppendOrigin.CLIENT, 0);
        ByteBuffer produced = fixture.batch("y", "z");
        ByteBuffer copy = ByteBuffer.allocate(produced.remaining())
                .put(produced.duplicate())
                .flip();

        log.append(produced, AppendOrigin.CLIENT, 0);

        ByteBuffer stored = log.read(1, 1000, Long.MAX_VALUE, true).readFully();
        assertThat(stored.remaining()).isEqualTo(copy.remaining());
        for (int i = BatchView.MAGIC_OFFSET; i < copy.remaining(); i++) {
            assertThat(stored.get(i)).as("byte %d", i).isEqualTo(copy.get(i));
        }
        assertThat(new BatchView().wrap(stored, 0).baseOffset()).isEqualTo(1);
    }

    @Test
    void readsWholeBatchesWithinMaxBytes() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        for (int i = 0; i < 10; i++) {
            log.append(fixture.batch("value-" + i), AppendOrigin.CLIENT, 0);
        }
        int batchSize = log.read(0, 1, Long.MAX_VALUE, true).sizeInBytes();

        LogSlice two = log.read(0, batchSize * 2 + batchSize / 2, Long.MAX_VALUE, false);
        assertThat(two.sizeInBytes()).isEqualTo(batchSize * 2);
        assertThat(RecordReader.records(two.readFully())).hasSize(2);

        assertThat(log.read(0, batchSize - 1, Long.MAX_VALUE, false).isEmpty()).isTrue();
        LogSlice atLeastOne = log.read(0, batchSize - 1, Long.MAX_VALUE, true);
        assertThat(atLeastOne.sizeInBytes()).isEqualTo(batchSize);
    }

    @Test
    void readStartsAtTheBatchHoldingTheOffset() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(fixture.batch("a", "b", "c"), AppendOrigin.CLIENT, 0);
        log.append(fixture.batch("d", "e"), AppendOrigin.CLIENT, 0);

        LogSlice slice = log.read(1, 1000, Long.MAX_VALUE, true);

        assertThat(slice.firstOffset()).isZero();
        assertThat(LogFixture.values(RecordReader.records(slice.readFully()))).containsExactly("a", "b", "c", "d", "e");
        assertThat(log.read(3, 1000, Long.MAX_VALUE, true).firstOffset()).isEqualTo(3);
    }

    @Test
    void neverReadsPastTheUpperBound() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(fixture.batch("a", "b"), AppendOrigin.CLIENT, 0);
        log.append(fixture.batch("c", "d"), AppendOrigin.CLIENT, 0);
        log.append(fixture.batch("e"), AppendOrigin.CLIENT, 0);

        assertThat(LogFixture.values(
                        RecordReader.records(log.read(0, 10_000, 4, true).readFully())))
                .containsExactly("a", "b", "c", "d");
        // offset 3 sits inside the second batch, which must not be served whole
        assertThat(LogFixture.values(
                        RecordReader.records(log.read(0, 10_000, 3, true).readFully())))
                .containsExactly("a", "b");
        assertThat(log.read(2, 10_000, 2, true).isEmpty()).isTrue();
        assertThat(log.read(5, 10_000, Long.MAX_VALUE, true).isEmpty()).isTrue();
    }

    @Test
    void readingOutsideTheLogIsOffsetOutOfRange() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(fixture.batch("a", "b", "c"), AppendOrigin.CLIENT, 0);
        log.append(fixture.batch("d"), AppendOrigin.CLIENT, 0);
        log.deleteRecordsBefore(3);

        assertThatThrownBy(() -> log.read(2, 100, Long.MAX_VALUE, true))
                .isInstanceOfSatisfying(OffsetOutOfRangeException.class, e -> {
                    assertThat(e.logStartOffset()).isEqualTo(3);
                    assertThat(e.logEndOffset()).isEqualTo(4);
                    assertThat(e.error()).isEqualTo(LogError.OFFSET_OUT_OF_RANGE);
                });
        assertThatThrownBy(() -> log.read(5, 100, Long.MAX_VALUE, true)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void rollsSegmentsAndReadsAcrossThem() throws IOException {
        PartitionLog log = fixture.open(dir, LogFixture.smallSegments(1024));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String value = "record-" + i;
            expected.add(value);
            log.append(fixture.batch(value), AppendOrigin.CLIENT, 0);
        }

        assertThat(log.segmentCount()).isGreaterThan(10);
        assertThat(LogFixture.values(LogFixture.readAll(log))).isEqualTo(expected);
        for (long offset = 0; offset < 200; offset += 17) {
            assertThat(log.read(offset, 1, Long.MAX_VALUE, true).firstOffset()).isEqualTo(offset);
        }
    }

    @Test
    void rollsWhenTheSegmentIsOlderThanSegmentMs() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.parse(Map.of("segment.ms", "60000")));
        log.append(fixture.batch("a"), AppendOrigin.CLIENT, 0);
        fixture.clock.advance(59, TimeUnit.SECONDS);
        log.append(fixture.batch("b"), AppendOrigin.CLIENT, 0);
        assertThat(log.segmentCount()).isEqualTo(1);

        fixture.clock.advance(2, TimeUnit.SECONDS);
        log.append(fixture.batch("c"), AppendOrigin.CLIENT, 0);
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 2L);
    }

    @Test
    void logAppendTimeReplacesTheProducersTimestamps() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.parse(Map.of("message.timestamp.type", "LogAppendTime")));
        ByteBuffer batch =
                RecordBatchBuilder.create().add(5L, null, "old".getBytes(UTF_8)).build();

        AppendResult result = log.append(batch, AppendOrigin.CLIENT, 0);

        assertThat(result.logAppendTimeMs()).isEqualTo(fixture.clock.nowMs());
        ByteBuffer stored = log.read(0, 1000, Long.MAX_VALUE, true).readFully();
        BatchView view = new BatchView().wrap(stored, 0);
        assertThat(view.isLogAppendTime()).isTrue();
        assertThat(view.maxTimestamp()).isEqualTo(fixture.clock.nowMs());
        assertThat(RecordReader.records(stored).get(0).timestamp()).isEqualTo(fixture.clock.nowMs());
        assertThat(BatchStructure.check(view, stored.remaining())).isEqualTo(stored.remaining());
    }

    @Test
    void correctsAMaxTimestampThatDisagreesWithTheRecords() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        long now = fixture.clock.nowMs();
        ByteBuffer batch = RecordBatchBuilder.create()
                .add(now - 10, null, "a".getBytes(UTF_8))
                .add(now - 5, null, "b".getBytes(UTF_8))
                .build();
        new BatchView().wrap(batch, 0).setTimestamps(false, now - 100);

        log.append(batch, AppendOrigin.CLIENT, 0);

        BatchView stored =
                new BatchView().wrap(log.read(0, 1000, Long.MAX_VALUE, true).readFully(), 0);
        assertThat(stored.maxTimestamp()).isEqualTo(now - 5);
        assertThat(stored.isCrcValid()).isTrue();
    }

    @Test
    void findsOffsetsByTimestampAcrossSegments() throws IOException {
        PartitionLog log = fixture.open(dir, LogFixture.smallSegments(600));
        long base = fixture.clock.nowMs();
        for (int i = 0; i < 60; i++) {
            ByteBuffer batch = RecordBatchBuilder.create()
                    .add(base + i * 10L, null, ("v" + i).getBytes(UTF_8))
                    .add(base + i * 10L + 5, null, ("w" + i).getBytes(UTF_8))
                    .build();
            log.append(batch, AppendOrigin.CLIENT, 2);
        }
        assertThat(log.segmentCount()).isGreaterThan(3);

        assertThat(log.offsetForTimestamp(base)).hasValueSatisfying(found -> {
            assertThat(found.offset()).isZero();
            assertThat(found.leaderEpoch()).isEqualTo(2);
        });
        assertThat(log.offsetForTimestamp(base + 203)).hasValueSatisfying(found -> {
            assertThat(found.offset()).isEqualTo(41);
            assertThat(found.timestamp()).isEqualTo(base + 205);
        });
        assertThat(log.offsetForTimestamp(base + 590))
                .map(TimestampOffset::offset)
                .hasValue(118L);
        assertThat(log.offsetForTimestamp(base + 596)).isEmpty();
        assertThat(log.maxTimestampOffset()).map(TimestampOffset::offset).hasValue(119L);
    }

    @Test
    void maxTimestampIsTheFirstRecordHoldingIt() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        long now = fixture.clock.nowMs();
        log.append(
                RecordBatchBuilder.create()
                        .add(now - 50, null, new byte[1])
                        .add(now - 10, null, new byte[1])
                        .add(now - 30, null, new byte[1])
                        .build(),
                AppendOrigin.CLIENT,
                0);
        log.append(
                RecordBatchBuilder.create()
                        .add(now - 20, null, new byte[1])
                        .add(now - 10, null, new byte[1])
                        .build(),
                AppendOrigin.CLIENT,
                0);

        assertThat(log.maxTimestampOffset()).hasValueSatisfying(found -> {
            assertThat(found.offset()).isEqualTo(1);
            assertThat(found.timestamp()).isEqualTo(now - 10);
        });
    }

    @Test
    void cleanReopenKeepsEverythingAndRecoversNothing() throws IOException {
        PartitionLog log = fixture.open(dir, LogFixture.smallSegments(2048));
        for (int i = 0; i < 100; i++) {
            log.append(fixture.batch("v" + i, "w" + i), AppendOrigin.CLIENT, 1);
        }
        List<Record> before = LogFixture.readAll(log);
        log.close();

        PartitionLog reopened = fixture.open(dir, LogFixture.smallSegments(2048));

        assertThat(reopened.recoveryCases()).containsExactly(RecoveryCase.CLEAN_SHUTDOWN);
        assertThat(reopened.logEndOffset()).isEqualTo(200);
        assertThat(LogFixture.values(LogFixture.readAll(reopened))).isEqualTo(LogFixture.values(before));
        reopened.append(fixture.batch("after"), AppendOrigin.CLIENT, 1);
        assertThat(reopened.logEndOffset()).isEqualTo(201);
        assertThat(reopened.read(150, 1, Long.MAX_VALUE, true).firstOffset()).isEqualTo(150);
    }

    @Test
    void highWatermarkStaysWithinTheLog() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(fixture.batch("a", "b"), AppendOrigin.CLIENT, 0);

        log.updateHighWatermark(10);
        assertThat(log.highWatermark()).isEqualTo(2);
        log.updateHighWatermark(-5);
        assertThat(log.highWatermark()).isZero();
    }

    @Test
    void replicatedBatchesKeepTheLeadersOffsetsAndEpochs() throws IOException {
        PartitionLog leader = fixture.open(dir.resolve("leader"), LogConfig.defaults());
        leader.append(fixture.batch("a", "b"), AppendOrigin.CLIENT, 3);
        leader.append(fixture.batch("c"), AppendOrigin.CLIENT, 7);
        PartitionLog follower = fixture.open(dir.resolve("follower"), LogConfig.defaults());

        ByteBuffer fetched = leader.read(0, 10_000, Long.MAX_VALUE, true).readFully();
        AppendResult result = follower.append(fetched, AppendOrigin.REPLICATION, -1);

        assertThat(result.firstOffset()).isZero();
        assertThat(result.lastOffset()).isEqualTo(2);
        assertThat(follower.logEndOffset()).isEqualTo(3);
        assertThat(follower.leaderEpochs().entries())
                .extracting(e -> e.epoch() + "@" + e.startOffset())
                .containsExactly("3@0", "7@2");
        assertThatThrownBy(() -> follower.append(
                        leader.read(0, 10_000, Long.MAX_VALUE, true).readFully(), AppendOrigin.REPLICATION, -1))
                .isInstanceOf(LogException.class)
                .hasMessageContaining("below the log end");
    }
}
