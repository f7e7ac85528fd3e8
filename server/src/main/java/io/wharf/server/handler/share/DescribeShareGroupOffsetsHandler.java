package io.wharf.server.handler.share;

import io.wharf.common.TopicId;
import io.wharf.coordinator.group.GroupCoordinator;
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
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeShareGroupOffsets: each share-partition's start offset, and from v1 its lag (records up to the high
 * watermark not yet acknowledged or archived). A partition the group has not consumed yet has start offset and lag
 * -1; a group that is not a share group is GROUP_ID_NOT_FOUND. With no topics named, every share-partition the group
 * has is described.
 */
public final class DescribeShareGroupOffsetsHandler implements ApiHandler {

    private final BrokerServices services;

    public DescribeShareGroupOffsetsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        DescribeShareGroupOffsetsRequestData body = request.body();
        return services.groups()
                .coordinator()
                .thenCompose(groups -> {
                    List<
                                    CompletableFuture<
                                            DescribeShareGroupOffsetsResponseData
                                                    .DescribeShareGroupOffsetsResponseGroup>>
                            described = body.groups().stream()
                                    .map(group -> describe(groups, group))
                                    .toList();
                    return CompletableFuture.allOf(described.toArray(CompletableFuture[]::new))
                            .thenApply(v -> described.stream()
                                    .map(CompletableFuture::join)
                                    .toList());
                })
                .exceptionally(failure -> body.groups().stream()
                        .map(g -> groupError(g.groupId(), Errors.COORDINATOR_NOT_AVAILABLE, null))
                        .toList())
                .thenApply(groups -> new DescribeShareGroupOffsetsResponseData().setGroups(groups));
    }

    private static DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup groupError(
            String groupId, Errors error, String message) {
        return new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup()
                .setGroupId(groupId)
                .setErrorCode(error.code())
                .setErrorMessage(message);
    }

    private CompletableFuture<DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup> describe(
            GroupCoordinator groups, DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup group) {
        String groupId = group.groupId();
        return groups.shareGroupSize(groupId)
                .thenCompose(size -> {
                    if (size < 0) {
                        return CompletableFuture.completedFuture(groupError(
                                groupId, Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a share group."));
                    }
                    return services.shareGroupStates()
                            .describe(groupId, keys(group))
                            .thenApply(offsets -> answer(group, offsets));
                })
                .exceptionally(failure -> groupError(groupId, ShareCoordinator.errorFor(failure), null));
    }

    /** The share-partitions the request asks about: those named, or every one the group could have. */
    private List<SharePartitionKey> keys(
            DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup group) {
        ShareGroupStates states = services.shareGroupStates();
        if (group.topics() == null) {
            return states.candidates(group.groupId(), t -> true);
        }
        List<SharePartitionKey> keys = new ArrayList<>();
        for (DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestTopic requested : group.topics()) {
            states.topic(requested.topicName())
                    .ifPresent(topic -> requested.partitions().stream()
                            .filter(p -> topic.partitions().containsKey(p))
                            .distinct()
                            .forEach(p -> keys.add(new SharePartitionKey(group.groupId(), topic.id(), p))));
        }
        return keys;
    }

    private DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup answer(
            DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup group,
            Map<SharePartitionKey, ShareGroupStates.Offsets> offsets) {
        Map<TopicId, Map<Integer, ShareGroupStates.Offsets>> byTopic = new LinkedHashMap<>();
        offsets.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<SharePartitionKey, ShareGroupStates.Offsets> e) ->
                                e.getKey().topicId().toString())
                        .thenComparingInt(e -> e.getKey().partition()))
                .forEach(e -> byTopic.computeIfAbsent(e.getKey().topicId(), t -> new LinkedHashMap<>())
                        .put(e.getKey().partition(), e.getValue()));
        DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup answer =
                new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup()
                        .setGroupId(group.groupId());
        if (group.topics() == null) {
            byTopic.forEach((topicId, partitions) -> services.replicas()
                    .image()
                    .topic(topicId)
                    .ifPresent(topic ->
                            answer.topics().add(topic(topic.name(), topicId, partitions.keySet(), partitions))));
            return answer;
        }
        for (DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestTopic requested : group.topics()) {
            Optional<TopicImage> topic = services.replicas().image().topic(requested.topicName());
            if (topic.isEmpty()) {
                DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic unknown =
                        new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic()
                                .setTopicName(requested.topicName())
                                .setTopicId(Uuid.ZERO_UUID);
                requested
                        .partitions()
                        .forEach(p -> unknown.partitions()
                                .add(partition(p, null)
                                        .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                                        .setErrorMessage("Unknown topic " + requested.topicName())));
                answer.topics().add(unknown);
                continue;
            }
            answer.topics()
                    .add(topic(
                            requested.topicName(),
                            topic.get().id(),
                            requested.partitions(),
                            byTopic.getOrDefault(topic.get().id(), Map.of())));
        }
        return answer;
    }

    private static DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic topic(
            String name,
            TopicId topicId,
            Collection<Integer> partitions,
            Map<Integer, ShareGroupStates.Offsets> offsets) {
        DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic topic =
                new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic()
                        .setTopicName(name)
                        .setTopicId(Topics.toKafka(topicId));
        List<Integer> sorted = new ArrayList<>(partitions);
        sorted.sort(Integer::compare);
        sorted.forEach(p -> topic.partitions().add(partition(p, offsets.get(p))));
        return topic;
    }

    private static DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition partition(
            int index, ShareGroupStates.Offsets offsets) {
        return new DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition()
                .setPartitionIndex(index)
                .setStartOffset(offsets == null ? -1 : offsets.startOffset())
                .setLeaderEpoch(-1)
                .setLag(offsets == null ? -1 : offsets.lag());
    }
}
