package io.wharf.server.handler.share;

import io.wharf.coordinator.share.ShareStateWrite;
import io.wharf.coordinator.share.StateRun;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import io.wharf.server.share.ShareStateMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.WriteShareGroupStateRequestData;
import org.apache.kafka.common.message.WriteShareGroupStateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * WriteShareGroupState (KIP-932, from a share-partition leader): stores what one of its operations changed, answered
 * once durable. FENCED_STATE_EPOCH for a writer of another state epoch (or a share-partition that no longer exists),
 * FENCED_LEADER_EPOCH for one older than the last leader that read or wrote it; nothing is written then. A state
 * batch that names no record state is INVALID_REQUEST.
 */
public final class WriteShareGroupStateHandler implements ApiHandler {

    private final BrokerServices services;

    public WriteShareGroupStateHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.WRITE_SHARE_GROUP_STATE;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        WriteShareGroupStateRequestData body = request.body();
        WriteShareGroupStateResponseData response = new WriteShareGroupStateResponseData();
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (WriteShareGroupStateRequestData.WriteStateData topic : body.topics()) {
            WriteShareGroupStateResponseData.WriteStateResult result =
                    new WriteShareGroupStateResponseData.WriteStateResult().setTopicId(topic.topicId());
            response.results().add(result);
            for (WriteShareGroupStateRequestData.PartitionData partition : topic.partitions()) {
                WriteShareGroupStateResponseData.PartitionResult answer =
                        new WriteShareGroupStateResponseData.PartitionResult().setPartition(partition.partition());
                result.partitions().add(answer);
                answers.add(ShareStateRequests.call(
                                services,
                                body.groupId(),
                                topic.topicId(),
                                partition.partition(),
                                key -> coordinator -> coordinator.write(key, write(partition)))
                        .thenAccept(outcome ->
                                answer.setErrorCode(outcome.error().code()).setErrorMessage(outcome.message())));
            }
        }
        return ShareStateRequests.when(answers, response);
    }

    /** @throws IllegalArgumentException for a state batch Wharf cannot read */
    private static ShareStateWrite write(WriteShareGroupStateRequestData.PartitionData partition) {
        List<StateRun> runs = new ArrayList<>();
        partition.stateBatches().forEach(b -> runs.add(ShareStateMessages.run(b)));
        return new ShareStateWrite(partition.stateEpoch(), partition.leaderEpoch(), partition.startOffset(), runs);
    }
}
