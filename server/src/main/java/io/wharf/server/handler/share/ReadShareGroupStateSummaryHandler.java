package io.wharf.server.handler.share;

import io.wharf.coordinator.share.ShareStateSummary;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * ReadShareGroupStateSummary (KIP-932, from a group coordinator describing offsets): a share-partition's epochs, start
 * offset and (v1) how many records from there on are acknowledged or archived. It reads without fencing anyone. A
 * share-partition that does not exist has start offset -1.
 */
public final class ReadShareGroupStateSummaryHandler implements ApiHandler {

    private final BrokerServices services;

    public ReadShareGroupStateSummaryHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.READ_SHARE_GROUP_STATE_SUMMARY;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        ReadShareGroupStateSummaryRequestData body = request.body();
        ReadShareGroupStateSummaryResponseData response = new ReadShareGroupStateSummaryResponseData();
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (ReadShareGroupStateSummaryRequestData.ReadStateSummaryData topic : body.topics()) {
            ReadShareGroupStateSummaryResponseData.ReadStateSummaryResult result =
                    new ReadShareGroupStateSummaryResponseData.ReadStateSummaryResult().setTopicId(topic.topicId());
            response.results().add(result);
            for (ReadShareGroupStateSummaryRequestData.PartitionData partition : topic.partitions()) {
                ReadShareGroupStateSummaryResponseData.PartitionResult answer =
                        new ReadShareGroupStateSummaryResponseData.PartitionResult()
                                .setPartition(partition.partition())
                                .setStateEpoch(-1)
                                .setLeaderEpoch(-1)
                                .setStartOffset(-1)
                                .setDeliveryCompleteCount(-1);
                result.partitions().add(answer);
                answers.add(ShareStateRequests.<Optional<ShareStateSummary>>call(
                                services,
                                body.groupId(),
                                topic.topicId(),
                                partition.partition(),
                                key -> coordinator -> coordinator.summary(key))
                        .thenAccept(outcome -> {
                            answer.setErrorCode(outcome.error().code()).setErrorMessage(outcome.message());
                            if (outcome.value() != null) {
                                outcome.value()
                                        .ifPresent(summary -> answer.setStateEpoch(summary.stateEpoch())
                                                .setLeaderEpoch(summary.leaderEpoch())
                                                .setStartOffset(summary.startOffset())
                                                .setDeliveryCompleteCount(summary.deliveryCompleteCount()));
                            }
                        }));
            }
        }
        return ShareStateRequests.when(answers, response);
    }
}
