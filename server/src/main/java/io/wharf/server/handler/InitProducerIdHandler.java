package io.wharf.server.handler;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * InitProducerId. An idempotent producer gets a new producer id, unique cluster-wide and across restarts, at epoch 0.
 * A transactional producer gets its transactional id's producer id at a new epoch from the transaction coordinator,
 * which fences every earlier producer of the id and aborts its open transaction (the new producer retries on
 * CONCURRENT_TRANSACTIONS until that is done).
 */
public final class InitProducerIdHandler implements ApiHandler {

    private final BrokerServices services;

    public InitProducerIdHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        InitProducerIdRequestData body = request.body();
        if (body.transactionalId() != null) {
            if (body.transactionalId().isEmpty()) {
                return CompletableFuture.completedFuture(failed(Errors.INVALID_REQUEST));
            }
            // A fresh id is taken first: the coordinator uses it only for a new transactional id.
            return services.producerIds()
                    .nextId()
                    .thenCompose(fresh -> services.transactions()
                            .coordinator()
                            .thenCompose(c -> c.initProducerId(
                                    body.transactionalId(),
                                    body.transactionTimeoutMs(),
                                    body.producerId(),
                                    body.producerEpoch(),
                                    () -> fresh)))
                    .handle((answer, failure) -> failure != null
                            ? failed(Errors.COORDINATOR_NOT_AVAILABLE)
                            : answer.error() != Errors.NONE
                                    ? failed(answer.error())
                                    : new InitProducerIdResponseData()
                                            .setProducerId(answer.producerId())
                                            .setProducerEpoch(answer.producerEpoch()));
        }
        return services.producerIds()
                .nextId()
                .thenApply(
                        id -> new InitProducerIdResponseData().setProducerId(id).setProducerEpoch((short) 0));
    }

    private static ApiMessage failed(Errors error) {
        return new InitProducerIdResponseData()
                .setErrorCode(error.code())
                .setProducerId(-1)
                .setProducerEpoch((short) -1);
    }
}
