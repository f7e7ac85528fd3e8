package io.wharf.coordinator.runtime;

/**
 * Schedules delayed work. Production uses a scheduled executor; tests use a manual one driven by a
 * {@link io.wharf.common.ManualClock}, so session and rebalance timeouts are tested without sleeping.
 */
public interface CoordinatorTimer {

    /** A scheduled task that can be cancelled. */
    interface Scheduled {
        void cancel();
    }

    /** Runs {@code task} after {@code delayMs}, on a timer thread. */
    Scheduled schedule(long delayMs, Runnable task);
}
