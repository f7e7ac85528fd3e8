package io.wharf.server.handler.group;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** Heartbeat: keeps a classic member's session alive and tells it when to rejoin. */
public final class HeartbeatHandler implements ApiHandler {

    private final BrokerServices services;

    public HeartbeatHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.HEARTBEAT;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        HeartbeatRequestData body = request.body();
        return GroupRequests.<HeartbeatResponseData>withCoordinator(
                        services,
                        coordinator -> coordinator.heartbeat(body),
                        () -> new HeartbeatResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()))
                .thenApply(response -> (ApiMessage) response);
    }
}
