package io.wharf.protocol.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.ByteBufferOutputStream;

/**
 * What log compaction needs of a stored batch: the key of every record, and the same batch with some records left
 * out. A filtered batch keeps its header (base offset, last offset delta, timestamps, producer id, epoch and base
 * sequence), so its offsets and the producer's sequence range stay as they were, and its records keep their own
 * offset and timestamp deltas, byte for byte. Only the length, the record count and the CRC change, and a
 * compressed batch that loses some but not all of its records is compressed again with its own codec; one that keeps
 * all of them is left as it is.
 *
 * <p>A batch that loses every record can be kept as a header alone ({@link Outcome#EMPTIED}: no records, no
 * compression), which Kafka clients skip; it holds the batch's offset range and producer sequence in the log.
 */
public final class BatchCompaction {

    /** Receives each record's key (positioned slice) and whether its value is null (a tombstone). */
    @FunctionalInterface
    public interface KeyVisitor {
        void visit(long offset, ByteBuffer key, boolean tombstone, long timestamp);
    }

    /** Decides whether a record stays. */
    @FunctionalInterface
    public interface RecordFilter {
        boolean retain(long offset, ByteBuffer key, boolean tombstone, long timestamp);
    }

    /** What filtering did to a batch. */
    public enum Outcome {
        /** Every record stays: the original bytes are kept. */
        UNCHANGED,
        /** Some records stay: {@link Filtered#bytes()} is the rewritten batch. */
        REWRITTEN,
        /** No record stays and the header was asked to: {@link Filtered#bytes()} is the header alone. */
        EMPTIED,
        /** No record stays: the batch goes. */
        REMOVED
    }

    /** A filtered batch: its bytes (positioned at 0) for {@link Outcome#REWRITTEN} and {@link Outcome#EMPTIED}. */
    public record Filtered(Outcome outcome, ByteBuffer bytes, int recordsKept) {}

    private static final int COMPRESSION_MASK = 0x07;

    private BatchCompaction() {}

    /**
     * Visits every record's key in order. A compressed batch is decompressed once.
     *
     * @throws InvalidBatchException when a record is malformed
     */
    public static void forEachKey(BatchView batch, KeyVisitor visitor) {
        ByteBuffer records = recordBytes(batch);
        walk(batch, records, (start, end, offset, key, tombstone, timestamp) -> {
            visitor.visit(offset, key, tombstone, timestamp);
            return true;
        });
    }

    /**
     * The batch without the records {@code filter} does not retain.
     *
     * @param keepHeader keep the header alone when no record stays, rather than removing the batch
     * @throws InvalidBatchException when a record is malformed
     */
    public static Filtered filter(BatchView batch, RecordFilter filter, boolean keepHeader) {
        ByteBuffer records = recordBytes(batch);
        int count = batch.recordCount();
        int[] ranges = new int[Math.max(2, count * 2)];
        int[] kept = {0};
        walk(batch, records, (start, end, offset, key, tombstone, timestamp) -> {
            if (filter.retain(offset, key, tombstone, timestamp)) {
                ranges[kept[0] * 2] = start;
                ranges[kept[0] * 2 + 1] = end;
                kept[0]++;
            }
            return true;
        });
        if (kept[0] == count) {
            return new Filtered(Outcome.UNCHANGED, null, count);
        }
        if (kept[0] == 0 && !keepHeader) {
            return new Filtered(Outcome.REMOVED, null, 0);
        }
        ByteBuffer retained = ByteBuffer.allocate(retainedBytes(ranges, kept[0]));
        for (int i = 0; i < kept[0]; i++) {
            retained.put(records.duplicate().limit(ranges[i * 2 + 1]).position(ranges[i * 2]));
        }
        retained.flip();
        int compression = batch.compressionId();
        if (kept[0] > 0 && compression != 0) {
            retained = compress(compression, retained);
        }
        int attributes = batch.attributes();
        if (kept[0] == 0) {
            attributes &= ~COMPRESSION_MASK;
        }
        ByteBuffer out = ByteBuffer.allocate(BatchView.HEADER_SIZE + retained.remaining());
        out.put(batch.buffer()
                .duplicate()
                .limit(batch.start() + BatchView.HEADER_SIZE)
                .position(batch.start()));
        out.put(retained);
        out.flip();
        out.putInt(BatchView.LENGTH_OFFSET, out.limit() - BatchView.LOG_OVERHEAD);
        out.putShort(BatchView.ATTRIBUTES_OFFSET, (short) attributes);
        out.putInt(BatchView.RECORD_COUNT_OFFSET, kept[0]);
        BatchView view = new BatchView().wrap(out, 0);
        out.putInt(BatchView.CRC_OFFSET, (int) view.computeCrc());
        return new Filtered(kept[0] == 0 ? Outcome.EMPTIED : Outcome.REWRITTEN, out, kept[0]);
    }

    private static int retainedBytes(int[] ranges, int kept) {
        int total = 0;
        for (int i = 0; i < kept; i++) {
            total += ranges[i * 2 + 1] - ranges[i * 2];
        }
        return total;
    }

    /** One record's place in the record bytes, its offset, key and whether it is a tombstone. */
    @FunctionalInterface
    private interface RawVisitor {
        boolean visit(int start, int end, long offset, ByteBuffer key, boolean tombstone, long timestamp);
    }

    /** Walks the uncompressed record bytes of {@code batch}. */
    private static void walk(BatchView batch, ByteBuffer records, RawVisitor visitor) {
        int count = batch.recordCount();
        long baseOffset = batch.baseOffset();
        long baseTimestamp = batch.baseTimestamp();
        boolean logAppendTime = batch.isLogAppendTime();
        int end = records.limit();
        RecordScan.Cursor cursor = new RecordScan.Cursor(records, records.position(), end);
        long previousDelta = -1;
        for (int i = 0; i < count; i++) {
            int start = cursor.position;
            int length = cursor.varint();
            if (length <= 0 || length > end - cursor.position) {
                throw InvalidBatchException.corrupt("Record " + i + " has invalid length " + length);
            }
            int recordEnd = cursor.position + length;
            cursor.limit = recordEnd;
            cursor.skip(1);
            long timestampDelta = cursor.varlong();
            int offsetDelta = cursor.varint();
            if (offsetDelta <= previousDelta || offsetDelta > batch.lastOffsetDelta()) {
                throw InvalidBatchException.invalid("Record " + i + " has offset delta " + offsetDelta);
            }
            previousDelta = offsetDelta;
            int keyLength = cursor.varint();
            int keyPosition = cursor.position;
            cursor.skipBytes(keyLength);
            int valueLength = cursor.varint();
            ByteBuffer key = keyLength < 0 ? null : records.slice(keyPosition, keyLength);
            long timestamp = logAppendTime ? batch.maxTimestamp() : baseTimestamp + timestampDelta;
            cursor.position = recordEnd;
            cursor.limit = end;
            if (!visitor.visit(start, recordEnd, baseOffset + offsetDelta, key, valueLength < 0, timestamp)) {
                return;
            }
        }
    }

    /** The records of the batch, uncompressed: a slice of the batch itself when it is not compressed. */
    private static ByteBuffer recordBytes(BatchView batch) {
        ByteBuffer section = batch.buffer()
                .slice(batch.start() + BatchView.RECORDS_OFFSET, batch.sizeInBytes() - BatchView.RECORDS_OFFSET);
        if (batch.compressionId() == 0) {
            return section;
        }
        try (InputStream in =
                codec(batch.compressionId()).wrapForInput(section, BatchView.MAGIC_V2, BufferSupplier.NO_CACHING)) {
            return ByteBuffer.wrap(in.readAllBytes());
        } catch (IOException e) {
            throw InvalidBatchException.corrupt("Compressed record batch cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            throw InvalidBatchException.corrupt("Compressed record batch cannot be read: " + e.getMessage());
        }
    }

    private static ByteBuffer compress(int compressionId, ByteBuffer records) {
        ByteBufferOutputStream sink = new ByteBufferOutputStream(records.remaining() / 2 + 64);
        try (OutputStream out = codec(compressionId).wrapForOutput(sink, BatchView.MAGIC_V2)) {
            out.write(records.array(), records.arrayOffset() + records.position(), records.remaining());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer written = sink.buffer();
        written.flip();
        return written;
    }

    private static org.apache.kafka.common.compress.Compression codec(int id) {
        return org.apache.kafka.common.compress.Compression.of(CompressionType.forId(id))
                .build();
    }
}
