package io.wharf.coordinator.group;

import io.wharf.common.Clock;
import io.wharf.coordinator.group.assignor.Assignor;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import io.wharf.coordinator.runtime.CoordinatorRuntime;
import io.wharf.coordinator.runtime.CoordinatorShard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups and offsets of one {@code __consumer_offsets} partition. Durable state changes only in
 * {@link #replay(CoordinatorRecord)}; the operation classes compute records and manage soft state (waiting requests,
 * timers). Every method runs on the shard's thread.
 */
public final class GroupCoordinatorShard implements CoordinatorShard {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinatorShard.class);

    private final CoordinatorRuntime.ShardContext<GroupCoordinatorShard> context;
    private final GroupConfig config;
    private final Clock clock;
    private final TopicsView topics;
    private final Map<String, ClassicGroup> classicGroups = new HashMap<>();
    private final Map<String, ConsumerGroup> consumerGroups = new HashMap<>();
    private final Map<String, ShareGroup> shareGroups = new HashMap<>();
    private final ShareGroupSettings shareSettings;
    private final ShareGroupIndex shareIndex;
    private final OffsetStore offsets = new OffsetStore();
    private final ClassicGroupOps classic;
    private final ConsumerGroupOps consumer;
    private final ShareGroupOps share;
    private final OffsetOps offsetOps;
    private final GroupAdminOps admin;

    public GroupCoordinatorShard(
            CoordinatorRuntime.ShardContext<GroupCoordinatorShard> context,
            GroupConfig config,
            Clock clock,
            TopicsView topics,
            Map<String, Assignor> assignors,
            ShareGroupSettings shareSettings,
            ShareGroupIndex shareIndex) {
        this.context = context;
        this.config = config;
        this.clock = clock;
        this.topics = topics;
        this.shareSettings = shareSettings;
        this.shareIndex = shareIndex;
        this.classic = new ClassicGroupOps(this);
        this.consumer = new ConsumerGroupOps(this, assignors);
        this.share = new ShareGroupOps(this);
        this.offsetOps = new OffsetOps(this);
        this.admin = new GroupAdminOps(this);
    }

    CoordinatorRuntime.ShardContext<GroupCoordinatorShard> context() {
        return context;
    }

    GroupConfig config() {
        return config;
    }

    long now() {
        return clock.nowMs();
    }

    TopicsView topics() {
        return topics;
    }

    Map<String, ClassicGroup> classicGroups() {
        return classicGroups;
    }

    Map<String, ConsumerGroup> consumerGroups() {
        return consumerGroups;
    }

    Map<String, ShareGroup> shareGroups() {
        return shareGroups;
    }

    ShareGroupSettings shareSettings() {
        return shareSettings;
    }

    ShareGroupIndex shareIndex() {
        return shareIndex;
    }

    ShareGroupOps share() {
        return share;
    }

    OffsetStore offsetStore() {
        return offsets;
    }

    ClassicGroupOps classic() {
        return classic;
    }

    ConsumerGroupOps consumer() {
        return consumer;
    }

    OffsetOps offsets() {
        return offsetOps;
    }

    GroupAdminOps admin() {
        return admin;
    }

    boolean consumerGroupHasMembers(String groupId) {
        ConsumerGroup group = consumerGroups.get(groupId);
        return group != null && !group.members.isEmpty();
    }

    @Override
    public void replay(CoordinatorRecord record) {
        GroupRecords.Key key = GroupRecords.key(record.key());
        byte[] value = record.value();
        switch (key.type()) {
            case GroupRecords.OFFSET ->
                offsets.replay(
                        key.groupId(),
                        key.topic(),
                        key.partition(),
                        value == null ? null : GroupRecords.offsetValue(value));
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
            default -> log.warn("Ignoring a group record of unknown type {}", key.type());
        }
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

    private void replayClassic(String groupId, byte[] value) {
        if (value == null) {
            ClassicGroup removed = classicGroups.remove(groupId);
            if (removed != null) {
                removed.state = ClassicGroupState.DEAD;
            }
            return;
        }
        GroupRecords.ClassicGroupValue stored = GroupRecords.classicGroupValue(value);
        ClassicGroup group = classicGroups.computeIfAbsent(groupId, ClassicGroup::new);
        group.protocolType = stored.protocolType();
        group.generationId = stored.generation();
        group.protocolName = stored.protocol();
        group.leaderId = stored.leader();
        group.stateTimestamp = stored.stateTimestamp();
        group.state = stored.state();
        Map<String, ClassicMember> previous = new HashMap<>(group.members);
        group.members.clear();
        group.staticMembers.clear();
        for (GroupRecords.ClassicMemberValue m : stored.members()) {
            ClassicMember member = previous.get(m.memberId());
            if (member == null) {
                member = new ClassicMember(
                        m.memberId(),
                        m.instanceId(),
                        m.clientId(),
                        m.clientHost(),
                        m.rebalanceTimeoutMs(),
                        m.sessionTimeoutMs(),
                        m.protocols());
            } else {
                member.clientId = m.clientId();
                member.clientHost = m.clientHost();
                member.rebalanceTimeoutMs = m.rebalanceTimeoutMs();
                member.sessionTimeoutMs = m.sessionTimeoutMs();
                member.protocols = m.protocols();
            }
            member.assignment = m.assignment() == null ? new byte[0] : m.assignment();
            group.members.put(m.memberId(), member);
            if (m.instanceId() != null) {
                group.staticMembers.put(m.instanceId(), m.memberId());
            }
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

    @Override
    public List<CoordinatorRecord> snapshot() {
        List<CoordinatorRecord> records = new ArrayList<>(offsets.snapshot());
        long now = now();
        for (ClassicGroup group : classicGroups.values()) {
            ClassicGroupState stored = group.state == ClassicGroupState.PREPARING_REBALANCE
                    ? (group.isEmpty() ? ClassicGroupState.EMPTY : ClassicGroupState.STABLE)
                    : group.state;
            if (stored != ClassicGroupState.DEAD) {
                records.add(GroupRecords.classicGroup(group.groupId, group.toValue(stored, now)));
            }
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

    @Override
    public void onLoaded() {
        classicGroups.values().forEach(classic::startSessions);
        consumerGroups.values().forEach(consumer::startSessions);
        shareGroups.values().forEach(share::startSessions);
        offsetOps.scheduleExpiration();
    }

    @Override
    public void onUnloaded() {
        for (ClassicGroup group : classicGroups.values()) {
            for (ClassicMember member : group.members.values()) {
                if (member.awaitingJoin != null) {
                    member.awaitingJoin.completeExceptionally(
                            new io.wharf.coordinator.runtime.NotCoordinatorException("unloaded", false));
                }
                if (member.awaitingSync != null) {
                    member.awaitingSync.completeExceptionally(
                            new io.wharf.coordinator.runtime.NotCoordinatorException("unloaded", false));
                }
            }
        }
    }
}
