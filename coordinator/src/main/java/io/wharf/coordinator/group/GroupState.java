package io.wharf.coordinator.group;

import io.wharf.common.TopicPartition;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The durable state of one {@code __consumer_offsets} partition: its classic, consumer and share groups and its
 * committed offsets, exactly as its records say. {@link #replay} is the only way it changes. The operation classes
 * read it to decide what to write and never change it; what they write changes it when the runtime replays it, the
 * same way a load does. Soft state (rebalances under way, waiting requests, timers) lives with the operations.
 *
 * <p>Replay also keeps the broker-wide {@link ShareGroupIndex} up to date with this partition's share groups.
 *
 * <p>Owned by the shard's thread.
 */
final class GroupState {

    private final Map<String, ClassicGroup> classicGroups = new HashMap<>();
    private final Map<String, ConsumerGroup> consumerGroups = new HashMap<>();
    private final Map<String, ShareGroup> shareGroups = new HashMap<>();
    private final OffsetStore offsets = new OffsetStore();
    private final PendingOffsets pendingOffsets = new PendingOffsets();
    private final ShareGroupIndex shareIndex;

    GroupState(ShareGroupIndex shareIndex) {
        this.shareIndex = shareIndex;
    }

    // ---- reads

    ClassicGroup classicGroup(String groupId) {
        return classicGroups.get(groupId);
    }

    ConsumerGroup consumerGroup(String groupId) {
        return consumerGroups.get(groupId);
    }

    ShareGroup shareGroup(String groupId) {
        return shareGroups.get(groupId);
    }

    Collection<ClassicGroup> classicGroups() {
        return Collections.unmodifiableCollection(classicGroups.values());
    }

    Collection<ConsumerGroup> consumerGroups() {
        return Collections.unmodifiableCollection(consumerGroups.values());
    }

    Collection<ShareGroup> shareGroups() {
        return Collections.unmodifiableCollection(shareGroups.values());
    }

    PendingOffsets pendingOffsets() {
        return pendingOffsets;
    }

    OffsetStore offsets() {
        return offsets;
    }

    boolean consumerGroupHasMembers(String groupId) {
        ConsumerGroup group = consumerGroups.get(groupId);
        return group != null && !group.members.isEmpty();
    }

    boolean shareGroupHasMembers(String groupId) {
        ShareGroup group = shareGroups.get(groupId);
        return group != null && !group.members.isEmpty();
    }

    // ---- replay: the only way the durable state changes

    /** Applies one record, whose key {@code key} is already decoded. */
    void replay(GroupRecords.Key key, byte[] value) {
        switch (key.type()) {
            case GroupRecords.OFFSET ->
                offsets.replay(
                        key.groupId(),
                        key.topic(),
                        key.partition(),
                        value == null ? null : GroupRecords.offsetValue(value));
            case GroupRecords.PENDING_TXN_OFFSET ->
                pendingOffsets.replay(
                        key.producerId(),
                        key.groupId(),
                        new TopicPartition(key.topic(), key.partition()),
                        value == null ? null : GroupRecords.offsetValue(value));
            case GroupRecords.TXN_END ->
                pendingOffsets.complete(key.producerId(), GroupRecords.transactionEndCommits(value), offsets);
            case GroupRecords.CLASSIC_GROUP -> replayClassic(key.groupId(), value);
            case GroupRecords.CONSUMER_GROUP -> replayConsumerGroup(key.groupId(), value);
            case GroupRecords.TARGET_ASSIGNMENT_EPOCH -> {
                ConsumerGroup group = consumerGroup(key.groupId(), value);
                if (group != null) {
                    group.assignmentEpoch = value == null ? 0 : GroupRecords.epochValue(value);
                }
            }
            case GroupRecords.CONSUMER_MEMBER -> replayMember(key.groupId(), key.memberId(), value);
            case GroupRecords.TARGET_ASSIGNMENT -> {
                ConsumerGroup group = consumerGroup(key.groupId(), value);
                if (group != null && value == null) {
                    group.targetAssignment.remove(key.memberId());
                } else if (group != null) {
                    group.targetAssignment.put(key.memberId(), GroupRecords.targetAssignmentValue(value));
                }
            }
            case GroupRecords.CURRENT_ASSIGNMENT -> replayCurrentAssignment(key.groupId(), key.memberId(), value);
            case GroupRecords.SHARE_GROUP -> replayShareGroup(key.groupId(), value);
            case GroupRecords.SHARE_MEMBER -> replayShareMember(key.groupId(), key.memberId(), value);
            default -> throw new IllegalArgumentException("unknown group record type " + key.type());
        }
    }

    private void replayClassic(String groupId, byte[] value) {
        if (value == null) {
            classicGroups.remove(groupId);
        } else {
            classicGroups.put(groupId, ClassicGroup.of(groupId, GroupRecords.classicGroupValue(value)));
        }
    }

    private void replayConsumerGroup(String groupId, byte[] value) {
        if (value == null) {
            consumerGroups.remove(groupId);
            return;
        }
        consumerGroups.computeIfAbsent(groupId, ConsumerGroup::new).groupEpoch = GroupRecords.epochValue(value);
    }

    /** The group a record belongs to; a tombstone never creates one. */
    private ConsumerGroup consumerGroup(String groupId, byte[] value) {
        return value == null
                ? consumerGroups.get(groupId)
                : consumerGroups.computeIfAbsent(groupId, ConsumerGroup::new);
    }

    private void replayMember(String groupId, String memberId, byte[] value) {
        ConsumerGroup group = consumerGroup(groupId, value);
        if (group == null) {
            return;
        }
        if (value == null) {
            group.members.remove(memberId);
            group.forgetOwnership(memberId);
            return;
        }
        GroupRecords.ConsumerMemberValue stored = GroupRecords.consumerMemberValue(value);
        ConsumerMember member = group.members.computeIfAbsent(memberId, ConsumerMember::new);
        member.instanceId = stored.instanceId();
        member.rackId = stored.rackId();
        member.clientId = stored.clientId();
        member.clientHost = stored.clientHost();
        member.subscribedTopicNames = List.copyOf(stored.subscribedTopicNames());
        member.subscribedTopicRegex = stored.subscribedTopicRegex();
        member.serverAssignor = stored.serverAssignor();
        member.rebalanceTimeoutMs = stored.rebalanceTimeoutMs();
    }

    private void replayCurrentAssignment(String groupId, String memberId, byte[] value) {
        ConsumerGroup group = consumerGroup(groupId, value);
        if (group == null) {
            return;
        }
        ConsumerMember member = group.members.get(memberId);
        if (value == null) {
            group.forgetOwnership(memberId);
            if (member != null) {
                member.assigned = Map.of();
                member.pendingRevocation = Map.of();
            }
            return;
        }
        if (member == null) {
            member = new ConsumerMember(memberId);
            group.members.put(memberId, member);
        }
        GroupRecords.CurrentAssignmentValue stored = GroupRecords.currentAssignmentValue(value);
        member.memberEpoch = stored.memberEpoch();
        member.previousMemberEpoch = stored.previousMemberEpoch();
        member.state = stored.state();
        member.assigned = stored.assigned();
        member.pendingRevocation = stored.pendingRevocation();
        group.trackOwnership(member);
    }

    private void replayShareGroup(String groupId, byte[] value) {
        if (value == null) {
            shareGroups.remove(groupId);
            shareIndex.removeGroup(groupId);
            return;
        }
        GroupRecords.ShareGroupValue stored = GroupRecords.shareGroupValue(value);
        ShareGroup group = shareGroups.computeIfAbsent(groupId, ShareGroup::new);
        group.groupEpoch = stored.groupEpoch();
        group.partitionCounts = Map.copyOf(stored.partitionCounts());
        shareIndex.addGroup(groupId);
    }

    private void replayShareMember(String groupId, String memberId, byte[] value) {
        if (value == null) {
            ShareGroup group = shareGroups.get(groupId);
            if (group != null) {
                group.members.remove(memberId);
            }
            shareIndex.removeMember(groupId, memberId);
            return;
        }
        ShareMember member = ShareMember.of(memberId, GroupRecords.shareMemberValue(value));
        shareGroups.computeIfAbsent(groupId, ShareGroup::new).members.put(memberId, member);
        shareIndex.putMember(groupId, memberId, member.assigned);
    }

    /** Takes this partition's share groups out of the broker-wide index: the partition is no longer served here. */
    void unpublish() {
        shareGroups.keySet().forEach(shareIndex::removeGroup);
    }

    // ---- snapshot

    /** Records that rebuild this state from nothing. */
    List<CoordinatorRecord> snapshot() {
        List<CoordinatorRecord> records = new ArrayList<>(offsets.snapshot());
        records.addAll(pendingOffsets.snapshot());
        for (ClassicGroup group : classicGroups.values()) {
            records.add(GroupRecords.classicGroup(group.groupId, group.value()));
        }
        for (ConsumerGroup group : consumerGroups.values()) {
            records.add(GroupRecords.consumerGroup(group.groupId, group.groupEpoch));
            for (ConsumerMember member : group.members.values()) {
                records.add(GroupRecords.consumerMember(group.groupId, member.memberId, member.metadataValue()));
                records.add(GroupRecords.currentAssignment(group.groupId, member.memberId, member.assignmentValue()));
            }
            group.targetAssignment.forEach((memberId, partitions) ->
                    records.add(GroupRecords.targetAssignment(group.groupId, memberId, partitions)));
            records.add(GroupRecords.targetAssignmentEpoch(group.groupId, group.assignmentEpoch));
        }
        for (ShareGroup group : shareGroups.values()) {
            records.add(GroupRecords.shareGroup(group.groupId, group.value()));
            group.members
                    .values()
                    .forEach(m -> records.add(GroupRecords.shareMember(group.groupId, m.memberId, m.value())));
        }
        return records;
    }
}
