package io.wharf.storage.cleaner;

import io.wharf.common.Clock;

/**
 * Keeps the cleaners' disk traffic at or below {@code log.cleaner.io.max.bytes.per.second}, summed over every cleaner
 * thread, so that cleaning never starves produce and fetch: each thread reports the bytes it read or wrote, and waits
 * when the total since the window began runs ahead of the rate. Thread-safe.
 */
public final class Throttler {

    /** How often the rate is checked, and the window it is measured over. */
    private static final long CHECK_INTERVAL_NANOS = 300_000_000L;

    private final Clock clock;
    private final double bytesPerSecond;
    private final Sleeper sleeper;
    private long windowStartNanos;
    private long bytesInWindow;

    /** How a thread waits; tests pass one that only counts. */
    @FunctionalInterface
    public interface Sleeper {
        /** The thread really sleeps. */
        Sleeper SYSTEM = nanos -> java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);

        void sleepNanos(long nanos) throws InterruptedException;
    }

    public Throttler(Clock clock, double bytesPerSecond) {
        this(clock, bytesPerSecond, Sleeper.SYSTEM);
    }

    public Throttler(Clock clock, double bytesPerSecond, Sleeper sleeper) {
        this.clock = clock;
        this.bytesPerSecond = bytesPerSecond;
        this.sleeper = sleeper;
        this.windowStartNanos = clock.nanoTime();
    }

    /** Counts {@code bytes} of cleaner I/O and waits as long as the rate asks. */
    public void acquire(long bytes) throws InterruptedException {
        if (bytesPerSecond <= 0 || Double.isInfinite(bytesPerSecond) || bytesPerSecond >= Long.MAX_VALUE) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            bytesInWindow += bytes;
            long now = clock.nanoTime();
            long elapsed = now - windowStartNanos;
            if (elapsed < CHECK_INTERVAL_NANOS && bytesInWindow < bytesPerSecond * CHECK_INTERVAL_NANOS / 1e9) {
                return;
            }
            long allowedNanos = (long) (bytesInWindow / bytesPerSecond * 1e9);
            waitNanos = allowedNanos - elapsed;
            windowStartNanos = now + Math.max(0, waitNanos);
            bytesInWindow = 0;
        }
        if (waitNanos > 0) {
            sleeper.sleepNanos(waitNanos);
        }
    }
}
