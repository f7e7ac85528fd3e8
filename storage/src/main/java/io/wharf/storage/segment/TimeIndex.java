package io.wharf.storage.segment;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A sparse map from timestamps to offsets. Each entry holds the largest timestamp seen in the segment so far and the
 * base offset of the batch that first reached it; timestamps grow strictly from one entry to the next. Every record
 * before that batch is older than the entry's timestamp, so a search for time {@code t} may start at the batch of
 * the last entry whose timestamp is at most {@code t}.
 *
 * <pre>
 * entry (12 bytes, big-endian)
 *   timestamp       int64   largest record timestamp so far
 *   relativeOffset  int32   base offset of the batch that reached it, minus the segment's base offset
 * </pre>
 *
 * <p>A final entry is added when the segment stops being active, so the last entry always holds the segment's largest
 * timestamp.
 */
public final class TimeIndex extends MappedIndex {

    static final int ENTRY_SIZE = 12;

    public TimeIndex(Path file, long baseOffset, int maxIndexBytes, boolean writable) throws IOException {
        super(file, baseOffset, maxIndexBytes, ENTRY_SIZE, writable);
    }

    /** A timestamp and the base offset of the batch that first reached it. */
    public record Entry(long timestamp, long offset) {}

    private long timestampAt(int slot) {
        return buffer().getLong(entryPosition(slot));
    }

    private long offsetAt(int slot) {
        return baseOffset + buffer().getInt(entryPosition(slot) + 8);
    }

    /** The last entry, or null when the index is empty. */
    public Entry lastEntry() {
        int count = entries();
        return count == 0 ? null : new Entry(timestampAt(count - 1), offsetAt(count - 1));
    }

    /**
     * Adds an entry when {@code timestamp} is larger than the last one's. Appender thread only. The last slot is kept
     * for the final entry ({@code isFinal}) that a segment gets when it stops being active.
     */
    public void maybeAppend(long timestamp, long offset, boolean isFinal) {
        if (entries() >= capacity() - (isFinal ? 0 : 1)) {
            return;
        }
        int count = entries();
        if (count > 0 && timestamp <= timestampAt(count - 1)) {
            return;
        }
        buffer().putLong(entryPosition(count), timestamp);
        buffer().putInt(entryPosition(count) + 8, (int) (offset - baseOffset));
        publishAppend();
    }

    /** Whether only the slot kept for the final entry is left, so the segment must roll. */
    public boolean isFullForAppends() {
        return entries() >= capacity() - 1;
    }

    /** The last entry whose timestamp is at most {@code timestamp}; null when there is none. */
    public Entry lookup(long timestamp) {
        int count = entries();
        int slot = floorSlot(count, timestamp, this::timestampAt);
        return slot < 0 ? null : new Entry(timestampAt(slot), offsetAt(slot));
    }

    /** Drops every entry pointing at offsets at or above {@code offset}. */
    public void truncateTo(long offset) {
        int slot = floorSlot(entries(), offset - 1, this::offsetAt);
        truncateEntries(slot + 1);
    }

    @Override
    public boolean isConsistent(int segmentSize) {
        int count = entries();
        long previousTimestamp = Long.MIN_VALUE;
        long previousOffset = baseOffset - 1;
        for (int slot = 0; slot < count; slot++) {
            long timestamp = timestampAt(slot);
            long offset = offsetAt(slot);
            if (timestamp <= previousTimestamp || offset < previousOffset || offset < baseOffset) {
                return false;
            }
            previousTimestamp = timestamp;
            previousOffset = offset;
        }
        return count == 0 || segmentSize > 0;
    }
}
