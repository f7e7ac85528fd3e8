package io.wharf.server.handler.group;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** ConsumerGroupHeartbeat (KIP-848): join, heartbeat and leave in one API, with server-side assignment. */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler {

    private final BrokerServices services;

    public ConsumerGroupHeartbeatHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_HEARTBEAT;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        ConsumerGroupHeartbeatRequestData body = request.body();
        return GroupRequests.withCoordinator(
                        services,
                        coordinator -> coordinator.consumerGroupHeartbeat(
                                body, request.version(), request.clientId(), GroupRequests.clientHost(context)),
                        () -> new ConsumerGroupHeartbeatResponseData()
                                .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()))
                .thenApply(response -> (ApiMessage) response);
    }
}
