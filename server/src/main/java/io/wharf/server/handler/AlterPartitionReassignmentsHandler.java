package io.wharf.server.handler;

import io.wharf.metadata.controller.PartitionResult;
import io.wharf.metadata.controller.Reassignment;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterPartitionReassignments ({@code kafka-reassign-partitions.sh --execute} and {@code --cancel}): starts moving
 * partitions to new replicas, or cancels a move (null replicas). The controller adds the new replicas as followers;
 * the move completes once they are in sync ({@link io.wharf.metadata.controller.Controller#alterReassignments}). With
 * v1's {@code AllowReplicationFactorChange} false, a target of another size is INVALID_REPLICATION_FACTOR.
 */
public final class AlterPartitionReassignmentsHandler implements ApiHandler {

    private final BrokerServices services;

    public AlterPartitionReassignmentsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        AlterPartitionReassignmentsRequestData body = request.body();
        boolean allowFactorChange = request.version() < 1 || body.allowReplicationFactorChange();
        Map<String, AlterPartitionReassignmentsResponseData.ReassignableTopicResponse> topics = new LinkedHashMap<>();
        List<Reassignment> valid = new ArrayList<>();
        for (AlterPartitionReassignmentsRequestData.ReassignableTopic topic : body.topics()) {
            for (AlterPartitionReassignmentsRequestData.ReassignablePartition p : topic.partitions()) {
                List<Integer> target = p.replicas();
                if (target != null && !allowFactorChange) {
                    int current = services.replicas()
                            .image()
                            .topic(topic.name())
                            .map(t -> t.partitions().get(p.partitionIndex()))
                            .map(PartitionImage::targetReplicas)
                            .map(List::size)
                            .orElse(target.size());
                    if (current != target.size()) {
                        answer(
                                topics,
                                topic.name(),
                                p.partitionIndex(),
                                Errors.INVALID_REPLICATION_FACTOR,
                                "The target has " + target.size() + " replicas, the partition " + current
                                        + ", and the request does not allow a change of replication factor");
                        continue;
                    }
                }
                valid.add(new Reassignment(topic.name(), p.partitionIndex(), target));
            }
        }
        CompletableFuture<List<PartitionResult>> results = valid.isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : services.controller().alterReassignments(valid).thenApply(c -> c.result());
        return results.thenApply(list -> {
            for (PartitionResult r : list) {
                answer(topics, r.topic(), r.partition(), ErrorMapping.of(r.error()), r.message());
            }
            AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData();
            if (request.version() >= 1) {
                response.setAllowReplicationFactorChange(allowFactorChange);
            }
            response.setResponses(new ArrayList<>(topics.values()));
            return response;
        });
    }

    private static void answer(
            Map<String, AlterPartitionReassignmentsResponseData.ReassignableTopicResponse> topics,
            String topic,
            int partition,
            Errors error,
            String message) {
        topics.computeIfAbsent(
                        topic, t -> new AlterPartitionReassignmentsResponseData.ReassignableTopicResponse().setName(t))
                .partitions()
                .add(new AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse()
                        .setPartitionIndex(partition)
                        .setErrorCode(error.code())
                        .setErrorMessage(message));
    }
}
