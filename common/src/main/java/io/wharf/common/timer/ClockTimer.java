package io.wharf.common.timer;

import io.wharf.common.Clock;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DelayTimer} whose one thread reads the time from a {@link Clock}: a task runs once the clock has reached
 * its deadline. With the system clock the thread sleeps until the next deadline; with any other clock (a test's
 * manual one, which moves when it is told to) it looks again every {@code pollMs}, so a test that advances the clock
 * sees its timeouts fire within that.
 *
 * <p>Thread-safe. Tasks run on the timer's thread and must be quick (hand real work to another executor); a task
 * that throws is logged and the timer goes on.
 */
public final class ClockTimer implements DelayTimer, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClockTimer.class);

    private record Entry(long deadlineMs, long sequence, Runnable task, AtomicBoolean cancelled) {}

    private final Clock clock;
    private final long pollMs;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> a.deadlineMs != b.deadlineMs
            ? Long.compare(a.deadlineMs, b.deadlineMs)
            : Long.compare(a.sequence, b.sequence));
    private final AtomicLong sequence = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param pollMs how often the thread looks at a clock that is not the system's; ignored for the system clock
     */
    public ClockTimer(String threadName, Clock clock, long pollMs) {
        this.clock = clock;
        this.pollMs = clock == Clock.system() ? Long.MAX_VALUE : Math.max(1, pollMs);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public Scheduled schedule(long delayMs, Runnable task) {
        AtomicBoolean cancelled = new AtomicBoolean();
        Entry entry = new Entry(clock.nowMs() + Math.max(0, delayMs), sequence.incrementAndGet(), task, cancelled);
        synchronized (queue) {
            queue.add(entry);
            if (queue.peek() == entry) {
                queue.notifyAll();
            }
        }
        return () -> cancelled.set(true);
    }

    /** How many tasks wait, cancelled ones included until their deadline; for tests. */
    public int pending() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private void run() {
        while (running) {
            Entry due;
            synchronized (queue) {
                Entry next = queue.peek();
                long now = clock.nowMs();
                if (next == null || next.deadlineMs > now) {
                    long wait = next == null ? pollMs : Math.min(pollMs, next.deadlineMs - now);
                    try {
                        queue.wait(wait == Long.MAX_VALUE ? 0 : Math.max(1, wait));
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                due = queue.poll();
            }
            if (!due.cancelled.get()) {
                try {
                    due.task.run();
                } catch (RuntimeException e) {
                    log.error("A delayed task failed", e);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
