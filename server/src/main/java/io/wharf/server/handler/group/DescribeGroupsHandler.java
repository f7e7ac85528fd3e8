package io.wharf.server.handler.group;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** DescribeGroups: classic groups with their members, metadata and assignments. */
public final class DescribeGroupsHandler implements ApiHandler {

    private final BrokerServices services;

    public DescribeGroupsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        DescribeGroupsRequestData body = request.body();
        short version = request.version();
        return GroupRequests.forEachGroup(
                        services,
                        body.groups(),
                        (coordinator, id) -> coordinator.describeGroup(id, version),
                        id -> new DescribeGroupsResponseData.DescribedGroup()
                                .setGroupId(id)
                                .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                                .setGroupState("")
                                .setProtocolType("")
                                .setProtocolData(""))
                .thenApply(groups -> new DescribeGroupsResponseData().setGroups(groups))
                .thenApply(response -> {
                    if (version < 6) {
                        response.groups().forEach(g -> g.setErrorMessage(null));
                    }
                    return (ApiMessage) response;
                });
    }
}
