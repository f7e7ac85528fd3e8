package io.wharf.coordinator.runtime;

import java.util.concurrent.CompletableFuture;

/**
 * A coordinator whose shards, one per partition of its internal topic, load and unload one by one as this broker
 * becomes and stops being the partition's leader.
 */
public interface ShardedCoordinator extends AutoCloseable {

    /** Loads a partition's shard by replaying the partition; requests wait until it is loaded. */
    CompletableFuture<Void> load(int partition);

    /** Unloads a partition's shard; its pending work fails with NOT_COORDINATOR. */
    CompletableFuture<Void> unload(int partition);

    @Override
    void close();
}
