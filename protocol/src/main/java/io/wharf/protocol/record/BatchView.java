package io.wharf.protocol.record;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A reusable flyweight over one record batch of magic 2 in a {@link ByteBuffer}, read and patched at absolute
 * positions, so the buffer's own position and limit are never touched.
 *
 * <pre>
 * offset  size  field
 *      0     8  baseOffset            ┐ not covered by the CRC:
 *      8     4  batchLength           │ the broker patches baseOffset and
 *     12     4  partitionLeaderEpoch  ┘ partitionLeaderEpoch freely
 *     16     1  magic (2)
 *     17     4  crc (CRC32C of bytes 21 .. end)
 *     21     2  attributes: bits 0-2 compression, 3 timestamp type (1 = LogAppendTime),
 *                           4 transactional, 5 control, 6 has delete horizon
 *     23     4  lastOffsetDelta
 *     27     8  baseTimestamp
 *     35     8  maxTimestamp
 *     43     8  producerId
 *     51     2  producerEpoch
 *     53     4  baseSequence
 *     57     4  recordCount
 *     61     …  records
 * </pre>
 *
 * <p>A view is not thread-safe; it is cheap to make one per thread or per call.
 */
public final class BatchView {

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORD_COUNT_OFFSET = 57;
    public static final int RECORDS_OFFSET = 61;

    /** Bytes before {@code batchLength} starts counting: the base offset and the length field itself. */
    public static final int LOG_OVERHEAD = 12;
    /** The size of a batch header; also the smallest possible batch. */
    public static final int HEADER_SIZE = RECORDS_OFFSET;
    /** The only message format Wharf stores. */
    public static final byte MAGIC_V2 = 2;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    private static final int COMPRESSION_MASK = 0x07;
    private static final int TIMESTAMP_TYPE_MASK = 0x08;
    private static final int TRANSACTIONAL_MASK = 0x10;
    private static final int CONTROL_MASK = 0x20;

    private ByteBuffer buffer;
    private int start;

    /** Points this view at the batch starting at absolute position {@code start} of {@code buffer}. */
    public BatchView wrap(ByteBuffer buffer, int start) {
        this.buffer = buffer;
        this.start = start;
        return this;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    public int start() {
        return start;
    }

    public long baseOffset() {
        return buffer.getLong(start + BASE_OFFSET_OFFSET);
    }

    public int batchLength() {
        return buffer.getInt(start + LENGTH_OFFSET);
    }

    /** The whole batch's size in bytes, header included. */
    public int sizeInBytes() {
        return LOG_OVERHEAD + batchLength();
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(start + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return buffer.get(start + MAGIC_OFFSET);
    }

    /** The stored CRC as an unsigned 32-bit value. */
    public long storedCrc() {
        return Integer.toUnsignedLong(buffer.getInt(start + CRC_OFFSET));
    }

    public short attributes() {
        return buffer.getShort(start + ATTRIBUTES_OFFSET);
    }

    /** The compression codec id: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. */
    public int compressionId() {
        return attributes() & COMPRESSION_MASK;
    }

    public boolean isLogAppendTime() {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_MASK) != 0;
    }

    public boolean isControl() {
        return (attributes() & CONTROL_MASK) != 0;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(start + LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long baseTimestamp() {
        return buffer.getLong(start + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(start + MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buffer.getLong(start + PRODUCER_ID_OFFSET);
    }

    public boolean hasProducerId() {
        return producerId() > NO_PRODUCER_ID;
    }

    public short producerEpoch() {
        return buffer.getShort(start + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(start + BASE_SEQUENCE_OFFSET);
    }

    /** The sequence number of the last record; wraps around at {@link Integer#MAX_VALUE} as producers do. */
    public int lastSequence() {
        int base = baseSequence();
        if (base == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        long last = (long) base + lastOffsetDelta();
        return last > Integer.MAX_VALUE ? (int) (last - Integer.MAX_VALUE - 1) : (int) last;
    }

    public int recordCount() {
        return buffer.getInt(start + RECORD_COUNT_OFFSET);
    }

    public void setBaseOffset(long offset) {
        buffer.putLong(start + BASE_OFFSET_OFFSET, offset);
    }

    public void setPartitionLeaderEpoch(int epoch) {
        buffer.putInt(start + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    /**
     * Sets the timestamp type (LogAppendTime or CreateTime) and the max timestamp, and rewrites the CRC, which covers
     * both fields.
     */
    public void setTimestamps(boolean logAppendTime, long maxTimestamp) {
        int attributes = attributes();
        attributes = logAppendTime ? attributes | TIMESTAMP_TYPE_MASK : attributes & ~TIMESTAMP_TYPE_MASK;
        buffer.putShort(start + ATTRIBUTES_OFFSET, (short) attributes);
        buffer.putLong(start + MAX_TIMESTAMP_OFFSET, maxTimestamp);
        writeCrc();
    }

    /** CRC32C of the bytes the CRC covers: from the attributes to the end of the batch. */
    public long computeCrc() {
        CRC32C crc = new CRC32C();
        ByteBuffer covered = buffer.duplicate();
        covered.limit(start + sizeInBytes()).position(start + ATTRIBUTES_OFFSET);
        crc.update(covered);
        return crc.getValue();
    }

    public boolean isCrcValid() {
        return computeCrc() == storedCrc();
    }

    private void writeCrc() {
        buffer.putInt(start + CRC_OFFSET, (int) computeCrc());
    }
}
