package io.wharf.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Group commit for one log: however many appends wait to be durable, one fsync at a time runs for them all.
 *
 * <p>A waiter asks for "everything below offset N on disk". If no sync is running, one is started on the flush
 * executor; it reads the log end offset, forces the files, and completes every waiter at or below that end. Waiters
 * that arrived meanwhile with larger offsets get the next sync, which starts at once. So under load each sync covers
 * all the appends made during the previous one, and an idle log pays one fsync per append.
 *
 * <p>Threads: any thread may wait; syncs run on the executor, one at a time per log.
 */
final class GroupCommit implements Durability {

    /** Forces every byte below {@code offset} to disk. */
    @FunctionalInterface
    interface Syncer {
        void syncUpTo(long offset) throws IOException;
    }

    private record Waiter(long offset, CompletableFuture<Void> future) {}

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Executor executor;
    private final LongSupplier endOffset;
    private final Syncer syncer;
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.offset, b.offset));
    private boolean running;
    private long truncations;
    private volatile long durableOffset;
    private volatile Throwable failure;

    GroupCommit(Executor executor, LongSupplier endOffset, Syncer syncer, long durableOffset) {
        this.executor = executor;
        this.endOffset = endOffset;
        this.syncer = syncer;
        this.durableOffset = durableOffset;
    }

    /** Every offset below this is on disk. */
    @Override
    public long durableOffset() {
        return durableOffset;
    }

    /** Completes once every record below {@code offset} (at most the log end) is on disk. */
    @Override
    public CompletableFuture<Void> awaitDurable(long offset) {
        long target = Math.min(offset, endOffset.getAsLong());
        if (target <= durableOffset) {
            return DONE;
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        boolean start;
        synchronized (this) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (target <= durableOffset) {
                return DONE;
            }
            waiters.add(new Waiter(target, future));
            start = !running;
            running = true;
        }
        if (start) {
            executor.execute(this::syncWhileWaited);
        }
        return future;
    }

    private void syncWhileWaited() {
        while (true) {
            long generation;
            synchronized (this) {
                generation = truncations;
            }
            long target = endOffset.getAsLong();
            try {
                syncer.syncUpTo(target);
            } catch (IOException | RuntimeException e) {
                fail(new LogException(LogError.KAFKA_STORAGE_ERROR, "fsync failed: " + e.getMessage(), e));
                return;
            }
            List<CompletableFuture<Void>> done = new ArrayList<>();
            boolean more;
            synchronized (this) {
                // A truncation during the sync may have replaced the bytes below target: then prove nothing.
                if (generation == truncations && target > durableOffset) {
                    durableOffset = target;
                }
                while (!waiters.isEmpty() && waiters.peek().offset <= durableOffset) {
                    done.add(waiters.poll().future);
                }
                more = !waiters.isEmpty();
                running = more;
            }
            done.forEach(f -> f.complete(null));
            if (!more) {
                return;
            }
        }
    }

    /** Marks everything below {@code offset} durable without a sync (after recovery forced it, or on close). */
    @Override
    public synchronized void markDurable(long offset) {
        if (offset > durableOffset) {
            durableOffset = offset;
        }
    }

    /** After the log was cut to {@code newEnd}: fails the waiters for records that no longer exist. */
    @Override
    public void truncated(long newEnd) {
        List<CompletableFuture<Void>> lost = new ArrayList<>();
        synchronized (this) {
            truncations++;
            durableOffset = Math.min(durableOffset, newEnd);
            waiters.removeIf(w -> {
                if (w.offset > newEnd) {
                    lost.add(w.future);
                    return true;
                }
                return false;
            });
        }
        LogException cause = new LogException(
                LogError.KAFKA_STORAGE_ERROR,
                "The log was truncated to " + newEnd + " before the records were flushed");
        lost.forEach(f -> f.completeExceptionally(cause));
    }

    /** Fails every waiter, and every later one, after the disk failed. */
    @Override
    public void fail(Throwable cause) {
        List<Waiter> failed;
        synchronized (this) {
            failure = cause;
            failed = new ArrayList<>(waiters);
            waiters.clear();
            running = false;
        }
        failed.forEach(w -> w.future.completeExceptionally(cause));
    }
}
