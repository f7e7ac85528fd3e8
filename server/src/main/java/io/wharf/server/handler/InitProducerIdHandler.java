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
 * InitProducerId for idempotent producers: a new producer id, unique cluster-wide and across restarts, at epoch 0.
 * Transactional producers (a transactional id) are refused: transactions are not implemented yet.
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
            return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setProducerId(-1)
                    .setProducerEpoch((short) -1));
        }
        return services.producerIds()
                .nextId()
                .thenApply(
                        id -> new InitProducerIdResponseData().setProducerId(id).setProducerEpoch((short) 0));
    }
}
