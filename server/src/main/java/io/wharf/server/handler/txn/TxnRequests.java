package io.wharf.server.handler.txn;

import io.wharf.coordinator.txn.TransactionCoordinator;
import io.wharf.server.BrokerServices;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/** What the transaction handlers share. */
final class TxnRequests {

    private TxnRequests() {}

    /**
     * Runs {@code call} on the transaction coordinator (creating {@code __transaction_state} first if needed); when
     * the coordinator cannot come up, answers with {@code unavailable}.
     */
    static <T> CompletableFuture<T> withCoordinator(
            BrokerServices services,
            Function<TransactionCoordinator, CompletableFuture<T>> call,
            Supplier<T> unavailable) {
        return services.transactions().coordinator().thenCompose(call).exceptionally(failure -> unavailable.get());
    }
}
