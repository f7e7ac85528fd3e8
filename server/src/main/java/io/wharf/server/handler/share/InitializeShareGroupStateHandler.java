package io.wharf.server.handler.share;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.InitializeShareGroupStateRequestData;
import org.apache.kafka.common.message.InitializeShareGroupStateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * InitializeShareGroupState (KIP-932, from a group coordinator or a share-partition leader): creates a share-partition
 * at its start offset in a state epoch, or replaces one of an earlier state epoch (a reset); one of that state epoch
 * or a later one is left as it is. A negative start offset or state epoch is INVALID_REQUEST.
 */
public final class InitializeShareGroupStateHandler implements ApiHandler {

    private final BrokerServices services;

    public InitializeShareGroupStateHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INITIALIZE_SHARE_GROUP_STATE;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        InitializeShareGroupStateRequestData body = request.body();
        InitializeShareGroupStateResponseData response = new InitializeShareGroupStateResponseData();
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (InitializeShareGroupStateRequestData.InitializeStateData topic : body.topics()) {
            InitializeShareGroupStateResponseData.InitializeStateResult result =
                    new InitializeShareGroupStateResponseData.InitializeStateResult().setTopicId(topic.topicId());
            response.results().add(result);
            for (InitializeShareGroupStateRequestData.PartitionData partition : topic.partitions()) {
                InitializeShareGroupStateResponseData.PartitionResult answer =
                        new InitializeShareGroupStateResponseData.PartitionResult().setPartition(partition.partition());
                result.partitions().add(answer);
                answers.add(ShareStateRequests.call(
                                services,
                                body.groupId(),
                                topic.topicId(),
                                partition.partition(),
                                key -> coordinator ->
                                        coordinator.initialize(key, partition.stateEpoch(), partition.startOffset()))
                        .thenAccept(outcome ->
                                answer.setErrorCode(outcome.error().code()).setErrorMessage(outcome.message())));
            }
        }
        return ShareStateRequests.when(answers, response);
    }
}
