package io.wharf.common;

/**
 * The only source of time in Wharf. Code that needs the time takes a {@code Clock} (or a {@code nowMs}
 * argument), so that timeouts, retention and delayed operations can be driven by a {@link ManualClock} in tests.
 *
 * <p>Implementations are thread-safe.
 */
public interface Clock {

    /** Wall-clock time in milliseconds since the epoch: timestamps that are stored or compared with clients'. */
    long nowMs();

    /** A monotonic reading in nanoseconds, for measuring elapsed time only. */
    long nanoTime();

    /** The clock of the machine. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** The machine's clock. */
    enum SystemClock implements Clock {
        INSTANCE;

        @Override
        public long nowMs() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    }
}
