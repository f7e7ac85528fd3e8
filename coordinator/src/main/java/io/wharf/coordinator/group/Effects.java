package io.wharf.coordinator.group;

import io.wharf.coordinator.runtime.CoordinatorRecord;
import io.wharf.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What an operation collects while it decides: records to append and work to run once they are durable (usually
 * answering requests that waited). Turned into a {@link CoordinatorResult} at the end.
 */
final class Effects {

    final List<CoordinatorRecord> records = new ArrayList<>();
    final List<Runnable> afterCommit = new ArrayList<>();

    void record(CoordinatorRecord record) {
        records.add(record);
    }

    /** Completes {@code waiting} with {@code response} once this operation's records are durable. */
    <T> void answerLater(CompletableFuture<T> waiting, T response) {
        if (waiting != null) {
            afterCommit.add(() -> waiting.complete(response));
        }
    }

    <T> CoordinatorResult<T> answer(T response) {
        return CoordinatorResult.deferred(records, CompletableFuture.completedFuture(response), afterCommit);
    }

    <T> CoordinatorResult<T> answerWith(CompletableFuture<T> response) {
        return CoordinatorResult.deferred(records, response, afterCommit);
    }
}
