package io.wharf.coordinator.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What an operation decided: the records to append (state changes only when they are replayed), the response, and
 * work to run once the records are durable (completing other requests that waited on this change, such as the other
 * members of a rebalance).
 *
 * @param records appended, then replayed, in order
 * @param response the operation's answer, or a future of it when the answer comes from a later operation
 * @param afterCommit run on the shard's thread once the records are durable
 * @param <T> the response type
 */
public record CoordinatorResult<T>(
        List<CoordinatorRecord> records, CompletableFuture<T> response, List<Runnable> afterCommit) {

    public CoordinatorResult {
        records = List.copyOf(records);
        afterCommit = List.copyOf(afterCommit);
    }

    public static <T> CoordinatorResult<T> of(List<CoordinatorRecord> records, T response) {
        return new CoordinatorResult<>(records, CompletableFuture.completedFuture(response), List.of());
    }

    public static <T> CoordinatorResult<T> answer(T response) {
        return of(List.of(), response);
    }

    /** An answer that a later operation gives by completing {@code response}. */
    public static <T> CoordinatorResult<T> deferred(
            List<CoordinatorRecord> records, CompletableFuture<T> response, List<Runnable> afterCommit) {
        return new CoordinatorResult<>(records, response, afterCommit);
    }
}
