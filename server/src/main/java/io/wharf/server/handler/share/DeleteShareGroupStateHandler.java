package io.wharf.server.handler.share;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteShareGroupStateRequestData;
import org.apache.kafka.common.message.DeleteShareGroupStateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * DeleteShareGroupState (KIP-932, from a group coordinator): deletes share-partitions, so their next use starts from
 * {@code share.auto.offset.reset}; deleting one that does not exist succeeds.
 */
public final class DeleteShareGroupStateHandler implements ApiHandler {

    private final BrokerServices services;

    public DeleteShareGroupStateHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_SHARE_GROUP_STATE;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        DeleteShareGroupStateRequestData body = request.body();
        DeleteShareGroupStateResponseData response = new DeleteShareGroupStateResponseData();
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (DeleteShareGroupStateRequestData.DeleteStateData topic : body.topics()) {
            DeleteShareGroupStateResponseData.DeleteStateResult result =
                    new DeleteShareGroupStateResponseData.DeleteStateResult().setTopicId(topic.topicId());
            response.results().add(result);
            for (DeleteShareGroupStateRequestData.PartitionData partition : topic.partitions()) {
                DeleteShareGroupStateResponseData.PartitionResult answer =
                        new DeleteShareGroupStateResponseData.PartitionResult().setPartition(partition.partition());
                result.partitions().add(answer);
                answers.add(ShareStateRequests.call(
                                services,
                                body.groupId(),
                                topic.topicId(),
                                partition.partition(),
                                key -> coordinator -> coordinator.delete(key))
                        .thenAccept(outcome ->
                                answer.setErrorCode(outcome.error().code()).setErrorMessage(outcome.message())));
            }
        }
        return ShareStateRequests.when(answers, response);
    }
}
