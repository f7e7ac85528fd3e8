package io.wharf.protocol.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * Walks the records inside one batch, checking that they are well formed: record lengths that add up to the batch,
 * offset deltas 0, 1, 2, … matching the record count, and headers that fit. Uncompressed batches are read in place
 * with no allocation (a visitor that wants headers gets slices of the batch); compressed ones are decompressed by
 * kafka-clients' codecs (keys and values are skipped unless headers are wanted).
 *
 * <pre>
 * record (varints are zig-zag encoded)
 *   length          varint   bytes that follow
 *   attributes      int8
 *   timestampDelta  varlong  from the batch's baseTimestamp
 *   offsetDelta     varint   from the batch's baseOffset
 *   keyLength       varint   -1 for no key
 *   key             bytes
 *   valueLength     varint   -1 for no value
 *   value           bytes
 *   headerCount     varint
 *   headers         (keyLength varint, key, valueLength varint, value) * headerCount
 * </pre>
 */
public final class RecordScan {

    /** Receives each record's metadata; returns false to stop the walk early. */
    @FunctionalInterface
    public interface RecordVisitor {
        boolean visit(int offsetDelta, long timestamp, int keyLength);

        /** Whether {@link #header} should see each record's headers; walks without them are cheaper. */
        default boolean wantsHeaders() {
            return false;
        }

        /**
         * One header of the record that {@link #visit} reports next.
         *
         * @param key the header's key bytes, positioned at their start
         * @param value the header's value bytes, or null for a null value
         */
        default void header(ByteBuffer key, ByteBuffer value) {}
    }

    private RecordScan() {}

    /** Checks every record of the batch and summarizes them. The batch's CRC must already have been checked. */
    public static RecordsSummary summarize(BatchView batch) {
        Summarizer summarizer = new Summarizer();
        forEachRecord(batch, summarizer, true);
        return new RecordsSummary(
                summarizer.count,
                summarizer.maxTimestamp,
                summarizer.offsetDeltaOfMax,
                summarizer.minTimestamp,
                summarizer.hasNullKey);
    }

    /**
     * The offset delta of the first record whose timestamp is at least {@code timestamp}, or -1 when there is none.
     */
    public static int firstOffsetDeltaAtOrAfter(BatchView batch, long timestamp) {
        int[] found = {-1};
        forEachRecord(batch, (delta, ts, keyLength) -> {
            if (ts >= timestamp) {
                found[0] = delta;
                return false;
            }
            return true;
        });
        return found[0];
    }

    /**
     * Visits every record of a stored batch in order. A compacted batch may have gaps between its offset deltas, which
     * must still increase and stay within the last offset delta.
     *
     * @throws InvalidBatchException when a record is malformed
     */
    public static void forEachRecord(BatchView batch, RecordVisitor visitor) {
        forEachRecord(batch, visitor, false);
    }

    /** Visits every record; {@code contiguous} also asks for the deltas 0, 1, 2, … that a producer writes. */
    private static void forEachRecord(BatchView batch, RecordVisitor visitor, boolean contiguous) {
        if (batch.compressionId() == 0) {
            walkUncompressed(batch, visitor, contiguous);
        } else {
            walkCompressed(batch, visitor, contiguous);
        }
    }

    /** Checks the offset delta of the {@code index}th record against the one before it. */
    private static void checkDelta(BatchView batch, long delta, int index, long previous, boolean contiguous) {
        boolean valid = contiguous ? delta == index : delta > previous && delta <= batch.lastOffsetDelta();
        if (!valid) {
            throw InvalidBatchException.invalid("Record " + index + " has offset delta " + delta + "; expected "
                    + (contiguous ? String.valueOf(index) : "more than " + previous));
        }
    }

    private static void walkUncompressed(BatchView batch, RecordVisitor visitor, boolean contiguous) {
        ByteBuffer buffer = batch.buffer();
        int end = batch.start() + batch.sizeInBytes();
        int count = batch.recordCount();
        long baseTimestamp = batch.baseTimestamp();
        boolean logAppendTime = batch.isLogAppendTime();
        long appendTime = batch.maxTimestamp();
        Cursor cursor = new Cursor(buffer, batch.start() + BatchView.RECORDS_OFFSET, end);
        int previousDelta = -1;
        for (int i = 0; i < count; i++) {
            int length = cursor.varint();
            if (length <= 0 || length > end - cursor.position) {
                throw InvalidBatchException.corrupt("Record " + i + " has invalid length " + length);
            }
            int recordEnd = cursor.position + length;
            cursor.limit = recordEnd;
            cursor.skip(1); // attributes: unused in magic 2
            long timestampDelta = cursor.varlong();
            long timestamp = logAppendTime ? appendTime : baseTimestamp + timestampDelta;
            int offsetDelta = cursor.varint();
            checkDelta(batch, offsetDelta, i, previousDelta, contiguous);
            previousDelta = offsetDelta;
            int keyLength = cursor.varint();
            cursor.skipBytes(keyLength);
            cursor.skipBytes(cursor.varint());
            int headers = cursor.varint();
            if (headers < 0) {
                throw InvalidBatchException.invalid("Record " + i + " has negative header count " + headers);
            }
            for (int h = 0; h < headers; h++) {
                int headerKeyLength = cursor.varint();
                if (headerKeyLength < 0) {
                    throw InvalidBatchException.invalid("Record " + i + " has a header with a null key");
                }
                int keyPosition = cursor.position;
                cursor.skipBytes(headerKeyLength);
                int valueLength = cursor.varint();
                int valuePosition = cursor.position;
                cursor.skipBytes(valueLength);
                if (visitor.wantsHeaders()) {
                    visitor.header(
                            buffer.slice(keyPosition, headerKeyLength),
                            valueLength < 0 ? null : buffer.slice(valuePosition, valueLength));
                }
            }
            if (cursor.position != recordEnd) {
                throw InvalidBatchException.corrupt("Record " + i + " declares " + length + " bytes but holds "
                        + (cursor.position - (recordEnd - length)));
            }
            cursor.limit = end;
            if (!visitor.visit(offsetDelta, timestamp, keyLength)) {
                return;
            }
        }
        if (cursor.position != end) {
            throw InvalidBatchException.corrupt(
                    "Record batch declares " + count + " records but has " + (end - cursor.position) + " bytes more");
        }
    }

    private static void walkCompressed(BatchView batch, RecordVisitor visitor, boolean contiguous) {
        ByteBuffer slice = batch.buffer().duplicate();
        slice.limit(batch.start() + batch.sizeInBytes()).position(batch.start());
        long baseOffset = batch.baseOffset();
        int expected = batch.recordCount();
        int seen = 0;
        long previousDelta = -1;
        try {
            Iterator<MutableRecordBatch> batches =
                    MemoryRecords.readableRecords(slice.slice()).batches().iterator();
            MutableRecordBatch kafkaBatch = batches.next();
            if (!(kafkaBatch instanceof DefaultRecordBatch v2Batch)) {
                throw InvalidBatchException.invalid("Only message format v2 is supported");
            }
            try (CloseableIterator<Record> records = visitor.wantsHeaders()
                    ? v2Batch.streamingIterator(BufferSupplier.NO_CACHING)
                    : v2Batch.skipKeyValueIterator(BufferSupplier.NO_CACHING)) {
                while (records.hasNext()) {
                    Record record = records.next();
                    if (visitor.wantsHeaders()) {
                        for (Header header : record.headers()) {
                            byte[] value = header.value();
                            visitor.header(
                                    ByteBuffer.wrap(header.key().getBytes(StandardCharsets.UTF_8)),
                                    value == null ? null : ByteBuffer.wrap(value));
                        }
                    }
                    long delta = record.offset() - baseOffset;
                    checkDelta(batch, delta, seen, previousDelta, contiguous);
                    previousDelta = delta;
                    seen++;
                    if (!visitor.visit((int) delta, record.timestamp(), record.hasKey() ? record.keySize() : -1)) {
                        return;
                    }
                }
            }
        } catch (InvalidBatchException e) {
            throw e;
        } catch (RuntimeException e) {
            throw InvalidBatchException.corrupt("Compressed record batch cannot be read: " + e.getMessage());
        }
        if (seen != expected) {
            throw InvalidBatchException.corrupt("Record batch declares " + expected + " records but holds " + seen);
        }
    }

    /** Reads zig-zag varints forward through a buffer within a limit, failing on anything that runs past it. */
    static final class Cursor {
        private final ByteBuffer buffer;
        int position;
        int limit;

        Cursor(ByteBuffer buffer, int position, int limit) {
            this.buffer = buffer;
            this.position = position;
            this.limit = limit;
        }

        void skip(int bytes) {
            if (bytes > limit - position) {
                throw InvalidBatchException.corrupt("Record runs past the end of its length");
            }
            position += bytes;
        }

        /** Skips a length-prefixed field's bytes; -1 means null and has none. */
        void skipBytes(int length) {
            if (length < -1) {
                throw InvalidBatchException.invalid("Invalid field length " + length);
            }
            if (length > 0) {
                skip(length);
            }
        }

        int varint() {
            int raw = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                if (position >= limit) {
                    throw InvalidBatchException.corrupt("Varint runs past the end of its record");
                }
                byte b = buffer.get(position++);
                raw |= (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
            throw InvalidBatchException.corrupt("Varint is longer than 5 bytes");
        }

        long varlong() {
            long raw = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                if (position >= limit) {
                    throw InvalidBatchException.corrupt("Varlong runs past the end of its record");
                }
                byte b = buffer.get(position++);
                raw |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
            throw InvalidBatchException.corrupt("Varlong is longer than 10 bytes");
        }
    }

    private static final class Summarizer implements RecordVisitor {
        int count;
        long maxTimestamp = BatchView.NO_TIMESTAMP;
        long minTimestamp = Long.MAX_VALUE;
        int offsetDeltaOfMax;
        boolean hasNullKey;

        @Override
        public boolean visit(int offsetDelta, long timestamp, int keyLength) {
            count++;
            if (timestamp > maxTimestamp) {
                maxTimestamp = timestamp;
                offsetDeltaOfMax = offsetDelta;
            }
            minTimestamp = Math.min(minTimestamp, timestamp);
            hasNullKey |= keyLength < 0;
            return true;
        }
    }
}
