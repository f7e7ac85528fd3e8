package io.wharf.coordinator.share;

import io.wharf.common.Invariants;
import java.util.Arrays;

/**
 * The records of one share-partition from its start offset on, one slot per offset, in a ring of parallel arrays so
 * that a window of thousands of records costs a few tens of bytes each and no object per record.
 *
 * <p>Each slot holds the record's durable state ({@link SlotState}, changed only when share-state records are
 * replayed) and its queue attributes, which are read from the log and can be read again at any time: when it is due
 * ({@code wharf.delay.ms}), when it expires ({@code wharf.ttl.ms}), its priority ({@code wharf.priority}) and whether
 * the offset holds no record at all (a gap). Offsets past {@link #end()} are {@link SlotState#INITIAL}.
 *
 * <p>Not thread-safe: owned by its shard's thread.
 */
final class InFlightWindow {

    /** No window ever holds more slots: far above the largest {@code share.partition.max.record.locks}. */
    static final int SLOTS_MAX = 1 << 20;

    private static final byte GAP = 1;
    private static final RecordState[] STATES = RecordState.values();
    private static final ArchiveCause[] CAUSES = ArchiveCause.values();

    private long start;
    private int size;
    private int head;
    private byte[] states = new byte[0];
    private short[] deliveries = new short[0];
    private byte[] causes = new byte[0];
    private String[] holders = new String[0];
    private long[] lockUntil = new long[0];
    private long[] dueAt = new long[0];
    private long[] expiresAt = new long[0];
    private byte[] priorities = new byte[0];
    private byte[] flags = new byte[0];

    InFlightWindow(long start) {
        this.start = start;
    }

    long start() {
        return start;
    }

    /** One past the last slot. */
    long end() {
        return start + size;
    }

    int size() {
        return size;
    }

    private int index(long offset) {
        Invariants.check(offset >= start && offset < start + size, "offset %d outside [%d, %d)", offset, start, end());
        int position = head + (int) (offset - start);
        return position >= states.length ? position - states.length : position;
    }

    SlotState slot(long offset) {
        if (offset >= end()) {
            return SlotState.INITIAL;
        }
        int i = index(offset);
        return new SlotState(STATES[states[i]], deliveries[i], CAUSES[causes[i]], holders[i], lockUntil[i]);
    }

    RecordState state(long offset) {
        return offset >= end() ? RecordState.AVAILABLE : STATES[states[index(offset)]];
    }

    int deliveries(long offset) {
        return offset >= end() ? 0 : deliveries[index(offset)];
    }

    String holder(long offset) {
        return offset >= end() ? null : holders[index(offset)];
    }

    long lockUntil(long offset) {
        return offset >= end() ? -1 : lockUntil[index(offset)];
    }

    /** When the record may be delivered, or -1 when it may at once. */
    long dueAt(long offset) {
        return offset >= end() ? -1 : dueAt[index(offset)];
    }

    /** When the record expires, or -1 when it does not. */
    long expiresAt(long offset) {
        return offset >= end() ? -1 : expiresAt[index(offset)];
    }

    int priority(long offset) {
        return offset >= end() ? 0 : priorities[index(offset)];
    }

    boolean isGap(long offset) {
        return offset < end() && (flags[index(offset)] & GAP) != 0;
    }

    /** Sets the durable state of {@code offset}, growing the window to reach it. */
    void set(long offset, SlotState slot) {
        growTo(offset + 1);
        int i = index(offset);
        states[i] = (byte) slot.state().ordinal();
        deliveries[i] = (short) Math.min(slot.deliveries(), Short.MAX_VALUE);
        causes[i] = (byte) slot.cause().ordinal();
        holders[i] = slot.holder();
        lockUntil[i] = slot.lockUntilMs();
    }

    /** Records what the log says about {@code offset}'s record. */
    void setAttributes(long offset, long due, long expires, int priority) {
        growTo(offset + 1);
        int i = index(offset);
        dueAt[i] = due;
        expiresAt[i] = expires;
        priorities[i] = (byte) priority;
        flags[i] = 0;
    }

    /** Records that the log holds no deliverable record at {@code offset}. */
    void markGap(long offset) {
        growTo(offset + 1);
        int i = index(offset);
        dueAt[i] = -1;
        expiresAt[i] = -1;
        priorities[i] = 0;
        flags[i] = GAP;
    }

    /** Adds initial slots up to {@code endExclusive}. */
    void growTo(long endExclusive) {
        if (endExclusive <= end()) {
            return;
        }
        long wanted = endExclusive - start;
        Invariants.check(wanted <= SLOTS_MAX, "a share-partition window of %d records is past the limit", wanted);
        int needed = (int) wanted;
        if (needed > states.length) {
            resize(Math.max(needed, Math.max(16, states.length * 2)));
        }
        for (long offset = end(); offset < endExclusive; offset++) {
            size++;
            clear(index(offset));
        }
    }

    /** Drops every slot below {@code offset}; a window moved past its end is empty and starts there. */
    void advanceStartTo(long offset) {
        if (offset <= start) {
            return;
        }
        if (offset >= end()) {
            start = offset;
            size = 0;
            head = 0;
            Arrays.fill(holders, null);
            return;
        }
        while (start < offset) {
            holders[head] = null;
            head = head + 1 == states.length ? 0 : head + 1;
            start++;
            size--;
        }
    }

    /** Empties the window and starts it at {@code offset}. */
    void reset(long offset) {
        start = offset;
        size = 0;
        head = 0;
        Arrays.fill(holders, null);
    }

    private void clear(int i) {
        states[i] = (byte) RecordState.AVAILABLE.ordinal();
        deliveries[i] = 0;
        causes[i] = 0;
        holders[i] = null;
        lockUntil[i] = -1;
        dueAt[i] = -1;
        expiresAt[i] = -1;
        priorities[i] = 0;
        flags[i] = 0;
    }

    private void resize(int capacity) {
        byte[] newStates = new byte[capacity];
        short[] newDeliveries = new short[capacity];
        byte[] newCauses = new byte[capacity];
        String[] newHolders = new String[capacity];
        long[] newLockUntil = new long[capacity];
        long[] newDueAt = new long[capacity];
        long[] newExpiresAt = new long[capacity];
        byte[] newPriorities = new byte[capacity];
        byte[] newFlags = new byte[capacity];
        for (int k = 0; k < size; k++) {
            int i = head + k >= states.length ? head + k - states.length : head + k;
            newStates[k] = states[i];
            newDeliveries[k] = deliveries[i];
            newCauses[k] = causes[i];
            newHolders[k] = holders[i];
            newLockUntil[k] = lockUntil[i];
            newDueAt[k] = dueAt[i];
            newExpiresAt[k] = expiresAt[i];
            newPriorities[k] = priorities[i];
            newFlags[k] = flags[i];
        }
        states = newStates;
        deliveries = newDeliveries;
        causes = newCauses;
        holders = newHolders;
        lockUntil = newLockUntil;
        dueAt = newDueAt;
        expiresAt = newExpiresAt;
        priorities = newPriorities;
        flags = newFlags;
        head = 0;
    }
}
