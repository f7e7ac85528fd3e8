package io.wharf.protocol.record;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BatchCompactionTest {

    /** A batch of records k0=v0, k1=null (a tombstone), k2=v2, k3=v3 at offsets 100..103, by a producer. */
    private static BatchView batch(Compression compression) {
        ByteBuffer bytes = RecordBatchBuilder.create(compression)
                .producer(9L, (short) 2, 40)
                .add(1_000, "k0".getBytes(UTF_8), "v0".getBytes(UTF_8))
                .add(1_001, "k1".getBytes(UTF_8), null)
                .add(1_002, "k2".getBytes(UTF_8), "v2".getBytes(UTF_8))
                .add(1_003, "k3".getBytes(UTF_8), "v3".getBytes(UTF_8))
                .build();
        BatchView view = new BatchView().wrap(bytes, 0);
        view.setBaseOffset(100);
        return view;
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void visitsEveryKeyWithItsOffsetAndWhetherItIsATombstone(Compression compression) {
        List<String> seen = new ArrayList<>();

        BatchCompaction.forEachKey(
                batch(compression),
                (offset, key, tombstone, timestamp) ->
                        seen.add(offset + ":" + UTF_8.decode(key) + ":" + tombstone + ":" + timestamp));

        assertThat(seen)
                .containsExactly("100:k0:false:1000", "101:k1:true:1001", "102:k2:false:1002", "103:k3:false:1003");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void aFilteredBatchKeepsItsHeaderOffsetsAndCodec(Compression compression) {
        BatchView original = batch(compression);

        BatchCompaction.Filtered filtered = BatchCompaction.filter(
                original, (offset, key, tombstone, timestamp) -> offset == 101 || offset == 103, false);

        assertThat(filtered.outcome()).isEqualTo(BatchCompaction.Outcome.REWRITTEN);
        BatchView view = new BatchView().wrap(filtered.bytes(), 0);
        assertThat(BatchStructure.check(view, filtered.bytes().limit()))
                .isEqualTo(filtered.bytes().limit());
        assertThat(view.baseOffset()).isEqualTo(100);
        assertThat(view.lastOffset()).isEqualTo(103);
        assertThat(view.recordCount()).isEqualTo(2);
        assertThat(view.compressionId()).isEqualTo(compression.id());
        assertThat(view.producerId()).isEqualTo(9L);
        assertThat(view.producerEpoch()).isEqualTo((short) 2);
        assertThat(view.baseSequence()).isEqualTo(40);
        assertThat(view.lastSequence()).isEqualTo(43);
        List<Record> records = RecordReader.records(filtered.bytes());
        assertThat(records).extracting(Record::offset).containsExactly(101L, 103L);
        assertThat(records.get(0).value()).isNull();
        assertThat(new String(records.get(1).value(), UTF_8)).isEqualTo("v3");
        assertThat(records).extracting(Record::timestamp).containsExactly(1_001L, 1_003L);
        RecordScan.forEachRecord(view, (delta, ts, keyLength) -> true);
    }

    @Test
    void aBatchThatKeepsEverythingIsLeftAlone() {
        BatchCompaction.Filtered filtered =
                BatchCompaction.filter(batch(Compression.LZ4), (offset, key, tombstone, timestamp) -> true, true);

        assertThat(filtered.outcome()).isEqualTo(BatchCompaction.Outcome.UNCHANGED);
        assertThat(filtered.bytes()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void aBatchThatLosesEverythingGoesOrBecomesABareHeader(Compression compression) {
        BatchView original = batch(compression);

        assertThat(BatchCompaction.filter(original, (o, k, t, ts) -> false, false)
                        .outcome())
                .isEqualTo(BatchCompaction.Outcome.REMOVED);
        BatchCompaction.Filtered emptied = BatchCompaction.filter(original, (o, k, t, ts) -> false, true);

        assertThat(emptied.outcome()).isEqualTo(BatchCompaction.Outcome.EMPTIED);
        BatchView view = new BatchView().wrap(emptied.bytes(), 0);
        assertThat(emptied.bytes().limit()).isEqualTo(BatchView.HEADER_SIZE);
        assertThat(view.isCrcValid()).isTrue();
        assertThat(view.recordCount()).isZero();
        assertThat(view.compressionId()).isZero();
        assertThat(view.lastOffset()).isEqualTo(103);
        assertThat(RecordReader.records(emptied.bytes())).isEmpty();
    }
}
