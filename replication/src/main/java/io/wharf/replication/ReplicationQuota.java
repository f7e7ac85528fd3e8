package io.wharf.replication;

import io.wharf.common.Clock;

/**
 * A byte rate limit for the replication of moving replicas (Kafka's {@code leader.replication.throttled.rate} and
 * {@code follower.replication.throttled.rate}): the bytes recorded over a window of one-second samples, divided by
 * the time the window covers, against the limit. It does not block anyone: a caller asks {@link #isExceeded()} and
 * leaves throttled partitions out of a fetch while it is, so a big move cannot take the bandwidth clients need.
 *
 * <p>Thread-safe.
 */
public final class ReplicationQuota {

    /** Samples in the window, of one second each (Kafka's replication.quota.window.num is 11). */
    static final int SAMPLES = 11;

    private final Clock clock;
    private final long[] bytes = new long[SAMPLES];
    private final long[] second = new long[SAMPLES];
    private long firstSecond = -1;
    private volatile long limit;

    /** @param bytesPerSecond the limit; {@link Long#MAX_VALUE} for none */
    public ReplicationQuota(Clock clock, long bytesPerSecond) {
        this.clock = clock;
        this.limit = bytesPerSecond;
    }

    public void setLimit(long bytesPerSecond) {
        this.limit = bytesPerSecond;
    }

    public long limit() {
        return limit;
    }

    /** Whether the bytes recorded over the window exceed the limit. */
    public synchronized boolean isExceeded() {
        return limit != Long.MAX_VALUE && rate() > limit;
    }

    /** Counts {@code count} bytes sent or received for throttled replicas. */
    public synchronized void record(long count) {
        long now = clock.nowMs() / 1000;
        if (firstSecond < 0) {
            firstSecond = now;
        }
        int slot = (int) Math.floorMod(now, (long) SAMPLES);
        if (second[slot] != now) {
            second[slot] = now;
            bytes[slot] = 0;
        }
        bytes[slot] += count;
    }

    /** Bytes per second over the window (or over the time since the first record, when that is shorter). */
    synchronized double rate() {
        if (firstSecond < 0) {
            return 0;
        }
        long now = clock.nowMs() / 1000;
        long total = 0;
        for (int i = 0; i < SAMPLES; i++) {
            if (second[i] > now - SAMPLES && second[i] <= now) {
                total += bytes[i];
            }
        }
        long seconds = Math.min(SAMPLES, now - firstSecond + 1);
        return (double) total / seconds;
    }
}
