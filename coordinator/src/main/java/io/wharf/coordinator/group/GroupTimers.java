package io.wharf.coordinator.group;

import io.wharf.coordinator.runtime.CoordinatorResult;
import io.wharf.coordinator.runtime.CoordinatorRuntime;
import java.util.function.Supplier;

/**
 * The timers of one group shard, as its operation classes use them: a timer runs an operation of the class that set
 * it (session expiry, the end of a join phase, offset expiry) as a write on the shard, and setting a timer again
 * under the same key replaces the earlier one. Timers are soft state: the runtime cancels them when the shard is
 * unloaded, and the shard sets them again when it is loaded.
 */
final class GroupTimers {

    private final CoordinatorRuntime.ShardContext<GroupCoordinatorShard> context;

    GroupTimers(CoordinatorRuntime.ShardContext<GroupCoordinatorShard> context) {
        this.context = context;
    }

    void schedule(String key, long delayMs, Supplier<CoordinatorResult<Void>> operation) {
        context.schedule(key, delayMs, shard -> operation.get());
    }

    void cancel(String key) {
        context.cancel(key);
    }
}
