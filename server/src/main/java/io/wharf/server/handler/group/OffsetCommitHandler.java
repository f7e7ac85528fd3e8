package io.wharf.server.handler.group;

import io.wharf.metadata.image.MetadataImage;
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
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetCommit: the coordinator checks the committer (generation or member epoch) and records the offsets. From
 * version 10 topics come by id; unknown ids are answered UNKNOWN_TOPIC_ID here and never reach the coordinator.
 */
public final class OffsetCommitHandler implements ApiHandler {

    private final BrokerServices services;

    public OffsetCommitHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        OffsetCommitRequestData body = request.body();
        List<OffsetCommitResponseData.OffsetCommitResponseTopic> unknown = new ArrayList<>();
        if (request.version() >= 10) {
            MetadataImage image = services.replicas().image();
            List<OffsetCommitRequestData.OffsetCommitRequestTopic> known = new ArrayList<>();
            for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : body.topics()) {
                Optional<TopicImage> named = image.topic(Topics.fromKafka(topic.topicId()));
                if (named.isPresent()) {
                    known.add(topic.setName(named.get().name()));
                } else {
                    unknown.add(failed(topic, Errors.UNKNOWN_TOPIC_ID));
                }
            }
            body.setTopics(known);
        }
        return GroupRequests.withCoordinator(
                        services, coordinator -> coordinator.commitOffsets(body, request.version()), () -> {
                            OffsetCommitResponseData response = new OffsetCommitResponseData();
                            body.topics()
                                    .forEach(t -> response.topics().add(failed(t, Errors.COORDINATOR_NOT_AVAILABLE)));
                            return response;
                        })
                .thenApply(response -> {
                    response.topics().addAll(unknown);
                    return (ApiMessage) response;
                });
    }

    private static OffsetCommitResponseData.OffsetCommitResponseTopic failed(
            OffsetCommitRequestData.OffsetCommitRequestTopic topic, Errors error) {
        OffsetCommitResponseData.OffsetCommitResponseTopic response =
                new OffsetCommitResponseData.OffsetCommitResponseTopic()
                        .setName(topic.name())
                        .setTopicId(topic.topicId());
        topic.partitions()
                .forEach(p -> response.partitions()
                        .add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                                .setPartitionIndex(p.partitionIndex())
                                .setErrorCode(error.code())));
        return response;
    }
}
