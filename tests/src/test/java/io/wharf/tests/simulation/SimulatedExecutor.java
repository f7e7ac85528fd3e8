package io.wharf.tests.simulation;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The threads a broker's partition logs run work on (the flush executor's fsyncs, the scheduler's delayed deletions),
 * as events of the {@link Simulation}: a task runs when the simulation reaches it, after a delay drawn for it (how
 * long an fsync takes), and never once the broker has crashed. So a log's fsync completes at a simulated moment of
 * the simulation's choosing, and a crash takes every fsync not yet done with it.
 *
 * <p>Only what {@link io.wharf.storage.PartitionLog} uses is served: {@code execute} and one-shot {@code schedule}.
 */
final class SimulatedExecutor extends AbstractExecutorService implements ScheduledExecutorService {

    private final Simulation sim;
    private final String name;
    private final LongSupplier latencyMs;
    private boolean stopped;

    /** @param latencyMs how long each task executed at once takes to run */
    SimulatedExecutor(Simulation sim, String name, LongSupplier latencyMs) {
        this.sim = sim;
        this.name = name;
        this.latencyMs = latencyMs;
    }

    @Override
    public void execute(Runnable task) {
        submitAfter(latencyMs.getAsLong(), task);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        Scheduled scheduled = new Scheduled(sim.nowMs() + unit.toMillis(delay));
        submitAfter(unit.toMillis(delay), () -> {
            if (!scheduled.cancelled) {
                scheduled.done = true;
                task.run();
            }
        });
        return scheduled;
    }

    private void submitAfter(long delayMs, Runnable task) {
        if (stopped) {
            return;
        }
        sim.after(delayMs, name, () -> {
            if (!stopped) {
                task.run();
            }
        });
    }

    /** The broker died: nothing queued runs, and nothing submitted later either. */
    void kill() {
        stopped = true;
    }

    @Override
    public void shutdown() {
        stopped = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        stopped = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return stopped;
    }

    @Override
    public boolean isTerminated() {
        return stopped;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return stopped;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the simulation serves one-shot runnables only");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("the simulation serves one-shot runnables only");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the simulation serves one-shot runnables only");
    }

    /** A scheduled task; cancelling it keeps it from running. */
    private final class Scheduled implements ScheduledFuture<Object> {
        private final long dueMs;
        private boolean cancelled;
        private boolean done;

        Scheduled(long dueMs) {
            this.dueMs = dueMs;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueMs - sim.nowMs(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), other.getDelay(TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("nothing may block in the simulation");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("nothing may block in the simulation");
        }
    }
}
