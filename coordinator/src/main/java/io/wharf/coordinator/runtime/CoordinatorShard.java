package io.wharf.coordinator.runtime;

import java.util.List;

/**
 * The state a coordinator keeps for one partition. Only the runtime calls it, always on the shard's own thread.
 */
public interface CoordinatorShard {

    /** Applies one record: the only way the shard's durable state changes. */
    void replay(CoordinatorRecord record);

    /**
     * Records that rebuild the whole current state from nothing. The runtime appends them when the partition has
     * grown large and then deletes everything before them, so the partition stays small without compaction.
     */
    List<CoordinatorRecord> snapshot();

    /** Called once the partition has been replayed in full, before any operation runs. */
    default void onLoaded() {}

    /** Called when the shard is unloaded: cancel soft state (pending requests, timers). */
    default void onUnloaded() {}
}
