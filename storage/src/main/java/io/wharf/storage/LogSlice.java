package io.wharf.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Whole record batches read from a log, as a region of a segment file: what the network layer hands to
 * {@code sendfile} without copying. The channel stays open at least {@code file.delete.delay.ms} after its segment
 * is deleted, so a slice may be sent after the read returned.
 *
 * @param channel the segment file, or null for an empty slice
 * @param position where the first batch starts in the file
 * @param sizeInBytes the length of the region; 0 when nothing was read
 * @param firstOffset the base offset of the first batch, or -1 when empty
 */
public record LogSlice(FileChannel channel, long position, int sizeInBytes, long firstOffset) {

    public static final LogSlice EMPTY = new LogSlice(null, 0, 0, -1);

    public boolean isEmpty() {
        return sizeInBytes == 0;
    }

    /** Copies the region into a new heap buffer: for tests, replication and tools, not the fetch path. */
    public ByteBuffer readFully() {
        ByteBuffer buffer = ByteBuffer.allocate(sizeInBytes);
        if (sizeInBytes == 0) {
            return buffer;
        }
        try {
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, position + buffer.position());
                if (read < 0) {
                    throw new IOException("segment file ended before the slice did");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.flip();
    }
}
