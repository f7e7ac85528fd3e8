package io.wharf.protocol.record;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordScanTest {

    @ParameterizedTest
    @EnumSource(Compression.class)
    void summarizesEveryCodec(Compression compression) {
        ByteBuffer bytes = RecordBatchBuilder.create(compression)
                .add(100L, "a".getBytes(UTF_8), "1".getBytes(UTF_8))
                .add(300L, null, "2".getBytes(UTF_8), List.of(new Record.Header("h", "x".getBytes(UTF_8))))
                .add(200L, "c".getBytes(UTF_8), null)
                .build();
        BatchView batch = new BatchView().wrap(bytes, 0);
        assertThat(batch.compressionId()).isEqualTo(compression.id());

        RecordsSummary summary = RecordScan.summarize(batch);

        assertThat(summary.count()).isEqualTo(3);
        assertThat(summary.maxTimestamp()).isEqualTo(300L);
        assertThat(summary.offsetDeltaOfMaxTimestamp()).isEqualTo(1);
        assertThat(summary.minTimestamp()).isEqualTo(100L);
        assertThat(summary.hasNullKey()).isTrue();
        assertThat(RecordScan.firstOffsetDeltaAtOrAfter(batch, 150L)).isEqualTo(1);
        assertThat(RecordScan.firstOffsetDeltaAtOrAfter(batch, 301L)).isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void showsEachRecordsHeadersBeforeTheRecord(Compression compression) {
        ByteBuffer bytes = RecordBatchBuilder.create(compression)
                .add(1L, null, "1".getBytes(UTF_8), List.of(new Record.Header("a", "x".getBytes(UTF_8))))
                .add(2L, null, "2".getBytes(UTF_8))
                .add(
                        3L,
                        null,
                        "3".getBytes(UTF_8),
                        List.of(new Record.Header("b", null), new Record.Header("c", "yz".getBytes(UTF_8))))
                .build();
        List<String> seen = new ArrayList<>();
        RecordScan.forEachRecord(new BatchView().wrap(bytes, 0), new RecordScan.RecordVisitor() {
            @Override
            public boolean wantsHeaders() {
                return true;
            }

            @Override
            public void header(ByteBuffer key, ByteBuffer value) {
                seen.add(UTF_8.decode(key) + "=" + (value == null ? "null" : UTF_8.decode(value)));
            }

            @Override
            public boolean visit(int offsetDelta, long timestamp, int keyLength) {
                seen.add("record " + offsetDelta);
                return true;
            }
        });
        assertThat(seen).containsExactly("a=x", "record 0", "record 1", "b=null", "c=yz", "record 2");
    }

    @Test
    void refusesARecordWhoseLengthDisagreesWithItsFields() {
        ByteBuffer bytes = RecordBatchBuilder.create()
                .add(1L, "key".getBytes(UTF_8), "value".getBytes(UTF_8))
                .build();
        // The first record's length varint sits right after the header; 0x0a would claim 5 bytes.
        bytes.put(BatchView.RECORDS_OFFSET, (byte) 0x0a);

        assertThatThrownBy(() -> RecordScan.summarize(new BatchView().wrap(bytes, 0)))
                .isInstanceOf(InvalidBatchException.class);
    }

    @Test
    void refusesOffsetDeltasThatSkip() {
        ByteBuffer bytes = RecordBatchBuilder.create()
                .add(1L, null, new byte[] {1})
                .add(1L, null, new byte[] {2})
                .build();
        // A record starts with its length, attributes and timestamp delta (one byte each here), then the offset
        // delta as a zig-zag varint: rewrite the second record's delta from 1 (0x02) to 3 (0x06).
        int first = BatchView.RECORDS_OFFSET;
        int second = first + 1 + (bytes.get(first) >> 1);
        bytes.put(second + 3, (byte) 6);

        assertThatThrownBy(() -> RecordScan.summarize(new BatchView().wrap(bytes, 0)))
                .isInstanceOfSatisfying(
                        InvalidBatchException.class,
                        e -> assertThat(e.isCorrupt()).isFalse())
                .hasMessageContaining("offset delta 3");
    }

    @Test
    void readsBackWhatTheBuilderWrote() {
        ByteBuffer bytes = RecordBatchBuilder.create(Compression.LZ4)
                .add(5L, "k".getBytes(UTF_8), "v".getBytes(UTF_8), List.of(new Record.Header("h", null)))
                .add(6L, null, null)
                .build();

        List<Record> records = RecordReader.records(bytes);

        assertThat(records).hasSize(2);
        assertThat(records.get(0).key()).asString(UTF_8).isEqualTo("k");
        assertThat(records.get(0).value()).asString(UTF_8).isEqualTo("v");
        assertThat(records.get(0).headers()).singleElement().satisfies(h -> {
            assertThat(h.key()).isEqualTo("h");
            assertThat(h.value()).isNull();
        });
        assertThat(records.get(1).offset()).isEqualTo(1L);
        assertThat(records.get(1).key()).isNull();
        assertThat(records.get(1).timestamp()).isEqualTo(6L);
    }
}
