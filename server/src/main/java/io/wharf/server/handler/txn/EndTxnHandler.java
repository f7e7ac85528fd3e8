package io.wharf.server.handler.txn;

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
 * <p>Served up to version 4: Wharf implements transaction version 1, where the epoch stays the same from one
 * transaction to the next. Version 5 (KIP-890 part 2, a new epoch per transaction) is only sent by clients that see
 * {@code transaction.version=2} finalized, which Wharf does not advertise.
 */
public final class EndTxnHandler implements ApiHandler {

    private static final short LAST_TRANSACTION_VERSION_1 = 4;

    private final BrokerServices services;

    public EndTxnHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.END_TXN;
    }

    @Override
    public short maxVersion() {
        return LAST_TRANSACTION_VERSION_1;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        EndTxnRequestData body = request.body();
        return TxnRequests.withCoordinator(
                        services,
                        c -> c.endTransaction(
                                body.transactionalId(), body.producerId(), body.producerEpoch(), body.committed()),
                        () -> Errors.COORDINATOR_NOT_AVAILABLE)
                .thenApply(error -> new EndTxnResponseData()
                        .setErrorCode(error.code())
                        .setProducerId(-1)
                        .setProducerEpoch((short) -1));
    }
}
