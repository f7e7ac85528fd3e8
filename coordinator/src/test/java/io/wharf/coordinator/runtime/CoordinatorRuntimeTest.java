package io.wharf.coordinator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.ManualClock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * Loading and unloading partitions as leadership moves: an unload fails every operation that has not been answered
 * (queued, waiting for its records to be durable, or waiting for a later operation) and stops the shard's timers; a
 * later load replays the partition into a fresh shard that reaches the same state. Driven by a queued executor, a
 * manual timer and commits the test completes, so every interleaving is spelled out.
 */
class CoordinatorRuntimeTest {

    /** A shard of named counters: a record sets one. Its soft state is the requests waiting for a counter. */
    static final class CounterShard implements CoordinatorShard {
        final CoordinatorRuntime.ShardContext<CounterShard> context;
        final Map<String, Integer> counters = new TreeMap<>();
        final Map<String, List<CompletableFuture<Integer>>> waiting = new HashMap<>();
        int unloads;

        CounterShard(CoordinatorRuntime.ShardContext<CounterShard> context) {
            this.context = context;
        }

        static CoordinatorRecord record(String name, int value) {
            return new CoordinatorRecord(
                    name.getBytes(StandardCharsets.UTF_8),
                    Integer.toString(value).getBytes(StandardCharsets.UTF_8));
        }

        CoordinatorResult<Integer> add(String name, int delta) {
            int value = counters.getOrDefault(name, 0) + delta;
            List<CompletableFuture<Integer>> answered = waiting.getOrDefault(name, List.of());
            List<Runnable> after = answered.stream()
                    .<Runnable>map(w -> () -> w.complete(value))
                    .toList();
            return new CoordinatorResult<>(
                    List.of(record(name, value)), CompletableFuture.completedFuture(value), after);
        }

        CoordinatorResult<Void> tick() {
            return new CoordinatorResult<>(
                    List.of(record("ticks", counters.getOrDefault("ticks", 0) + 1)),
                    CompletableFuture.completedFuture(null),
                    List.of());
        }

        /** An answer that the next change of {@code name} gives. */
        CoordinatorResult<Integer> awaitChange(String name) {
            CompletableFuture<Integer> next = new CompletableFuture<>();
            waiting.computeIfAbsent(name, n -> new ArrayList<>()).add(next);
            return CoordinatorResult.deferred(List.of(), next, List.of());
        }

        @Override
        public void replay(CoordinatorRecord record) {
            String name = new String(record.key(), StandardCharsets.UTF_8);
            counters.put(name, Integer.parseInt(new String(record.value(), StandardCharsets.UTF_8)));
            waiting.remove(name);
        }

        @Override
        public List<CoordinatorRecord> snapshot() {
            List<CoordinatorRecord> records = new ArrayList<>();
            counters.forEach((name, value) -> records.add(record(name, value)));
            return records;
        }

        @Override
        public void onUnloaded() {
            unloads++;
        }
    }

    /** Runs tasks only when told to. */
    static final class QueuedExecutor implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }
    }

    /** Partitions in memory whose commits complete when the test says, and whose appends can be made to fail. */
    static final class ControlledWriter implements PartitionWriter {
        final MemoryWriter log = new MemoryWriter();
        final List<CompletableFuture<Void>> commits = new ArrayList<>();
        boolean holdCommits;
        RuntimeException appendFailure;
        RuntimeException awaitFailure;

        @Override
        public long append(int partition, List<CoordinatorRecord> records) {
            if (appendFailure != null) {
                throw appendFailure;
            }
            return log.append(partition, records);
        }

        @Override
        public CompletableFuture<Void> awaitCommitted(int partition, long offset) {
            if (awaitFailure != null) {
                throw awaitFailure;
            }
            if (!holdCommits) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> commit = new CompletableFuture<>();
            commits.add(commit);
            return commit;
        }

        @Override
        public void read(int partition, RecordConsumer consumer) {
            log.read(partition, consumer);
        }

        @Override
        public long sizeInBytes(int partition) {
            return log.sizeInBytes(partition);
        }

        @Override
        public void deleteRecordsBefore(int partition, long offset) {
            log.deleteRecordsBefore(partition, offset);
        }
    }

    private final ManualClock clock = new ManualClock(0);
    private final ManualTimer timer = new ManualTimer(clock);
    private final QueuedExecutor pool = new QueuedExecutor();
    private final ControlledWriter writer = new ControlledWriter();
    private final List<CounterShard> shards = new ArrayList<>();
    private final CoordinatorRuntime<CounterShard> runtime = new CoordinatorRuntime<>(
            "counters",
            writer,
            context -> {
                CounterShard shard = new CounterShard(context);
                shards.add(shard);
                return shard;
            },
            pool,
            timer,
            1L << 30);

    private void loaded() {
        CompletableFuture<Void> load = runtime.load(0);
        pool.runAll();
        assertThat(load).isCompleted();
    }

    private static Throwable failure(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    private static void assertNotCoordinator(CompletableFuture<?> future, boolean loading) {
        assertThat(failure(future))
                .isInstanceOfSatisfying(
                        NotCoordinatorException.class,
                        e -> assertThat(e.isLoading()).isEqualTo(loading));
    }

    @Test
    void unloadFailsQueuedOperationsInsteadOfRunningThem() {
        loaded();
        CompletableFuture<Integer> queued = runtime.write(0, s -> s.add("a", 1));

        CompletableFuture<Void> unload = runtime.unload(0);
        pool.runAll();

        assertThat(unload).isCompleted();
        assertNotCoordinator(queued, false);
        assertThat(writer.log.records(0))
                .as("the queued operation wrote nothing")
                .isEmpty();
        assertThat(shards.get(0).unloads).isEqualTo(1);
    }

    @Test
    void unloadFailsOperationsWaitingForTheirRecordsAndForLaterOperations() {
        loaded();
        writer.holdCommits = true;
        CompletableFuture<Integer> uncommitted = runtime.write(0, s -> s.add("a", 1));
        CompletableFuture<Integer> waitingForLater = runtime.write(0, s -> s.awaitChange("b"));
        pool.runAll();
        assertThat(uncommitted).isNotDone();
        assertThat(waitingForLater).isNotDone();

        runtime.unload(0);
        pool.runAll();

        assertNotCoordinator(uncommitted, false);
        assertNotCoordinator(waitingForLater, false);
        assertNotCoordinator(runtime.write(0, s -> s.add("a", 1)), false);
        assertThat(shards.get(0).unloads).isEqualTo(1);
        writer.commits.forEach(commit -> commit.complete(null));
        pool.runAll();
        assertNotCoordinator(uncommitted, false);
    }

    @Test
    void unloadStopsTimers() {
        loaded();
        runtime.write(0, s -> {
            s.context.schedule("tick", 1_000, CounterShard::tick);
            return CoordinatorResult.answer(null);
        });
        pool.runAll();

        runtime.unload(0);
        pool.runAll();
        clock.advanceMs(2_000);
        timer.runDue(clock.nowMs());
        pool.runAll();

        assertThat(writer.log.records(0)).as("the timer never ran").isEmpty();
    }

    @Test
    void aLaterLoadReplaysThePartitionIntoAFreshShardThatReachesTheSameState() {
        loaded();
        runtime.write(0, s -> s.add("a", 1));
        runtime.write(0, s -> s.add("a", 2));
        runtime.write(0, s -> s.add("b", 5));
        pool.runAll();
        Map<String, Integer> before = Map.copyOf(shards.get(0).counters);

        runtime.unload(0);
        CompletableFuture<Void> again = runtime.load(0);
        pool.runAll();

        assertThat(again).isCompleted();
        assertThat(shards).hasSize(2);
        assertThat(shards.get(1)).isNotSameAs(shards.get(0));
        assertThat(shards.get(1).counters).isEqualTo(before).isEqualTo(Map.of("a", 3, "b", 5));
        CompletableFuture<Integer> next = runtime.write(0, s -> s.add("a", 10));
        pool.runAll();
        assertThat(next).isCompletedWithValue(13);
    }

    @Test
    void aLoadRightAfterAnUnloadReplaysOnlyOnceTheOldShardHasStopped() {
        loaded();
        CompletableFuture<Integer> running = runtime.write(0, s -> s.add("a", 1));
        CompletableFuture<Void> unload = runtime.unload(0);
        CompletableFuture<Void> load = runtime.load(0);
        CompletableFuture<Integer> whileLoading = runtime.write(0, s -> s.add("a", 1));

        pool.runAll();

        assertThat(unload).isCompleted();
        assertThat(load).isCompleted();
        assertNotCoordinator(running, false);
        assertNotCoordinator(whileLoading, true);
        assertThat(shards.get(1).counters).isEmpty();
        assertThat(runtime.isActive(0)).isTrue();
    }

    @Test
    void loadingAgainGivesTheSameLoadAndOperationsSentMeanwhileRunOnceItIsDone() {
        CompletableFuture<Void> first = runtime.load(0);
        CompletableFuture<Integer> early = runtime.write(0, s -> s.add("a", 1));
        assertThat(runtime.load(0)).isSameAs(first);
        assertThat(first).isNotDone();

        pool.runAll();

        assertThat(first).isCompleted();
        assertThat(early).isCompletedWithValue(1);
        assertThat(shards).hasSize(1);
    }

    @Test
    void aFailedAppendStopsThePartitionUntilItIsLoadedAfresh() {
        loaded();
        runtime.write(0, s -> s.add("a", 1));
        pool.runAll();
        writer.appendFailure = new CoordinatorWriteException("disk full", null);
        CompletableFuture<Integer> failed = runtime.write(0, s -> s.add("a", 1));
        pool.runAll();
        assertThat(failure(failed)).isInstanceOf(NotCoordinatorException.class).hasCause(writer.appendFailure);
        assertThat(NotCoordinatorException.errorFor(failed.handle((ok, e) -> e).join()))
                .isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(runtime.isActive(0)).isFalse();
        CompletableFuture<Integer> refused = runtime.write(0, s -> s.add("a", 1));
        pool.runAll();
        assertNotCoordinator(refused, false);
        assertThat(shards.get(0).unloads).isEqualTo(1);

        writer.appendFailure = null;
        CompletableFuture<Void> reload = runtime.load(0);
        pool.runAll();

        assertThat(reload).isCompleted();
        assertThat(shards.get(1).counters).isEqualTo(Map.of("a", 1));
    }

    @Test
    void aPartitionWhoseWriteFailedReloadsItselfAfterTheBackoff() {
        loaded();
        runtime.write(0, s -> s.add("a", 1));
        pool.runAll();
        writer.appendFailure = new CoordinatorWriteException("not the leader any more", null);
        runtime.write(0, s -> s.add("a", 1));
        pool.runAll();
        writer.appendFailure = null;

        timer.runDue(CoordinatorRuntime.RELOAD_BACKOFF_MS - 1);
        pool.runAll();
        assertThat(runtime.isActive(0)).isFalse();
        timer.runDue(CoordinatorRuntime.RELOAD_BACKOFF_MS);
        pool.runAll();

        assertThat(runtime.isActive(0)).isTrue();
        assertThat(shards).hasSize(2);
        assertThat(shards.get(1).counters).isEqualTo(Map.of("a", 1));
        CompletableFuture<Integer> after = runtime.write(0, s -> s.add("a", 1));
        pool.runAll();
        assertThat(after).isCompletedWithValue(2);
    }

    @Test
    void aPartitionUnloadedAfterAFailedWriteIsNotReloaded() {
        loaded();
        writer.awaitFailure = new CoordinatorWriteException("disk gone", null);
        CompletableFuture<Integer> write = runtime.write(0, s -> s.add("a", 1));
        pool.runAll();
        assertThat(failure(write)).isInstanceOf(NotCoordinatorException.class).hasCause(writer.awaitFailure);
        writer.awaitFailure = null;

        runtime.unload(0);
        pool.runAll();
        timer.runDue(CoordinatorRuntime.RELOAD_BACKOFF_MS);
        pool.runAll();

        assertThat(runtime.isActive(0)).isFalse();
        assertThat(shards).hasSize(1);
    }

    @Test
    void aWriterThatNoLongerHasThePartitionFailsTheOperationInsteadOfLeavingItUnanswered() {
        loaded();
        writer.awaitFailure = new NotCoordinatorException("not the leader", false);
        CompletableFuture<Integer> write = runtime.write(0, s -> s.add("a", 1));
        CompletableFuture<Integer> read = runtime.read(0, s -> s.counters.size());
        pool.runAll();

        assertThat(failure(write)).isSameAs(writer.awaitFailure);
        assertThat(read).isCompletedExceptionally();
        assertThat(runtime.isActive(0)).isFalse();
        CompletableFuture<Void> unload = runtime.unload(0);
        pool.runAll();
        assertThat(unload).isCompleted();
    }
}
