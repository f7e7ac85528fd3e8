package io.wharf.storage.cleaner;

import io.wharf.common.Invariants;
import java.nio.ByteBuffer;

/**
 * A fixed-size map from a key to the last offset seen for it, in one preallocated array: the cleaner's memory
 * budget ({@code log.cleaner.dedupe.buffer.size}) does not grow with the keys of a log. A key is stored as a 128-bit
 * hash of its bytes, so two keys are confused only if both 64-bit halves collide; slots are probed linearly.
 *
 * <pre>
 * slot (24 bytes): long hash1, long hash2, long offset + 1   (0 marks an empty slot)
 * </pre>
 *
 * <p>The map refuses new keys once {@link #isFull()} (the load factor is reached); the pass that fills it stops there
 * and leaves the rest of the dirty section to the next pass. One thread at a time (a cleaner thread owns its map).
 */
public final class OffsetMap {

    /** The bytes one key takes. */
    public static final int BYTES_PER_ENTRY = 24;

    private static final double LOAD_FACTOR = 0.9;
    private static final long SEED_1 = 0x9E3779B97F4A7C15L;
    private static final long SEED_2 = 0xC2B2AE3D27D4EB4FL;

    private final long[] slots;
    private final int capacity;
    private final int maxEntries;
    private int size;
    private long lookups;
    private long probes;
    private long latestOffset = -1;

    /** A map that holds at most {@code memoryBytes / 24 * 0.9} keys. */
    public OffsetMap(long memoryBytes) {
        long entries = memoryBytes / BYTES_PER_ENTRY;
        Invariants.check(entries >= 2 && entries <= Integer.MAX_VALUE / 3, "offset map of %d bytes", memoryBytes);
        this.capacity = (int) entries;
        this.maxEntries = (int) Math.max(1, Math.floor(capacity * LOAD_FACTOR));
        this.slots = new long[capacity * 3];
    }

    /** Forgets every key. */
    public void clear() {
        java.util.Arrays.fill(slots, 0);
        size = 0;
        latestOffset = -1;
    }

    public int size() {
        return size;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** Whether another new key would pass the load factor. */
    public boolean isFull() {
        return size >= maxEntries;
    }

    /** The largest offset put so far; -1 when empty. */
    public long latestOffset() {
        return latestOffset;
    }

    /**
     * Records {@code offset} as the latest for {@code key}. A key already present is updated even when the map is
     * full.
     *
     * @return false when the key is new and the map is full (nothing changed)
     */
    public boolean put(ByteBuffer key, long offset) {
        long h1 = hash(key, SEED_1);
        long h2 = hash(key, SEED_2);
        int slot = find(h1, h2);
        int at = slot * 3;
        if (slots[at + 2] == 0) {
            if (isFull()) {
                return false;
            }
            slots[at] = h1;
            slots[at + 1] = h2;
            size++;
        }
        slots[at + 2] = offset + 1;
        latestOffset = Math.max(latestOffset, offset);
        return true;
    }

    /** The latest offset of {@code key}, or -1 when it is not in the map. */
    public long get(ByteBuffer key) {
        int at = find(hash(key, SEED_1), hash(key, SEED_2)) * 3;
        return slots[at + 2] - 1;
    }

    /** Average slots probed per lookup so far, for the cleaner's log line. */
    public double probesPerLookup() {
        return lookups == 0 ? 0 : (double) probes / lookups;
    }

    /** The slot holding the hash, or the empty slot where it would go. */
    private int find(long h1, long h2) {
        lookups++;
        int slot = (int) Long.remainderUnsigned(h1 ^ (h2 >>> 17), capacity);
        while (true) {
            probes++;
            int at = slot * 3;
            if (slots[at + 2] == 0 || (slots[at] == h1 && slots[at + 1] == h2)) {
                return slot;
            }
            slot = slot + 1 == capacity ? 0 : slot + 1;
        }
    }

    /** A 64-bit hash of the key's bytes (position to limit), mixed per 8-byte word; the buffer is not moved. */
    static long hash(ByteBuffer key, long seed) {
        int position = key.position();
        int limit = key.limit();
        long h = seed ^ ((limit - position) * 0xFF51AFD7ED558CCDL);
        int i = position;
        for (; i + 8 <= limit; i += 8) {
            h = mix(h ^ key.getLong(i));
        }
        long tail = 0;
        for (int shift = 0; i < limit; i++, shift += 8) {
            tail |= (key.get(i) & 0xFFL) << shift;
        }
        return mix(mix(h ^ tail) + seed);
    }

    private static long mix(long value) {
        long z = value * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
