package io.wharf.server.handler.share;

import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.coordinator.share.SharePartitionKey;
import io.wharf.metadata.image.TopicImage;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import io.wharf.server.handler.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterShareGroupOffsets: moves share-partitions' start offsets, forgetting their in-flight records, while the share
 * group has no members (NON_EMPTY_GROUP otherwise). Each partition succeeds or fails on its own: an unknown topic or
 * partition is UNKNOWN_TOPIC_OR_PARTITION, a negative offset INVALID_REQUEST. An offset below the log start starts
 * at the log start on the next fetch.
 */
public final class AlterShareGroupOffsetsHandler implements ApiHandler {

    private final BrokerServices services;

    public AlterShareGroupOffsetsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_SHARE_GROUP_OFFSETS;
    }

    private static AlterShareGroupOffsetsResponseData error(Errors error, String message) {
        return new AlterShareGroupOffsetsResponseData()
                .setErrorCode(error.code())
                .setErrorMessage(message);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        AlterShareGroupOffsetsRequestData body = request.body();
        return ShareRequests.onEmptyShareGroup(
                services, body.groupId(), AlterShareGroupOffsetsHandler::error, () -> alter(body));
    }

    private CompletableFuture<ApiMessage> alter(AlterShareGroupOffsetsRequestData body) {
        String groupId = body.groupId();
        AlterShareGroupOffsetsResponseData response = new AlterShareGroupOffsetsResponseData();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopic requested : body.topics()) {
            Optional<TopicImage> topic = services.replicas().image().topic(requested.topicName());
            AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponseTopic answer =
                    new AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponseTopic()
                            .setTopicName(requested.topicName())
                            .setTopicId(topic.map(t -> Topics.toKafka(t.id())).orElse(Uuid.ZERO_UUID));
            response.responses().add(answer);
            for (AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestPartition partition :
                    requested.partitions()) {
                AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponsePartition result =
                        new AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponsePartition()
                                .setPartitionIndex(partition.partitionIndex());
                answer.partitions().add(result);
                if (topic.isEmpty() || !topic.get().partitions().containsKey(partition.partitionIndex())) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                            .setErrorMessage(
                                    requested.topicName() + "-" + partition.partitionIndex() + " does not exist");
                } else if (partition.startOffset() < 0) {
                    result.setErrorCode(Errors.INVALID_REQUEST.code())
                            .setErrorMessage("StartOffset must not be negative: " + partition.startOffset());
                } else {
                    SharePartitionKey key =
                            new SharePartitionKey(groupId, topic.get().id(), partition.partitionIndex());
                    done.add(services.shareGroupStates()
                            .reset(key, partition.startOffset())
                            .handle((ok, failure) -> {
                                if (failure != null) {
                                    result.setErrorCode(
                                            ShareCoordinator.errorFor(failure).code());
                                }
                                return null;
                            }));
                }
            }
        }
        return ShareRequests.allDone(done, response);
    }
}
