package io.wharf.coordinator.runtime;

import io.wharf.common.concurrent.SerialExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a coordinator's shards, one per internal partition. Every operation on a shard runs on the shard's serial
 * executor, so a shard has one writer:
 *
 * <ol>
 *   <li>the operation computes records and a response from the current state, changing no durable state;
 *   <li>the runtime appends the records to the partition and replays them into the shard;
 *   <li>the response is given once the records are durable. A read waits for whatever was written before it, so no
 *       client ever sees state that a crash could take back.
 * </ol>
 *
 * <p>A partition is {@link #load loaded} when this broker starts to lead it and {@link #unload unloaded} when it
 * stops: its states are
 *
 * <pre>
 * (none) ──load──▶ LOADING ──replayed──▶ ACTIVE
 *                     │                    │ an append, a replay or a commit failed
 *                     └──replay failed───▶ FAILED ──load (or, after a failed write, a second)──▶ unloaded, then
 *                                                   LOADING in a fresh shard
 * LOADING, ACTIVE, FAILED ──unload──▶ UNLOADED: the partition is gone; a later load starts a fresh shard
 * </pre>
 *
 * Only an ACTIVE partition runs operations; others are refused with {@link NotCoordinatorException} (retriable while
 * LOADING). An operation whose records cannot be made durable fails with one too, so its client finds the coordinator
 * again and retries. Unloading fails every operation of the partition that is queued, waiting for its records to be durable
 * or waiting for a later operation, cancels its timers, and lets the shard drop its soft state; a later load replays
 * the partition into a fresh shard, after the unload is done.
 *
 * <p>When a partition has grown past {@code snapshotBytes} (and twice its last snapshot), the runtime appends the
 * shard's whole state as records and, once they are durable, deletes everything before them.
 *
 * <p>{@link #load}, {@link #unload} and the operations may be called from any thread.
 *
 * @param <S> the shard type
 */
public final class CoordinatorRuntime<S extends CoordinatorShard> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorRuntime.class);

    /** How long a partition whose write failed waits before it is reloaded from its log. */
    public static final long RELOAD_BACKOFF_MS = 1000;

    /** Lets a shard schedule and cancel its own delayed operations. */
    public interface ShardContext<S> {
        int partition();

        /** Runs {@code op} after {@code delayMs} as a write operation, replacing any timer with the same key. */
        void schedule(String key, long delayMs, Function<S, CoordinatorResult<Void>> op);

        void cancel(String key);

        /** Queues {@code op} as a write operation on the shard; may be called from any thread. */
        void submit(Function<S, CoordinatorResult<Void>> op);
    }

    private enum State {
        LOADING,
        ACTIVE,
        FAILED,
        UNLOADED
    }

    /** One partition's shard and what the runtime tracks for it. Mutable fields are touched on its serial executor. */
    private final class Holder implements ShardContext<S> {
        final int partition;
        final SerialExecutor serial;
        final Map<String, CoordinatorTimer.Scheduled> timers = new HashMap<>();
        final AtomicReference<State> state = new AtomicReference<>(State.LOADING);
        final CompletableFuture<Void> loaded = new CompletableFuture<>();
        final CompletableFuture<Void> unloaded = new CompletableFuture<>();
        /** The answers of operations taken on and not given yet; failed when the partition goes. */
        final Set<CompletableFuture<?>> unanswered = ConcurrentHashMap.newKeySet();

        S shard;
        long lastWrittenOffset;
        long lastSnapshotBytes;

        Holder(int partition) {
            this.partition = partition;
            this.serial = new SerialExecutor(pool);
        }

        boolean isActive() {
            return state.get() == State.ACTIVE;
        }

        @Override
        public int partition() {
            return partition;
        }

        @Override
        public void schedule(String key, long delayMs, Function<S, CoordinatorResult<Void>> op) {
            cancel(key);
            if (!isActive()) {
                return;
            }
            CoordinatorTimer.Scheduled[] self = new CoordinatorTimer.Scheduled[1];
            self[0] = timer.schedule(
                    Math.max(0, delayMs),
                    () -> serial.execute(() -> {
                        if (timers.get(key) == self[0]) {
                            timers.remove(key);
                            runWrite(this, op, new CompletableFuture<>());
                        }
                    }));
            timers.put(key, self[0]);
        }

        @Override
        public void submit(Function<S, CoordinatorResult<Void>> op) {
            serial.execute(() -> runWrite(this, op, new CompletableFuture<>()));
        }

        @Override
        public void cancel(String key) {
            CoordinatorTimer.Scheduled scheduled = timers.remove(key);
            if (scheduled != null) {
                scheduled.cancel();
            }
        }

        /** Ends what runs for the partition: timers, waiting answers, the shard's soft state. On the serial thread. */
        void stop(String why) {
            timers.values().forEach(CoordinatorTimer.Scheduled::cancel);
            timers.clear();
            NotCoordinatorException moved =
                    new NotCoordinatorException(name + " partition " + partition + " " + why, false);
            for (CompletableFuture<?> answer : List.copyOf(unanswered)) {
                answer.completeExceptionally(moved);
            }
            unanswered.clear();
            if (shard != null) {
                shard.onUnloaded();
            }
        }
    }

    private final String name;
    private final PartitionWriter writer;
    private final Function<ShardContext<S>, S> shardFactory;
    private final Executor pool;
    private final CoordinatorTimer timer;
    private final long snapshotBytes;
    private final Map<Integer, Holder> holders = new ConcurrentHashMap<>();
    /** Unloads not finished yet, by partition: a load of the partition waits for them. */
    private final Map<Integer, CompletableFuture<Void>> unloading = new ConcurrentHashMap<>();

    public CoordinatorRuntime(
            String name,
            PartitionWriter writer,
            Function<ShardContext<S>, S> shardFactory,
            Executor pool,
            CoordinatorTimer timer,
            long snapshotBytes) {
        this.name = name;
        this.writer = writer;
        this.shardFactory = shardFactory;
        this.pool = pool;
        this.timer = timer;
        this.snapshotBytes = snapshotBytes;
    }

    /**
     * Loads a partition: replays its records into a new shard. Operations are refused as loading until it is done. A
     * partition already loading or loaded is left as it is; a failed one is unloaded and loaded afresh; one being
     * unloaded is loaded once the unload is done.
     *
     * @return completes once the partition serves, or exceptionally when its records cannot be replayed (it is then
     *     FAILED) or it was unloaded first
     */
    public synchronized CompletableFuture<Void> load(int partition) {
        Holder current = holders.get(partition);
        if (current != null) {
            if (current.state.get() != State.FAILED) {
                return current.loaded;
            }
            unload(partition);
        }
        Holder holder = new Holder(partition);
        holders.put(partition, holder);
        CompletableFuture<Void> previous = unloading.getOrDefault(partition, CompletableFuture.completedFuture(null));
        previous.whenComplete((ignored, error) -> holder.serial.execute(() -> replayAll(holder)));
        return holder.loaded;
    }

    private void replayAll(Holder holder) {
        if (holder.state.get() != State.LOADING) {
            holder.loaded.completeExceptionally(new NotCoordinatorException(
                    name + " partition " + holder.partition + " was unloaded before it was loaded", false));
            return;
        }
        try {
            holder.shard = shardFactory.apply(holder);
            long startNanos = System.nanoTime();
            long[] end = {0};
            long[] replayed = {0};
            writer.read(holder.partition, (offset, record) -> {
                holder.shard.replay(record);
                end[0] = offset + 1;
                replayed[0]++;
            });
            log.info(
                    "{}: loaded partition {}: {} records replayed in {} ms",
                    name,
                    holder.partition,
                    replayed[0],
                    (System.nanoTime() - startNanos) / 1_000_000);
            holder.lastWrittenOffset = end[0];
            holder.lastSnapshotBytes = 0;
            if (!holder.state.compareAndSet(State.LOADING, State.ACTIVE)) {
                holder.loaded.completeExceptionally(new NotCoordinatorException(
                        name + " partition " + holder.partition + " was unloaded while it was loaded", false));
                return;
            }
            holder.shard.onLoaded();
            holder.loaded.complete(null);
        } catch (IOException | RuntimeException e) {
            if (holder.state.compareAndSet(State.LOADING, State.FAILED)
                    || holder.state.compareAndSet(State.ACTIVE, State.FAILED)) {
                holder.stop("failed to load");
            }
            log.error("{}: cannot load partition {}", name, holder.partition, e);
            holder.loaded.completeExceptionally(e);
        }
    }

    /** Loads partitions {@code 0} to {@code count - 1}. */
    public CompletableFuture<Void> loadAll(int count) {
        List<CompletableFuture<Void>> loads = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            loads.add(load(p));
        }
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new));
    }

    /** Whether the partition's shard is loaded and serving. */
    public boolean isActive(int partition) {
        Holder holder = holders.get(partition);
        return holder != null && holder.isActive();
    }

    /**
     * Runs a write operation on the partition's shard.
     *
     * @return the response, once the operation's records are durable
     */
    public <T> CompletableFuture<T> write(int partition, Function<S, CoordinatorResult<T>> op) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Holder holder = holders.get(partition);
        if (holder == null) {
            return CompletableFuture.failedFuture(
                    new NotCoordinatorException(name + " partition " + partition + " is not loaded here", false));
        }
        holder.serial.execute(() -> runWrite(holder, op, result));
        return result;
    }

    /** Runs a read-only operation; its answer waits for everything written before it to be durable. */
    public <T> CompletableFuture<T> read(int partition, Function<S, T> op) {
        return write(partition, shard -> CoordinatorResult.answer(op.apply(shard)));
    }

    /** Runs {@code op} on every loaded shard and collects the answers. */
    public <T> CompletableFuture<List<T>> readAll(Function<S, T> op) {
        List<CompletableFuture<T>> answers =
                holders.keySet().stream().map(p -> read(p, op)).toList();
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(v -> answers.stream().map(CompletableFuture::join).toList());
    }

    private <T> void runWrite(Holder holder, Function<S, CoordinatorResult<T>> op, CompletableFuture<T> result) {
        State state = holder.state.get();
        if (state != State.ACTIVE) {
            result.completeExceptionally(new NotCoordinatorException(
                    name + " partition " + holder.partition + " is " + state, state == State.LOADING));
            return;
        }
        holder.unanswered.add(result);
        result.whenComplete((answer, error) -> holder.unanswered.remove(result));
        CoordinatorResult<T> outcome;
        try {
            outcome = op.apply(holder.shard);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        CompletableFuture<Void> committed;
        if (outcome.records().isEmpty()) {
            committed = awaitCommitted(holder, holder.lastWrittenOffset);
        } else {
            long end;
            try {
                end = writer.append(holder.partition, outcome.records());
                for (CoordinatorRecord record : outcome.records()) {
                    holder.shard.replay(record);
                }
            } catch (RuntimeException e) {
                // The operation may already have changed soft state (pending requests, timers), and records that
                // were appended may not all be replayed; reloading is the only way back to what the log says.
                result.completeExceptionally(writeFailed(holder, e));
                fail(holder, e);
                return;
            }
            holder.lastWrittenOffset = end;
            committed = awaitCommitted(holder, end);
            maybeSnapshot(holder);
        }
        committed.whenComplete((ignored, failure) -> {
            if (failure != null) {
                result.completeExceptionally(writeFailed(holder, failure));
                holder.serial.execute(() -> fail(holder, failure));
                return;
            }
            if (!outcome.afterCommit().isEmpty()) {
                holder.serial.execute(() -> {
                    // A partition unloaded meanwhile has answered everything that waited; its shard is done.
                    if (holder.isActive()) {
                        outcome.afterCommit().forEach(Runnable::run);
                    }
                });
            }
            outcome.response().whenComplete((response, error) -> {
                if (error != null) {
                    result.completeExceptionally(error instanceof CompletionException c ? c.getCause() : error);
                } else {
                    result.complete(response);
                }
            });
        });
    }

    /** The writer's commit future; a writer that throws instead (the partition is gone) fails it. */
    private CompletableFuture<Void> awaitCommitted(Holder holder, long offset) {
        try {
            return writer.awaitCommitted(holder.partition, offset);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void maybeSnapshot(Holder holder) {
        long size = writer.sizeInBytes(holder.partition);
        if (size < snapshotBytes || size < 2 * holder.lastSnapshotBytes) {
            return;
        }
        List<CoordinatorRecord> snapshot = holder.shard.snapshot();
        long start = holder.lastWrittenOffset;
        long end;
        try {
            end = snapshot.isEmpty() ? start : writer.append(holder.partition, snapshot);
        } catch (RuntimeException e) {
            log.warn("{}: snapshot of partition {} failed; will try again later", name, holder.partition, e);
            return;
        }
        holder.lastWrittenOffset = end;
        long before = size;
        awaitCommitted(holder, end)
                .thenRun(() -> holder.serial.execute(() -> {
                    if (!holder.isActive()) {
                        return;
                    }
                    writer.deleteRecordsBefore(holder.partition, start);
                    holder.lastSnapshotBytes = writer.sizeInBytes(holder.partition);
                    log.info(
                            "{}: partition {} rewritten as a snapshot of {} records ({} bytes before)",
                            name,
                            holder.partition,
                            snapshot.size(),
                            before);
                }));
    }

    /**
     * What a client is told when its operation's records could not be made durable: NOT_COORDINATOR, so that it finds
     * the coordinator again and retries, as after a move (the usual cause is a leadership change under the write).
     */
    private NotCoordinatorException writeFailed(Holder holder, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof NotCoordinatorException notCoordinator) {
            return notCoordinator;
        }
        return new NotCoordinatorException(
                name + " partition " + holder.partition + " could not write: " + cause.getMessage(), cause);
    }

    /**
     * The partition stops serving and is reloaded from its log after {@link #RELOAD_BACKOFF_MS}, unless it was unloaded
     * or loaded again meanwhile. On the serial thread.
     */
    private void fail(Holder holder, Throwable cause) {
        if (!holder.state.compareAndSet(State.ACTIVE, State.FAILED)) {
            return;
        }
        log.error(
                "{}: partition {} failed and stops serving; reloading it in {} ms",
                name,
                holder.partition,
                RELOAD_BACKOFF_MS,
                cause);
        holder.stop("failed");
        timer.schedule(RELOAD_BACKOFF_MS, () -> reloadIfStillFailed(holder));
    }

    private synchronized void reloadIfStillFailed(Holder holder) {
        if (holders.get(holder.partition) == holder && holder.state.get() == State.FAILED) {
            load(holder.partition).whenComplete((ok, failure) -> {
                if (failure != null) {
                    log.error("{}: reloading partition {} failed", name, holder.partition, failure);
                }
            });
        }
    }

    /**
     * Unloads a partition: operations queued for it fail, as do those waiting for their records to be durable or for
     * a later operation; its timers stop and its shard drops its soft state. Unloading a partition that is not loaded
     * does nothing.
     *
     * @return completes once the partition is unloaded
     */
    public synchronized CompletableFuture<Void> unload(int partition) {
        Holder holder = holders.remove(partition);
        if (holder == null) {
            return unloading.getOrDefault(partition, CompletableFuture.completedFuture(null));
        }
        // Operations queued behind this point see the partition unloaded and fail instead of running.
        State before = holder.state.getAndSet(State.UNLOADED);
        unloading.put(partition, holder.unloaded);
        holder.unloaded.whenComplete((ignored, error) -> unloading.remove(partition, holder.unloaded));
        holder.serial.execute(() -> {
            if (before != State.FAILED) {
                holder.stop("was unloaded");
            }
            holder.unloaded.complete(null);
        });
        return holder.unloaded;
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> unloads = new ArrayList<>();
        for (Integer partition : List.copyOf(holders.keySet())) {
            unloads.add(unload(partition));
        }
        CompletableFuture.allOf(unloads.toArray(CompletableFuture[]::new)).join();
    }
}
