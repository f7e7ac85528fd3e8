package io.wharf.server.handler.group;

import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import io.wharf.server.handler.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetFetch: committed offsets of one group (up to v7) or several (v8+), by topic name or, from v10, by topic id.
 * The request is brought to the v8+ per-group form, answered by the coordinator, and brought back.
 */
public final class OffsetFetchHandler implements ApiHandler {

    private final BrokerServices services;

    public OffsetFetchHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FETCH;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        OffsetFetchRequestData body = request.body();
        short version = request.version();
        List<OffsetFetchRequestData.OffsetFetchRequestGroup> groups =
                version >= 8 ? body.groups() : List.of(single(body));
        MetadataImage image = services.replicas().image();
        if (version >= 10) {
            groups.forEach(g -> {
                if (g.topics() != null) {
                    g.topics()
                            .forEach(t -> t.setName(image.topic(Topics.fromKafka(t.topicId()))
                                    .map(i -> i.name())
                                    .orElse(null)));
                }
            });
        }
        return GroupRequests.withCoordinator(
                        services,
                        coordinator -> fetchAll(coordinator, groups, version >= 7 && body.requireStable()),
                        () -> groups.stream()
                                .map(g -> new OffsetFetchResponseData.OffsetFetchResponseGroup()
                                        .setGroupId(g.groupId())
                                        .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()))
                                .toList())
                .thenApply(results -> respond(version, results, image));
    }

    private static OffsetFetchRequestData.OffsetFetchRequestGroup single(OffsetFetchRequestData body) {
        List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics = null;
        if (body.topics() != null) {
            topics = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopic topic : body.topics()) {
                topics.add(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                        .setName(topic.name())
                        .setPartitionIndexes(topic.partitionIndexes()));
            }
        }
        return new OffsetFetchRequestData.OffsetFetchRequestGroup()
                .setGroupId(body.groupId())
                .setMemberId(null)
                .setMemberEpoch(-1)
                .setTopics(topics);
    }

    private static CompletableFuture<List<OffsetFetchResponseData.OffsetFetchResponseGroup>> fetchAll(
            GroupCoordinator coordinator,
            List<OffsetFetchRequestData.OffsetFetchRequestGroup> groups,
            boolean requireStable) {
        List<CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup>> fetches = groups.stream()
                .map(g -> coordinator.fetchOffsets(g, requireStable))
                .toList();
        return CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new))
                .thenApply(v -> fetches.stream().map(CompletableFuture::join).toList());
    }

    private static ApiMessage respond(
            short version, List<OffsetFetchResponseData.OffsetFetchResponseGroup> results, MetadataImage image) {
        if (version >= 10) {
            for (OffsetFetchResponseData.OffsetFetchResponseGroup group : results) {
                for (OffsetFetchResponseData.OffsetFetchResponseTopics topic : group.topics()) {
                    if (topic.topicId() == null || topic.topicId().equals(Uuid.ZERO_UUID)) {
                        topic.setTopicId(image.topic(topic.name())
                                .map(i -> Topics.toKafka(i.id()))
                                .orElse(Uuid.ZERO_UUID));
                    }
                }
            }
        }
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version >= 8) {
            results.forEach(response.groups()::add);
            return response;
        }
        OffsetFetchResponseData.OffsetFetchResponseGroup group = results.get(0);
        response.setErrorCode(group.errorCode());
        for (OffsetFetchResponseData.OffsetFetchResponseTopics topic : group.topics()) {
            OffsetFetchResponseData.OffsetFetchResponseTopic old =
                    new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic.name());
            for (OffsetFetchResponseData.OffsetFetchResponsePartitions p : topic.partitions()) {
                old.partitions()
                        .add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                                .setPartitionIndex(p.partitionIndex())
                                .setCommittedOffset(p.committedOffset())
                                .setCommittedLeaderEpoch(version >= 5 ? p.committedLeaderEpoch() : -1)
                                .setMetadata(p.metadata())
                                .setErrorCode(p.errorCode()));
            }
            response.topics().add(old);
        }
        return response;
    }
}
