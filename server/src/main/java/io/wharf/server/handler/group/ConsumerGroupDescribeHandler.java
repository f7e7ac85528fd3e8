package io.wharf.server.handler.group;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** ConsumerGroupDescribe (KIP-848): epochs, members, their assignments and targets. */
public final class ConsumerGroupDescribeHandler implements ApiHandler {

    private final BrokerServices services;

    public ConsumerGroupDescribeHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        ConsumerGroupDescribeRequestData body = request.body();
        return GroupRequests.forEachGroup(
                        services,
                        body.groupIds(),
                        (coordinator, id) -> coordinator.describeConsumerGroup(id),
                        id -> new ConsumerGroupDescribeResponseData.DescribedGroup()
                                .setGroupId(id)
                                .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()))
                .thenApply(groups -> new ConsumerGroupDescribeResponseData().setGroups(groups));
    }
}
