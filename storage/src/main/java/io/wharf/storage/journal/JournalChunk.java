package io.wharf.storage.journal;

import java.nio.ByteBuffer;

/**
 * Entries appended to the journal and not yet written to its file: a buffer of whole entries that go to one file from
 * {@link #filePosition()} on. Appenders fill the open chunk; the sync thread takes the chunks, writes and forces them.
 *
 * <p>Threads: filled under the journal's lock; handed to the sync thread under it; written by that thread alone.
 */
final class JournalChunk {

    private final ByteBuffer buffer;
    private JournalFile file;
    private int filePosition;
    private long endLsn;

    JournalChunk(int capacity) {
        this.buffer = ByteBuffer.allocateDirect(capacity);
    }

    /** Starts the chunk over for bytes going to {@code file} from {@code position}. */
    JournalChunk reset(JournalFile target, int position) {
        buffer.clear();
        this.file = target;
        this.filePosition = position;
        this.endLsn = JournalFormat.lsn(target.sequence(), position);
        return this;
    }

    int capacity() {
        return buffer.capacity();
    }

    int remaining() {
        return buffer.remaining();
    }

    boolean isEmpty() {
        return buffer.position() == 0;
    }

    JournalFile file() {
        return file;
    }

    int filePosition() {
        return filePosition;
    }

    /** The LSN just past the last entry in the chunk. */
    long endLsn() {
        return endLsn;
    }

    /** Copies one entry in; the caller checked that it fits. */
    void add(ByteBuffer header, ByteBuffer payload) {
        buffer.put(header.duplicate()).put(payload.duplicate());
        endLsn = JournalFormat.lsn(file.sequence(), filePosition + buffer.position());
    }

    /** Writes the chunk's bytes to its file. Sync thread. */
    void writeOut() throws java.io.IOException {
        ByteBuffer bytes = buffer.duplicate().flip();
        file.write(bytes, ByteBuffer.allocate(0), filePosition);
    }
}
