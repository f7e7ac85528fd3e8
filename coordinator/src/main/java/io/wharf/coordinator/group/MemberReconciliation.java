package io.wharf.coordinator.group;

import io.wharf.common.TopicId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;

/**
 * One step of a KIP-848 member's reconciliation towards its target assignment, as a pure function of the group, the
 * member and what the member says it owns: it changes nothing and returns the member as it should be recorded next.
 */
final class MemberReconciliation {

    private MemberReconciliation() {}

    /**
     * Moves a member one step towards its target: partitions it must give up are asked back first (its epoch stays
     * until it reports them gone); otherwise it moves to the target epoch with what it keeps and whatever new
     * partitions no other member still holds.
     */
    static ConsumerMember reconcile(
            ConsumerGroup group,
            ConsumerMember member,
            int targetEpoch,
            Map<TopicId, List<Integer>> target,
            List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned) {
        if (member.state == MemberState.STABLE && member.memberEpoch == targetEpoch && member.memberEpoch > 0) {
            return member;
        }
        if (member.state == MemberState.UNREVOKED_PARTITIONS
                && (owned == null || ownsAny(owned, member.pendingRevocation))) {
            return member;
        }
        Map<TopicId, List<Integer>> keep = new TreeMap<>(TopicIdOrder.ORDER);
        Map<TopicId, List<Integer>> next = new TreeMap<>(TopicIdOrder.ORDER);
        Map<TopicId, List<Integer>> revoke = new TreeMap<>(TopicIdOrder.ORDER);
        boolean unreleased = false;
        Set<TopicId> topics = new HashSet<>(member.assigned.keySet());
        topics.addAll(target.keySet());
        for (TopicId topic : topics) {
            Set<Integer> current = new HashSet<>(member.assigned.getOrDefault(topic, List.of()));
            Set<Integer> wanted = new HashSet<>(target.getOrDefault(topic, List.of()));
            List<Integer> stay = sorted(intersection(current, wanted));
            List<Integer> gone = sorted(difference(current, wanted));
            List<Integer> free = new ArrayList<>();
            for (int partition : sorted(difference(wanted, current))) {
                String owner = group.owners.get(new ConsumerGroup.TopicIdPartition(topic, partition));
                if (owner == null || owner.equals(member.memberId)) {
                    free.add(partition);
                } else {
                    unreleased = true;
                }
            }
            putIfAny(keep, topic, stay);
            putIfAny(revoke, topic, gone);
            List<Integer> combined = new ArrayList<>(stay);
            combined.addAll(free);
            putIfAny(next, topic, sorted(new HashSet<>(combined)));
        }
        ConsumerMember result = new ConsumerMember(member.memberId);
        ConsumerMember.copyMetadata(member, result);
        if (!revoke.isEmpty() && (owned == null || ownsAny(owned, revoke))) {
            result.memberEpoch = member.memberEpoch;
            result.previousMemberEpoch = member.previousMemberEpoch;
            result.state = MemberState.UNREVOKED_PARTITIONS;
            result.assigned = keep;
            result.pendingRevocation = revoke;
        } else {
            result.memberEpoch = targetEpoch;
            result.previousMemberEpoch = member.memberEpoch;
            result.state = unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE;
            result.assigned = next;
            result.pendingRevocation = Map.of();
        }
        return result;
    }

    private static void putIfAny(Map<TopicId, List<Integer>> map, TopicId topic, List<Integer> partitions) {
        if (!partitions.isEmpty()) {
            map.put(topic, List.copyOf(partitions));
        }
    }

    private static Set<Integer> intersection(Set<Integer> a, Set<Integer> b) {
        Set<Integer> result = new HashSet<>(a);
        result.retainAll(b);
        return result;
    }

    private static Set<Integer> difference(Set<Integer> a, Set<Integer> b) {
        Set<Integer> result = new HashSet<>(a);
        result.removeAll(b);
        return result;
    }

    private static List<Integer> sorted(Set<Integer> values) {
        return values.stream().sorted().toList();
    }

    private static boolean ownsAny(
            List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned, Map<TopicId, List<Integer>> partitions) {
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions topic : owned) {
            List<Integer> candidates = partitions.get(TopicIdOrder.of(topic.topicId()));
            if (candidates != null && topic.partitions().stream().anyMatch(candidates::contains)) {
                return true;
            }
        }
        return false;
    }

    /** Whether what the member says it owns is within what it was assigned (its last response may have been lost). */
    static boolean ownsOnlyAssigned(
            List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned, ConsumerMember member) {
        if (owned == null) {
            return false;
        }
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions topic : owned) {
            List<Integer> assigned = member.assigned.getOrDefault(TopicIdOrder.of(topic.topicId()), List.of());
            if (!assigned.containsAll(topic.partitions())) {
                return false;
            }
        }
        return true;
    }
}
