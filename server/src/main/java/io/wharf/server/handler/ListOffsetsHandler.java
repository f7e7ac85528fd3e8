package io.wharf.server.handler;

import io.wharf.common.TopicPartition;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.BrokerServices;
import io.wharf.storage.LogException;
import io.wharf.storage.PartitionLog;
import io.wharf.storage.TimestampOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListOffsets: an offset by time. The special timestamps are -1 latest (the high watermark), -2 earliest (the log
 * start), -3 the record with the largest timestamp, -4 the earliest local offset (the log start: all data is local),
 * -5 and -6 (tiered storage, which Wharf does not have: answered -1). A timestamp at or above 0 finds the first record
 * at or after it. Results at or above the high watermark are not visible to consumers and are answered -1. The answer
 * waits until the watermark covers every record appended before the request (one fsync at most). A leader whose
 * watermark has not yet reached where its log ended at its election answers "latest", and lookups that find nothing
 * below the watermark, OFFSET_NOT_AVAILABLE (see {@link PartitionReplica#watermarkBehindEpochStart()}).
 */
public final class ListOffsetsHandler implements ApiHandler {

    static final long LATEST = -1;
    static final long EARLIEST = -2;
    static final long MAX_TIMESTAMP = -3;
    static final long EARLIEST_LOCAL = -4;

    private final BrokerServices services;

    public ListOffsetsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        ListOffsetsRequestData body = request.body();
        List<TopicPartition> wanted = new ArrayList<>();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : body.topics()) {
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                if (partition.partitionIndex() >= 0) {
                    wanted.add(new TopicPartition(topic.name(), partition.partitionIndex()));
                }
            }
        }
        return services.replicas().settleWatermarks(wanted).thenApply(settled -> answer(request, body));
    }

    private ApiMessage answer(KafkaRequest request, ListOffsetsRequestData body) {
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : body.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse =
                    new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(topic.name());
            for (ListOffsetsRequestData.ListOffsetsPartition wanted : topic.partitions()) {
                ListOffsetsResponseData.ListOffsetsPartitionResponse answer = wanted.partitionIndex() < 0
                        ? unknownPartition(wanted.partitionIndex())
                        : answer(
                                new TopicPartition(topic.name(), wanted.partitionIndex()),
                                wanted,
                                body.isolationLevel() == READ_COMMITTED);
                if (request.version() < 4) {
                    answer.setLeaderEpoch(-1); // the field exists from version 4 on
                }
                topicResponse.partitions().add(answer);
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    private static final byte READ_COMMITTED = 1;

    private static ListOffsetsResponseData.ListOffsetsPartitionResponse unknownPartition(int index) {
        return new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                .setPartitionIndex(index)
                .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                .setTimestamp(-1)
                .setOffset(-1)
                .setLeaderEpoch(-1);
    }

    private ListOffsetsResponseData.ListOffsetsPartitionResponse answer(
            TopicPartition tp, ListOffsetsRequestData.ListOffsetsPartition wanted, boolean readCommitted) {
        ListOffsetsResponseData.ListOffsetsPartitionResponse result =
                new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                        .setPartitionIndex(wanted.partitionIndex())
                        .setTimestamp(-1)
                        .setOffset(-1)
                        .setLeaderEpoch(-1);
        LeaderEpochs.Led led = LeaderEpochs.find(services, tp, wanted.currentLeaderEpoch());
        if (led.error() != Errors.NONE) {
            return result.setErrorCode(led.error().code());
        }
        PartitionReplica partition = led.partition();
        PartitionLog log = partition.log();
        // A read_committed consumer sees the log up to the last stable offset, so "latest" and lookups end there.
        long highWatermark = readCommitted ? partition.lastStableOffset() : partition.highWatermark();
        // A leader elected moments ago may not know yet how far its predecessor committed: its watermark would
        // give an end of the log short of acknowledged records, so "latest", and a lookup that finds nothing below
        // the watermark, are OFFSET_NOT_AVAILABLE until its followers have fetched (clients retry).
        try {
            long timestamp = wanted.timestamp();
            if (timestamp == LATEST) {
                if (partition.watermarkBehindEpochStart()) {
                    return result.setErrorCode(Errors.OFFSET_NOT_AVAILABLE.code());
                }
                return result.setOffset(highWatermark)
                        .setLeaderEpoch(log.leaderEpochs().latestEpoch());
            }
            if (timestamp == EARLIEST || timestamp == EARLIEST_LOCAL) {
                long start = log.logStartOffset();
                return result.setOffset(start).setLeaderEpoch(log.leaderEpochs().epochForOffset(start));
            }
            Optional<TimestampOffset> found = (timestamp == MAX_TIMESTAMP
                            ? log.maxTimestampOffset()
                            : timestamp >= 0 ? log.offsetForTimestamp(timestamp) : Optional.<TimestampOffset>empty())
                    .filter(f -> f.offset() < highWatermark);
            if (found.isEmpty()
                    && (timestamp == MAX_TIMESTAMP || timestamp >= 0)
                    && partition.watermarkBehindEpochStart()) {
                return result.setErrorCode(Errors.OFFSET_NOT_AVAILABLE.code());
            }
            found.ifPresent(f ->
                    result.setTimestamp(f.timestamp()).setOffset(f.offset()).setLeaderEpoch(f.leaderEpoch()));
            return result;
        } catch (LogException e) {
            return result.setErrorCode(ErrorMapping.of(e.error()).code());
        }
    }
}
