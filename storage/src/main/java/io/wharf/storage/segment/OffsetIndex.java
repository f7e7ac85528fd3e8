package io.wharf.storage.segment;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A sparse map from offsets to positions in the segment's log file: an entry for a batch about every
 * {@code index.interval.bytes}, so a lookup is a binary search plus a short scan of batch headers.
 *
 * <pre>
 * entry (8 bytes, big-endian), sorted by both fields
 *   relativeOffset  int32   the batch's base offset minus the segment's base offset
 *   position        int32   where the batch starts in the .log file
 * </pre>
 */
public final class OffsetIndex extends MappedIndex {

    static final int ENTRY_SIZE = 8;

    public OffsetIndex(Path file, long baseOffset, int maxIndexBytes, boolean writable) throws IOException {
        super(file, baseOffset, maxIndexBytes, ENTRY_SIZE, writable);
    }

    /** An offset and the position of the batch that starts with it. */
    public record Entry(long offset, int position) {}

    private long offsetAt(int slot) {
        return baseOffset + buffer().getInt(entryPosition(slot));
    }

    private int positionAt(int slot) {
        return buffer().getInt(entryPosition(slot) + 4);
    }

    /** Adds an entry for a batch starting at {@code offset}, written at {@code position}. Appender thread only. */
    public void append(long offset, int position) {
        int slot = entries();
        buffer().putInt(entryPosition(slot), (int) (offset - baseOffset));
        buffer().putInt(entryPosition(slot) + 4, position);
        publishAppend();
    }

    /** The last entry at or below {@code offset}; the segment's start when there is none. */
    public Entry lookup(long offset) {
        int count = entries();
        int slot = floorSlot(count, offset, this::offsetAt);
        return slot < 0 ? new Entry(baseOffset, 0) : new Entry(offsetAt(slot), positionAt(slot));
    }

    /** The last entry whose position is at most {@code position}; the segment's start when there is none. */
    public Entry lookupByPosition(int position) {
        int count = entries();
        int slot = floorSlot(count, position, this::positionAt);
        return slot < 0 ? new Entry(baseOffset, 0) : new Entry(offsetAt(slot), positionAt(slot));
    }

    /** Drops every entry for offsets at or above {@code offset}. */
    public void truncateTo(long offset) {
        int count = entries();
        int slot = floorSlot(count, offset - 1, this::offsetAt);
        truncateEntries(slot + 1);
    }

    @Override
    public boolean isConsistent(int segmentSize) {
        int count = entries();
        long previousOffset = baseOffset - 1;
        int previousPosition = -1;
        for (int slot = 0; slot < count; slot++) {
            long offset = offsetAt(slot);
            int position = positionAt(slot);
            if (offset <= previousOffset || position <= previousPosition || position >= segmentSize) {
                return false;
            }
            previousOffset = offset;
            previousPosition = position;
        }
        return true;
    }
}
