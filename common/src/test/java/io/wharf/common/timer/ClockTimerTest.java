package io.wharf.common.timer;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.Clock;
import io.wharf.common.ManualClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tasks run once their clock reaches their deadline, in deadline order, and a cancelled one never runs. */
class ClockTimerTest {

    @Test
    void aManualClockDecidesWhenTasksRun() throws Exception {
        ManualClock clock = new ManualClock(1_000);
        List<String> ran = new CopyOnWriteArrayList<>();
        try (ClockTimer timer = new ClockTimer("test-timer", clock, 1)) {
            timer.schedule(500, () -> ran.add("late"));
            timer.schedule(100, () -> ran.add("early"));
            DelayTimer.Scheduled cancelled = timer.schedule(200, () -> ran.add("cancelled"));
            cancelled.cancel();
            Thread.sleep(50);
            assertThat(ran).isEmpty();
            clock.advanceMs(300);
            waitFor(() -> ran.size() == 1);
            assertThat(ran).containsExactly("early");
            clock.advanceMs(300);
            waitFor(() -> ran.size() == 2);
            Thread.sleep(20);
            assertThat(ran).containsExactly("early", "late");
        }
    }

    @Test
    void withTheSystemClockATaskRunsAfterItsDelay() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (ClockTimer timer = new ClockTimer("test-timer", Clock.system(), 1)) {
            long start = System.nanoTime();
            timer.schedule(30, done::countDown);
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        }
    }

    @Test
    void aFailingTaskDoesNotStopTheTimer() throws Exception {
        ManualClock clock = new ManualClock(0);
        CountDownLatch after = new CountDownLatch(1);
        try (ClockTimer timer = new ClockTimer("test-timer", clock, 1)) {
            timer.schedule(1, () -> {
                throw new IllegalStateException("boom");
            });
            timer.schedule(2, after::countDown);
            clock.advanceMs(5);
            assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }
}
