package io.wharf.common.timer;

/**
 * Runs work after a delay measured on a {@link io.wharf.common.Clock}: the timeouts of delayed operations (a
 * long-poll fetch, an acks=all produce waiting for its replicas, a share fetch waiting for records).
 */
public interface DelayTimer {

    /** A scheduled task that can be cancelled; cancelling one that ran or was cancelled does nothing. */
    interface Scheduled {
        void cancel();
    }

    /** Runs {@code task} once {@code delayMs} have passed on the clock, on the timer's thread. */
    Scheduled schedule(long delayMs, Runnable task);
}
