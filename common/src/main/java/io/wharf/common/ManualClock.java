package io.wharf.common;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to. Both readings advance together, so code that measures elapsed time with
 * {@link #nanoTime()} and code that compares {@link #nowMs()} timestamps see the same passage of time.
 *
 * <p>Thread-safe: tests may advance it from one thread while the code under test reads it from others.
 */
public final class ManualClock implements Clock {

    private final AtomicLong nanos;
    private final long epochOffsetMs;

    public ManualClock(long startMs) {
        this.epochOffsetMs = startMs;
        this.nanos = new AtomicLong();
    }

    @Override
    public long nowMs() {
        return epochOffsetMs + TimeUnit.NANOSECONDS.toMillis(nanos.get());
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /** Moves the clock forward; a negative amount is a programming error. */
    public void advance(long amount, TimeUnit unit) {
        Invariants.check(amount >= 0, "a clock cannot go back");
        nanos.addAndGet(unit.toNanos(amount));
    }

    public void advanceMs(long ms) {
        advance(ms, TimeUnit.MILLISECONDS);
    }
}
