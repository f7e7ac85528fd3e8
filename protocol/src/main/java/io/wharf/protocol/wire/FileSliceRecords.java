package io.wharf.protocol.wire;

import java.nio.channels.FileChannel;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * Records that live in a region of a segment file, to be put in a fetch response as they are. Only Wharf's
 * {@link FrameWriter} writes them; kafka-clients' own send path is never used.
 */
final class FileSliceRecords implements BaseRecords {

    private final FileChannel channel;
    private final long position;
    private final int length;

    FileSliceRecords(FileChannel channel, long position, int length) {
        this.channel = channel;
        this.position = position;
        this.length = length;
    }

    FileChannel channel() {
        return channel;
    }

    long position() {
        return position;
    }

    @Override
    public int sizeInBytes() {
        return length;
    }

    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("file slices are sent by Wharf's network layer");
    }
}
