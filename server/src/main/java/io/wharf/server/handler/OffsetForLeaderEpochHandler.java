package io.wharf.server.handler;

import io.wharf.common.TopicPartition;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.BrokerServices;
import io.wharf.storage.epoch.LeaderEpochCache;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetForLeaderEpoch: where a leader epoch ended in this log, from the leader-epoch cache. Consumers use it after a
 * leader change to check that their position still exists (log truncation detection).
 */
public final class OffsetForLeaderEpochHandler implements ApiHandler {

    private final BrokerServices services;

    public OffsetForLeaderEpochHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        OffsetForLeaderEpochRequestData body = request.body();
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : body.topics()) {
            OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult topicResult =
                    new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult().setTopic(topic.topic());
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition wanted : topic.partitions()) {
                topicResult
                        .partitions()
                        .add(
                                wanted.partition() < 0
                                        ? new OffsetForLeaderEpochResponseData.EpochEndOffset()
                                                .setPartition(wanted.partition())
                                                .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                                        : answer(new TopicPartition(topic.topic(), wanted.partition()), wanted));
            }
            response.topics().add(topicResult);
        }
        return CompletableFuture.completedFuture(response);
    }

    private OffsetForLeaderEpochResponseData.EpochEndOffset answer(
            TopicPartition tp, OffsetForLeaderEpochRequestData.OffsetForLeaderPartition wanted) {
        OffsetForLeaderEpochResponseData.EpochEndOffset result = new OffsetForLeaderEpochResponseData.EpochEndOffset()
                .setPartition(wanted.partition())
                .setLeaderEpoch(LeaderEpochCache.UNDEFINED_EPOCH)
                .setEndOffset(LeaderEpochCache.UNDEFINED_OFFSET);
        LeaderEpochs.Led led = LeaderEpochs.find(services, tp, wanted.currentLeaderEpoch());
        if (led.error() != Errors.NONE) {
            return result.setErrorCode(led.error().code());
        }
        PartitionReplica partition = led.partition();
        LeaderEpochCache.EpochEndOffset end = partition
                .log()
                .leaderEpochs()
                .endOffsetFor(wanted.leaderEpoch(), partition.log().logEndOffset());
        return result.setLeaderEpoch(end.epoch()).setEndOffset(end.endOffset());
    }
}
