package io.wharf.coordinator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Checks that operations compute without changing durable state. A shadow shard replays exactly the records the
 * checked operations write, nothing else. Around every checked compute the live shard's durable state must equal the
 * shadow's: before (the live shard is what its log says), and after compute but before the runtime replays the new
 * records (compute changed nothing). Once the runtime has replayed them, {@link #assertReplayed} checks that the live
 * shard is where the same records put the shadow.
 *
 * <p>Operations are checked when wrapped with {@link #checked}; a shard built with a {@link #wrap wrapped} context
 * gets its timers and submitted operations checked too. Runs on the shard's thread, like the operations.
 *
 * @param <S> the shard type
 */
public final class ComputeChecker<S extends CoordinatorShard> {

    /** Asserts that two shards hold the same durable state, failing with {@code message} when they do not. */
    @FunctionalInterface
    public interface DurableEquality<S> {
        void assertSame(S live, S shadow, String message);
    }

    private final S shadow;
    private final DurableEquality<S> equality;
    private final List<String> checked = new ArrayList<>();
    private final List<CoordinatorRecord> written = new ArrayList<>();

    public ComputeChecker(S shadow, DurableEquality<S> equality) {
        this.shadow = shadow;
        this.equality = equality;
    }

    /** A context for a shadow shard, which only replays: it has no timers and runs nothing. */
    public static <S> CoordinatorRuntime.ShardContext<S> replayOnly() {
        return new CoordinatorRuntime.ShardContext<>() {
            @Override
            public int partition() {
                return 0;
            }

            @Override
            public void schedule(String key, long delayMs, Function<S, CoordinatorResult<Void>> operation) {}

            @Override
            public void cancel(String key) {}

            @Override
            public void submit(Function<S, CoordinatorResult<Void>> operation) {}
        };
    }

    /** A shard's snapshot records as sorted hex: equal for two shards that hold the same durable state. */
    public static List<String> snapshotOf(CoordinatorShard shard) {
        HexFormat hex = HexFormat.of();
        return shard.snapshot().stream()
                .map(r -> hex.formatHex(r.key()) + "=" + (r.value() == null ? "null" : hex.formatHex(r.value())))
                .sorted()
                .toList();
    }

    /** {@code operation}, checked around its compute. */
    public <T> Function<S, CoordinatorResult<T>> checked(String name, Function<S, CoordinatorResult<T>> operation) {
        return live -> {
            equality.assertSame(live, shadow, name + ": before compute, the shard is not what its log says");
            CoordinatorResult<T> result = operation.apply(live);
            equality.assertSame(
                    live, shadow, name + ": compute changed durable state before its records were replayed");
            result.records().forEach(shadow::replay);
            checked.add(name);
            written.addAll(result.records());
            return result;
        };
    }

    /** Checks that the live shard is where the records written so far put the shadow. */
    public void assertReplayed(S live, String when) {
        equality.assertSame(live, shadow, when + ": the shard is not where its records put it");
    }

    /** A context whose timers and submitted operations are checked like the operations themselves. */
    public CoordinatorRuntime.ShardContext<S> wrap(CoordinatorRuntime.ShardContext<S> context) {
        return new CoordinatorRuntime.ShardContext<>() {
            @Override
            public int partition() {
                return context.partition();
            }

            @Override
            public void schedule(String key, long delayMs, Function<S, CoordinatorResult<Void>> operation) {
                context.schedule(key, delayMs, checked("timer " + key, operation));
            }

            @Override
            public void cancel(String key) {
                context.cancel(key);
            }

            @Override
            public void submit(Function<S, CoordinatorResult<Void>> operation) {
                context.submit(checked("submitted", operation));
            }
        };
    }

    /** The names of the operations checked so far, in order. */
    public List<String> checkedOperations() {
        assertThat(checked).as("no operation was checked").isNotEmpty();
        return List.copyOf(checked);
    }

    /** Every record the checked operations wrote, in order. */
    public List<CoordinatorRecord> written() {
        return List.copyOf(written);
    }
}
