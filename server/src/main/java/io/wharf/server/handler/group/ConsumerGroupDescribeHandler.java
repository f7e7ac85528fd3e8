package io.wharf.server.handler.group;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.List;
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
        return GroupRequests.withCoordinator(
                        services,
                        coordinator -> {
                            List<CompletableFuture<ConsumerGroupDescribeResponseData.DescribedGroup>> groups =
                                    body.groupIds().stream()
                                            .map(coordinator::describeConsumerGroup)
                                            .toList();
                            return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new))
                                    .thenApply(v -> {
                                        ConsumerGroupDescribeResponseData response =
                                                new ConsumerGroupDescribeResponseData();
                                        groups.forEach(g -> response.groups().add(g.join()));
                                        return response;
                                    });
                        },
                        () -> {
                            ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
                            body.groupIds()
                                    .forEach(id -> response.groups()
                                            .add(new ConsumerGroupDescribeResponseData.DescribedGroup()
                                                    .setGroupId(id)
                                                    .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())));
                            return response;
                        })
                .thenApply(response -> (ApiMessage) response);
    }
}
