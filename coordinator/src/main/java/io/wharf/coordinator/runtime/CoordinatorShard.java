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

    /**
     * Called once when the shard stops serving (unloaded, or failed): drop soft state that others can see. The
     * runtime has cancelled the shard's timers and fails every answer still owed, so nothing waits on the shard.
     */
    default void onUnloaded() {}
}
