package io.wharf.storage.journal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long appends wait in the journal's sync queue (from the append to the start of the sync that covers it) and how
 * long the syncs take, as log-linear histograms of microseconds: four buckets per power of two, so a percentile (the
 * upper bound of its bucket) is at most 25% above the true value. Cheap enough to record on every sync.
 *
 * <p>Threads: the sync thread records, anyone may read.
 */
public final class SyncStats {

    private static final int BUCKETS = 4 + 4 * 40;

    private final AtomicLongArray queueMicros = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray syncMicros = new AtomicLongArray(BUCKETS);
    private final java.util.concurrent.atomic.AtomicLong syncs = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

    void recordQueue(long nanos, long count) {
        queueMicros.addAndGet(bucket(nanos), count);
    }

    void recordSync(long nanos, long syncedBytes) {
        syncMicros.incrementAndGet(bucket(nanos));
        syncs.incrementAndGet();
        bytes.addAndGet(syncedBytes);
    }

    static int bucket(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        if (micros < 4) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        int sub = (int) (micros >>> (exponent - 2)) & 3;
        return Math.min(BUCKETS - 1, 4 + (exponent - 2) * 4 + sub);
    }

    /** The smallest value in µs above bucket {@code index}. */
    static long upperBoundMicros(int index) {
        if (index < 4) {
            return index + 1;
        }
        int exponent = (index - 4) / 4 + 2;
        int sub = (index - 4) % 4;
        return (long) (4 + sub + 1) << (exponent - 2);
    }

    /** A snapshot of what was recorded so far. */
    public Snapshot snapshot() {
        return new Snapshot(copy(queueMicros), copy(syncMicros), syncs.get(), bytes.get());
    }

    private static long[] copy(AtomicLongArray array) {
        long[] values = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            values[i] = array.get(i);
        }
        return values;
    }

    /**
     * Recorded counts.
     *
     * @param queue appends per queue-time bucket
     * @param sync syncs per duration bucket
     * @param syncs how many syncs ran
     * @param bytes how many journal bytes they wrote
     */
    public record Snapshot(long[] queue, long[] sync, long syncs, long bytes) {

        /** The queue-time percentile {@code p} (0..1) in µs: the upper bound of the bucket it falls in. */
        public long queuePercentileMicros(double p) {
            return percentile(queue, p);
        }

        public long syncPercentileMicros(double p) {
            return percentile(sync, p);
        }

        /** What was recorded since {@code earlier}. */
        public Snapshot since(Snapshot earlier) {
            long[] q = new long[BUCKETS];
            long[] s = new long[BUCKETS];
            for (int i = 0; i < BUCKETS; i++) {
                q[i] = queue[i] - earlier.queue[i];
                s[i] = sync[i] - earlier.sync[i];
            }
            return new Snapshot(q, s, syncs - earlier.syncs, bytes - earlier.bytes);
        }

        public long appends() {
            long total = 0;
            for (long count : queue) {
                total += count;
            }
            return total;
        }

        private static long percentile(long[] counts, double p) {
            long total = 0;
            for (long count : counts) {
                total += count;
            }
            if (total == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(p * total);
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= Math.max(1, rank)) {
                    return upperBoundMicros(i);
                }
            }
            return upperBoundMicros(counts.length - 1);
        }

        @Override
        public String toString() {
            return String.format(
                    "%d syncs of %d appends, %d KiB per sync; queue p50 %d us p99 %d us; sync p50 %d us p99 %d us",
                    syncs,
                    appends(),
                    syncs == 0 ? 0 : bytes / syncs / 1024,
                    queuePercentileMicros(0.5),
                    queuePercentileMicros(0.99),
                    syncPercentileMicros(0.5),
                    syncPercentileMicros(0.99));
        }
    }
}
