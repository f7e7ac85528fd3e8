package io.wharf.protocol.wire;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/** Converts between the records fields of generated messages and Wharf's plain buffers and file regions. */
public final class WireRecords {

    private WireRecords() {}

    /** The bytes of a records field read from a request; null when the field was null. */
    public static ByteBuffer buffer(BaseRecords records) {
        if (records == null) {
            return null;
        }
        if (records instanceof MemoryRecords memory) {
            return memory.buffer().duplicate();
        }
        throw new IllegalArgumentException("records of type " + records.getClass() + " do not come from a request");
    }

    /** A records field that sends a region of a file without copying it. */
    public static BaseRecords file(FileChannel channel, long position, int length) {
        return new FileSliceRecords(channel, position, length);
    }

    /** A records field that sends several file regions, in order, without copying them. */
    public static BaseRecords files(List<FramePart.FileRegion> regions) {
        return regions.size() == 1
                ? new FileSliceRecords(
                        regions.get(0).channel(),
                        regions.get(0).position(),
                        regions.get(0).length())
                : new FileRegionsRecords(regions);
    }

    /** A records field holding the given bytes. */
    public static BaseRecords memory(ByteBuffer bytes) {
        return MemoryRecords.readableRecords(bytes);
    }

    /** An empty records field. */
    public static BaseRecords empty() {
        return MemoryRecords.EMPTY;
    }
}
