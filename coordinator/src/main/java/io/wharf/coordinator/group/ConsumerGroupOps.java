package io.wharf.coordinator.group;

import io.wharf.common.TopicId;
import io.wharf.coordinator.group.assignor.Assignor;
import io.wharf.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The KIP-848 consumer protocol on one shard: ConsumerGroupHeartbeat and the session and revocation timers.
 *
 * <p>Each heartbeat updates the member's subscription. A change in membership, subscriptions or the subscribed topics'
 * partition counts moves the group epoch and recomputes the target assignment with a server-side assignor. The member
 * then reconciles: it keeps what stays, is asked to revoke what goes, and gets new partitions only once no other
 * member still holds them; each step it completes moves its member epoch to the target's.
 *
 * <p>Groups and members ({@link ConsumerGroup}, in {@link GroupState}) change only when the records written here are
 * replayed. Soft state, changed as operations compute and lost on restart, is kept here: each group's subscribed
 * partition counts when its target was last computed (read again after a load), static members that left with epoch
 * -2 (after a load they hold their partitions until their session ends), and the session and revocation timers.
 */
final class ConsumerGroupOps {

    static final int LEAVE_EPOCH = -1;
    static final int STATIC_LEAVE_EPOCH = -2;

    /** A member of a group, as soft state is keyed. */
    private record MemberKey(String groupId, String memberId) {}

    private final GroupState state;
    private final LiveGroups live;
    private final GroupConfig config;
    private final TopicsView topics;
    private final Map<String, Assignor> assignors;
    private final GroupTimers timers;
    /** Soft: the partition counts of each group's subscribed topics when its target was last computed. */
    private final Map<String, Map<String, Integer>> partitionCounts = new HashMap<>();
    /** Soft: static members that left with epoch -2; their partitions stay reserved until they rejoin or expire. */
    private final Set<MemberKey> leftStatically = new HashSet<>();

    ConsumerGroupOps(
            GroupState state,
            LiveGroups live,
            GroupConfig config,
            TopicsView topics,
            Map<String, Assignor> assignors,
            GroupTimers timers) {
        this.state = state;
        this.live = live;
        this.config = config;
        this.topics = topics;
        this.assignors = assignors;
        this.timers = timers;
    }

    private static ConsumerGroupHeartbeatResponseData error(Errors error, String message) {
        return new ConsumerGroupHeartbeatResponseData()
                .setErrorCode(error.code())
                .setErrorMessage(message);
    }

    /** Why the request is malformed, or null. */
    private String invalid(ConsumerGroupHeartbeatRequestData request, short version) {
        int epoch = request.memberEpoch();
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return "GroupId can't be empty.";
        }
        if (request.instanceId() != null && request.instanceId().isEmpty()) {
            return "InstanceId can't be empty.";
        }
        if (request.rackId() != null && request.rackId().isEmpty()) {
            return "RackId can't be empty.";
        }
        if (epoch < STATIC_LEAVE_EPOCH) {
            return "MemberEpoch is invalid.";
        }
        boolean needsId = version >= 1 || epoch != 0;
        if (needsId && (request.memberId() == null || request.memberId().isEmpty())) {
            return "MemberId can't be empty.";
        }
        if (epoch == 0) {
            if (request.rebalanceTimeoutMs() == -1) {
                return "RebalanceTimeoutMs must be provided in first request.";
            }
            if (request.topicPartitions() == null || !request.topicPartitions().isEmpty()) {
                return "TopicPartitions must be empty when (re-)joining.";
            }
            if (request.subscribedTopicNames() == null && request.subscribedTopicRegex() == null) {
                return "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.";
            }
        }
        if (epoch == STATIC_LEAVE_EPOCH && request.instanceId() == null) {
            return "InstanceId can't be null when leaving a group statically.";
        }
        return null;
    }

    CoordinatorResult<ConsumerGroupHeartbeatResponseData> heartbeat(
            ConsumerGroupHeartbeatRequestData request, short version, String clientId, String clientHost) {
        String problem = invalid(request, version);
        if (problem != null) {
            return CoordinatorResult.answer(error(Errors.INVALID_REQUEST, problem));
        }
        if (request.serverAssignor() != null && !assignors.containsKey(request.serverAssignor())) {
            return CoordinatorResult.answer(error(
                    Errors.UNSUPPORTED_ASSIGNOR,
                    "Unknown server assignor " + request.serverAssignor() + "; this broker has " + assignors.keySet()));
        }
        if (request.subscribedTopicRegex() != null
                && !request.subscribedTopicRegex().isEmpty()) {
            try {
                Pattern.compile(request.subscribedTopicRegex());
            } catch (PatternSyntaxException e) {
                return CoordinatorResult.answer(error(Errors.INVALID_REGULAR_EXPRESSION, e.getDescription()));
            }
        }
        String groupId = request.groupId();
        ClassicGroupView classic = live.classic(groupId);
        if ((classic.exists() && !classic.isEmpty()) || state.shareGroup(groupId) != null) {
            return CoordinatorResult.answer(
                    error(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a consumer group."));
        }
        ConsumerGroup group = state.consumerGroup(groupId);
        Effects effects = new Effects();
        if (group == null) {
            if (request.memberEpoch() != 0) {
                return CoordinatorResult.answer(
                        error(Errors.UNKNOWN_MEMBER_ID, "Group " + groupId + " has no member " + request.memberId()));
            }
            if (classic.exists()) {
                // An empty classic group becomes a consumer group: its record goes.
                effects.record(GroupRecords.classicGroup(groupId, null));
            }
            // Not added to the state: the records written for the first member create the group when replayed.
            group = new ConsumerGroup(groupId);
        }
        if (request.memberEpoch() == LEAVE_EPOCH) {
            return leave(group, request.memberId(), effects);
        }
        if (request.memberEpoch() == STATIC_LEAVE_EPOCH) {
            return staticLeave(group, request, effects);
        }
        String memberId =
                version == 0 && request.memberEpoch() == 0 && request.memberId().isEmpty()
                        ? UUID.randomUUID().toString()
                        : request.memberId();
        return join(group, request, memberId, clientId, clientHost, effects);
    }

    private CoordinatorResult<ConsumerGroupHeartbeatResponseData> join(
            ConsumerGroup group,
            ConsumerGroupHeartbeatRequestData request,
            String memberId,
            String clientId,
            String clientHost,
            Effects effects) {
        ConsumerMember current = group.members.get(memberId);
        boolean newMember = false;
        String replaced = null;
        if (request.memberEpoch() == 0) {
            if (current == null && request.instanceId() != null) {
                ConsumerMember previous = group.memberWithInstance(request.instanceId());
                if (previous != null) {
                    if (!leftStatically.contains(new MemberKey(group.groupId, previous.memberId))) {
                        return CoordinatorResult.answer(error(
                                Errors.UNRELEASED_INSTANCE_ID,
                                "Static member " + request.instanceId() + " is still in the group."));
                    }
                    current = takeOver(group, previous, memberId, effects);
                    replaced = previous.memberId;
                }
            }
            if (current == null) {
                if (group.members.size() >= config.maxGroupSize()) {
                    return CoordinatorResult.answer(error(
                            Errors.GROUP_MAX_SIZE_REACHED,
                            "Group " + group.groupId + " already has " + group.members.size() + " members."));
                }
                current = new ConsumerMember(memberId);
                newMember = true;
            }
        } else {
            if (current == null) {
                return CoordinatorResult.answer(error(
                        Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not in group " + group.groupId + "."));
            }
            if (request.memberEpoch() != current.memberEpoch
                    && !(request.memberEpoch() == current.previousMemberEpoch
                            && MemberReconciliation.ownsOnlyAssigned(request.topicPartitions(), current))) {
                return CoordinatorResult.answer(error(
                        Errors.FENCED_MEMBER_EPOCH,
                        "Member epoch " + request.memberEpoch() + " is not the current " + current.memberEpoch + "."));
            }
        }
        leftStatically.remove(new MemberKey(group.groupId, memberId));
        ConsumerMember updated = withRequest(current, request, clientId, clientHost);
        boolean subscriptionChanged = newMember || !sameSubscription(current, updated);
        if (newMember || !sameMetadata(current, updated)) {
            effects.record(GroupRecords.consumerMember(group.groupId, memberId, updated.metadataValue()));
        }
        Map<String, ConsumerMember> membersAfter = new LinkedHashMap<>(group.members);
        if (replaced != null) {
            membersAfter.remove(replaced);
        }
        membersAfter.put(memberId, updated);
        Map<String, Integer> counts = subscribedPartitionCounts(membersAfter.values());
        if (!partitionCounts.containsKey(group.groupId) && !subscriptionChanged) {
            partitionCounts.put(group.groupId, counts);
        }
        boolean topicsChanged = !counts.equals(partitionCounts.get(group.groupId));
        int targetEpoch = group.assignmentEpoch;
        Map<TopicId, List<Integer>> memberTarget = group.targetAssignment.getOrDefault(memberId, Map.of());
        if (subscriptionChanged || topicsChanged) {
            int groupEpoch = group.groupEpoch + 1;
            Map<String, Map<TopicId, List<Integer>>> target = assignNewTarget(group, membersAfter, groupEpoch, effects);
            partitionCounts.put(group.groupId, counts);
            targetEpoch = groupEpoch;
            memberTarget = target.getOrDefault(memberId, Map.of());
        }
        ConsumerMember reconciled =
                MemberReconciliation.reconcile(group, updated, targetEpoch, memberTarget, request.topicPartitions());
        if (newMember || changedAssignment(current, reconciled)) {
            effects.record(GroupRecords.currentAssignment(group.groupId, memberId, reconciled.assignmentValue()));
        }
        scheduleTimers(group, reconciled, current);
        return effects.answer(response(reconciled));
    }

    /** A static member came back under a new member id: it takes over the old member's place without a rebalance. */
    private ConsumerMember takeOver(ConsumerGroup group, ConsumerMember previous, String memberId, Effects effects) {
        ConsumerMember member = new ConsumerMember(memberId);
        ConsumerMember.copyMetadata(previous, member);
        member.memberEpoch = previous.memberEpoch;
        member.previousMemberEpoch = previous.previousMemberEpoch;
        member.state = previous.state;
        member.assigned = previous.assigned;
        member.pendingRevocation = previous.pendingRevocation;
        Map<TopicId, List<Integer>> target = group.targetAssignment.getOrDefault(previous.memberId, Map.of());
        effects.record(GroupRecords.currentAssignment(group.groupId, previous.memberId, null));
        effects.record(GroupRecords.targetAssignment(group.groupId, previous.memberId, null));
        effects.record(GroupRecords.consumerMember(group.groupId, previous.memberId, null));
        effects.record(GroupRecords.consumerMember(group.groupId, memberId, member.metadataValue()));
        effects.record(GroupRecords.targetAssignment(group.groupId, memberId, target));
        effects.record(GroupRecords.currentAssignment(group.groupId, memberId, member.assignmentValue()));
        cancelTimers(group.groupId, previous.memberId);
        leftStatically.remove(new MemberKey(group.groupId, previous.memberId));
        return member;
    }

    private static ConsumerMember withRequest(
            ConsumerMember current, ConsumerGroupHeartbeatRequestData request, String clientId, String clientHost) {
        ConsumerMember updated = new ConsumerMember(current.memberId);
        ConsumerMember.copyMetadata(current, updated);
        updated.memberEpoch = current.memberEpoch;
        updated.previousMemberEpoch = current.previousMemberEpoch;
        updated.state = current.state;
        updated.assigned = current.assigned;
        updated.pendingRevocation = current.pendingRevocation;
        updated.clientId = clientId;
        updated.clientHost = clientHost;
        if (request.instanceId() != null) {
            updated.instanceId = request.instanceId();
        }
        if (request.rackId() != null) {
            updated.rackId = request.rackId();
        }
        if (request.rebalanceTimeoutMs() != -1) {
            updated.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        }
        if (request.serverAssignor() != null) {
            updated.serverAssignor = request.serverAssignor();
        }
        if (request.subscribedTopicNames() != null) {
            updated.subscribedTopicNames = List.copyOf(request.subscribedTopicNames());
        }
        if (request.subscribedTopicRegex() != null) {
            updated.subscribedTopicRegex =
                    request.subscribedTopicRegex().isEmpty() ? null : request.subscribedTopicRegex();
        }
        return updated;
    }

    private static boolean sameSubscription(ConsumerMember a, ConsumerMember b) {
        return new HashSet<>(a.subscribedTopicNames).equals(new HashSet<>(b.subscribedTopicNames))
                && Objects.equals(a.subscribedTopicRegex, b.subscribedTopicRegex)
                && Objects.equals(a.serverAssignor, b.serverAssignor);
    }

    private static boolean sameMetadata(ConsumerMember a, ConsumerMember b) {
        return a.metadataValue().equals(b.metadataValue());
    }

    private static boolean changedAssignment(ConsumerMember before, ConsumerMember after) {
        return before.memberEpoch != after.memberEpoch
                || before.previousMemberEpoch != after.previousMemberEpoch
                || before.state != after.state
                || !before.assigned.equals(after.assigned)
                || !before.pendingRevocation.equals(after.pendingRevocation);
    }

    /** The partition counts of every topic some member subscribes to (by name or regex), by topic name. */
    private Map<String, Integer> subscribedPartitionCounts(Iterable<ConsumerMember> members) {
        Map<String, Integer> counts = new TreeMap<>();
        for (ConsumerMember member : members) {
            for (TopicsView.TopicInfo topic : subscribedTopics(member)) {
                counts.put(topic.name(), topic.partitions());
            }
        }
        return counts;
    }

    private List<TopicsView.TopicInfo> subscribedTopics(ConsumerMember member) {
        List<TopicsView.TopicInfo> result = new ArrayList<>();
        for (String name : member.subscribedTopicNames) {
            topics.topic(name).ifPresent(result::add);
        }
        if (member.subscribedTopicRegex != null) {
            Pattern pattern = Pattern.compile(member.subscribedTopicRegex);
            for (TopicsView.TopicInfo topic : topics.all()) {
                if (pattern.matcher(topic.name()).matches() && !result.contains(topic)) {
                    result.add(topic);
                }
            }
        }
        return result;
    }

    /** Computes the target assignment for {@code members} at {@code groupEpoch} and records what changed. */
    private Map<String, Map<TopicId, List<Integer>>> assignNewTarget(
            ConsumerGroup group, Map<String, ConsumerMember> members, int groupEpoch, Effects effects) {
        effects.record(GroupRecords.consumerGroup(group.groupId, groupEpoch));
        List<Assignor.Member> inputs = new ArrayList<>();
        Map<TopicId, Integer> partitionCounts = new HashMap<>();
        for (ConsumerMember member : members.values()) {
            Set<TopicId> subscribed = new HashSet<>();
            for (TopicsView.TopicInfo topic : subscribedTopics(member)) {
                subscribed.add(topic.id());
                partitionCounts.put(topic.id(), topic.partitions());
            }
            inputs.add(new Assignor.Member(
                    member.memberId, subscribed, group.targetAssignment.getOrDefault(member.memberId, Map.of())));
        }
        Map<String, Map<TopicId, List<Integer>>> target =
                assignor(members.values()).assign(inputs, partitionCounts);
        for (Map.Entry<String, Map<TopicId, List<Integer>>> entry : target.entrySet()) {
            if (!entry.getValue().equals(group.targetAssignment.get(entry.getKey()))) {
                effects.record(GroupRecords.targetAssignment(group.groupId, entry.getKey(), entry.getValue()));
            }
        }
        effects.record(GroupRecords.targetAssignmentEpoch(group.groupId, groupEpoch));
        return target;
    }

    /** The assignor most members ask for; the first configured one when none asks. */
    private Assignor assignor(Iterable<ConsumerMember> members) {
        Map<String, Integer> votes = new HashMap<>();
        for (ConsumerMember member : members) {
            if (member.serverAssignor != null) {
                votes.merge(member.serverAssignor, 1, Integer::sum);
            }
        }
        String chosen = votes.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse(config.consumerAssignors().get(0));
        return assignors.get(chosen);
    }

    private ConsumerGroupHeartbeatResponseData response(ConsumerMember member) {
        ConsumerGroupHeartbeatResponseData.Assignment assignment = new ConsumerGroupHeartbeatResponseData.Assignment();
        member.assigned.forEach((topic, partitions) -> assignment
                .topicPartitions()
                .add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                        .setTopicId(TopicIdOrder.toKafka(topic))
                        .setPartitions(partitions)));
        return new ConsumerGroupHeartbeatResponseData()
                .setMemberId(member.memberId)
                .setMemberEpoch(member.memberEpoch)
                .setHeartbeatIntervalMs(config.consumerHeartbeatIntervalMs())
                .setAssignment(assignment);
    }

    private CoordinatorResult<ConsumerGroupHeartbeatResponseData> leave(
            ConsumerGroup group, String memberId, Effects effects) {
        ConsumerMember member = group.members.get(memberId);
        if (member == null) {
            return effects.answer(
                    error(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not in group " + group.groupId + "."));
        }
        removeMember(group, member, effects);
        return effects.answer(new ConsumerGroupHeartbeatResponseData()
                .setMemberId(memberId)
                .setMemberEpoch(LEAVE_EPOCH)
                .setHeartbeatIntervalMs(0));
    }

    private CoordinatorResult<ConsumerGroupHeartbeatResponseData> staticLeave(
            ConsumerGroup group, ConsumerGroupHeartbeatRequestData request, Effects effects) {
        ConsumerMember member = group.members.get(request.memberId());
        if (member == null || !request.instanceId().equals(member.instanceId)) {
            return effects.answer(error(
                    Errors.UNKNOWN_MEMBER_ID,
                    "Static member " + request.instanceId() + " is not in group " + group.groupId + "."));
        }
        // Soft: its partitions stay reserved until it rejoins or its session ends.
        leftStatically.add(new MemberKey(group.groupId, member.memberId));
        scheduleSession(group.groupId, member.memberId);
        timers.cancel(revokeKey(group.groupId, member.memberId));
        return effects.answer(new ConsumerGroupHeartbeatResponseData()
                .setMemberId(member.memberId)
                .setMemberEpoch(STATIC_LEAVE_EPOCH)
                .setHeartbeatIntervalMs(0));
    }

    /** Removes a member (left, timed out, or fenced): its records go and the rest of the group gets a new target. */
    private void removeMember(ConsumerGroup group, ConsumerMember member, Effects effects) {
        cancelTimers(group.groupId, member.memberId);
        leftStatically.remove(new MemberKey(group.groupId, member.memberId));
        effects.record(GroupRecords.currentAssignment(group.groupId, member.memberId, null));
        effects.record(GroupRecords.targetAssignment(group.groupId, member.memberId, null));
        effects.record(GroupRecords.consumerMember(group.groupId, member.memberId, null));
        Map<String, ConsumerMember> remaining = new LinkedHashMap<>(group.members);
        remaining.remove(member.memberId);
        assignNewTarget(group, remaining, group.groupEpoch + 1, effects);
        if (remaining.isEmpty()) {
            // A group without members starts its next epoch for its next member whatever the counts.
            partitionCounts.remove(group.groupId);
        } else {
            partitionCounts.put(group.groupId, subscribedPartitionCounts(remaining.values()));
        }
    }

    /** The member's session ended (no heartbeat): it is removed. */
    CoordinatorResult<Void> expireSession(String groupId, String memberId) {
        Effects effects = new Effects();
        ConsumerGroup group = state.consumerGroup(groupId);
        ConsumerMember member = group == null ? null : group.members.get(memberId);
        if (member != null) {
            removeMember(group, member, effects);
        }
        return effects.answer(null);
    }

    /** The member did not revoke its partitions within its rebalance timeout: it is fenced out. */
    CoordinatorResult<Void> expireRevocation(String groupId, String memberId, int epoch) {
        Effects effects = new Effects();
        ConsumerGroup group = state.consumerGroup(groupId);
        ConsumerMember member = group == null ? null : group.members.get(memberId);
        if (member != null && member.state == MemberState.UNREVOKED_PARTITIONS && member.memberEpoch == epoch) {
            removeMember(group, member, effects);
        }
        return effects.answer(null);
    }

    private void scheduleTimers(ConsumerGroup group, ConsumerMember after, ConsumerMember before) {
        scheduleSession(group.groupId, after.memberId);
        String groupId = group.groupId;
        String memberId = after.memberId;
        if (after.state == MemberState.UNREVOKED_PARTITIONS) {
            if (before.state != MemberState.UNREVOKED_PARTITIONS || before.memberEpoch != after.memberEpoch) {
                int epoch = after.memberEpoch;
                timers.schedule(
                        revokeKey(groupId, memberId),
                        after.rebalanceTimeoutMs,
                        () -> expireRevocation(groupId, memberId, epoch));
            }
        } else {
            timers.cancel(revokeKey(groupId, memberId));
        }
    }

    private void scheduleSession(String groupId, String memberId) {
        timers.schedule(
                sessionKey(groupId, memberId),
                config.consumerSessionTimeoutMs(),
                () -> expireSession(groupId, memberId));
    }

    private void cancelTimers(String groupId, String memberId) {
        timers.cancel(sessionKey(groupId, memberId));
        timers.cancel(revokeKey(groupId, memberId));
    }

    /** After a load, every member gets a fresh session: one that never heartbeats again is removed. */
    void startSessions(ConsumerGroup group) {
        group.members.keySet().forEach(memberId -> scheduleSession(group.groupId, memberId));
    }

    /** The group was deleted (replayed tombstone): its soft state goes. It had no members, so no timers. */
    void forget(String groupId) {
        partitionCounts.remove(groupId);
        leftStatically.removeIf(key -> key.groupId().equals(groupId));
    }

    private static String sessionKey(String groupId, String memberId) {
        return "consumer-session:" + groupId + ":" + memberId;
    }

    private static String revokeKey(String groupId, String memberId) {
        return "consumer-revoke:" + groupId + ":" + memberId;
    }
}
