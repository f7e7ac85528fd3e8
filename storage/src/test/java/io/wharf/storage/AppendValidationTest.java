package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refused append names its Kafka error and changes neither the log nor the caller's bytes. */
class AppendValidationTest {

    @TempDir
    Path dir;

    private final LogFixture fixture = new LogFixture();
    private PartitionLog log;

    @BeforeEach
    void setUp() throws IOException {
        log = fixture.open(dir, LogConfig.parse(Map.of("max.message.bytes", "2000", "segment.bytes", "100000")));
        log.append(fixture.batch("existing"), AppendOrigin.CLIENT, 0);
    }

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    private void assertRefused(ByteBuffer batch, LogError error, String messagePart) throws IOException {
        assertRefused(log, batch, error, messagePart);
    }

    private void assertRefused(PartitionLog target, ByteBuffer batch, LogError error, String messagePart)
            throws IOException {
        byte[] before = new byte[batch.remaining()];
        batch.duplicate().get(before);
        long endBefore = target.logEndOffset();
        long sizeBefore = Files.size(target.dir().resolve("00000000000000000000.log"));

        assertThatThrownBy(() -> target.append(batch, AppendOrigin.CLIENT, 0))
                .isInstanceOfSatisfying(
                        LogException.class, e -> assertThat(e.error()).isEqualTo(error))
                .hasMessageContaining(messagePart);

        byte[] after = new byte[batch.remaining()];
        batch.duplicate().get(after);
        assertThat(after).isEqualTo(before);
        assertThat(target.logEndOffset()).isEqualTo(endBefore);
        assertThat(Files.size(target.dir().resolve("00000000000000000000.log"))).isEqualTo(sizeBefore);
    }

    @Test
    void aFlippedByteIsCorruptMessage() throws IOException {
        ByteBuffer batch = fixture.batch("a", "b");
        batch.put(batch.limit() - 2, (byte) (batch.get(batch.limit() - 2) ^ 1));
        assertRefused(batch, LogError.CORRUPT_MESSAGE, "CRC");
    }

    @Test
    void aTruncatedBatchIsCorruptMessage() throws IOException {
        ByteBuffer batch = fixture.batch("a", "b");
        batch.limit(batch.limit() - 3);
        assertRefused(batch, LogError.CORRUPT_MESSAGE, "runs past the end");
    }

    @Test
    void aBatchLargerThanMaxMessageBytesIsMessageTooLarge() throws IOException {
        ByteBuffer batch = RecordBatchBuilder.create()
                .add(fixture.clock.nowMs(), null, new byte[3000])
                .build();
        assertRefused(batch, LogError.MESSAGE_TOO_LARGE, "max.message.bytes=2000");
    }

    @Test
    void anAppendLargerThanASegmentIsRecordListTooLarge() throws IOException {
        PartitionLog tiny = fixture.open(dir.resolve("tiny"), LogConfig.parse(Map.of("segment.bytes", "100")));
        tiny.append(fixture.batch("x"), AppendOrigin.CLIENT, 0);
        ByteBuffer batch = RecordBatchBuilder.create()
                .add(fixture.clock.nowMs(), null, new byte[200])
                .build();
        assertRefused(tiny, batch, LogError.RECORD_LIST_TOO_LARGE, "segment.bytes=100");
    }

    @Test
    void aCountThatDisagreesWithTheOffsetsIsInvalidRecord() throws IOException {
        ByteBuffer batch = fixture.batch("a", "b");
        batch.putInt(BatchView.LAST_OFFSET_DELTA_OFFSET, 5);
        rewriteCrc(batch);
        assertRefused(batch, LogError.INVALID_RECORD, "last offset delta of 5");
    }

    @Test
    void aControlBatchFromAClientIsInvalidRecord() throws IOException {
        ByteBuffer batch = fixture.batch("a");
        batch.putShort(BatchView.ATTRIBUTES_OFFSET, (short) 0x20);
        rewriteCrc(batch);
        assertRefused(batch, LogError.INVALID_RECORD, "control");
    }

    @Test
    void twoBatchesInOneClientAppendAreInvalidRecord() throws IOException {
        ByteBuffer first = fixture.batch("a");
        ByteBuffer second = fixture.batch("b");
        ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining());
        both.put(first).put(second).flip();
        assertRefused(both, LogError.INVALID_RECORD, "exactly one record batch");
    }

    @Test
    void anEmptyAppendIsInvalidRecord() throws IOException {
        assertRefused(ByteBuffer.allocate(0), LogError.INVALID_RECORD, "no record batch");
    }

    @Test
    void anOldMessageFormatIsInvalidRecord() throws IOException {
        ByteBuffer batch = fixture.batch("a");
        batch.put(BatchView.MAGIC_OFFSET, (byte) 1);
        assertRefused(batch, LogError.INVALID_RECORD, "magic 1");
    }

    @Test
    void aProducerIdWithoutSequenceIsInvalidRecord() throws IOException {
        ByteBuffer batch = LogFixture.idempotentBatch(9, (short) 0, 0, fixture.clock.nowMs(), "a");
        batch.putInt(BatchView.BASE_SEQUENCE_OFFSET, -1);
        rewriteCrc(batch);
        assertRefused(batch, LogError.INVALID_RECORD, "no sequence number");
    }

    @Test
    void timestampsTooFarFromTheBrokersTimeAreInvalidTimestamp() throws IOException {
        PartitionLog strict = fixture.open(
                dir.resolve("strict"),
                LogConfig.parse(
                        Map.of("message.timestamp.before.max.ms", "60000", "message.timestamp.after.max.ms", "1000")));
        strict.append(fixture.batch("x"), AppendOrigin.CLIENT, 0);
        long now = fixture.clock.nowMs();

        ByteBuffer old =
                RecordBatchBuilder.create().add(now - 61_000, null, new byte[1]).build();
        assertRefused(strict, old, LogError.INVALID_TIMESTAMP, "before.max.ms=60000");
        ByteBuffer future =
                RecordBatchBuilder.create().add(now + 2_000, null, new byte[1]).build();
        assertRefused(strict, future, LogError.INVALID_TIMESTAMP, "after.max.ms=1000");

        fixture.clock.advance(1, TimeUnit.SECONDS);
        assertThat(strict.append(future, AppendOrigin.CLIENT, 0).firstOffset()).isEqualTo(1);
    }

    @Test
    void aRecordWithoutKeyInACompactedTopicIsInvalidRecord() throws IOException {
        PartitionLog compacted =
                fixture.open(dir.resolve("compacted"), LogConfig.parse(Map.of("cleanup.policy", "compact")));
        compacted.append(fixture.batch("keyed"), AppendOrigin.CLIENT, 0);
        ByteBuffer keyless = RecordBatchBuilder.create()
                .add(fixture.clock.nowMs(), null, "v".getBytes(UTF_8))
                .build();
        assertRefused(compacted, keyless, LogError.INVALID_RECORD, "with a key");
    }

    private static void rewriteCrc(ByteBuffer batch) {
        // setTimestamps rewrites the CRC over the current bytes without changing anything else
        BatchView view = new BatchView().wrap(batch, 0);
        view.setTimestamps(view.isLogAppendTime(), view.maxTimestamp());
    }
}
