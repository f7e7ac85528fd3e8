package io.wharf.server.handler;

import io.wharf.metadata.TopicNames;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.config.BrokerConfig;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeTopicPartitions (KIP-966, what {@code Admin.describeTopics} uses): topics by name, or every topic when the
 * list is empty, in name order, with their partitions. A response holds at most {@code responsePartitionLimit}
 * partitions (capped by {@code max.request.partition.size.limit}); when the limit cuts it short, {@code nextCursor}
 * names the topic and partition to continue from, and the client sends it back as {@code cursor}. Topics before the
 * cursor's topic, and that topic's partitions before the cursor's index, are skipped. An unknown name is answered
 * UNKNOWN_TOPIC_OR_PARTITION (INVALID_TOPIC_EXCEPTION when it is not a legal name), except when all topics were
 * asked for. Eligible leader replicas do not exist on a single node, so those lists are empty.
 */
public final class DescribeTopicPartitionsHandler implements ApiHandler {

    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

    private final BrokerServices services;

    public DescribeTopicPartitionsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TOPIC_PARTITIONS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        DescribeTopicPartitionsRequestData body = request.body();
        MetadataImage image = services.replicas().image();
        DescribeTopicPartitionsRequestData.Cursor cursor = body.cursor();
        String firstTopic = cursor == null ? "" : cursor.topicName();
        if (cursor != null && cursor.partitionIndex() < 0) {
            return refuse(request, "The partition index in the cursor can't be negative.");
        }
        boolean allTopics = body.topics().isEmpty();
        TreeSet<String> names = new TreeSet<>();
        if (allTopics) {
            names.addAll(image.topics().keySet());
        } else {
            body.topics().forEach(topic -> names.add(topic.name()));
            if (cursor != null && !names.contains(cursor.topicName())) {
                return refuse(
                        request, "The cursor topic " + cursor.topicName() + " is not among the topics asked for.");
            }
        }
        int limit = Math.max(
                1,
                Math.min(
                        body.responsePartitionLimit(),
                        services.config().get(BrokerConfig.MAX_REQUEST_PARTITION_SIZE_LIMIT)));
        DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData();
        int remaining = limit;
        for (String name : names.tailSet(firstTopic, true)) {
            TopicImage topic = image.topic(name).orElse(null);
            if (remaining == 0) {
                // The previous topics ended exactly at the limit: the next response starts with this one.
                response.setNextCursor(cursor(name, 0));
                break;
            }
            if (topic == null) {
                if (!allTopics) {
                    response.topics().add(unknown(name));
                }
                continue;
            }
            int start = name.equals(firstTopic) ? cursor.partitionIndex() : 0;
            int end = Math.min(topic.partitionCount(), start + remaining);
            response.topics().add(describe(image, topic, start, end));
            if (end < topic.partitionCount()) {
                response.setNextCursor(cursor(name, end));
                break;
            }
            remaining -= Math.max(0, end - start);
        }
        return CompletableFuture.completedFuture(response);
    }

    private static CompletableFuture<ApiMessage> refuse(KafkaRequest request, String message) {
        return CompletableFuture.completedFuture(request.errorResponse(Errors.INVALID_REQUEST, message));
    }

    private static DescribeTopicPartitionsResponseData.Cursor cursor(String topic, int partition) {
        return new DescribeTopicPartitionsResponseData.Cursor()
                .setTopicName(topic)
                .setPartitionIndex(partition);
    }

    private static DescribeTopicPartitionsResponseTopic unknown(String name) {
        Errors error =
                TopicNames.problem(name) != null ? Errors.INVALID_TOPIC_EXCEPTION : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        return new DescribeTopicPartitionsResponseTopic()
                .setName(name)
                .setErrorCode(error.code())
                .setTopicId(Uuid.ZERO_UUID)
                .setIsInternal(Topics.isInternal(name))
                .setTopicAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
    }

    /** The topic with its partitions {@code [start, end)}; partition indexes run 0 to count - 1 without gaps. */
    private static DescribeTopicPartitionsResponseTopic describe(
            MetadataImage image, TopicImage topic, int start, int end) {
        DescribeTopicPartitionsResponseTopic result = new DescribeTopicPartitionsResponseTopic()
                .setName(topic.name())
                .setTopicId(Topics.toKafka(topic.id()))
                .setIsInternal(Topics.isInternal(topic.name()))
                .setTopicAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
        for (int index = start; index < end; index++) {
            PartitionImage partition = topic.partitions().get(index);
            result.partitions()
                    .add(new DescribeTopicPartitionsResponsePartition()
                            .setErrorCode(
                                    PartitionViews.servingLeader(image, partition) < 0
                                            ? Errors.LEADER_NOT_AVAILABLE.code()
                                            : Errors.NONE.code())
                            .setPartitionIndex(partition.partition())
                            .setLeaderId(PartitionViews.servingLeader(image, partition))
                            .setLeaderEpoch(partition.leaderEpoch())
                            .setReplicaNodes(partition.replicas())
                            .setIsrNodes(partition.isr())
                            .setEligibleLeaderReplicas(List.of())
                            .setLastKnownElr(List.of())
                            .setOfflineReplicas(PartitionViews.offlineReplicas(image, partition)));
        }
        return result;
    }
}
