package io.wharf.server.handler;

import io.wharf.common.TopicPartition;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.BrokerServices;
import io.wharf.storage.LogException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteRecords: moves each partition's log start (its low watermark) up to the given offset, -1 meaning the high
 * watermark, and answers the new low watermark. The move is durable before the answer. An offset above the high
 * watermark, or negative other than -1, is OFFSET_OUT_OF_RANGE; one below the log start changes nothing and answers
 * the current low watermark, as in Kafka.
 */
public final class DeleteRecordsHandler implements ApiHandler {

    static final long HIGH_WATERMARK = -1;
    private static final long UNKNOWN_LOW_WATERMARK = -1;

    private final BrokerServices services;

    public DeleteRecordsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        DeleteRecordsRequestData body = request.body();
        List<TopicPartition> wanted = new ArrayList<>();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : body.topics()) {
            for (DeleteRecordsRequestData.DeleteRecordsPartition partition : topic.partitions()) {
                if (partition.partitionIndex() >= 0) {
                    wanted.add(new TopicPartition(topic.name(), partition.partitionIndex()));
                }
            }
        }
        return services.replicas().settleWatermarks(wanted).thenApply(settled -> delete(body));
    }

    private ApiMessage delete(DeleteRecordsRequestData body) {
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : body.topics()) {
            DeleteRecordsResponseData.DeleteRecordsTopicResult topicResult =
                    new DeleteRecordsResponseData.DeleteRecordsTopicResult().setName(topic.name());
            for (DeleteRecordsRequestData.DeleteRecordsPartition wanted : topic.partitions()) {
                topicResult.partitions().add(delete(topic.name(), wanted.partitionIndex(), wanted.offset()));
            }
            response.topics().add(topicResult);
        }
        return response;
    }

    private DeleteRecordsResponseData.DeleteRecordsPartitionResult delete(String topic, int index, long offset) {
        DeleteRecordsResponseData.DeleteRecordsPartitionResult result =
                new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                        .setPartitionIndex(index)
                        .setLowWatermark(UNKNOWN_LOW_WATERMARK);
        if (index < 0) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        TopicPartition tp = new TopicPartition(topic, index);
        LeaderEpochs.Led led = LeaderEpochs.find(services, tp, LeaderEpochs.NO_EPOCH);
        if (led.error() != Errors.NONE) {
            return result.setErrorCode(led.error().code());
        }
        PartitionReplica partition = led.partition();
        // The high watermark only grows, so an offset at or below the one read here stays valid while it is applied.
        long highWatermark = partition.highWatermark();
        long target = offset == HIGH_WATERMARK ? highWatermark : offset;
        if (target < 0 || target > highWatermark) {
            return result.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
        }
        try {
            return result.setLowWatermark(partition.log().deleteRecordsBefore(target));
        } catch (LogException e) {
            return result.setErrorCode(ErrorMapping.of(e.error()).code());
        }
    }
}
