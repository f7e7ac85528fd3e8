package io.wharf.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes a client sends, validating them either succeeds or throws {@link InvalidBatchException}: never any
 * other exception, and never a summary that disagrees with the batch header.
 */
class RecordScanFuzzTest {

    @Property(tries = 300)
    void mutatedBatchesFailOnlyWithInvalidBatch(
            @ForAll("batches") ByteBuffer original,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 100_000) Integer> positions,
            @ForAll @Size(min = 8, max = 8) List<@IntRange(min = 0, max = 255) Integer> values) {
        ByteBuffer bytes = ByteBuffer.allocate(original.remaining());
        bytes.put(original.duplicate()).flip();
        for (int i = 0; i < positions.size(); i++) {
            bytes.put(positions.get(i) % bytes.limit(), (byte) (int) values.get(i));
        }
        BatchView batch = new BatchView().wrap(bytes, 0);
        try {
            int size = BatchStructure.check(batch, bytes.remaining());
            assertThat(size).isLessThanOrEqualTo(bytes.remaining());
        } catch (InvalidBatchException e) {
            return;
        }
        // The CRC matched by chance or the flip hit the offset/epoch fields: the records must still be checked.
        try {
            RecordsSummary summary = RecordScan.summarize(batch);
            assertThat(summary.count()).isEqualTo(batch.recordCount());
        } catch (InvalidBatchException expected) {
            // refused with a reason: fine
        }
    }

    @Property(tries = 300)
    void recordWalkOfUncheckedGarbageFailsOnlyWithInvalidBatch(
            @ForAll("batches") ByteBuffer original, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        ByteBuffer bytes = ByteBuffer.allocate(original.remaining());
        bytes.put(original.duplicate()).flip();
        java.util.Random random = new java.util.Random(seed);
        for (int i = BatchView.RECORDS_OFFSET; i < bytes.limit(); i++) {
            if (random.nextInt(4) == 0) {
                bytes.put(i, (byte) random.nextInt(256));
            }
        }
        try {
            RecordScan.summarize(new BatchView().wrap(bytes, 0));
        } catch (InvalidBatchException expected) {
            // refused with a reason: fine
        }
    }

    @Provide
    Arbitrary<ByteBuffer> batches() {
        Arbitrary<byte[]> payloads =
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).injectNull(0.2);
        Arbitrary<Compression> codecs = Arbitraries.of(Compression.NONE, Compression.GZIP, Compression.LZ4);
        return net.jqwik.api.Combinators.combine(
                        codecs,
                        payloads.list().ofMinSize(1).ofMaxSize(6),
                        payloads.list().ofMinSize(6).ofMaxSize(6))
                .as((codec, keys, values) -> {
                    RecordBatchBuilder builder = RecordBatchBuilder.create(codec);
                    for (int i = 0; i < keys.size(); i++) {
                        builder.add(1_000L + i, keys.get(i), values.get(i));
                    }
                    return builder.build();
                });
    }
}
