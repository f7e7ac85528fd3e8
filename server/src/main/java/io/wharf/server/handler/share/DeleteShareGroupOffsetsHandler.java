package io.wharf.server.handler.share;

import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.coordinator.share.SharePartitionKey;
import io.wharf.metadata.image.TopicImage;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import io.wharf.server.handler.Topics;
import io.wharf.server.share.ShareGroupStates;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteShareGroupOffsets: forgets every share-partition of the named topics, while the share group has no members
 * (NON_EMPTY_GROUP otherwise), so consumption starts again from {@code share.auto.offset.reset}. An unknown topic is
 * UNKNOWN_TOPIC_OR_PARTITION.
 */
public final class DeleteShareGroupOffsetsHandler implements ApiHandler {

    private final BrokerServices services;

    public DeleteShareGroupOffsetsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_SHARE_GROUP_OFFSETS;
    }

    private static DeleteShareGroupOffsetsResponseData error(Errors error, String message) {
        return new DeleteShareGroupOffsetsResponseData()
                .setErrorCode(error.code())
                .setErrorMessage(message);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        DeleteShareGroupOffsetsRequestData body = request.body();
        return ShareRequests.onEmptyShareGroup(
                services, body.groupId(), DeleteShareGroupOffsetsHandler::error, () -> delete(body));
    }

    private CompletableFuture<ApiMessage> delete(DeleteShareGroupOffsetsRequestData body) {
        String groupId = body.groupId();
        DeleteShareGroupOffsetsResponseData response = new DeleteShareGroupOffsetsResponseData();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (DeleteShareGroupOffsetsRequestData.DeleteShareGroupOffsetsRequestTopic requested : body.topics()) {
            Optional<TopicImage> topic = services.replicas().image().topic(requested.topicName());
            DeleteShareGroupOffsetsResponseData.DeleteShareGroupOffsetsResponseTopic answer =
                    new DeleteShareGroupOffsetsResponseData.DeleteShareGroupOffsetsResponseTopic()
                            .setTopicName(requested.topicName())
                            .setTopicId(topic.map(t -> Topics.toKafka(t.id())).orElse(Uuid.ZERO_UUID));
            response.responses().add(answer);
            if (topic.isEmpty()) {
                answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                        .setErrorMessage("Unknown topic " + requested.topicName());
                continue;
            }
            ShareGroupStates states = services.shareGroupStates();
            List<SharePartitionKey> keys =
                    states.candidates(groupId, id -> id.equals(topic.get().id()));
            done.add(states.delete(groupId, keys).handle((deleted, failure) -> {
                if (failure != null) {
                    answer.setErrorCode(ShareCoordinator.errorFor(failure).code());
                }
                return null;
            }));
        }
        return ShareRequests.allDone(done, response);
    }
}
