package io.wharf.server.handler;

import io.wharf.metadata.controller.LeaderElection;
import io.wharf.metadata.controller.PartitionRef;
import io.wharf.metadata.controller.PartitionResult;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ElectLeaders ({@code kafka-leader-election.sh}): a preferred election moves each partition's leadership to its
 * first replica when that one is in sync and active (ELECTION_NOT_NEEDED when it already leads,
 * PREFERRED_LEADER_NOT_AVAILABLE when it cannot); an unclean one gives a leaderless partition any active replica. No
 * partitions means all of them, answered for those that got a new leader.
 */
public final class ElectLeadersHandler implements ApiHandler {

    private final BrokerServices services;

    public ElectLeadersHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ELECT_LEADERS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        ElectLeadersRequestData body = request.body();
        LeaderElection election;
        try {
            election = request.version() >= 1 ? LeaderElection.ofCode(body.electionType()) : LeaderElection.PREFERRED;
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(
                    request.errorResponse(Errors.INVALID_REQUEST, "Unknown election type " + body.electionType()));
        }
        List<PartitionRef> partitions = null;
        if (body.topicPartitions() != null) {
            partitions = new ArrayList<>();
            for (ElectLeadersRequestData.TopicPartitions topic : body.topicPartitions()) {
                for (int partition : topic.partitions()) {
                    partitions.add(new PartitionRef(topic.topic(), partition));
                }
            }
        }
        return services.controller().electLeaders(election, partitions).thenApply(committed -> {
            Map<String, ElectLeadersResponseData.ReplicaElectionResult> topics = new LinkedHashMap<>();
            for (PartitionResult r : committed.result()) {
                topics.computeIfAbsent(r.topic(), t -> new ElectLeadersResponseData.ReplicaElectionResult().setTopic(t))
                        .partitionResult()
                        .add(new ElectLeadersResponseData.PartitionResult()
                                .setPartitionId(r.partition())
                                .setErrorCode(ErrorMapping.of(r.error()).code())
                                .setErrorMessage(r.message()));
            }
            return new ElectLeadersResponseData()
                    .setErrorCode(Errors.NONE.code())
                    .setReplicaElectionResults(new ArrayList<>(topics.values()));
        });
    }
}
