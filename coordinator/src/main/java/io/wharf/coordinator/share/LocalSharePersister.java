package io.wharf.coordinator.share;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A persister whose share coordinator is in the same process and serves every partition of
 * {@code __share_group_state}: what a single broker needs when it does not go through the network, and what tests
 * run share-partition leaders against.
 */
public final class LocalSharePersister implements SharePersister {

    private final ShareCoordinator coordinator;

    public LocalSharePersister(ShareCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<Optional<PersistedShareState>> read(SharePartitionKey key, int leaderEpoch) {
        return coordinator.read(key, leaderEpoch);
    }

    @Override
    public CompletableFuture<Void> write(SharePartitionKey key, ShareStateWrite write) {
        return coordinator.write(key, write);
    }

    @Override
    public CompletableFuture<Void> initialize(SharePartitionKey key, int stateEpoch, long startOffset) {
        return coordinator.initialize(key, stateEpoch, startOffset);
    }
}
