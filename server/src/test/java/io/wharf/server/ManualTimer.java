package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.ManualClock;
import io.wharf.common.timer.DelayTimer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A timer that runs its tasks, on the test's thread, when the test moves its manual clock past them. */
public final class ManualTimer implements DelayTimer {

    private record Task(long dueMs, Runnable task, boolean[] cancelled) {}

    private final ManualClock clock = new ManualClock(0);
    private final List<Task> tasks = new ArrayList<>();

    @Override
    public Scheduled schedule(long delayMs, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(clock.nowMs() + delayMs, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Moves the clock {@code ms} on and runs, in deadline order, every task due by then. */
    public void advanceMs(long ms) {
        clock.advanceMs(ms);
        List<Task> due = tasks.stream()
                .filter(t -> t.dueMs() <= clock.nowMs())
                .sorted(Comparator.comparingLong(Task::dueMs))
                .toList();
        tasks.removeAll(due);
        due.stream().filter(t -> !t.cancelled()[0]).forEach(t -> t.task().run());
    }

    /** The delay of the one task waiting (not cancelled), or -1 when none waits. */
    public long waitingDelayMs() {
        List<Task> waiting = tasks.stream().filter(t -> !t.cancelled()[0]).toList();
        assertThat(waiting.size()).isLessThanOrEqualTo(1);
        return waiting.isEmpty() ? -1 : waiting.get(0).dueMs() - clock.nowMs();
    }
}
