package io.wharf.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.common.ManualClock;
import io.wharf.common.TopicPartition;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationQuotaTest {

    private final ManualClock clock = new ManualClock(1_000_000);

    @Test
    void isExceededOnlyWhileTheRateOverTheWindowIsAboveTheLimit() {
        ReplicationQuota quota = new ReplicationQuota(clock, 1_000);
        assertThat(quota.isExceeded()).isFalse();
        quota.record(900);
        assertThat(quota.isExceeded()).isFalse();
        quota.record(200);
        assertThat(quota.isExceeded()).as("1100 bytes in the first second").isTrue();
        clock.advanceMs(1_000);
        assertThat(quota.isExceeded()).as("1100 bytes over two seconds").isFalse();
        quota.record(1_000);
        assertThat(quota.isExceeded()).as("2100 bytes over two seconds").isTrue();
    }

    @Test
    void oldSamplesLeaveTheWindow() {
        ReplicationQuota quota = new ReplicationQuota(clock, 100);
        quota.record(5_000);
        for (int second = 1; second < ReplicationQuota.SAMPLES; second++) {
            clock.advanceMs(1_000);
            quota.record(50);
        }
        assertThat(quota.isExceeded()).isTrue();
        clock.advanceMs(1_000);
        quota.record(50);
        assertThat(quota.rate()).isEqualTo(50.0);
        assertThat(quota.isExceeded()).isFalse();
    }

    @Test
    void noLimitIsNeverExceededAndTheLimitMayChange() {
        ReplicationQuota quota = new ReplicationQuota(clock, Long.MAX_VALUE);
        quota.record(Long.MAX_VALUE / 2);
        assertThat(quota.isExceeded()).isFalse();
        quota.setLimit(10);
        assertThat(quota.isExceeded()).isTrue();
    }

    @Test
    void throttledReplicasAreStarOrPartitionBrokerPairs() {
        assertThat(ThrottledReplicas.isValid(List.of())).isTrue();
        assertThat(ThrottledReplicas.isValid(List.of("*"))).isTrue();
        assertThat(ThrottledReplicas.isValid(List.of("0:1", " 2:3"))).isTrue();
        assertThat(ThrottledReplicas.isValid(List.of("*", "0:1"))).isFalse();
        assertThat(ThrottledReplicas.isValid(List.of("0-1"))).isFalse();
        assertThat(ThrottledReplicas.isValid(List.of("a:1"))).isFalse();
        assertThatThrownBy(() -> ThrottledReplicas.parse(List.of("x"))).isInstanceOf(IllegalArgumentException.class);

        ThrottledReplicas some = ThrottledReplicas.parse(List.of("0:1", "2:3"));
        assertThat(some.contains(0, 1)).isTrue();
        assertThat(some.contains(2, 3)).isTrue();
        assertThat(some.contains(0, 3)).isFalse();
        assertThat(ThrottledReplicas.parse(List.of("*")).contains(7, 9)).isTrue();
        assertThat(ThrottledReplicas.parse(List.of()).isEmpty()).isTrue();
    }

    @Test
    void aThrottleHoldsBackOnlyThrottledReplicasOutsideTheIsrOverTheRate() {
        ReplicationQuota quota = new ReplicationQuota(clock, 100);
        TopicPartition moving = new TopicPartition("t", 0);
        TopicPartition other = new TopicPartition("t", 1);
        ReplicationThrottle throttle = new ReplicationThrottle((tp, broker) -> tp.equals(moving) && broker == 2, quota);

        throttle.record(other, 2, 1_000);
        assertThat(quota.isExceeded())
                .as("bytes of a replica that is not throttled do not count")
                .isFalse();
        throttle.record(moving, 2, 1_000);
        assertThat(throttle.holdsBack(moving, 2, false)).isTrue();
        assertThat(throttle.holdsBack(moving, 2, true))
                .as("an in-sync follower is never held back")
                .isFalse();
        assertThat(throttle.holdsBack(other, 2, false)).isFalse();
        assertThat(throttle.holdsBack(moving, 3, false)).isFalse();
    }
}
