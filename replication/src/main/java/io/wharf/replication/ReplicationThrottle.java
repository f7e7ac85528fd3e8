package io.wharf.replication;

import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import java.util.function.BiPredicate;

/**
 * The throttle of one side of replication on this broker: which partitions it applies to (their topic's throttled
 * replicas name this broker) and the {@link ReplicationQuota} their bytes count against. Only replicas outside the
 * ISR are ever held back, as in Kafka: a throttle slows a move, never a follower the high watermark waits for.
 */
public final class ReplicationThrottle {

    /** No partition is throttled. */
    public static final ReplicationThrottle NONE =
            new ReplicationThrottle((tp, broker) -> false, new ReplicationQuota(Clock.system(), Long.MAX_VALUE));

    private final BiPredicate<TopicPartition, Integer> throttled;
    private final ReplicationQuota quota;

    /**
     * @param throttled whether a partition's replica on a broker is throttled (read per call, so it follows the
     *     topic settings)
     */
    public ReplicationThrottle(BiPredicate<TopicPartition, Integer> throttled, ReplicationQuota quota) {
        this.throttled = throttled;
        this.quota = quota;
    }

    /** Whether the replica of {@code tp} on {@code broker} is throttled at all. */
    public boolean applies(TopicPartition tp, int broker) {
        return throttled.test(tp, broker);
    }

    /**
     * Whether the replica of {@code tp} on {@code broker} should sit out this fetch: it is throttled, not in sync,
     * and the throttled bytes are over their rate.
     */
    public boolean holdsBack(TopicPartition tp, int broker, boolean inSync) {
        return !inSync && applies(tp, broker) && quota.isExceeded();
    }

    /** Counts bytes replicated for the replica of {@code tp} on {@code broker}, if it is throttled. */
    public void record(TopicPartition tp, int broker, long bytes) {
        if (bytes > 0 && applies(tp, broker)) {
            quota.record(bytes);
        }
    }
}
