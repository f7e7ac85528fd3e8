package io.wharf.server.handler.group;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** SyncGroup: the leader brings the assignments, every member gets its own (classic protocol). */
public final class SyncGroupHandler implements ApiHandler {

    private final BrokerServices services;

    public SyncGroupHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SYNC_GROUP;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        SyncGroupRequestData body = request.body();
        return GroupRequests.<SyncGroupResponseData>withCoordinator(
                        services,
                        coordinator -> coordinator.syncGroup(body),
                        () -> new SyncGroupResponseData()
                                .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                                .setAssignment(new byte[0]))
                .thenApply(response -> (ApiMessage) response);
    }
}
