package io.wharf.server.handler.group;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** JoinGroup: a classic member joins or rejoins; answered when the rebalance's join phase completes. */
public final class JoinGroupHandler implements ApiHandler {

    private final BrokerServices services;

    public JoinGroupHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        JoinGroupRequestData body = request.body();
        short version = request.version();
        return GroupRequests.withCoordinator(
                        services,
                        coordinator -> coordinator.joinGroup(
                                body, version, request.clientId(), GroupRequests.clientHost(context)),
                        () -> new JoinGroupResponseData()
                                .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                                .setMemberId(body.memberId()))
                .thenApply(response -> {
                    if (version < 7 && response.protocolName() == null) {
                        response.setProtocolName(""); // nullable only from version 7
                    }
                    return (ApiMessage) response;
                });
    }
}
