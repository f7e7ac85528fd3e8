package io.wharf.storage.cleaner;

import io.wharf.protocol.record.BatchView;
import io.wharf.storage.segment.LogSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the whole batches of a segment that no longer changes, in order, through one read buffer that grows only to
 * fit the largest batch met (a batch is at most {@code max.message.bytes}, and never more than the segment). A batch
 * handed out is valid until the next call. One thread.
 */
final class SegmentBatches {

    private static final int MIN_READ_BYTES = 256 * 1024;

    private ByteBuffer buffer = ByteBuffer.allocate(MIN_READ_BYTES);
    private final BatchView view = new BatchView();
    private FileChannel channel;
    private long filePosition;
    private long fileEnd;
    private long bytesRead;

    /** Starts reading {@code segment} from its first batch. */
    void open(LogSegment segment) {
        channel = segment.channel();
        filePosition = 0;
        fileEnd = segment.size();
        buffer.clear().limit(0);
    }

    /** The next batch, or null at the end of the segment. */
    BatchView next() throws IOException {
        if (!ensure(BatchView.HEADER_SIZE)) {
            return null;
        }
        view.wrap(buffer, buffer.position());
        int size = view.sizeInBytes();
        if (size < BatchView.HEADER_SIZE) {
            throw new IOException("batch of " + size + " bytes in " + channel);
        }
        if (!ensure(size)) {
            throw new IOException("segment ends inside a batch of " + size + " bytes");
        }
        view.wrap(buffer, buffer.position());
        buffer.position(buffer.position() + size);
        return view;
    }

    /** The bytes read from files so far. */
    long bytesRead() {
        return bytesRead;
    }

    /** Makes sure {@code bytes} bytes from the buffer's position are in the buffer; false at the end of the file. */
    private boolean ensure(int bytes) throws IOException {
        if (buffer.remaining() >= bytes) {
            return true;
        }
        if (filePosition >= fileEnd) {
            return false;
        }
        if (buffer.capacity() < bytes) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(bytes, buffer.capacity() * 2));
            larger.put(buffer).flip();
            buffer = larger;
        }
        buffer.compact();
        while (buffer.position() < bytes && filePosition < fileEnd) {
            int wanted = (int) Math.min(buffer.remaining(), fileEnd - filePosition);
            ByteBuffer target = buffer.duplicate().limit(buffer.position() + wanted);
            int read = channel.read(target, filePosition);
            if (read < 0) {
                break;
            }
            filePosition += read;
            bytesRead += read;
            buffer.position(buffer.position() + read);
        }
        buffer.flip();
        return buffer.remaining() >= bytes;
    }
}
