package io.wharf.coordinator.group;

import io.wharf.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The classic group protocol on one shard: JoinGroup (two-step with MEMBER_ID_REQUIRED, static membership), SyncGroup,
 * Heartbeat, LeaveGroup, and the session, join and pending-member timers. Runs on the shard's thread.
 *
 * <p>A rebalance: a member joins (or leaves, or times out) and the group prepares a rebalance; every member rejoins;
 * when all have (or the longest rebalance timeout passes), the join completes: a new generation is recorded and each
 * member learns it, the leader with everyone's subscriptions. The leader's SyncGroup brings the assignments, which are
 * recorded, and every member gets its own. Members joining and leaving during a rebalance are soft state; the group
 * record written at each step is what survives a restart.
 */
final class ClassicGroupOps {

    private final GroupCoordinatorShard shard;

    ClassicGroupOps(GroupCoordinatorShard shard) {
        this.shard = shard;
    }

    private static JoinGroupResponseData joinError(Errors error, String memberId) {
        return new JoinGroupResponseData()
                .setErrorCode(error.code())
                .setMemberId(memberId)
                .setGenerationId(-1)
                .setLeader("")
                .setProtocolName(null);
    }

    CoordinatorResult<JoinGroupResponseData> join(
            JoinGroupRequestData request, short version, String clientId, String clientHost) {
        GroupConfig config = shard.config();
        String groupId = request.groupId();
        String memberId = request.memberId();
        if (groupId == null || groupId.isEmpty()) {
            return CoordinatorResult.answer(joinError(Errors.INVALID_GROUP_ID, memberId));
        }
        if (request.sessionTimeoutMs() < config.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            return CoordinatorResult.answer(joinError(Errors.INVALID_SESSION_TIMEOUT, memberId));
        }
        if (request.protocolType() == null
                || request.protocolType().isEmpty()
                || request.protocols().isEmpty()) {
            return CoordinatorResult.answer(joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId));
        }
        List<GroupRecords.Protocol> protocols = new ArrayList<>();
        int metadataBytes = 0;
        for (JoinGroupRequestData.JoinGroupRequestProtocol protocol : request.protocols()) {
            protocols.add(new GroupRecords.Protocol(protocol.name(), protocol.metadata()));
            metadataBytes += protocol.metadata().length;
        }
        if (metadataBytes > config.protocolMetadataMaxBytes()) {
            return CoordinatorResult.answer(joinError(Errors.INVALID_REQUEST, memberId));
        }
        if (shard.consumerGroupHasMembers(groupId) || shard.shareGroups().containsKey(groupId)) {
            return CoordinatorResult.answer(joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId));
        }
        ClassicGroup group = shard.classicGroups().get(groupId);
        boolean unknownMember = memberId.isEmpty();
        if (group == null) {
            if (!unknownMember) {
                return CoordinatorResult.answer(joinError(Errors.UNKNOWN_MEMBER_ID, memberId));
            }
            group = new ClassicGroup(groupId);
            shard.classicGroups().put(groupId, group);
        }
        if (group.state == ClassicGroupState.DEAD) {
            return CoordinatorResult.answer(joinError(Errors.COORDINATOR_NOT_AVAILABLE, memberId));
        }
        if (!group.supports(request.protocolType(), protocols)) {
            return CoordinatorResult.answer(joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId));
        }
        int rebalanceTimeout = version == 0 ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs();
        ClassicMember candidate = new ClassicMember(
                memberId,
                request.groupInstanceId(),
                clientId,
                clientHost,
                rebalanceTimeout,
                request.sessionTimeoutMs(),
                protocols);
        if (unknownMember) {
            return joinNew(group, candidate, request.protocolType(), version);
        }
        return joinKnown(group, candidate, request.protocolType());
    }

    private CoordinatorResult<JoinGroupResponseData> joinNew(
            ClassicGroup group, ClassicMember candidate, String protocolType, short version) {
        String instanceId = candidate.instanceId;
        if (instanceId != null) {
            String newId = instanceId + "-" + UUID.randomUUID();
            String existing = group.staticMembers.get(instanceId);
            if (existing != null) {
                return replaceStaticMember(group, existing, newId, candidate, protocolType);
            }
            candidate.memberId = newId;
            return addAndRebalance(group, candidate, protocolType);
        }
        if (group.members.size() + group.pendingMembers.size() >= shard.config().maxGroupSize()) {
            return CoordinatorResult.answer(joinError(Errors.GROUP_MAX_SIZE_REACHED, ""));
        }
        String newId = (candidate.clientId == null ? "" : candidate.clientId) + "-" + UUID.randomUUID();
        if (version >= 4) {
            group.pendingMembers.add(newId);
            String groupId = group.groupId;
            shard.context()
                    .schedule(
                            pendingKey(groupId, newId),
                            candidate.sessionTimeoutMs,
                            s -> s.classic().expirePending(groupId, newId));
            return CoordinatorResult.answer(joinError(Errors.MEMBER_ID_REQUIRED, newId));
        }
        candidate.memberId = newId;
        return addAndRebalance(group, candidate, protocolType);
    }

    private CoordinatorResult<JoinGroupResponseData> joinKnown(
            ClassicGroup group, ClassicMember candidate, String protocolType) {
        String memberId = candidate.memberId;
        if (group.pendingMembers.remove(memberId)) {
            shard.context().cancel(pendingKey(group.groupId, memberId));
            return addAndRebalance(group, candidate, protocolType);
        }
        ClassicMember member = group.members.get(memberId);
        if (candidate.instanceId != null && !memberId.equals(group.staticMembers.get(candidate.instanceId))) {
            return CoordinatorResult.answer(joinError(Errors.FENCED_INSTANCE_ID, memberId));
        }
        if (member == null) {
            return CoordinatorResult.answer(joinError(Errors.UNKNOWN_MEMBER_ID, memberId));
        }
        Effects effects = new Effects();
        switch (group.state) {
            case PREPARING_REBALANCE -> {
                update(member, candidate);
                return awaitJoin(group, member, effects);
            }
            case COMPLETING_REBALANCE, STABLE -> {
                boolean unchanged = member.sameProtocols(candidate.protocols);
                if (unchanged
                        && (group.state == ClassicGroupState.COMPLETING_REBALANCE
                                || !memberId.equals(group.leaderId))) {
                    scheduleSession(group, member);
                    return CoordinatorResult.answer(joinResponse(group, member, false));
                }
                update(member, candidate);
                prepareRebalance(group, effects);
                return awaitJoin(group, member, effects);
            }
            default -> {
                return CoordinatorResult.answer(joinError(Errors.UNKNOWN_MEMBER_ID, memberId));
            }
        }
    }

    private CoordinatorResult<JoinGroupResponseData> replaceStaticMember(
            ClassicGroup group, String oldId, String newId, ClassicMember candidate, String protocolType) {
        ClassicMember member = group.members.get(oldId);
        Effects effects = new Effects();
        cancelSession(group, oldId);
        if (member.awaitingJoin != null) {
            effects.answerLater(member.awaitingJoin, joinError(Errors.FENCED_INSTANCE_ID, oldId));
            member.awaitingJoin = null;
        }
        if (member.awaitingSync != null) {
            effects.answerLater(member.awaitingSync, syncError(Errors.FENCED_INSTANCE_ID));
            member.awaitingSync = null;
        }
        group.members.remove(oldId);
        member.memberId = newId;
        update(member, candidate);
        group.members.put(newId, member);
        group.staticMembers.put(member.instanceId, newId);
        if (oldId.equals(group.leaderId)) {
            group.leaderId = newId;
        }
        // A restarted client's protocol metadata differs (it owns nothing yet), so only a change of the protocol the
        // group would choose calls for a rebalance, as in Kafka.
        if (group.state == ClassicGroupState.STABLE
                && group.protocolName != null
                && group.protocolName.equals(group.selectProtocol())) {
            // The same static member came back within its session: no rebalance, it keeps its assignment.
            effects.record(GroupRecords.classicGroup(group.groupId, group.toValue(group.state, shard.now())));
            scheduleSession(group, member);
            return effects.answer(joinResponse(group, member, false));
        }
        if (group.state != ClassicGroupState.PREPARING_REBALANCE) {
            prepareRebalance(group, effects);
        }
        return awaitJoin(group, member, effects);
    }

    private CoordinatorResult<JoinGroupResponseData> addAndRebalance(
            ClassicGroup group, ClassicMember member, String protocolType) {
        Effects effects = new Effects();
        if (group.members.isEmpty()) {
            group.protocolType = protocolType;
        }
        group.members.put(member.memberId, member);
        if (member.instanceId != null) {
            group.staticMembers.put(member.instanceId, member.memberId);
        }
        if (group.state != ClassicGroupState.PREPARING_REBALANCE) {
            prepareRebalance(group, effects);
        }
        return awaitJoin(group, member, effects);
    }

    private CoordinatorResult<JoinGroupResponseData> awaitJoin(
            ClassicGroup group, ClassicMember member, Effects effects) {
        CompletableFuture<JoinGroupResponseData> future = new CompletableFuture<>();
        if (member.awaitingJoin != null) {
            effects.answerLater(member.awaitingJoin, joinError(Errors.REBALANCE_IN_PROGRESS, member.memberId));
        }
        member.awaitingJoin = future;
        cancelSession(group, member.memberId);
        tryCompleteJoin(group, effects);
        return effects.answerWith(future);
    }

    private static void update(ClassicMember member, ClassicMember from) {
        member.clientId = from.clientId;
        member.clientHost = from.clientHost;
        member.rebalanceTimeoutMs = from.rebalanceTimeoutMs;
        member.sessionTimeoutMs = from.sessionTimeoutMs;
        member.protocols = from.protocols;
    }

    /** Starts a rebalance: waiting syncs are told to rejoin, and the join phase gets its deadline. */
    private void prepareRebalance(ClassicGroup group, Effects effects) {
        if (group.state == ClassicGroupState.COMPLETING_REBALANCE) {
            for (ClassicMember member : group.members.values()) {
                effects.answerLater(member.awaitingSync, syncError(Errors.REBALANCE_IN_PROGRESS));
                member.awaitingSync = null;
            }
        }
        boolean wasEmpty = group.state == ClassicGroupState.EMPTY;
        group.state = ClassicGroupState.PREPARING_REBALANCE;
        String groupId = group.groupId;
        int initialDelay = shard.config().initialRebalanceDelayMs();
        if (wasEmpty && initialDelay > 0) {
            group.initialDelayRunning = true;
            shard.context()
                    .schedule(
                            joinKey(groupId),
                            Math.min(initialDelay, group.rebalanceTimeoutMs()),
                            s -> s.classic().joinDeadline(groupId));
        } else {
            group.initialDelayRunning = false;
            shard.context()
                    .schedule(
                            joinKey(groupId),
                            group.rebalanceTimeoutMs(),
                            s -> s.classic().joinDeadline(groupId));
        }
    }

    /** The join phase's timer: the initial delay ended, or the rebalance timeout passed. */
    CoordinatorResult<Void> joinDeadline(String groupId) {
        ClassicGroup group = shard.classicGroups().get(groupId);
        Effects effects = new Effects();
        if (group == null || group.state != ClassicGroupState.PREPARING_REBALANCE) {
            return effects.answer(null);
        }
        if (group.initialDelayRunning) {
            group.initialDelayRunning = false;
            if (!group.allMembersJoined()) {
                shard.context()
                        .schedule(
                                joinKey(groupId),
                                group.rebalanceTimeoutMs(),
                                s -> s.classic().joinDeadline(groupId));
                return effects.answer(null);
            }
        }
        completeJoin(group, effects);
        return effects.answer(null);
    }

    private void tryCompleteJoin(ClassicGroup group, Effects effects) {
        if (group.state == ClassicGroupState.PREPARING_REBALANCE
                && !group.initialDelayRunning
                && group.allMembersJoined()) {
            completeJoin(group, effects);
        }
    }

    /**
     * Ends the join phase: members that did not rejoin are dropped, a new generation is recorded, and every member
     * that joined learns it once the record is durable (the leader with everyone's metadata).
     */
    private void completeJoin(ClassicGroup group, Effects effects) {
        shard.context().cancel(joinKey(group.groupId));
        for (ClassicMember missing : List.copyOf(group.members.values())) {
            if (missing.awaitingJoin == null) {
                removeMember(group, missing, effects);
            }
        }
        for (String pending : group.pendingMembers) {
            shard.context().cancel(pendingKey(group.groupId, pending));
        }
        group.pendingMembers.clear();
        if (group.members.isEmpty()) {
            ClassicGroup next = new ClassicGroup(group.groupId);
            next.protocolType = group.protocolType;
            next.generationId = group.generationId + 1;
            effects.record(
                    GroupRecords.classicGroup(group.groupId, next.toValue(ClassicGroupState.EMPTY, shard.now())));
            return;
        }
        String protocol = group.selectProtocol();
        String leader = group.members.containsKey(group.leaderId)
                ? group.leaderId
                : group.members.keySet().iterator().next();
        ClassicGroup next = new ClassicGroup(group.groupId);
        next.protocolType = group.protocolType;
        next.generationId = group.generationId + 1;
        next.protocolName = protocol;
        next.leaderId = leader;
        for (ClassicMember member : group.members.values()) {
            member.assignment = new byte[0];
            next.members.put(member.memberId, member);
        }
        effects.record(GroupRecords.classicGroup(
                group.groupId, next.toValue(ClassicGroupState.COMPLETING_REBALANCE, shard.now())));
        for (ClassicMember member : group.members.values()) {
            CompletableFuture<JoinGroupResponseData> waiting = member.awaitingJoin;
            member.awaitingJoin = null;
            effects.answerLater(waiting, joinResponse(next, member, true));
            scheduleSession(group, member);
        }
    }

    private static JoinGroupResponseData joinResponse(ClassicGroup group, ClassicMember member, boolean withMembers) {
        JoinGroupResponseData response = new JoinGroupResponseData()
                .setGenerationId(group.generationId)
                .setProtocolType(group.protocolType)
                .setProtocolName(group.protocolName)
                .setLeader(group.leaderId)
                .setMemberId(member.memberId)
                .setSkipAssignment(false);
        if (withMembers && member.memberId.equals(group.leaderId)) {
            for (ClassicMember each : group.members.values()) {
                response.members()
                        .add(new JoinGroupResponseData.JoinGroupResponseMember()
                                .setMemberId(each.memberId)
                                .setGroupInstanceId(each.instanceId)
                                .setMetadata(each.metadata(group.protocolName)));
            }
        }
        return response;
    }

    private static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]);
    }

    CoordinatorResult<SyncGroupResponseData> sync(SyncGroupRequestData request) {
        ClassicGroup group = shard.classicGroups().get(request.groupId());
        if (group == null) {
            return CoordinatorResult.answer(syncError(Errors.UNKNOWN_MEMBER_ID));
        }
        Errors error = checkMember(group, request.memberId(), request.groupInstanceId(), request.generationId());
        if (error != Errors.NONE) {
            return CoordinatorResult.answer(syncError(error));
        }
        if ((request.protocolType() != null && !request.protocolType().equals(group.protocolType))
                || (request.protocolName() != null && !request.protocolName().equals(group.protocolName))) {
            return CoordinatorResult.answer(syncError(Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        ClassicMember member = group.members.get(request.memberId());
        switch (group.state) {
            case PREPARING_REBALANCE -> {
                return CoordinatorResult.answer(syncError(Errors.REBALANCE_IN_PROGRESS));
            }
            case STABLE -> {
                scheduleSession(group, member);
                return CoordinatorResult.answer(synced(group, member));
            }
            case COMPLETING_REBALANCE -> {
                return awaitSync(group, member, request);
            }
            default -> {
                return CoordinatorResult.answer(syncError(Errors.UNKNOWN_MEMBER_ID));
            }
        }
    }

    private CoordinatorResult<SyncGroupResponseData> awaitSync(
            ClassicGroup group, ClassicMember member, SyncGroupRequestData request) {
        Effects effects = new Effects();
        CompletableFuture<SyncGroupResponseData> future = new CompletableFuture<>();
        effects.answerLater(member.awaitingSync, syncError(Errors.REBALANCE_IN_PROGRESS));
        member.awaitingSync = future;
        scheduleSession(group, member);
        if (!member.memberId.equals(group.leaderId)) {
            return effects.answerWith(future);
        }
        for (SyncGroupRequestData.SyncGroupRequestAssignment given : request.assignments()) {
            if (given.assignment().length > shard.config().protocolMetadataMaxBytes()) {
                member.awaitingSync = null;
                return CoordinatorResult.answer(syncError(Errors.INVALID_REQUEST));
            }
        }
        Map<String, byte[]> assignments = new java.util.HashMap<>();
        request.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
        ClassicGroup next = new ClassicGroup(group.groupId);
        next.protocolType = group.protocolType;
        next.generationId = group.generationId;
        next.protocolName = group.protocolName;
        next.leaderId = group.leaderId;
        for (ClassicMember each : group.members.values()) {
            ClassicMember copy = new ClassicMember(
                    each.memberId,
                    each.instanceId,
                    each.clientId,
                    each.clientHost,
                    each.rebalanceTimeoutMs,
                    each.sessionTimeoutMs,
                    each.protocols);
            copy.assignment = assignments.getOrDefault(each.memberId, new byte[0]);
            next.members.put(each.memberId, copy);
        }
        effects.record(GroupRecords.classicGroup(group.groupId, next.toValue(ClassicGroupState.STABLE, shard.now())));
        for (ClassicMember each : group.members.values()) {
            CompletableFuture<SyncGroupResponseData> waiting = each.awaitingSync;
            each.awaitingSync = null;
            effects.answerLater(waiting, synced(next, next.members.get(each.memberId)));
        }
        return effects.answerWith(future);
    }

    private static SyncGroupResponseData synced(ClassicGroup group, ClassicMember member) {
        return new SyncGroupResponseData()
                .setProtocolType(group.protocolType)
                .setProtocolName(group.protocolName)
                .setAssignment(member.assignment);
    }

    CoordinatorResult<HeartbeatResponseData> heartbeat(HeartbeatRequestData request) {
        ClassicGroup group = shard.classicGroups().get(request.groupId());
        if (group == null) {
            return CoordinatorResult.answer(new HeartbeatResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
        }
        Errors error = checkMember(group, request.memberId(), request.groupInstanceId(), request.generationId());
        if (error == Errors.NONE) {
            scheduleSession(group, group.members.get(request.memberId()));
            if (group.state == ClassicGroupState.PREPARING_REBALANCE) {
                error = Errors.REBALANCE_IN_PROGRESS;
            }
        }
        return CoordinatorResult.answer(new HeartbeatResponseData().setErrorCode(error.code()));
    }

    /** The member checks every request of a member makes: known, not fenced, in the current generation. */
    private static Errors checkMember(ClassicGroup group, String memberId, String instanceId, int generation) {
        if (group.state == ClassicGroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (instanceId != null
                && group.staticMembers.containsKey(instanceId)
                && !group.staticMembers.get(instanceId).equals(memberId)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        if (!group.members.containsKey(memberId)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (generation != group.generationId) {
            return Errors.ILLEGAL_GENERATION;
        }
        return Errors.NONE;
    }

    /** Checks an offset commit from a member of a classic group; NONE also for an "assign()" commit to an empty one. */
    Errors checkCommit(ClassicGroup group, String memberId, String instanceId, int generation) {
        if (group.state == ClassicGroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generation < 0 && memberId.isEmpty()) {
            return group.isEmpty() ? Errors.NONE : Errors.ILLEGAL_GENERATION;
        }
        Errors error = checkMember(group, memberId, instanceId, generation);
        if (error == Errors.NONE && group.state == ClassicGroupState.COMPLETING_REBALANCE) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        return error;
    }

    CoordinatorResult<LeaveGroupResponseData> leave(LeaveGroupRequestData request, short version) {
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        List<LeaveGroupRequestData.MemberIdentity> leaving = version >= 3
                ? request.members()
                : List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(request.memberId()));
        ClassicGroup group = shard.classicGroups().get(request.groupId());
        Effects effects = new Effects();
        boolean anyRemoved = false;
        for (LeaveGroupRequestData.MemberIdentity identity : leaving) {
            Errors error = group == null ? Errors.UNKNOWN_MEMBER_ID : removeLeaving(group, identity, effects);
            anyRemoved |= error == Errors.NONE;
            response.members()
                    .add(new LeaveGroupResponseData.MemberResponse()
                            .setMemberId(identity.memberId())
                            .setGroupInstanceId(identity.groupInstanceId())
                            .setErrorCode(error.code()));
        }
        if (version < 3) {
            response.setErrorCode(response.members().get(0).errorCode());
            response.members().clear();
        }
        if (anyRemoved) {
            afterMembershipChange(group, effects);
        }
        return effects.answer(response);
    }

    private Errors removeLeaving(ClassicGroup group, LeaveGroupRequestData.MemberIdentity identity, Effects effects) {
        String memberId = identity.memberId();
        if (identity.groupInstanceId() != null) {
            String current = group.staticMembers.get(identity.groupInstanceId());
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.isEmpty() && !memberId.equals(current)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            memberId = current;
        }
        if (group.pendingMembers.remove(memberId)) {
            shard.context().cancel(pendingKey(group.groupId, memberId));
            return Errors.NONE;
        }
        ClassicMember member = group.members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        removeMember(group, member, effects);
        return Errors.NONE;
    }

    /** A member's session ended without a heartbeat: it is out, and the others rebalance. */
    CoordinatorResult<Void> expireSession(String groupId, String memberId) {
        Effects effects = new Effects();
        ClassicGroup group = shard.classicGroups().get(groupId);
        ClassicMember member = group == null ? null : group.members.get(memberId);
        if (member != null && member.awaitingJoin == null) {
            removeMember(group, member, effects);
            afterMembershipChange(group, effects);
        }
        return effects.answer(null);
    }

    CoordinatorResult<Void> expirePending(String groupId, String memberId) {
        Effects effects = new Effects();
        ClassicGroup group = shard.classicGroups().get(groupId);
        if (group != null && group.pendingMembers.remove(memberId)) {
            tryCompleteJoin(group, effects);
        }
        return effects.answer(null);
    }

    private void afterMembershipChange(ClassicGroup group, Effects effects) {
        if (group.state == ClassicGroupState.STABLE || group.state == ClassicGroupState.COMPLETING_REBALANCE) {
            prepareRebalance(group, effects);
        }
        tryCompleteJoin(group, effects);
    }

    private void removeMember(ClassicGroup group, ClassicMember member, Effects effects) {
        cancelSession(group, member.memberId);
        effects.answerLater(member.awaitingJoin, joinError(Errors.UNKNOWN_MEMBER_ID, member.memberId));
        effects.answerLater(member.awaitingSync, syncError(Errors.UNKNOWN_MEMBER_ID));
        member.awaitingJoin = null;
        member.awaitingSync = null;
        group.members.remove(member.memberId);
        if (member.instanceId != null) {
            group.staticMembers.remove(member.instanceId);
        }
    }

    private void scheduleSession(ClassicGroup group, ClassicMember member) {
        String groupId = group.groupId;
        String memberId = member.memberId;
        shard.context()
                .schedule(
                        sessionKey(groupId, memberId),
                        member.sessionTimeoutMs,
                        s -> s.classic().expireSession(groupId, memberId));
    }

    private void cancelSession(ClassicGroup group, String memberId) {
        shard.context().cancel(sessionKey(group.groupId, memberId));
    }

    /** After a load, every member gets a fresh session: one that never heartbeats again is removed. */
    void startSessions(ClassicGroup group) {
        group.members.values().forEach(member -> scheduleSession(group, member));
    }

    /** Cancels every timer of a group that is being deleted or unloaded. */
    void cancelTimers(ClassicGroup group) {
        shard.context().cancel(joinKey(group.groupId));
        group.members.keySet().forEach(id -> cancelSession(group, id));
        group.pendingMembers.forEach(id -> shard.context().cancel(pendingKey(group.groupId, id)));
    }

    private static String joinKey(String groupId) {
        return "join:" + groupId;
    }

    private static String sessionKey(String groupId, String memberId) {
        return "session:" + groupId + ":" + memberId;
    }

    private static String pendingKey(String groupId, String memberId) {
        return "pending:" + groupId + ":" + memberId;
    }
}
