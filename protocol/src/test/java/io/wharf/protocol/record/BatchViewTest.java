package io.wharf.protocol.record;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BatchViewTest {

    private static ByteBuffer batchOfThree() {
        return RecordBatchBuilder.create()
                .producer(42L, (short) 3, 7)
                .add(1_000L, "k0".getBytes(UTF_8), "v0".getBytes(UTF_8))
                .add(1_005L, null, "v1".getBytes(UTF_8))
                .add(1_002L, "k2".getBytes(UTF_8), null)
                .build();
    }

    @Test
    void readsTheHeaderFieldsTheBuilderWrote() {
        ByteBuffer bytes = batchOfThree();
        BatchView batch = new BatchView().wrap(bytes, 0);

        assertThat(batch.magic()).isEqualTo(BatchView.MAGIC_V2);
        assertThat(batch.sizeInBytes()).isEqualTo(bytes.remaining());
        assertThat(batch.baseOffset()).isZero();
        assertThat(batch.lastOffsetDelta()).isEqualTo(2);
        assertThat(batch.recordCount()).isEqualTo(3);
        assertThat(batch.producerId()).isEqualTo(42L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 3);
        assertThat(batch.baseSequence()).isEqualTo(7);
        assertThat(batch.lastSequence()).isEqualTo(9);
        assertThat(batch.baseTimestamp()).isEqualTo(1_000L);
        assertThat(batch.maxTimestamp()).isEqualTo(1_005L);
        assertThat(batch.isCrcValid()).isTrue();
    }

    @Test
    void patchingOffsetAndEpochKeepsTheCrcValid() {
        BatchView batch = new BatchView().wrap(batchOfThree(), 0);
        batch.setBaseOffset(1_000_000L);
        batch.setPartitionLeaderEpoch(12);

        assertThat(batch.baseOffset()).isEqualTo(1_000_000L);
        assertThat(batch.lastOffset()).isEqualTo(1_000_002L);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(12);
        assertThat(batch.isCrcValid()).isTrue();
    }

    @Test
    void settingLogAppendTimeRewritesTheCrc() {
        BatchView batch = new BatchView().wrap(batchOfThree(), 0);
        batch.setTimestamps(true, 5_000L);

        assertThat(batch.isLogAppendTime()).isTrue();
        assertThat(batch.maxTimestamp()).isEqualTo(5_000L);
        assertThat(batch.isCrcValid()).isTrue();

        batch.setTimestamps(false, 1_005L);
        assertThat(batch.isLogAppendTime()).isFalse();
        assertThat(batch.isCrcValid()).isTrue();
    }

    @Test
    void lastSequenceWrapsAroundLikeProducersDo() {
        ByteBuffer bytes = RecordBatchBuilder.create()
                .producer(1L, (short) 0, Integer.MAX_VALUE)
                .add(1L, null, new byte[1])
                .add(1L, null, new byte[1])
                .build();
        assertThat(new BatchView().wrap(bytes, 0).lastSequence()).isZero();
    }

    @Test
    void structureCheckAcceptsAnIntactBatch() {
        ByteBuffer bytes = batchOfThree();
        assertThat(BatchStructure.check(new BatchView().wrap(bytes, 0), bytes.remaining()))
                .isEqualTo(bytes.remaining());
    }

    @Test
    void structureCheckCallsAFlippedByteCorrupt() {
        ByteBuffer bytes = batchOfThree();
        int last = bytes.limit() - 1;
        bytes.put(last, (byte) (bytes.get(last) ^ 0x40));

        assertThatThrownBy(() -> BatchStructure.check(new BatchView().wrap(bytes, 0), bytes.remaining()))
                .isInstanceOfSatisfying(
                        InvalidBatchException.class,
                        e -> assertThat(e.isCorrupt()).isTrue())
                .hasMessageContaining("CRC");
    }

    @Test
    void structureCheckCallsATruncatedBatchCorrupt() {
        ByteBuffer bytes = batchOfThree();
        assertThatThrownBy(() -> BatchStructure.check(new BatchView().wrap(bytes, 0), bytes.remaining() - 1))
                .isInstanceOfSatisfying(
                        InvalidBatchException.class,
                        e -> assertThat(e.isCorrupt()).isTrue())
                .hasMessageContaining("runs past the end");
        assertThatThrownBy(() -> BatchStructure.check(new BatchView().wrap(bytes, 0), 20))
                .isInstanceOf(InvalidBatchException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void structureCheckRefusesOldMessageFormats() {
        ByteBuffer bytes = batchOfThree();
        bytes.put(BatchView.MAGIC_OFFSET, (byte) 1);

        assertThatThrownBy(() -> BatchStructure.check(new BatchView().wrap(bytes, 0), bytes.remaining()))
                .isInstanceOfSatisfying(
                        InvalidBatchException.class,
                        e -> assertThat(e.isCorrupt()).isFalse())
                .hasMessageContaining("magic 1");
    }

    @Test
    void structureCheckRefusesALengthSmallerThanAHeader() {
        ByteBuffer bytes = batchOfThree();
        bytes.putInt(BatchView.LENGTH_OFFSET, 10);

        assertThatThrownBy(() -> BatchStructure.check(new BatchView().wrap(bytes, 0), bytes.remaining()))
                .isInstanceOf(InvalidBatchException.class)
                .hasMessageContaining("smaller than its header");
    }
}
