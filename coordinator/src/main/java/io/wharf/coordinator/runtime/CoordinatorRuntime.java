package io.wharf.coordinator.runtime;

import io.wharf.common.concurrent.SerialExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
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
 * <p>When a partition has grown past {@code snapshotBytes} (and twice its last snapshot), the runtime appends the
 * shard's whole state as records and, once they are durable, deletes everything before them.
 *
 * @param <S> the shard type
 */
public final class CoordinatorRuntime<S extends CoordinatorShard> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorRuntime.class);

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
        FAILED
    }

    /** One partition's shard and what the runtime tracks for it. Mutable fields are touched on its serial executor. */
    private final class Holder implements ShardContext<S> {
        final int partition;
        final SerialExecutor serial;
        final Map<String, CoordinatorTimer.Scheduled> timers = new HashMap<>();
        volatile State state = State.LOADING;
        S shard;
        long lastWrittenOffset;
        long lastSnapshotBytes;

        Holder(int partition) {
            this.partition = partition;
            this.serial = new SerialExecutor(pool);
        }

        @Override
        public int partition() {
            return partition;
        }

        @Override
        public void schedule(String key, long delayMs, Function<S, CoordinatorResult<Void>> op) {
            cancel(key);
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
    }

    private final String name;
    private final PartitionWriter writer;
    private final Function<ShardContext<S>, S> shardFactory;
    private final Executor pool;
    private final CoordinatorTimer timer;
    private final long snapshotBytes;
    private final Map<Integer, Holder> holders = new ConcurrentHashMap<>();

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

    /** Loads a partition: replays its records into a new shard. Operations wait until it is loaded. */
    public CompletableFuture<Void> load(int partition) {
        Holder holder = new Holder(partition);
        if (holders.putIfAbsent(partition, holder) != null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        holder.serial.execute(() -> {
            try {
                holder.shard = shardFactory.apply(holder);
                long[] end = {0};
                writer.read(partition, (offset, record) -> {
                    holder.shard.replay(record);
                    end[0] = offset + 1;
                });
                holder.lastWrittenOffset = end[0];
                holder.lastSnapshotBytes = 0;
                holder.state = State.ACTIVE;
                holder.shard.onLoaded();
                loaded.complete(null);
            } catch (IOException | RuntimeException e) {
                holder.state = State.FAILED;
                log.error("{}: cannot load partition {}", name, partition, e);
                loaded.completeExceptionally(e);
            }
        });
        return loaded;
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
        return holder != null && holder.state == State.ACTIVE;
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
        if (holder.state != State.ACTIVE) {
            result.completeExceptionally(new NotCoordinatorException(
                    name + " partition " + holder.partition + " is " + holder.state, holder.state == State.LOADING));
            return;
        }
        CoordinatorResult<T> outcome;
        try {
            outcome = op.apply(holder.shard);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        CompletableFuture<Void> committed;
        if (outcome.records().isEmpty()) {
            committed = writer.awaitCommitted(holder.partition, holder.lastWrittenOffset);
        } else {
            long end;
            try {
                end = writer.append(holder.partition, outcome.records());
            } catch (RuntimeException e) {
                // The operation may already have changed soft state (pending requests, timers); reloading is the
                // only way back to what the log says.
                fail(holder, e);
                result.completeExceptionally(e);
                return;
            }
            for (CoordinatorRecord record : outcome.records()) {
                holder.shard.replay(record);
            }
            holder.lastWrittenOffset = end;
            committed = writer.awaitCommitted(holder.partition, end);
            maybeSnapshot(holder);
        }
        committed.whenComplete((ignored, failure) -> {
            if (failure != null) {
                holder.serial.execute(() -> fail(holder, failure));
                result.completeExceptionally(failure);
                return;
            }
            if (!outcome.afterCommit().isEmpty()) {
                holder.serial.execute(() -> outcome.afterCommit().forEach(Runnable::run));
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
        writer.awaitCommitted(holder.partition, end)
                .thenRun(() -> holder.serial.execute(() -> {
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

    private void fail(Holder holder, Throwable cause) {
        if (holder.state == State.FAILED) {
            return;
        }
        holder.state = State.FAILED;
        log.error("{}: partition {} failed and stops serving until it is reloaded", name, holder.partition, cause);
        holder.timers.values().forEach(CoordinatorTimer.Scheduled::cancel);
        holder.timers.clear();
        if (holder.shard != null) {
            holder.shard.onUnloaded();
        }
    }

    /** Unloads a partition: its pending work fails, its timers stop. */
    public CompletableFuture<Void> unload(int partition) {
        Holder holder = holders.remove(partition);
        if (holder == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        holder.serial.execute(() -> {
            holder.state = State.FAILED;
            holder.timers.values().forEach(CoordinatorTimer.Scheduled::cancel);
            holder.timers.clear();
            if (holder.shard != null) {
                holder.shard.onUnloaded();
            }
            done.complete(null);
        });
        return done;
    }

    @Override
    public void close() {
        for (Integer partition : List.copyOf(holders.keySet())) {
            unload(partition).join();
        }
    }
}
