package io.wharf.server.handler.group;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** ShareGroupDescribe (KIP-932): state, epoch, members with their subscriptions and assignments. */
public final class ShareGroupDescribeHandler implements ApiHandler {

    private final BrokerServices services;

    public ShareGroupDescribeHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_GROUP_DESCRIBE;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        ShareGroupDescribeRequestData body = request.body();
        return GroupRequests.forEachGroup(
                        services,
                        body.groupIds(),
                        (coordinator, id) -> coordinator.describeShareGroup(id),
                        id -> new ShareGroupDescribeResponseData.DescribedGroup()
                                .setGroupId(id)
                                .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()))
                .thenApply(groups -> new ShareGroupDescribeResponseData().setGroups(groups));
    }
}
