package io.wharf.coordinator.share;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A share coordinator as its clients see it, on this broker or another: what share-partition leaders ask of it, and
 * what administration does (delete, summarize). Failures are {@link ShareStateException}s.
 */
public interface ShareStateStore extends SharePersister {

    /** Deletes a share-partition; deleting one that does not exist succeeds. */
    CompletableFuture<Void> delete(SharePartitionKey key);

    /** A share-partition's epochs, start offset and done records, or empty when it does not exist. */
    CompletableFuture<Optional<ShareStateSummary>> summary(SharePartitionKey key);
}
