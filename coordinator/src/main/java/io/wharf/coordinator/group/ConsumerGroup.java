package io.wharf.coordinator.group;

import io.wharf.common.TopicId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group under the KIP-848 consumer protocol. The group epoch moves when membership or subscriptions change; the
 * target assignment is recomputed for it (the assignment epoch catches up); each member then reconciles towards its
 * target at its own pace. Changed only by replay; {@code owners} is derived from the members' assignments.
 */
final class ConsumerGroup {

    /** One partition of one topic, as assignments name it. */
    record TopicIdPartition(TopicId topicId, int partition) {}

    final String groupId;
    int groupEpoch;
    int assignmentEpoch;
    final Map<String, ConsumerMember> members = new LinkedHashMap<>();
    final Map<String, Map<TopicId, List<Integer>>> targetAssignment = new HashMap<>();
    /** Which member holds each partition now (assigned or still to revoke): it cannot be given to another yet. */
    final Map<TopicIdPartition, String> owners = new HashMap<>();

    ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    /** The state Kafka's tools show. */
    String stateName() {
        if (members.isEmpty()) {
            return "Empty";
        }
        if (groupEpoch > assignmentEpoch) {
            return "Assigning";
        }
        boolean reconciling = members.values().stream()
                .anyMatch(m -> m.memberEpoch != assignmentEpoch || m.state != MemberState.STABLE);
        return reconciling ? "Reconciling" : "Stable";
    }

    ConsumerMember memberWithInstance(String instanceId) {
        for (ConsumerMember member : members.values()) {
            if (instanceId.equals(member.instanceId)) {
                return member;
            }
        }
        return null;
    }

    /** Records who owns the partitions of {@code member}'s current assignment, replacing what it owned before. */
    void trackOwnership(ConsumerMember member) {
        owners.values().removeIf(member.memberId::equals);
        member.assigned.forEach((topic, partitions) ->
                partitions.forEach(p -> owners.put(new TopicIdPartition(topic, p), member.memberId)));
        member.pendingRevocation.forEach((topic, partitions) ->
                partitions.forEach(p -> owners.put(new TopicIdPartition(topic, p), member.memberId)));
    }

    void forgetOwnership(String memberId) {
        owners.values().removeIf(memberId::equals);
    }
}
