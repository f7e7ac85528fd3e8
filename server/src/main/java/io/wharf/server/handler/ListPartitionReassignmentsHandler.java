package io.wharf.server.handler;

import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * ListPartitionReassignments ({@code kafka-reassign-partitions.sh --verify} and {@code --list}): the partitions
 * whose reassignment is in progress, from this broker's metadata, with the replicas being added and removed. A
 * partition asked for that is not being moved is left out, as Kafka does.
 */
public final class ListPartitionReassignmentsHandler implements ApiHandler {

    private final BrokerServices services;

    public ListPartitionReassignmentsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        ListPartitionReassignmentsRequestData body = request.body();
        MetadataImage image = services.replicas().image();
        ListPartitionReassignmentsResponseData response = new ListPartitionReassignmentsResponseData();
        if (body.topics() == null) {
            for (TopicImage topic : image.topics().values()) {
                add(response, topic, topic.partitions().keySet().stream().toList());
            }
        } else {
            for (ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics wanted : body.topics()) {
                image.topic(wanted.name()).ifPresent(topic -> add(response, topic, wanted.partitionIndexes()));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private static void add(ListPartitionReassignmentsResponseData response, TopicImage topic, List<Integer> indexes) {
        ListPartitionReassignmentsResponseData.OngoingTopicReassignment ongoing =
                new ListPartitionReassignmentsResponseData.OngoingTopicReassignment().setName(topic.name());
        for (int index : indexes) {
            PartitionImage p = topic.partitions().get(index);
            if (p != null && p.isReassigning()) {
                ongoing.partitions()
                        .add(new ListPartitionReassignmentsResponseData.OngoingPartitionReassignment()
                                .setPartitionIndex(index)
                                .setReplicas(p.replicas())
                                .setAddingReplicas(p.addingReplicas())
                                .setRemovingReplicas(p.removingReplicas()));
            }
        }
        if (!ongoing.partitions().isEmpty()) {
            response.topics().add(ongoing);
        }
    }
}
