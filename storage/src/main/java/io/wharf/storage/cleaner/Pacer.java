package io.wharf.storage.cleaner;

import io.wharf.common.Clock;
import java.util.function.LongSupplier;

/**
 * Keeps one cleaner thread to a share of its time while the broker is taking appends ({@code
 * wharf.log.cleaner.busy.share}), so that a pass does not take a core that produce needs: the thread works in slices of
 * about {@link #SLICE_NANOS}, and after a slice in which some log's end moved it sleeps long enough that its work is at
 * most that share of work and sleep together. With no appends it works unhindered. The byte rate limit ({@link
 * Throttler}) applies besides. One per cleaner thread; not thread-safe.
 */
public final class Pacer {

    /** How long the thread works between two looks at the logs. */
    static final long SLICE_NANOS = 20_000_000L;

    private final Clock clock;
    private final double busyShare;
    private final LongSupplier appended;
    private final Throttler.Sleeper sleeper;
    private long sliceStartNanos;
    private long lastAppended;
    private long pausedNanos;

    /**
     * @param busyShare the share of its time the thread may work while appends come, in (0, 1]; 1 never pauses
     * @param appended a number that grows with every append (the sum of the logs' end offsets)
     */
    public Pacer(Clock clock, double busyShare, LongSupplier appended, Throttler.Sleeper sleeper) {
        if (!(busyShare > 0 && busyShare <= 1)) {
            throw new IllegalArgumentException("busy share " + busyShare + " is not in (0, 1]");
        }
        this.clock = clock;
        this.busyShare = busyShare;
        this.appended = appended;
        this.sleeper = sleeper;
    }

    public Pacer(Clock clock, double busyShare, LongSupplier appended) {
        this(clock, busyShare, appended, Throttler.Sleeper.SYSTEM);
    }

    /** A pacer that never pauses. */
    public static Pacer unhindered() {
        return new Pacer(Clock.system(), 1, () -> 0);
    }

    /** Starts the first slice of a pass and forgets the pauses of the last one. */
    void start() {
        pausedNanos = 0;
        if (busyShare < 1) {
            sliceStartNanos = clock.nanoTime();
            lastAppended = appended.getAsLong();
        }
    }

    /** Called between two pieces of work: once a slice is over, pauses if appends came during it. */
    void check() throws InterruptedException {
        if (busyShare >= 1) {
            return;
        }
        long now = clock.nanoTime();
        long worked = now - sliceStartNanos;
        if (worked < SLICE_NANOS) {
            return;
        }
        long appendedNow = appended.getAsLong();
        // Read before the pause: what is appended during it counts for the next slice.
        boolean busy = appendedNow != lastAppended;
        lastAppended = appendedNow;
        if (busy) {
            long pause = (long) (worked * (1 - busyShare) / busyShare);
            sleeper.sleepNanos(pause);
            pausedNanos += pause;
        }
        sliceStartNanos = clock.nanoTime();
    }

    /** The time this pass paused so far. */
    long pausedNanos() {
        return pausedNanos;
    }
}
