package io.wharf.common.concurrent;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: a single-threaded owner without a thread of its
 * own. The broker gives one to each connection (so a producer's batches are appended in the order it sent them) and
 * each coordinator shard (so its state has one writer). A task that throws does not stop the ones after it.
 */
public final class SerialExecutor implements Executor {

    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (draining.compareAndSet(false, true)) {
            pool.execute(this::drain);
        }
    }

    /**
     * Whether no task is queued or running. Meant for the one thread that submits: if it sees the executor idle, a
     * task it runs itself instead cannot overtake an earlier one.
     */
    public boolean isIdle() {
        return !draining.get() && tasks.isEmpty();
    }

    private void drain() {
        while (true) {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    Thread current = Thread.currentThread();
                    current.getUncaughtExceptionHandler().uncaughtException(current, e);
                }
            }
            draining.set(false);
            // A task added after the last poll but before the flag was cleared would be stranded otherwise.
            if (tasks.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
