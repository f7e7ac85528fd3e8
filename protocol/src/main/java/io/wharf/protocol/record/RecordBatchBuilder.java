package io.wharf.protocol.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;

/**
 * Builds one record batch (magic 2), as a producer or the broker's own coordinators write it. Offsets start at 0;
 * the log assigns real ones on append.
 */
public final class RecordBatchBuilder {

    private final Compression compression;
    private final List<Record> records = new ArrayList<>();
    private long producerId = BatchView.NO_PRODUCER_ID;
    private short producerEpoch = BatchView.NO_PRODUCER_EPOCH;
    private int baseSequence = BatchView.NO_SEQUENCE;
    private boolean transactional;

    private RecordBatchBuilder(Compression compression) {
        this.compression = compression;
    }

    public static RecordBatchBuilder create() {
        return new RecordBatchBuilder(Compression.NONE);
    }

    public static RecordBatchBuilder create(Compression compression) {
        return new RecordBatchBuilder(compression);
    }

    /** Marks the batch as an idempotent producer's, with the sequence number of its first record. */
    public RecordBatchBuilder producer(long id, short epoch, int firstSequence) {
        this.producerId = id;
        this.producerEpoch = epoch;
        this.baseSequence = firstSequence;
        return this;
    }

    /** Marks the batch as part of its producer's transaction (the transactional attribute). */
    public RecordBatchBuilder transactional() {
        this.transactional = true;
        return this;
    }

    public RecordBatchBuilder add(long timestamp, byte[] key, byte[] value) {
        return add(timestamp, key, value, List.of());
    }

    public RecordBatchBuilder add(long timestamp, byte[] key, byte[] value, List<Record.Header> headers) {
        records.add(new Record(records.size(), timestamp, key, value, headers));
        return this;
    }

    public int size() {
        return records.size();
    }

    /** The batch, in a buffer of its own, positioned at 0 and limited at its end. */
    public ByteBuffer build() {
        int estimate = 128;
        for (Record record : records) {
            estimate += 32 + length(record.key()) + length(record.value());
            for (Record.Header header : record.headers()) {
                estimate += 16 + header.key().length() * 3 + length(header.value());
            }
        }
        MemoryRecordsBuilder builder = MemoryRecords.builder(
                ByteBuffer.allocate(estimate),
                BatchView.MAGIC_V2,
                compression.toKafka(),
                TimestampType.CREATE_TIME,
                0L,
                BatchView.NO_TIMESTAMP,
                producerId,
                producerEpoch,
                baseSequence,
                transactional,
                BatchView.NO_PARTITION_LEADER_EPOCH);
        for (Record record : records) {
            RecordHeader[] headers = record.headers().stream()
                    .map(h -> new RecordHeader(h.key(), h.value()))
                    .toArray(RecordHeader[]::new);
            builder.appendWithOffset(record.offset(), record.timestamp(), record.key(), record.value(), headers);
        }
        ByteBuffer built = builder.build().buffer();
        ByteBuffer copy = ByteBuffer.allocate(built.remaining());
        copy.put(built.duplicate()).flip();
        return copy;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
