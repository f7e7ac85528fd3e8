package io.wharf.coordinator.group;

import io.wharf.common.TopicId;
import io.wharf.common.TopicPartition;
import io.wharf.coordinator.runtime.CoordinatorResult;
import io.wharf.protocol.ConsumerSubscriptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Listing, describing and deleting groups and their offsets on one shard. Deleting writes tombstones and changes
 * nothing itself; there is no soft state here.
 */
final class GroupAdminOps {

    private static final byte CONSUMER_MEMBER_TYPE = 1;
    private static final String SHARE_PROTOCOL_TYPE = "share";

    private final GroupState state;
    private final LiveGroups live;
    private final GroupConfig config;
    private final TopicsView topics;

    GroupAdminOps(GroupState state, LiveGroups live, GroupConfig config, TopicsView topics) {
        this.state = state;
        this.live = live;
        this.config = config;
        this.topics = topics;
    }

    /** Every group of the shard: classic, consumer, share, and "simple" groups that only have committed offsets. */
    List<ListGroupsResponseData.ListedGroup> list() {
        List<ListGroupsResponseData.ListedGroup> groups = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ClassicGroupView group : live.classicGroups()) {
            seen.add(group.groupId);
            groups.add(new ListGroupsResponseData.ListedGroup()
                    .setGroupId(group.groupId)
                    .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
                    .setGroupState(group.state().displayName())
                    .setGroupType("classic"));
        }
        for (ConsumerGroup group : state.consumerGroups()) {
            seen.add(group.groupId);
            groups.add(new ListGroupsResponseData.ListedGroup()
                    .setGroupId(group.groupId)
                    .setProtocolType(ConsumerSubscriptions.PROTOCOL_TYPE)
                    .setGroupState(group.stateName())
                    .setGroupType("consumer"));
        }
        for (ShareGroup group : state.shareGroups()) {
            seen.add(group.groupId);
            groups.add(new ListGroupsResponseData.ListedGroup()
                    .setGroupId(group.groupId)
                    .setProtocolType(SHARE_PROTOCOL_TYPE)
                    .setGroupState(group.stateName())
                    .setGroupType("share"));
        }
        for (String groupId : state.offsets().groups()) {
            if (seen.add(groupId)) {
                groups.add(new ListGroupsResponseData.ListedGroup()
                        .setGroupId(groupId)
                        .setProtocolType("")
                        .setGroupState(ClassicGroupState.EMPTY.displayName())
                        .setGroupType("classic"));
            }
        }
        return groups;
    }

    /** DescribeGroups: classic groups; consumer groups are described with ConsumerGroupDescribe. */
    DescribeGroupsResponseData.DescribedGroup describe(String groupId, short version) {
        DescribeGroupsResponseData.DescribedGroup described = new DescribeGroupsResponseData.DescribedGroup()
                .setGroupId(groupId)
                .setProtocolType("")
                .setProtocolData("");
        if (state.consumerGroup(groupId) != null || state.shareGroup(groupId) != null) {
            return described
                    .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + groupId + " is not a classic group.")
                    .setGroupState(ClassicGroupState.DEAD.displayName());
        }
        ClassicGroupView group = live.classic(groupId);
        if (!group.exists()) {
            if (state.offsets().hasOffsets(groupId)) {
                return described.setGroupState(ClassicGroupState.EMPTY.displayName());
            }
            described.setGroupState(ClassicGroupState.DEAD.displayName());
            if (version >= 6) {
                described
                        .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                        .setErrorMessage("Group " + groupId + " not found.");
            }
            return described;
        }
        boolean stable = group.state() == ClassicGroupState.STABLE;
        described
                .setGroupState(group.state().displayName())
                .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
                .setProtocolData(stable && group.protocolName() != null ? group.protocolName() : "");
        for (ClassicMember member : group.members().values()) {
            byte[] metadata = stable ? member.metadata(group.protocolName()) : null;
            described
                    .members()
                    .add(new DescribeGroupsResponseData.DescribedGroupMember()
                            .setMemberId(member.memberId())
                            .setGroupInstanceId(member.instanceId())
                            .setClientId(member.clientId() == null ? "" : member.clientId())
                            .setClientHost(member.clientHost() == null ? "" : member.clientHost())
                            .setMemberMetadata(metadata == null ? new byte[0] : metadata)
                            .setMemberAssignment(stable ? member.assignment() : new byte[0]));
        }
        return described;
    }

    ConsumerGroupDescribeResponseData.DescribedGroup describeConsumerGroup(String groupId) {
        ConsumerGroupDescribeResponseData.DescribedGroup described =
                new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId);
        ConsumerGroup group = state.consumerGroup(groupId);
        if (group == null) {
            boolean classic = live.classic(groupId).exists() || state.shareGroup(groupId) != null;
            return described
                    .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage(
                            classic
                                    ? "Group " + groupId + " is not a consumer group."
                                    : "Group " + groupId + " not found.");
        }
        described
                .setGroupState(group.stateName())
                .setGroupEpoch(group.groupEpoch)
                .setAssignmentEpoch(group.assignmentEpoch)
                .setAssignorName(config.consumerAssignors().get(0));
        for (ConsumerMember member : group.members.values()) {
            described
                    .members()
                    .add(new ConsumerGroupDescribeResponseData.Member()
                            .setMemberId(member.memberId)
                            .setInstanceId(member.instanceId)
                            .setRackId(member.rackId)
                            .setMemberEpoch(member.memberEpoch)
                            .setClientId(member.clientId == null ? "" : member.clientId)
                            .setClientHost(member.clientHost == null ? "" : member.clientHost)
                            .setSubscribedTopicNames(member.subscribedTopicNames)
                            .setSubscribedTopicRegex(member.subscribedTopicRegex)
                            .setAssignment(assignment(member.assigned))
                            .setTargetAssignment(
                                    assignment(group.targetAssignment.getOrDefault(member.memberId, Map.of())))
                            .setMemberType(CONSUMER_MEMBER_TYPE));
        }
        return described;
    }

    private ConsumerGroupDescribeResponseData.Assignment assignment(Map<TopicId, List<Integer>> partitions) {
        ConsumerGroupDescribeResponseData.Assignment assignment = new ConsumerGroupDescribeResponseData.Assignment();
        partitions.forEach((topicId, indexes) -> assignment
                .topicPartitions()
                .add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                        .setTopicId(TopicIdOrder.toKafka(topicId))
                        .setTopicName(topics.topic(topicId)
                                .map(TopicsView.TopicInfo::name)
                                .orElse(""))
                        .setPartitions(indexes)));
        return assignment;
    }

    /** Deletes a group with no members: its offsets and its group records. */
    CoordinatorResult<DeleteGroupsResponseData.DeletableGroupResult> delete(String groupId) {
        DeleteGroupsResponseData.DeletableGroupResult result =
                new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(groupId);
        ClassicGroupView classic = live.classic(groupId);
        ConsumerGroup consumer = state.consumerGroup(groupId);
        ShareGroup share = state.shareGroup(groupId);
        if (!classic.exists()
                && consumer == null
                && share == null
                && !state.offsets().hasOffsets(groupId)) {
            return CoordinatorResult.answer(result.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + groupId + " not found."));
        }
        if (live.hasMembers(groupId)) {
            return CoordinatorResult.answer(result.setErrorCode(Errors.NON_EMPTY_GROUP.code())
                    .setErrorMessage("Group " + groupId + " still has members."));
        }
        Effects effects = new Effects();
        effects.records.addAll(state.offsets().tombstones(groupId));
        if (classic.exists()) {
            effects.record(GroupRecords.classicGroup(groupId, null));
        }
        if (consumer != null) {
            consumer.targetAssignment
                    .keySet()
                    .forEach(m -> effects.record(GroupRecords.targetAssignment(groupId, m, null)));
            effects.record(GroupRecords.targetAssignmentEpoch(groupId, null));
            effects.record(GroupRecords.consumerGroup(groupId, null));
        }
        if (share != null) {
            effects.record(GroupRecords.shareGroup(groupId, null));
        }
        return effects.answer(result);
    }

    /** OffsetDelete: drops offsets of topics the group does not consume right now. */
    CoordinatorResult<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData request) {
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        String groupId = request.groupId();
        boolean exists = live.classic(groupId).exists()
                || state.consumerGroup(groupId) != null
                || state.offsets().hasOffsets(groupId);
        if (!exists) {
            return CoordinatorResult.answer(response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
        }
        Effects effects = new Effects();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics()) {
            OffsetDeleteResponseData.OffsetDeleteResponseTopic topicResponse =
                    new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topic.name());
            boolean subscribed = isSubscribed(groupId, topic.name());
            List<TopicPartition> doomed = new ArrayList<>();
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition partition : topic.partitions()) {
                Errors error = subscribed ? Errors.GROUP_SUBSCRIBED_TO_TOPIC : Errors.NONE;
                if (partition.partitionIndex() < 0) {
                    error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                }
                if (error == Errors.NONE) {
                    doomed.add(new TopicPartition(topic.name(), partition.partitionIndex()));
                }
                topicResponse
                        .partitions()
                        .add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                                .setPartitionIndex(partition.partitionIndex())
                                .setErrorCode(error.code()));
            }
            effects.records.addAll(state.offsets().tombstones(groupId, doomed));
            response.topics().add(topicResponse);
        }
        return effects.answer(response);
    }

    /** Whether a member of the group consumes {@code topic} now (as far as its subscription tells). */
    private boolean isSubscribed(String groupId, String topic) {
        ConsumerGroup consumer = state.consumerGroup(groupId);
        if (consumer != null) {
            for (ConsumerMember member : consumer.members.values()) {
                if (member.subscribedTopicNames.contains(topic)
                        || (member.subscribedTopicRegex != null && topic.matches(member.subscribedTopicRegex))) {
                    return true;
                }
            }
        }
        ClassicGroupView classic = live.classic(groupId);
        if (classic.isEmpty()) {
            return false;
        }
        if (!ConsumerSubscriptions.PROTOCOL_TYPE.equals(classic.protocolType()) || classic.protocolName() == null) {
            return true;
        }
        for (ClassicMember member : classic.members().values()) {
            byte[] metadata = member.metadata(classic.protocolName());
            try {
                if (metadata == null || ConsumerSubscriptions.topics(metadata).contains(topic)) {
                    return true;
                }
            } catch (RuntimeException unreadable) {
                return true;
            }
        }
        return false;
    }
}
