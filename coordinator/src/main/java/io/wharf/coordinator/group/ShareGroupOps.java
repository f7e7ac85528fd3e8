package io.wharf.coordinator.group;

import io.wharf.common.TopicId;
import io.wharf.coordinator.group.assignor.ShareAssignor;
import io.wharf.coordinator.runtime.CoordinatorResult;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Share groups on one shard: ShareGroupHeartbeat (join with epoch 0, heartbeat, leave with epoch -1), session
 * expiry, and ShareGroupDescribe.
 *
 * <p>A change of membership, of a member's subscriptions or of a subscribed topic's partition count moves the group
 * epoch; the assignment for that epoch is a function of the members and the partition counts ({@link
 * ShareAssignor}), so it is not stored as such. Each member gets it, and the group epoch as its member epoch, in the
 * response to its next heartbeat. A member whose last response was lost may heartbeat with its previous epoch and is
 * sent its assignment again.
 *
 * <p>Groups and members ({@link ShareGroup}, in {@link GroupState}) change only when the records written here are
 * replayed; the session timers are the only soft state.
 */
final class ShareGroupOps {

    static final int LEAVE_EPOCH = -1;
    static final int MEMBER_ID_MAX_LENGTH = 255;

    private final GroupState state;
    private final LiveGroups live;
    private final TopicsView topics;
    private final ShareGroupSettings settings;
    private final ShareGroupIndex index;
    private final GroupTimers timers;

    ShareGroupOps(
            GroupState state,
            LiveGroups live,
            TopicsView topics,
            ShareGroupSettings settings,
            ShareGroupIndex index,
            GroupTimers timers) {
        this.state = state;
        this.live = live;
        this.topics = topics;
        this.settings = settings;
        this.index = index;
        this.timers = timers;
    }

    /** Whether {@code groupId} is taken by a group of another kind. */
    private boolean otherKind(String groupId) {
        return live.classic(groupId).exists()
                || state.consumerGroup(groupId) != null
                || state.offsets().hasOffsets(groupId);
    }

    private static ShareGroupHeartbeatResponseData error(Errors error, String message) {
        return new ShareGroupHeartbeatResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }

    /** Why the request is malformed, or null. */
    private static String invalid(ShareGroupHeartbeatRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return "GroupId can't be empty.";
        }
        if (request.memberId() == null || request.memberId().isEmpty()) {
            return "MemberId can't be empty.";
        }
        if (request.memberId().length() > MEMBER_ID_MAX_LENGTH) {
            return "MemberId can't be longer than " + MEMBER_ID_MAX_LENGTH + " characters.";
        }
        if (request.memberEpoch() < LEAVE_EPOCH) {
            return "MemberEpoch is invalid.";
        }
        if (request.rackId() != null && request.rackId().isEmpty()) {
            return "RackId can't be empty.";
        }
        if (request.memberEpoch() == 0
                && (request.subscribedTopicNames() == null
                        || request.subscribedTopicNames().isEmpty())) {
            return "SubscribedTopicNames must be set in first request.";
        }
        return null;
    }

    CoordinatorResult<ShareGroupHeartbeatResponseData> heartbeat(
            ShareGroupHeartbeatRequestData request, String clientId, String clientHost) {
        String problem = invalid(request);
        if (problem != null) {
            return CoordinatorResult.answer(error(Errors.INVALID_REQUEST, problem));
        }
        String groupId = request.groupId();
        if (otherKind(groupId)) {
            return CoordinatorResult.answer(
                    error(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a share group."));
        }
        ShareGroup group = state.shareGroup(groupId);
        Effects effects = new Effects();
        if (group == null) {
            if (request.memberEpoch() != 0) {
                return CoordinatorResult.answer(error(
                        Errors.UNKNOWN_MEMBER_ID, "Group " + groupId + " has no member " + request.memberId() + "."));
            }
            if (index.groupCount() >= settings.maxGroups()) {
                return CoordinatorResult.answer(error(
                        Errors.GROUP_MAX_SIZE_REACHED,
                        "This broker already has " + index.groupCount()
                                + " share groups, its limit (wharf.share.groups.max)."));
            }
            // Not added to the state: the records written for the first member create the group when replayed.
            group = new ShareGroup(groupId);
        }
        if (request.memberEpoch() == LEAVE_EPOCH) {
            return leave(group, request.memberId(), effects);
        }
        return join(group, request, clientId, clientHost, effects);
    }

    private CoordinatorResult<ShareGroupHeartbeatResponseData> join(
            ShareGroup group,
            ShareGroupHeartbeatRequestData request,
            String clientId,
            String clientHost,
            Effects effects) {
        String memberId = request.memberId();
        ShareMember current = group.members.get(memberId);
        boolean newMember = current == null;
        if (newMember) {
            if (request.memberEpoch() != 0) {
                return effects.answer(error(
                        Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not in group " + group.groupId + "."));
            }
            if (group.members.size() >= settings.maxMembers()) {
                return effects.answer(error(
                        Errors.GROUP_MAX_SIZE_REACHED,
                        "Group " + group.groupId + " already has " + group.members.size() + " members."));
            }
            current = new ShareMember(memberId);
        } else if (request.memberEpoch() != 0
                && request.memberEpoch() != current.memberEpoch
                && request.memberEpoch() != current.previousMemberEpoch) {
            return effects.answer(error(
                    Errors.FENCED_MEMBER_EPOCH,
                    "Member epoch " + request.memberEpoch() + " is not the current " + current.memberEpoch + "."));
        }
        ShareMember updated = current.copy();
        updated.clientId = clientId;
        updated.clientHost = clientHost;
        if (request.rackId() != null) {
            updated.rackId = request.rackId();
        }
        if (request.subscribedTopicNames() != null) {
            updated.subscribedTopicNames = List.copyOf(new TreeSet<>(request.subscribedTopicNames()));
        }
        Map<String, ShareMember> membersAfter = new LinkedHashMap<>(group.members);
        membersAfter.put(memberId, updated);
        Map<String, Integer> counts = partitionCounts(membersAfter.values());
        boolean subscriptionChanged = !current.subscribedTopicNames.equals(updated.subscribedTopicNames);
        int groupEpoch = group.groupEpoch;
        if (newMember || subscriptionChanged || !counts.equals(group.partitionCounts)) {
            groupEpoch++;
            effects.record(
                    GroupRecords.shareGroup(group.groupId, new GroupRecords.ShareGroupValue(groupEpoch, counts)));
        }
        boolean sendAssignment = request.memberEpoch() == 0 || request.memberEpoch() != updated.memberEpoch;
        if (updated.memberEpoch != groupEpoch) {
            updated.previousMemberEpoch = updated.memberEpoch;
            updated.memberEpoch = groupEpoch;
            updated.assigned = assignment(membersAfter, counts).getOrDefault(memberId, Map.of());
            sendAssignment = true;
        }
        if (newMember || !sameMember(current, updated)) {
            effects.record(GroupRecords.shareMember(group.groupId, memberId, updated.value()));
        }
        scheduleSession(group.groupId, memberId);
        ShareGroupHeartbeatResponseData response = new ShareGroupHeartbeatResponseData()
                .setMemberId(memberId)
                .setMemberEpoch(updated.memberEpoch)
                .setHeartbeatIntervalMs(settings.configs().of(group.groupId).heartbeatIntervalMs());
        if (sendAssignment) {
            response.setAssignment(assignmentOf(updated));
        }
        return effects.answer(response);
    }

    private static boolean sameMember(ShareMember a, ShareMember b) {
        return a.value().equals(b.value());
    }

    private static ShareGroupHeartbeatResponseData.Assignment assignmentOf(ShareMember member) {
        ShareGroupHeartbeatResponseData.Assignment assignment = new ShareGroupHeartbeatResponseData.Assignment();
        member.assigned.forEach((topic, partitions) -> assignment
                .topicPartitions()
                .add(new ShareGroupHeartbeatResponseData.TopicPartitions()
                        .setTopicId(TopicIdOrder.toKafka(topic))
                        .setPartitions(partitions)));
        return assignment;
    }

    /** The partition counts of every existing topic some member subscribes to, by name. */
    private Map<String, Integer> partitionCounts(Iterable<ShareMember> members) {
        Map<String, Integer> counts = new TreeMap<>();
        for (ShareMember member : members) {
            for (String name : member.subscribedTopicNames) {
                topics.topic(name).ifPresent(t -> counts.put(t.name(), t.partitions()));
            }
        }
        return counts;
    }

    /** The assignment of every member for the given partition counts. */
    private Map<String, Map<TopicId, List<Integer>>> assignment(
            Map<String, ShareMember> members, Map<String, Integer> counts) {
        SortedMap<String, Set<TopicId>> subscriptions = new TreeMap<>();
        Map<TopicId, Integer> partitionCounts = new LinkedHashMap<>();
        for (ShareMember member : members.values()) {
            Set<TopicId> subscribed = new HashSet<>();
            for (String name : member.subscribedTopicNames) {
                Integer count = counts.get(name);
                if (count != null) {
                    topics.topic(name).ifPresent(t -> {
                        subscribed.add(t.id());
                        partitionCounts.put(t.id(), count);
                    });
                }
            }
            subscriptions.put(member.memberId, subscribed);
        }
        return ShareAssignor.assign(subscriptions, partitionCounts);
    }

    private CoordinatorResult<ShareGroupHeartbeatResponseData> leave(
            ShareGroup group, String memberId, Effects effects) {
        ShareMember member = group.members.get(memberId);
        if (member == null) {
            return effects.answer(
                    error(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not in group " + group.groupId + "."));
        }
        removeMember(group, member, true, effects);
        return effects.answer(new ShareGroupHeartbeatResponseData()
                .setMemberId(memberId)
                .setMemberEpoch(LEAVE_EPOCH)
                .setHeartbeatIntervalMs(0));
    }

    /** Removes a member: its record goes, the group epoch moves, and the listener hears of it once durable. */
    private void removeMember(ShareGroup group, ShareMember member, boolean graceful, Effects effects) {
        timers.cancel(sessionKey(group.groupId, member.memberId));
        effects.record(GroupRecords.shareMember(group.groupId, member.memberId, null));
        Map<String, ShareMember> remaining = new LinkedHashMap<>(group.members);
        remaining.remove(member.memberId);
        effects.record(GroupRecords.shareGroup(
                group.groupId,
                new GroupRecords.ShareGroupValue(group.groupEpoch + 1, partitionCounts(remaining.values()))));
        String groupId = group.groupId;
        String memberId = member.memberId;
        effects.afterCommit.add(() -> settings.listener().onMemberRemoved(groupId, memberId, graceful));
    }

    /** The member's session ended (no heartbeat): it is removed. */
    CoordinatorResult<Void> expireSession(String groupId, String memberId) {
        Effects effects = new Effects();
        ShareGroup group = state.shareGroup(groupId);
        ShareMember member = group == null ? null : group.members.get(memberId);
        if (member != null) {
            removeMember(group, member, false, effects);
        }
        return effects.answer(null);
    }

    private void scheduleSession(String groupId, String memberId) {
        timers.schedule(
                sessionKey(groupId, memberId),
                settings.configs().of(groupId).sessionTimeoutMs(),
                () -> expireSession(groupId, memberId));
    }

    /** After a load, every member gets a fresh session: one that never heartbeats again is removed. */
    void startSessions(ShareGroup group) {
        group.members.keySet().forEach(memberId -> scheduleSession(group.groupId, memberId));
    }

    private static String sessionKey(String groupId, String memberId) {
        return "share-session:" + groupId + ":" + memberId;
    }

    ShareGroupDescribeResponseData.DescribedGroup describe(String groupId) {
        ShareGroupDescribeResponseData.DescribedGroup described =
                new ShareGroupDescribeResponseData.DescribedGroup().setGroupId(groupId);
        ShareGroup group = state.shareGroup(groupId);
        if (group == null) {
            boolean other = otherKind(groupId);
            return described
                    .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage(
                            other ? "Group " + groupId + " is not a share group." : "Group " + groupId + " not found.");
        }
        described
                .setGroupState(group.stateName())
                .setGroupEpoch(group.groupEpoch)
                .setAssignmentEpoch(group.groupEpoch)
                .setAssignorName("simple");
        for (ShareMember member : group.members.values()) {
            ShareGroupDescribeResponseData.Assignment assignment = new ShareGroupDescribeResponseData.Assignment();
            member.assigned.forEach((topicId, partitions) -> assignment
                    .topicPartitions()
                    .add(new ShareGroupDescribeResponseData.TopicPartitions()
                            .setTopicId(TopicIdOrder.toKafka(topicId))
                            .setTopicName(topics.topic(topicId)
                                    .map(TopicsView.TopicInfo::name)
                                    .orElse(""))
                            .setPartitions(partitions)));
            described
                    .members()
                    .add(new ShareGroupDescribeResponseData.Member()
                            .setMemberId(member.memberId)
                            .setRackId(member.rackId)
                            .setMemberEpoch(member.memberEpoch)
                            .setClientId(Objects.requireNonNullElse(member.clientId, ""))
                            .setClientHost(Objects.requireNonNullElse(member.clientHost, ""))
                            .setSubscribedTopicNames(member.subscribedTopicNames)
                            .setAssignment(assignment));
        }
        return described;
    }
}
