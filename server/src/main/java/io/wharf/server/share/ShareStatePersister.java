package io.wharf.server.share;

import io.wharf.common.Clock;
import io.wharf.coordinator.runtime.CoordinatorTimer;
import io.wharf.coordinator.share.PersistedShareState;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.coordinator.share.SharePartitionKey;
import io.wharf.coordinator.share.SharePersister;
import io.wharf.coordinator.share.ShareStateException;
import io.wharf.coordinator.share.ShareStateSummary;
import io.wharf.coordinator.share.ShareStateWrite;
import io.wharf.server.group.CoordinatorManager;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share-partition leaders' way to the share coordinator: every request goes to the shard of
 * {@code __share_group_state} that owns its share-partition, creating the topic first when no share group has needed
 * it yet. While the partition moves (not loaded yet, being loaded) a request is sent again, backing off, until
 * {@code wharf.share.persister.timeout.ms} has passed; then it fails COORDINATOR_NOT_AVAILABLE. A request the
 * coordinator refused (a fenced epoch) fails at once. Sending a request again is safe: each is idempotent.
 *
 * <p>Thread-safe.
 */
public final class ShareStatePersister implements SharePersister {

    private static final long BACKOFF_INITIAL_MS = 20;
    private static final long BACKOFF_MAX_MS = 500;

    private final CoordinatorManager<ShareCoordinator> shares;
    private final CoordinatorTimer timer;
    private final Clock clock;
    private final long timeoutMs;

    /**
     * @param shares the share coordinator on this broker
     * @param timer schedules the attempts after the first
     * @param timeoutMs how long a request keeps being sent while its partition moves
     */
    public ShareStatePersister(
            CoordinatorManager<ShareCoordinator> shares, CoordinatorTimer timer, Clock clock, long timeoutMs) {
        this.shares = shares;
        this.timer = timer;
        this.clock = clock;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public CompletableFuture<Optional<PersistedShareState>> read(SharePartitionKey key, int leaderEpoch) {
        return withRetries(key, coordinator -> coordinator.read(key, leaderEpoch));
    }

    @Override
    public CompletableFuture<Void> write(SharePartitionKey key, ShareStateWrite write) {
        return withRetries(key, coordinator -> coordinator.write(key, write));
    }

    @Override
    public CompletableFuture<Void> initialize(SharePartitionKey key, int stateEpoch, long startOffset) {
        return withRetries(key, coordinator -> coordinator.initialize(key, stateEpoch, startOffset));
    }

    /** Deletes a share-partition's state; one that does not exist is deleted already. */
    public CompletableFuture<Void> delete(SharePartitionKey key) {
        return withRetries(key, coordinator -> coordinator.delete(key));
    }

    /** A share-partition's summary, or empty when it does not exist. */
    public CompletableFuture<Optional<ShareStateSummary>> summary(SharePartitionKey key) {
        return withRetries(key, coordinator -> coordinator.summary(key));
    }

    private <T> CompletableFuture<T> withRetries(
            SharePartitionKey key, Function<ShareCoordinator, CompletableFuture<T>> request) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(key, request, clock.nowMs() + timeoutMs, BACKOFF_INITIAL_MS, result);
        return result;
    }

    private <T> void attempt(
            SharePartitionKey key,
            Function<ShareCoordinator, CompletableFuture<T>> request,
            long deadlineMs,
            long backoffMs,
            CompletableFuture<T> result) {
        CompletableFuture<T> sent;
        try {
            sent = shares.coordinator().thenCompose(request);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
                return;
            }
            Throwable cause = unwrap(failure);
            boolean retriable = !(cause instanceof ShareStateException refused) || refused.isRetriable();
            if (!retriable) {
                result.completeExceptionally(cause);
            } else if (clock.nowMs() + backoffMs > deadlineMs) {
                result.completeExceptionally(new ShareStateException(
                        Errors.COORDINATOR_NOT_AVAILABLE,
                        "the share coordinator of " + key + " could not be reached within " + timeoutMs + " ms: "
                                + cause.getMessage()));
            } else {
                timer.schedule(
                        backoffMs,
                        () -> attempt(key, request, deadlineMs, Math.min(BACKOFF_MAX_MS, 2 * backoffMs), result));
            }
        });
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
