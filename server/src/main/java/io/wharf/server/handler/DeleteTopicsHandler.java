package io.wharf.server.handler;

import io.wharf.metadata.MetadataError;
import io.wharf.metadata.controller.Controller;
import io.wharf.metadata.controller.TopicRef;
import io.wharf.metadata.controller.TopicResult;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteTopics, by name (every version) or by topic id (v6+). Each topic is deleted or refused on its own: an unknown
 * one is UNKNOWN_TOPIC_OR_PARTITION (by name) or UNKNOWN_TOPIC_ID (by id); a topic named twice, or given by name and
 * id at once, is INVALID_REQUEST; every topic is TOPIC_DELETION_DISABLED when {@code delete.topic.enable=false}. The
 * answer comes once the removal is in the metadata log; the replica manager deletes the logs when it applies the new
 * image, and each share coordinator forgets the share-partitions of the deleted topics it holds.
 */
public final class DeleteTopicsHandler implements ApiHandler {

    /** Before v3 a client does not know TOPIC_DELETION_DISABLED, so Kafka answers INVALID_REQUEST instead. */
    private static final short FIRST_VERSION_WITH_DELETION_DISABLED = 3;

    private final BrokerServices services;

    public DeleteTopicsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_TOPICS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        DeleteTopicsRequestData body = request.body();
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        List<TopicRef> refs = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        Map<Uuid, Integer> ids = new HashMap<>();
        body.topicNames().forEach(name -> names.merge(name, 1, Integer::sum));
        for (DeleteTopicsRequestData.DeleteTopicState topic : body.topics()) {
            boolean hasId = !Uuid.ZERO_UUID.equals(topic.topicId());
            if (topic.name() == null && !hasId) {
                response.responses().add(failed(null, Uuid.ZERO_UUID, "Neither topic name nor id were specified."));
            } else if (topic.name() != null && hasId) {
                response.responses()
                        .add(failed(
                                topic.name(), topic.topicId(), "You may not specify both topic name and topic id."));
            } else if (hasId) {
                ids.merge(topic.topicId(), 1, Integer::sum);
            } else {
                names.merge(topic.name(), 1, Integer::sum);
            }
        }
        names.forEach((name, count) -> {
            if (count > 1) {
                response.responses().add(failed(name, Uuid.ZERO_UUID, "Duplicate topic name."));
            } else {
                refs.add(new TopicRef(name, null));
            }
        });
        ids.forEach((id, count) -> {
            if (count > 1) {
                response.responses().add(failed(null, id, "Duplicate topic id."));
            } else {
                refs.add(new TopicRef(null, Topics.fromKafka(id)));
            }
        });
        if (refs.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        return services.controller()
                .deleteTopics(refs)
                .thenApply(Controller.Committed::result)
                .thenApply(results -> {
                    for (TopicResult result : results) {
                        response.responses().add(answer(result, request.version()));
                    }
                    return (ApiMessage) response;
                });
    }

    private static DeleteTopicsResponseData.DeletableTopicResult answer(TopicResult result, short version) {
        Errors error = ErrorMapping.of(result.error());
        if (result.error() == MetadataError.TOPIC_DELETION_DISABLED && version < FIRST_VERSION_WITH_DELETION_DISABLED) {
            error = Errors.INVALID_REQUEST;
        }
        return new DeleteTopicsResponseData.DeletableTopicResult()
                .setName(result.name())
                .setTopicId(Topics.toKafka(result.topicId()))
                .setErrorCode(error.code())
                .setErrorMessage(result.message());
    }

    private static DeleteTopicsResponseData.DeletableTopicResult failed(String name, Uuid id, String message) {
        return new DeleteTopicsResponseData.DeletableTopicResult()
                .setName(name)
                .setTopicId(id)
                .setErrorCode(Errors.INVALID_REQUEST.code())
                .setErrorMessage(message);
    }
}
