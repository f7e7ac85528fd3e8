package io.wharf.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThrottlerTest {

    private final ManualClock clock = new ManualClock(0);
    private final List<Long> sleeps = new ArrayList<>();

    @Test
    void waitsAsLongAsTheRateAsksOnceAWindowIsFull() throws Exception {
        Throttler throttler = new Throttler(clock, 1_000_000, sleeps::add);

        throttler.acquire(100_000);
        assertThat(sleeps).as("a tenth of a second's worth, within the window").isEmpty();
        throttler.acquire(400_000);

        assertThat(sleeps).hasSize(1);
        assertThat(sleeps.get(0)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
    }

    @Test
    void doesNotWaitWhenTheBytesCameSlowerThanTheRate() throws Exception {
        Throttler throttler = new Throttler(clock, 1_000_000, sleeps::add);

        clock.advance(1, TimeUnit.SECONDS);
        throttler.acquire(500_000);

        assertThat(sleeps).isEmpty();
    }

    @Test
    void anUnlimitedRateNeverWaits() throws Exception {
        Throttler throttler = new Throttler(clock, Double.MAX_VALUE, sleeps::add);

        throttler.acquire(Long.MAX_VALUE / 2);

        assertThat(sleeps).isEmpty();
    }
}
