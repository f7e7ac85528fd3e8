package io.wharf.server.handler.group;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** LeaveGroup: classic members (one, or a batch by member or instance id) leave, and the rest rebalance. */
public final class LeaveGroupHandler implements ApiHandler {

    private final BrokerServices services;

    public LeaveGroupHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LEAVE_GROUP;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        LeaveGroupRequestData body = request.body();
        return GroupRequests.<LeaveGroupResponseData>withCoordinator(
                        services,
                        coordinator -> coordinator.leaveGroup(body, request.version()),
                        () -> new LeaveGroupResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()))
                .thenApply(response -> (ApiMessage) response);
    }
}
