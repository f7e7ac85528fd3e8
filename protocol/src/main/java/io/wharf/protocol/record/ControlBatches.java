package io.wharf.protocol.record;

import java.nio.ByteBuffer;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Transaction markers: the control batches (Kafka's format) that end a producer's transaction in one partition, and
 * the reading of their type from the bytes a segment holds.
 *
 * <pre>
 * control batch: attributes has the control (0x20) and transactional (0x10) bits, one record, no sequence
 *   record key:    int16 version (0), int16 type (0 ABORT, 1 COMMIT)
 *   record value:  int16 version (0), int32 coordinator epoch
 * </pre>
 */
public final class ControlBatches {

    /** The control type of a batch that is not a transaction marker (or whose key cannot be read). */
    public static final int NOT_A_MARKER = -1;

    public static final int ABORT = 0;
    public static final int COMMIT = 1;

    /** How many bytes after the batch header always hold a marker's key: length, attributes, 3 varints, 4 bytes. */
    public static final int KEY_PREFIX_BYTES = 5 + 1 + 10 + 5 + 5 + 4;

    private ControlBatches() {}

    /**
     * A marker batch, ready to be appended (its base offset and leader epoch are the log's to assign).
     *
     * @param commit COMMIT when true, ABORT when false
     */
    public static ByteBuffer marker(
            long producerId, short producerEpoch, boolean commit, int coordinatorEpoch, long timestamp) {
        EndTransactionMarker marker =
                new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch);
        return MemoryRecords.withEndTransactionMarker(0L, timestamp, 0, producerId, producerEpoch, marker)
                .buffer();
    }

    /**
     * The marker type of a control batch whose first record starts at {@code recordsStart} in {@code buffer}:
     * {@link #COMMIT}, {@link #ABORT}, or {@link #NOT_A_MARKER} when its key is not a marker's key or does not fit
     * before {@code limit}. Reads absolute positions; the buffer is not moved.
     */
    public static int type(ByteBuffer buffer, int recordsStart, int limit) {
        int[] position = {recordsStart};
        try {
            readVarlong(buffer, position, limit); // record length
            position[0]++; // attributes
            readVarlong(buffer, position, limit); // timestamp delta
            readVarlong(buffer, position, limit); // offset delta
            long keyLength = readVarlong(buffer, position, limit);
            if (keyLength < 4 || position[0] + 4 > limit) {
                return NOT_A_MARKER;
            }
            short version = buffer.getShort(position[0]);
            short type = buffer.getShort(position[0] + 2);
            if (version < 0 || (type != ABORT && type != COMMIT)) {
                return NOT_A_MARKER;
            }
            return type;
        } catch (IndexOutOfBoundsException e) {
            return NOT_A_MARKER;
        }
    }

    /** The marker type of a whole batch held in memory. */
    public static int type(BatchView batch) {
        if (!batch.isControl()) {
            return NOT_A_MARKER;
        }
        int start = batch.start();
        return type(batch.buffer(), start + BatchView.RECORDS_OFFSET, start + batch.sizeInBytes());
    }

    private static long readVarlong(ByteBuffer buffer, int[] position, int limit) {
        long raw = 0;
        int shift = 0;
        while (true) {
            if (position[0] >= limit || shift > 63) {
                throw new IndexOutOfBoundsException("varint past the limit");
            }
            byte b = buffer.get(position[0]++);
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        return (raw >>> 1) ^ -(raw & 1);
    }
}
