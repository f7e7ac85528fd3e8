package io.wharf.protocol.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * Decodes whole batches back into records, decompressing as needed: for coordinators replaying their internal
 * partitions and for tests. The fetch path never decodes.
 */
public final class RecordReader {

    private RecordReader() {}

    /**
     * Every record of every batch from the buffer's position to its limit; a trailing partial batch is ignored.
     *
     * @throws InvalidBatchException when a batch cannot be decoded
     */
    public static List<Record> records(ByteBuffer batches) {
        List<Record> out = new ArrayList<>();
        try {
            for (RecordBatch batch :
                    MemoryRecords.readableRecords(batches.duplicate()).batches()) {
                try (CloseableIterator<org.apache.kafka.common.record.internal.Record> records =
                        batch.streamingIterator(BufferSupplier.NO_CACHING)) {
                    while (records.hasNext()) {
                        out.add(convert(records.next()));
                    }
                }
            }
        } catch (RuntimeException e) {
            throw InvalidBatchException.corrupt("Cannot decode records: " + e.getMessage());
        }
        return out;
    }

    private static Record convert(org.apache.kafka.common.record.internal.Record record) {
        List<Record.Header> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header header : record.headers()) {
            headers.add(new Record.Header(header.key(), header.value()));
        }
        return new Record(record.offset(), record.timestamp(), bytes(record.key()), bytes(record.value()), headers);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
