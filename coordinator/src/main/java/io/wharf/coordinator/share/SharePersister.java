package io.wharf.coordinator.share;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a share-partition leader keeps its share-partitions' durable state: the share coordinator that owns the
 * {@code __share_group_state} partition the share-partition hashes to, on this broker or another (KIP-932's
 * persister; the broker sends InitializeShareGroupState, ReadShareGroupState and WriteShareGroupState to a remote
 * one). Protocol-neutral: what it carries is Wharf's own state vocabulary.
 *
 * <p>Each future completes once the coordinator's answer is durable, or fails with a {@link ShareStateException}
 * (or, when no answer came, another exception: the request may or may not have been applied). Thread-safe.
 */
public interface SharePersister {

    /**
     * Reads a share-partition's state as the leader of its data partition in {@code leaderEpoch}; from then on the
     * coordinator refuses writes of earlier leader epochs.
     *
     * @return the state, or empty when the share-partition does not exist (never consumed, or deleted)
     */
    CompletableFuture<Optional<PersistedShareState>> read(SharePartitionKey key, int leaderEpoch);

    /** Stores what an operation changed. */
    CompletableFuture<Void> write(SharePartitionKey key, ShareStateWrite write);

    /**
     * Creates the share-partition at {@code startOffset} in {@code stateEpoch}; a share-partition that exists in that
     * state epoch or a later one is left as it is, and one of an earlier state epoch is replaced (a reset).
     */
    CompletableFuture<Void> initialize(SharePartitionKey key, int stateEpoch, long startOffset);
}
