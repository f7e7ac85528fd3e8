package io.wharf.server.handler.txn;

import io.wharf.coordinator.txn.TransactionCoordinator;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * EndTxn: commits or aborts the producer's transaction. Answered once PREPARE_COMMIT / PREPARE_ABORT is durable; the
 * markers follow, and the producer's next transaction waits for them (CONCURRENT_TRANSACTIONS, retried).
 *
 * <p>Version 5 is transaction version 2 (KIP-890 part 2): the coordinator gives the producer a new epoch with every
 * transaction and answers with it (a fresh producer id once the epoch runs out). Versions up to 4 keep the epoch.
 */
public final class EndTxnHandler implements ApiHandler {

    /** The first version whose producer gets a new epoch with every transaction. */
    private static final short FIRST_EPOCH_BUMPING_VERSION = 5;

    private final BrokerServices services;

    public EndTxnHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.END_TXN;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        EndTxnRequestData body = request.body();
        boolean bumpEpoch = request.version() >= FIRST_EPOCH_BUMPING_VERSION;
        // A fresh id is taken only when the epoch is about to run out, so ids are not spent one per transaction.
        CompletableFuture<Long> fresh = bumpEpoch && body.producerEpoch() >= Short.MAX_VALUE - 1
                ? services.producerIds().nextId()
                : CompletableFuture.completedFuture(-1L);
        return fresh.thenCompose(freshId -> TxnRequests.withCoordinator(
                        services,
                        c -> c.endTransaction(
                                body.transactionalId(),
                                body.producerId(),
                                body.producerEpoch(),
                                body.committed(),
                                bumpEpoch,
                                freshId),
                        () -> new TransactionCoordinator.EndTxnResult(
                                Errors.COORDINATOR_NOT_AVAILABLE, -1, (short) -1)))
                .exceptionally(failure ->
                        new TransactionCoordinator.EndTxnResult(Errors.COORDINATOR_NOT_AVAILABLE, -1, (short) -1))
                .thenApply(result -> new EndTxnResponseData()
                        .setErrorCode(result.error().code())
                        .setProducerId(result.producerId())
                        .setProducerEpoch(result.producerEpoch()));
    }
}
