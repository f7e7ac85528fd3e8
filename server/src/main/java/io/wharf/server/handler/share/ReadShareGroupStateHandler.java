package io.wharf.server.handler.share;

import io.wharf.coordinator.share.PersistedShareState;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import io.wharf.server.share.ShareStateMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ReadShareGroupStateRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * ReadShareGroupState (KIP-932, from a share-partition leader taking a share-partition on): its state epoch, start
 * offset and record states. From then on the leader's epoch is the oldest whose writes are taken; a leader older
 * than the last one is FENCED_LEADER_EPOCH. A share-partition that does not exist reads as start offset -1.
 */
public final class ReadShareGroupStateHandler implements ApiHandler {

    private final BrokerServices services;

    public ReadShareGroupStateHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.READ_SHARE_GROUP_STATE;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        ReadShareGroupStateRequestData body = request.body();
        ReadShareGroupStateResponseData response = new ReadShareGroupStateResponseData();
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (ReadShareGroupStateRequestData.ReadStateData topic : body.topics()) {
            ReadShareGroupStateResponseData.ReadStateResult result =
                    new ReadShareGroupStateResponseData.ReadStateResult().setTopicId(topic.topicId());
            response.results().add(result);
            for (ReadShareGroupStateRequestData.PartitionData partition : topic.partitions()) {
                ReadShareGroupStateResponseData.PartitionResult answer =
                        new ReadShareGroupStateResponseData.PartitionResult()
                                .setPartition(partition.partition())
                                .setStateEpoch(-1)
                                .setStartOffset(-1);
                result.partitions().add(answer);
                answers.add(ShareStateRequests.<Optional<PersistedShareState>>call(
                                services,
                                body.groupId(),
                                topic.topicId(),
                                partition.partition(),
                                key -> coordinator -> coordinator.read(key, partition.leaderEpoch()))
                        .thenAccept(outcome -> {
                            answer.setErrorCode(outcome.error().code()).setErrorMessage(outcome.message());
                            if (outcome.value() != null) {
                                outcome.value().ifPresent(state -> fill(answer, state));
                            }
                        }));
            }
        }
        return ShareStateRequests.when(answers, response);
    }

    private static void fill(ReadShareGroupStateResponseData.PartitionResult answer, PersistedShareState state) {
        answer.setStateEpoch(state.stateEpoch()).setStartOffset(state.startOffset());
        state.runs().forEach(run -> answer.stateBatches().add(ShareStateMessages.readBatch(run)));
    }
}
