package io.wharf.storage.segment;

import io.wharf.common.Invariants;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file of fixed-size entries, memory-mapped, sorted by offset, appended to by the segment's appender and searched
 * concurrently by readers.
 *
 * <p>Readers read {@link #entries} (volatile) first and then only entries below it, which the appender wrote before
 * publishing the count. The mapping is never unmapped by hand: a reader may still be searching it when the segment is
 * closed or deleted, and touching an unmapped buffer would crash the JVM. The garbage collector releases it once the
 * last reader is done; on Linux a deleted file may stay mapped.
 *
 * <p>Shrinking (on roll, truncation and close) sets the file length but keeps the mapping; nothing past the valid
 * entries is ever read, so the pages beyond the new end are never touched.
 */
abstract sealed class MappedIndex permits OffsetIndex, TimeIndex {

    protected final long baseOffset;
    private final int entrySize;
    private volatile Path file;
    private volatile MappedByteBuffer mmap;
    private int maxEntries;
    private volatile int entries;
    private final boolean existedAtOpen;

    /**
     * Opens or creates the index. A writable index is sized to {@code maxIndexBytes} for appends; otherwise it is
     * mapped at its current length. Existing entries are taken as they are; call {@link #isConsistent(int)} to check
     * them.
     */
    MappedIndex(Path file, long baseOffset, int maxIndexBytes, int entrySize, boolean writable) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        boolean existed = Files.exists(file);
        this.existedAtOpen = existed;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long length = existed ? raf.length() : 0;
            int validEntries = (int) (length / entrySize);
            long mappedLength = writable
                    ? Math.max(roundDown(maxIndexBytes), (long) validEntries * entrySize)
                    : (long) validEntries * entrySize;
            raf.setLength(mappedLength);
            this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, mappedLength);
            this.maxEntries = writable ? (int) (mappedLength / entrySize) : validEntries;
            this.entries = validEntries;
        }
    }

    private int roundDown(int bytes) {
        return bytes - bytes % entrySize;
    }

    /** Whether the file was there when the index was opened; a missing index must be rebuilt. */
    public final boolean existedAtOpen() {
        return existedAtOpen;
    }

    public final int entries() {
        return entries;
    }

    public final boolean isFull() {
        return entries >= maxEntries;
    }

    /** How many entries fit. */
    protected final int capacity() {
        return maxEntries;
    }

    public final Path file() {
        return file;
    }

    protected final MappedByteBuffer buffer() {
        return mmap;
    }

    protected final int entryPosition(int n) {
        return n * entrySize;
    }

    /** Publishes one more entry, already written at position {@link #entries()} by the subclass. */
    protected final void publishAppend() {
        Invariants.check(entries < maxEntries, "index %s is full", file);
        entries = entries + 1;
    }

    /** Keeps only the first {@code count} entries. */
    protected final void truncateEntries(int count) {
        if (count < entries) {
            entries = count;
        }
    }

    /** Drops every entry (before an index is rebuilt). */
    public final void reset() {
        entries = 0;
    }

    /**
     * Finds the largest entry index {@code n < entries} whose key, read by {@code keyOf}, is at most {@code target};
     * -1 when there is none.
     */
    protected final int floorSlot(int count, long target, SlotKey keyOf) {
        int low = 0;
        int high = count - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (keyOf.key(mid) <= target) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    @FunctionalInterface
    protected interface SlotKey {
        long key(int slot);
    }

    /** Whether the entries are plausible for a log segment of {@code segmentSize} bytes. */
    public abstract boolean isConsistent(int segmentSize);

    /** Shrinks the file to the valid entries and accepts no more appends. */
    public final void trimToValidSize() {
        resizeFile((long) entries * entrySize);
        maxEntries = entries;
    }

    /**
     * Makes room for appends again, up to {@code maxIndexBytes}, after a trimmed index's segment became the active
     * one (the log was truncated back into it). Readers holding the old mapping still see the same entries.
     */
    public final void expandForAppends(int maxIndexBytes) throws IOException {
        long length = Math.max(roundDown(maxIndexBytes), (long) entries * entrySize);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
            mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
            maxEntries = (int) (length / entrySize);
        }
    }

    /** Forces the entries to disk. */
    public final void flush() {
        mmap.force();
    }

    /** Renames the file, keeping the mapping. */
    public final void renameTo(Path target) throws IOException {
        if (Files.exists(file)) {
            Files.move(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        file = target;
    }

    public final void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Trims the file on close so that a clean restart finds exactly the valid entries. */
    public final void close() {
        trimToValidSize();
    }

    private void resizeFile(long length) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resize index " + file, e);
        }
    }
}
