package io.wharf.coordinator.runtime;

import io.wharf.common.ManualClock;
import java.util.PriorityQueue;

/** Timers due on a manual clock; {@link #runDue(long)} runs those that came due, earliest first. */
public final class ManualTimer implements CoordinatorTimer {

    private record Task(long due, long sequence, Runnable run, boolean[] cancelled) {}

    private final ManualClock clock;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.sequence, b.sequence));
    private long sequence;

    public ManualTimer(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public Scheduled schedule(long delayMs, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(clock.nowMs() + delayMs, sequence++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    public void runDue(long nowMs) {
        while (!tasks.isEmpty() && tasks.peek().due <= nowMs) {
            Task task = tasks.poll();
            if (!task.cancelled[0]) {
                task.run.run();
            }
        }
    }
}
