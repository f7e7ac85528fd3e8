package io.wharf.storage.segment;

import io.wharf.protocol.record.BatchView;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads batch headers (the first 61 bytes of each batch) from a segment file with positional reads, so it never
 * moves the channel's position and may run on any thread. One reader per thread or per call.
 */
final class BatchHeaderReader {

    private final FileChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(BatchView.HEADER_SIZE);
    private final BatchView view = new BatchView();

    BatchHeaderReader(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Reads the header at {@code position}, which must leave at least a header's worth of bytes before the end the
     * caller allows, and returns a view of it (valid until the next read).
     */
    BatchView read(int position) throws IOException {
        header.clear();
        while (header.hasRemaining()) {
            if (channel.read(header, position + header.position()) < 0) {
                throw new EOFException("segment ends inside the batch header at " + position);
            }
        }
        return view.wrap(header, 0);
    }

    /**
     * Whether the header just read has a length that is plausible and fits before {@code end}, and magic 2. Used on
     * data the log wrote itself; recovery checks more.
     */
    static boolean isPlausible(BatchView batch, int position, int end) {
        int length = batch.batchLength();
        return length >= BatchView.HEADER_SIZE - BatchView.LOG_OVERHEAD
                && (long) position + BatchView.LOG_OVERHEAD + length <= end
                && batch.magic() == BatchView.MAGIC_V2
                && batch.lastOffsetDelta() >= 0;
    }
}
