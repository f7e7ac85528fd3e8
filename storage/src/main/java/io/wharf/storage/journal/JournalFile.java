package io.wharf.storage.journal;

import io.wharf.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file of the journal: a fixed-size file whose blocks are all allocated before it takes entries, so that an
 * fdatasync of it writes the entries' blocks only, never the file's length or new extents. A new file is filled with
 * zeros; a recycled one (every partition it covered flushed) keeps its old bytes, which its older sequence number
 * marks as stale.
 *
 * <p>Entries are written in whole blocks with direct I/O where the file system allows it: the bytes go from the
 * journal's buffer to the device without a copy into the page cache, which on a small machine is CPU the appenders
 * need; where it does not (tmpfs, for one), the same block writes go through the page cache.
 *
 * <p>Threads: the journal's writer writes, its sync thread forces; both may run at once on one file.
 */
final class JournalFile implements AutoCloseable {

    private static final ByteBuffer ZEROS =
            ByteBuffer.allocateDirect(256 * 1024).asReadOnlyBuffer();

    private final long sequence;
    private final Path path;
    private final FileChannel channel;
    /** The same file opened for direct I/O; the buffered channel when the file system refuses it. */
    private final FileChannel blockWriter;

    private final int capacity;

    private JournalFile(long sequence, Path path, FileChannel channel, FileChannel blockWriter, int capacity) {
        this.sequence = sequence;
        this.path = path;
        this.channel = channel;
        this.blockWriter = blockWriter;
        this.capacity = capacity;
    }

    /**
     * Creates file {@code sequence} of {@code capacity} bytes of zeros with its header, forced with the directory.
     * Fails, leaving no file behind, when the disk has no room for it.
     */
    static JournalFile create(Path dir, long sequence, int capacity) throws IOException {
        Path path = dir.resolve(JournalFormat.fileName(sequence));
        Path temp = dir.resolve(JournalFormat.fileName(sequence) + AtomicFiles.TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (long at = 0; at < capacity; at += ZEROS.capacity()) {
                writeFully(channel, ZEROS.duplicate().limit((int) Math.min(ZEROS.capacity(), capacity - at)), at);
            }
            writeFully(channel, JournalFormat.fileHeader(sequence), 0);
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        AtomicFiles.moveDurably(temp, path);
        return open(path, sequence);
    }

    /**
     * Gives a file that is no longer needed a new life as file {@code sequence}: renamed, its header rewritten and
     * forced. Its old entries stay and are ignored, since they carry the old sequence.
     */
    static JournalFile recycle(JournalFile old, Path dir, long sequence) throws IOException {
        old.close();
        Path path = dir.resolve(JournalFormat.fileName(sequence));
        try (FileChannel channel = FileChannel.open(old.path, StandardOpenOption.WRITE)) {
            writeFully(channel, JournalFormat.fileHeader(sequence), 0);
            channel.force(false);
        }
        AtomicFiles.moveDurably(old.path, path);
        return open(path, sequence);
    }

    /** Opens an existing file. */
    static JournalFile open(Path path, long sequence) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long size = channel.size();
        return new JournalFile(
                sequence, path, channel, openDirect(path, channel), (int) Math.min(size, Integer.MAX_VALUE));
    }

    private static FileChannel openDirect(Path path, FileChannel fallback) {
        if (!DIRECT_IO) {
            return fallback;
        }
        try {
            return FileChannel.open(path, StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            return fallback;
        }
    }

    /** Whether journal files are written with direct I/O where possible ({@code -Dwharf.journal.direct=false}: no). */
    private static final boolean DIRECT_IO = Boolean.parseBoolean(System.getProperty("wharf.journal.direct", "true"));

    /** Whether this file's blocks are written with direct I/O. */
    boolean isDirect() {
        return blockWriter != channel;
    }

    /**
     * Writes whole blocks at a block-aligned position, from a block-aligned buffer; the buffer's position is not moved.
     * Sync thread.
     */
    void writeBlocks(ByteBuffer blocks, long position) throws IOException {
        ByteBuffer source = blocks.duplicate();
        long written = 0;
        while (source.hasRemaining()) {
            written += blockWriter.write(source, position + written);
        }
    }

    long sequence() {
        return sequence;
    }

    Path path() {
        return path;
    }

    int capacity() {
        return capacity;
    }

    /** Writes {@code header} then {@code payload} at {@code position}; neither buffer's position moves. */
    void write(ByteBuffer header, ByteBuffer payload, int position) throws IOException {
        ByteBuffer[] parts = {header.duplicate(), payload.duplicate()};
        long at = position;
        long total = parts[0].remaining() + parts[1].remaining();
        long written = 0;
        while (written < total) {
            ByteBuffer part = parts[0].hasRemaining() ? parts[0] : parts[1];
            written += channel.write(part, at + written);
        }
    }

    /** Forces the file's data; its length and blocks never change while it is in use. */
    void force() throws IOException {
        channel.force(false);
    }

    /** Reads {@code buffer.remaining()} bytes at {@code position}, fewer only at the end of the file. */
    int read(ByteBuffer buffer, long position) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static void writeFully(FileChannel channel, ByteBuffer source, long position) throws IOException {
        long written = 0;
        while (source.hasRemaining()) {
            written += channel.write(source, position + written);
        }
    }

    @Override
    public void close() throws IOException {
        if (blockWriter != channel) {
            blockWriter.close();
        }
        channel.close();
    }

    void delete() throws IOException {
        close();
        Files.deleteIfExists(path);
    }

    @Override
    public String toString() {
        return "JournalFile(" + path.getFileName() + ")";
    }
}
