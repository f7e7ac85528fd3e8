package io.wharf.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.common.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A cleaner thread paced to a share of its time pauses after each slice of work in which appends came, long enough
 * that its work is that share of work and pause; with no appends, or a share of 1, it never pauses.
 */
class PacerTest {

    private final ManualClock clock = new ManualClock(0);
    private final List<Long> sleeps = new ArrayList<>();
    private long appended;

    private Pacer pacer(double share) {
        return new Pacer(clock, share, () -> appended, nanos -> {
            sleeps.add(nanos);
            clock.advance(nanos, TimeUnit.NANOSECONDS);
        });
    }

    private void work(Pacer pacer, long ms) throws InterruptedException {
        for (long i = 0; i < ms; i++) {
            clock.advanceMs(1);
            pacer.check();
        }
    }

    @Test
    void aSliceWithAppendsIsFollowedByAPauseThatLeavesTheRestOfTheTime() throws InterruptedException {
        Pacer pacer = pacer(0.25);
        pacer.start();
        appended += 5;

        work(pacer, 20);

        assertThat(sleeps).containsExactly(TimeUnit.MILLISECONDS.toNanos(60));
        assertThat(pacer.pausedNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(60));
        work(pacer, 19);
        assertThat(sleeps).as("no pause within the next slice").hasSize(1);
    }

    @Test
    void withoutAppendsTheThreadNeverPauses() throws InterruptedException {
        Pacer pacer = pacer(0.1);
        pacer.start();

        work(pacer, 200);

        assertThat(sleeps).isEmpty();
        assertThat(pacer.pausedNanos()).isZero();
    }

    @Test
    void appendsDuringAPauseCountForTheNextSliceOnly() throws InterruptedException {
        Pacer pacer = new Pacer(clock, 0.5, () -> appended, nanos -> {
            sleeps.add(nanos);
            if (sleeps.size() == 1) {
                appended++; // an append lands while the thread sleeps the first time
            }
            clock.advance(nanos, TimeUnit.NANOSECONDS);
        });
        pacer.start();
        appended++;

        work(pacer, 20);
        assertThat(sleeps).hasSize(1);
        work(pacer, 20);
        assertThat(sleeps).as("the append made during the first pause").hasSize(2);
        work(pacer, 20);
        assertThat(sleeps).as("nothing appended since").hasSize(2);
    }

    @Test
    void aShareOfOneNeverPausesAndAShareOutsideItsRangeIsRefused() throws InterruptedException {
        Pacer pacer = pacer(1);
        pacer.start();
        appended++;
        work(pacer, 100);
        assertThat(sleeps).isEmpty();

        assertThatThrownBy(() -> pacer(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pacer(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startForgetsTheLastPassesPauses() throws InterruptedException {
        Pacer pacer = pacer(0.5);
        pacer.start();
        appended++;
        work(pacer, 20);
        assertThat(pacer.pausedNanos()).isPositive();

        pacer.start();

        assertThat(pacer.pausedNanos()).isZero();
    }
}
