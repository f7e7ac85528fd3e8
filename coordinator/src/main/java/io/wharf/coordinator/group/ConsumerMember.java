package io.wharf.coordinator.group;

import io.wharf.common.TopicId;
import java.util.List;
import java.util.Map;

/**
 * A member of a KIP-848 consumer group: what it subscribed to (its metadata record), and the assignment it has
 * reconciled so far with its epoch (its current-assignment record). Changed only by replay.
 */
final class ConsumerMember {

    final String memberId;
    String instanceId;
    String rackId;
    String clientId;
    String clientHost;
    List<String> subscribedTopicNames = List.of();
    String subscribedTopicRegex;
    String serverAssignor;
    int rebalanceTimeoutMs;

    int memberEpoch;
    int previousMemberEpoch;
    MemberState state = MemberState.STABLE;
    Map<TopicId, List<Integer>> assigned = Map.of();
    Map<TopicId, List<Integer>> pendingRevocation = Map.of();

    ConsumerMember(String memberId) {
        this.memberId = memberId;
    }

    /** Copies what the member's metadata record holds. */
    static void copyMetadata(ConsumerMember from, ConsumerMember to) {
        to.instanceId = from.instanceId;
        to.rackId = from.rackId;
        to.clientId = from.clientId;
        to.clientHost = from.clientHost;
        to.subscribedTopicNames = from.subscribedTopicNames;
        to.subscribedTopicRegex = from.subscribedTopicRegex;
        to.serverAssignor = from.serverAssignor;
        to.rebalanceTimeoutMs = from.rebalanceTimeoutMs;
    }

    GroupRecords.ConsumerMemberValue metadataValue() {
        return new GroupRecords.ConsumerMemberValue(
                instanceId,
                rackId,
                clientId,
                clientHost,
                subscribedTopicNames,
                subscribedTopicRegex,
                serverAssignor,
                rebalanceTimeoutMs);
    }

    GroupRecords.CurrentAssignmentValue assignmentValue() {
        return new GroupRecords.CurrentAssignmentValue(
                memberEpoch, previousMemberEpoch, state, assigned, pendingRevocation);
    }
}
