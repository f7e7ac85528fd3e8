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
