package io.wharf.protocol.wire;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** One piece of an outgoing frame: bytes in memory, or a region of a file sent with {@code sendfile}. */
public sealed interface FramePart permits FramePart.Bytes, FramePart.FileRegion {

    int sizeInBytes();

    /** Bytes in memory, from the buffer's position to its limit. */
    record Bytes(ByteBuffer buffer) implements FramePart {
        @Override
        public int sizeInBytes() {
            return buffer.remaining();
        }
    }

    /**
     * A region of a file. The channel belongs to the log and must not be closed by whoever sends it.
     *
     * @param channel the file
     * @param position where the region starts
     * @param length its size in bytes
     */
    record FileRegion(FileChannel channel, long position, int length) implements FramePart {
        @Override
        public int sizeInBytes() {
            return length;
        }
    }
}
