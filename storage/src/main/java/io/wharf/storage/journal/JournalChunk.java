package io.wharf.storage.journal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Entries appended to the journal and not yet written to its file: whole entries going to one file, in a buffer that
 * starts at a block boundary of the file. The bytes of the block the previous chunk ended in come first (the
 * {@code prefix}), so the chunk is written as whole blocks, as direct I/O requires; the bytes after its last entry up
 * to the block's end are zeros, which a scan reads as "nothing more".
 *
 * <p>Threads: filled under the journal's lock; handed to the sync thread under it; written by that thread alone.
 */
final class JournalChunk {

    /** The alignment of direct I/O on every file system Wharf runs on, and a multiple of the others. */
    static final int BLOCK_BYTES = 4096;

    private final ByteBuffer buffer;
    private final boolean pooled;
    private JournalFile file;
    private long blockPosition;
    private long endLsn;
    private int prefixBytes;

    /**
     * @param capacity the entry bytes it holds at least
     * @param pooled whether it goes back to the journal's pool after its sync (else it was made for one large entry)
     */
    JournalChunk(int capacity, boolean pooled) {
        this.pooled = pooled;
        this.buffer =
                ByteBuffer.allocateDirect(roundUp(capacity) + 2 * BLOCK_BYTES).alignedSlice(BLOCK_BYTES);
    }

    static int roundUp(int bytes) {
        return (bytes + BLOCK_BYTES - 1) & -BLOCK_BYTES;
    }

    /**
     * Starts the chunk over for entries going to {@code target} from {@code position}, after the {@code prefixLength}
     * bytes of {@code prefix} that precede it in its block.
     */
    JournalChunk reset(JournalFile target, int position, byte[] prefix, int prefixLength) {
        buffer.clear();
        buffer.put(prefix, 0, prefixLength);
        this.file = target;
        this.blockPosition = position - prefixLength;
        this.prefixBytes = prefixLength;
        this.endLsn = JournalFormat.lsn(target.sequence(), position);
        return this;
    }

    boolean isPooled() {
        return pooled;
    }

    int capacity() {
        return buffer.capacity() - BLOCK_BYTES;
    }

    /** Bytes that may still be added. */
    int remaining() {
        return capacity() - buffer.position();
    }

    boolean isEmpty() {
        return buffer.position() == prefixBytes;
    }

    /** Entry bytes added, the prefix not counted. */
    int entryBytes() {
        return buffer.position() - prefixBytes;
    }

    JournalFile file() {
        return file;
    }

    /** The LSN just past the last entry in the chunk. */
    long endLsn() {
        return endLsn;
    }

    /** Copies one entry in; the caller checked that it fits. */
    void add(ByteBuffer header, ByteBuffer payload) {
        buffer.put(header.duplicate()).put(payload.duplicate());
        endLsn = JournalFormat.lsn(file.sequence(), (int) (blockPosition + buffer.position()));
    }

    /**
     * Copies the bytes of the block the chunk ends in (from the block's start to the last entry's end) into {@code
     * into}; returns how many. The next chunk starts with them.
     */
    int copyTail(byte[] into) {
        int end = buffer.position();
        int tailStart = end & -BLOCK_BYTES;
        buffer.get(tailStart, into, 0, end - tailStart);
        return end - tailStart;
    }

    /** Writes the chunk's blocks to its file, zeros after the last entry. Sync thread. */
    void writeOut() throws IOException {
        int end = buffer.position();
        int blocksEnd = roundUp(end);
        ByteBuffer blocks = buffer.duplicate().position(end).limit(blocksEnd);
        while (blocks.hasRemaining()) {
            blocks.put((byte) 0);
        }
        file.writeBlocks(buffer.duplicate().position(0).limit(blocksEnd), blockPosition);
    }
}
