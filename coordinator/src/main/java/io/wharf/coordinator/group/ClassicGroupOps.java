package io.wharf.coordinator.group;

import io.wharf.common.Clock;
import io.wharf.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.HashMap;
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
 * recorded, and every member gets its own.
 *
 * <p>The recorded group ({@link ClassicGroup}, in {@link GroupState}) changes only when the records written here are
 * replayed. What happens between two records is soft state ({@link ClassicRebalance}, held by {@link LiveGroups}):
 * handed-out member ids, the join phase with the members joining and leaving in it, the requests waiting for the
 * rebalance to move on, and the timers. It is changed as operations compute, and lost on restart; the clients join
 * again and the group goes on from its last record.
 */
final class ClassicGroupOps {

    private final LiveGroups live;
    private final GroupState state;
    private final GroupConfig config;
    private final Clock clock;
    private final GroupTimers timers;

    ClassicGroupOps(LiveGroups live, GroupState state, GroupConfig config, Clock clock, GroupTimers timers) {
        this.live = live;
        this.state = state;
        this.config = config;
        this.clock = clock;
        this.timers = timers;
    }

    CoordinatorResult<JoinGroupResponseData> join(
            JoinGroupRequestData request, short version, String clientId, String clientHost) {
        String groupId = request.groupId();
        String memberId = request.memberId();
        if (groupId == null || groupId.isEmpty()) {
            return CoordinatorResult.answer(ClassicResponses.joinError(Errors.INVALID_GROUP_ID, memberId));
        }
        if (request.sessionTimeoutMs() < config.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            return CoordinatorResult.answer(ClassicResponses.joinError(Errors.INVALID_SESSION_TIMEOUT, memberId));
        }
        if (request.protocolType() == null
                || request.protocolType().isEmpty()
                || request.protocols().isEmpty()) {
            return CoordinatorResult.answer(ClassicResponses.joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId));
        }
        List<GroupRecords.Protocol> protocols = new ArrayList<>();
        int metadataBytes = 0;
        for (JoinGroupRequestData.JoinGroupRequestProtocol protocol : request.protocols()) {
            protocols.add(new GroupRecords.Protocol(protocol.name(), protocol.metadata()));
            metadataBytes += protocol.metadata().length;
        }
        if (metadataBytes > config.protocolMetadataMaxBytes()) {
            return CoordinatorResult.answer(ClassicResponses.joinError(Errors.INVALID_REQUEST, memberId));
        }
        if (state.consumerGroupHasMembers(groupId) || state.shareGroup(groupId) != null) {
            return CoordinatorResult.answer(ClassicResponses.joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId));
        }
        // A group without a record yet is created by the record of its first generation, not here.
        ClassicGroupView group = live.classic(groupId);
        boolean unknownMember = memberId.isEmpty();
        if (!group.exists() && !unknownMember && !group.isPending(memberId)) {
            return CoordinatorResult.answer(ClassicResponses.joinError(Errors.UNKNOWN_MEMBER_ID, memberId));
        }
        if (!group.supports(request.protocolType(), protocols)) {
            return CoordinatorResult.answer(ClassicResponses.joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId));
        }
        int rebalanceTimeout = version == 0 ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs();
        ClassicMember candidate = new ClassicMember(
                memberId,
                request.groupInstanceId(),
                clientId,
                clientHost,
                rebalanceTimeout,
                request.sessionTimeoutMs(),
                protocols,
                new byte[0]);
        if (unknownMember) {
            return joinNew(group, candidate, request.protocolType(), version);
        }
        return joinKnown(group, candidate, request.protocolType());
    }

    private CoordinatorResult<JoinGroupResponseData> joinNew(
            ClassicGroupView group, ClassicMember candidate, String protocolType, short version) {
        String instanceId = candidate.instanceId();
        if (instanceId != null) {
            String newId = instanceId + "-" + UUID.randomUUID();
            String existing = group.staticMemberId(instanceId);
            if (existing != null) {
                return replaceStaticMember(group, existing, newId, candidate);
            }
            return addAndRebalance(group, candidate.withId(newId), protocolType);
        }
        if (group.members().size() + group.pendingCount() >= config.maxGroupSize()) {
            return CoordinatorResult.answer(ClassicResponses.joinError(Errors.GROUP_MAX_SIZE_REACHED, ""));
        }
        String newId = (candidate.clientId() == null ? "" : candidate.clientId()) + "-" + UUID.randomUUID();
        if (version >= 4) {
            // Soft (KIP-394): the id waits for its owner to join with it, for one session at most.
            String groupId = group.groupId;
            live.rebalance(groupId).pendingMembers.add(newId);
            timers.schedule(
                    pendingKey(groupId, newId), candidate.sessionTimeoutMs(), () -> expirePending(groupId, newId));
            return CoordinatorResult.answer(ClassicResponses.joinError(Errors.MEMBER_ID_REQUIRED, newId));
        }
        return addAndRebalance(group, candidate.withId(newId), protocolType);
    }

    private CoordinatorResult<JoinGroupResponseData> joinKnown(
            ClassicGroupView group, ClassicMember candidate, String protocolType) {
        String memberId = candidate.memberId();
        ClassicRebalance soft = live.rebalanceOf(group.groupId);
        if (soft != null && soft.pendingMembers.remove(memberId)) {
            timers.cancel(pendingKey(group.groupId, memberId));
            return addAndRebalance(group, candidate, protocolType);
        }
        ClassicMember member = group.member(memberId);
        if (candidate.instanceId() != null && !memberId.equals(group.staticMemberId(candidate.instanceId()))) {
            return CoordinatorResult.answer(ClassicResponses.joinError(Errors.FENCED_INSTANCE_ID, memberId));
        }
        if (member == null) {
            return CoordinatorResult.answer(ClassicResponses.joinError(Errors.UNKNOWN_MEMBER_ID, memberId));
        }
        Effects effects = new Effects();
        switch (group.state()) {
            case PREPARING_REBALANCE -> {
                joinPhase(group, effects).members.put(memberId, member.rejoined(candidate));
                return awaitJoin(group, memberId, effects);
            }
            case COMPLETING_REBALANCE, STABLE -> {
                boolean unchanged = member.sameProtocols(candidate.protocols());
                if (unchanged
                        && (group.state() == ClassicGroupState.COMPLETING_REBALANCE
                                || !memberId.equals(group.leaderId()))) {
                    scheduleSession(group.groupId, member);
                    return CoordinatorResult.answer(ClassicResponses.joinResponse(group.recorded(), member, false));
                }
                joinPhase(group, effects).members.put(memberId, member.rejoined(candidate));
                return awaitJoin(group, memberId, effects);
            }
            default -> {
                return CoordinatorResult.answer(ClassicResponses.joinError(Errors.UNKNOWN_MEMBER_ID, memberId));
            }
        }
    }

    private CoordinatorResult<JoinGroupResponseData> replaceStaticMember(
            ClassicGroupView group, String oldId, String newId, ClassicMember candidate) {
        String groupId = group.groupId;
        ClassicMember member = group.member(oldId).rejoined(candidate).withId(newId);
        Effects effects = new Effects();
        cancelSession(groupId, oldId);
        ClassicRebalance soft = live.rebalanceOf(groupId);
        if (soft != null) {
            if (soft.join != null) {
                effects.answerLater(
                        soft.join.awaitingJoin.remove(oldId),
                        ClassicResponses.joinError(Errors.FENCED_INSTANCE_ID, oldId));
            }
            effects.answerLater(soft.awaitingSync.remove(oldId), ClassicResponses.syncError(Errors.FENCED_INSTANCE_ID));
        }
        if (group.state() == ClassicGroupState.STABLE) {
            ClassicGroup recorded = group.recorded();
            List<ClassicMember> members = new ArrayList<>(recorded.members.values());
            members.removeIf(m -> m.memberId().equals(oldId));
            members.add(member);
            // A restarted client's protocol metadata differs (it owns nothing yet), so only a change of the protocol
            // the group would choose calls for a rebalance, as in Kafka.
            if (recorded.protocolName != null && recorded.protocolName.equals(ClassicMember.selectProtocol(members))) {
                // The same static member came back within its session: no rebalance, it keeps its assignment.
                ClassicGroup next = ClassicGroup.of(
                        groupId,
                        new GroupRecords.ClassicGroupValue(
                                recorded.protocolType,
                                recorded.generationId,
                                recorded.protocolName,
                                oldId.equals(recorded.leaderId) ? newId : recorded.leaderId,
                                clock.nowMs(),
                                ClassicGroupState.STABLE,
                                members));
                effects.record(GroupRecords.classicGroup(groupId, next.value()));
                scheduleSession(groupId, member);
                return effects.answer(ClassicResponses.joinResponse(next, member, false));
            }
        }
        ClassicRebalance.JoinPhase phase = joinPhase(group, effects);
        phase.members.remove(oldId);
        phase.members.put(newId, member);
        phase.staticMembers.put(member.instanceId(), newId);
        if (oldId.equals(phase.leaderId)) {
            phase.leaderId = newId;
        }
        return awaitJoin(group, newId, effects);
    }

    private CoordinatorResult<JoinGroupResponseData> addAndRebalance(
            ClassicGroupView group, ClassicMember member, String protocolType) {
        Effects effects = new Effects();
        ClassicRebalance.JoinPhase phase = joinPhase(group, effects);
        if (phase.members.isEmpty()) {
            phase.protocolType = protocolType;
        }
        phase.members.put(member.memberId(), member);
        if (member.instanceId() != null) {
            phase.staticMembers.put(member.instanceId(), member.memberId());
        }
        return awaitJoin(group, member.memberId(), effects);
    }

    /** The member waits in the join phase until it ends; its answer comes from the operation that ends it. */
    private CoordinatorResult<JoinGroupResponseData> awaitJoin(
            ClassicGroupView group, String memberId, Effects effects) {
        ClassicRebalance.JoinPhase phase = joinPhase(group, effects);
        CompletableFuture<JoinGroupResponseData> future = new CompletableFuture<>();
        effects.answerLater(
                phase.awaitingJoin.put(memberId, future),
                ClassicResponses.joinError(Errors.REBALANCE_IN_PROGRESS, memberId));
        cancelSession(group.groupId, memberId);
        armJoinDeadline(group.groupId, phase);
        tryCompleteJoin(group, effects);
        return effects.answerWith(future);
    }

    /**
     * The join phase of the group's rebalance, started when none runs: waiting syncs are told to rejoin. Soft state:
     * the group's record stays as it is until the phase ends with a new generation.
     */
    private ClassicRebalance.JoinPhase joinPhase(ClassicGroupView group, Effects effects) {
        ClassicRebalance soft = live.rebalance(group.groupId);
        if (soft.join != null) {
            return soft.join;
        }
        soft.awaitingSync
                .values()
                .forEach(waiting ->
                        effects.answerLater(waiting, ClassicResponses.syncError(Errors.REBALANCE_IN_PROGRESS)));
        soft.awaitingSync.clear();
        soft.join = new ClassicRebalance.JoinPhase(group.recorded());
        return soft.join;
    }

    /**
     * Sets the join phase's deadline, once, after its first membership change: the initial delay for a group that
     * was empty, else the longest rebalance timeout of its members.
     */
    private void armJoinDeadline(String groupId, ClassicRebalance.JoinPhase phase) {
        if (phase.timerArmed) {
            return;
        }
        phase.timerArmed = true;
        int initialDelay = config.initialRebalanceDelayMs();
        phase.initialDelayRunning = phase.fromEmpty && initialDelay > 0;
        long delay = phase.initialDelayRunning
                ? Math.min(initialDelay, phase.rebalanceTimeoutMs())
                : phase.rebalanceTimeoutMs();
        timers.schedule(joinKey(groupId), delay, () -> joinDeadline(groupId));
    }

    /** The join phase's timer: the initial delay ended, or the rebalance timeout passed. */
    CoordinatorResult<Void> joinDeadline(String groupId) {
        Effects effects = new Effects();
        ClassicRebalance soft = live.rebalanceOf(groupId);
        if (soft == null || soft.join == null) {
            return effects.answer(null);
        }
        ClassicRebalance.JoinPhase phase = soft.join;
        if (phase.initialDelayRunning) {
            phase.initialDelayRunning = false;
            if (!soft.allJoined()) {
                timers.schedule(joinKey(groupId), phase.rebalanceTimeoutMs(), () -> joinDeadline(groupId));
                return effects.answer(null);
            }
        }
        completeJoin(live.classic(groupId), effects);
        return effects.answer(null);
    }

    private void tryCompleteJoin(ClassicGroupView group, Effects effects) {
        ClassicRebalance soft = live.rebalanceOf(group.groupId);
        if (soft != null && soft.join != null && !soft.join.initialDelayRunning && soft.allJoined()) {
            completeJoin(group, effects);
        }
    }

    /**
     * Ends the join phase: members that did not rejoin are dropped, the new generation is recorded, and every member
     * that joined learns it once the record is durable (the leader with everyone's metadata).
     */
    private void completeJoin(ClassicGroupView group, Effects effects) {
        String groupId = group.groupId;
        timers.cancel(joinKey(groupId));
        ClassicRebalance soft = live.rebalance(groupId);
        ClassicRebalance.JoinPhase phase = soft.join;
        for (ClassicMember missing : List.copyOf(phase.members.values())) {
            if (!phase.awaitingJoin.containsKey(missing.memberId())) {
                removeMember(group, missing.memberId(), effects);
            }
        }
        soft.pendingMembers.forEach(pending -> timers.cancel(pendingKey(groupId, pending)));
        soft.pendingMembers.clear();
        soft.join = null;
        live.tidy(groupId);
        int generation = group.generationId() + 1;
        if (phase.members.isEmpty()) {
            effects.record(GroupRecords.classicGroup(
                    groupId,
                    new GroupRecords.ClassicGroupValue(
                            phase.protocolType,
                            generation,
                            null,
                            null,
                            clock.nowMs(),
                            ClassicGroupState.EMPTY,
                            List.of())));
            return;
        }
        String leader = phase.members.containsKey(phase.leaderId)
                ? phase.leaderId
                : phase.members.keySet().iterator().next();
        List<ClassicMember> members = new ArrayList<>();
        phase.members.values().forEach(m -> members.add(m.withAssignment(new byte[0])));
        ClassicGroup next = ClassicGroup.of(
                groupId,
                new GroupRecords.ClassicGroupValue(
                        phase.protocolType,
                        generation,
                        ClassicMember.selectProtocol(members),
                        leader,
                        clock.nowMs(),
                        ClassicGroupState.COMPLETING_REBALANCE,
                        members));
        effects.record(GroupRecords.classicGroup(groupId, next.value()));
        for (ClassicMember member : next.members.values()) {
            effects.answerLater(
                    phase.awaitingJoin.get(member.memberId()), ClassicResponses.joinResponse(next, member, true));
            scheduleSession(groupId, member);
        }
    }

    CoordinatorResult<SyncGroupResponseData> sync(SyncGroupRequestData request) {
        ClassicGroupView group = live.classic(request.groupId());
        if (!group.exists()) {
            return CoordinatorResult.answer(ClassicResponses.syncError(Errors.UNKNOWN_MEMBER_ID));
        }
        Errors error = group.checkMember(request.memberId(), request.groupInstanceId(), request.generationId());
        if (error != Errors.NONE) {
            return CoordinatorResult.answer(ClassicResponses.syncError(error));
        }
        if ((request.protocolType() != null && !request.protocolType().equals(group.protocolType()))
                || (request.protocolName() != null && !request.protocolName().equals(group.protocolName()))) {
            return CoordinatorResult.answer(ClassicResponses.syncError(Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        ClassicMember member = group.member(request.memberId());
        switch (group.state()) {
            case PREPARING_REBALANCE -> {
                return CoordinatorResult.answer(ClassicResponses.syncError(Errors.REBALANCE_IN_PROGRESS));
            }
            case STABLE -> {
                scheduleSession(group.groupId, member);
                return CoordinatorResult.answer(ClassicResponses.synced(group.recorded(), member));
            }
            case COMPLETING_REBALANCE -> {
                return awaitSync(group, member, request);
            }
            default -> {
                return CoordinatorResult.answer(ClassicResponses.syncError(Errors.UNKNOWN_MEMBER_ID));
            }
        }
    }

    /** The member waits for the leader's assignments; the leader's SyncGroup records them and answers everyone. */
    private CoordinatorResult<SyncGroupResponseData> awaitSync(
            ClassicGroupView group, ClassicMember member, SyncGroupRequestData request) {
        String groupId = group.groupId;
        Effects effects = new Effects();
        CompletableFuture<SyncGroupResponseData> future = new CompletableFuture<>();
        ClassicRebalance soft = live.rebalance(groupId);
        effects.answerLater(
                soft.awaitingSync.put(member.memberId(), future),
                ClassicResponses.syncError(Errors.REBALANCE_IN_PROGRESS));
        scheduleSession(groupId, member);
        if (!member.memberId().equals(group.leaderId())) {
            return effects.answerWith(future);
        }
        for (SyncGroupRequestData.SyncGroupRequestAssignment given : request.assignments()) {
            if (given.assignment().length > config.protocolMetadataMaxBytes()) {
                soft.awaitingSync.remove(member.memberId());
                live.tidy(groupId);
                return effects.answer(ClassicResponses.syncError(Errors.INVALID_REQUEST));
            }
        }
        Map<String, byte[]> assignments = new HashMap<>();
        request.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
        ClassicGroup recorded = group.recorded();
        List<ClassicMember> members = new ArrayList<>();
        recorded.members
                .values()
                .forEach(m -> members.add(m.withAssignment(assignments.getOrDefault(m.memberId(), new byte[0]))));
        ClassicGroup next = ClassicGroup.of(
                groupId,
                new GroupRecords.ClassicGroupValue(
                        recorded.protocolType,
                        recorded.generationId,
                        recorded.protocolName,
                        recorded.leaderId,
                        clock.nowMs(),
                        ClassicGroupState.STABLE,
                        members));
        effects.record(GroupRecords.classicGroup(groupId, next.value()));
        soft.awaitingSync.forEach((memberId, waiting) -> {
            ClassicMember synced = next.members.get(memberId);
            effects.answerLater(
                    waiting,
                    synced == null
                            ? ClassicResponses.syncError(Errors.UNKNOWN_MEMBER_ID)
                            : ClassicResponses.synced(next, synced));
        });
        soft.awaitingSync.clear();
        live.tidy(groupId);
        return effects.answerWith(future);
    }

    CoordinatorResult<HeartbeatResponseData> heartbeat(HeartbeatRequestData request) {
        ClassicGroupView group = live.classic(request.groupId());
        if (!group.exists()) {
            return CoordinatorResult.answer(new HeartbeatResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
        }
        Errors error = group.checkMember(request.memberId(), request.groupInstanceId(), request.generationId());
        if (error == Errors.NONE) {
            scheduleSession(group.groupId, group.member(request.memberId()));
            if (group.state() == ClassicGroupState.PREPARING_REBALANCE) {
                error = Errors.REBALANCE_IN_PROGRESS;
            }
        }
        return CoordinatorResult.answer(new HeartbeatResponseData().setErrorCode(error.code()));
    }

    CoordinatorResult<LeaveGroupResponseData> leave(LeaveGroupRequestData request, short version) {
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        List<LeaveGroupRequestData.MemberIdentity> leaving = version >= 3
                ? request.members()
                : List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(request.memberId()));
        ClassicGroupView group = live.classic(request.groupId());
        Effects effects = new Effects();
        boolean anyRemoved = false;
        for (LeaveGroupRequestData.MemberIdentity identity : leaving) {
            Errors error = removeLeaving(group, identity, effects);
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

    private Errors removeLeaving(
            ClassicGroupView group, LeaveGroupRequestData.MemberIdentity identity, Effects effects) {
        String memberId = identity.memberId();
        if (identity.groupInstanceId() != null) {
            String current = group.staticMemberId(identity.groupInstanceId());
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.isEmpty() && !memberId.equals(current)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            memberId = current;
        }
        ClassicRebalance soft = live.rebalanceOf(group.groupId);
        if (soft != null && soft.pendingMembers.remove(memberId)) {
            timers.cancel(pendingKey(group.groupId, memberId));
            return Errors.NONE;
        }
        if (group.member(memberId) == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        removeMember(group, memberId, effects);
        return Errors.NONE;
    }

    /** A member's session ended without a heartbeat: it is out, and the others rebalance. */
    CoordinatorResult<Void> expireSession(String groupId, String memberId) {
        Effects effects = new Effects();
        ClassicGroupView group = live.classic(groupId);
        if (group.member(memberId) != null && !group.hasRejoined(memberId)) {
            removeMember(group, memberId, effects);
            afterMembershipChange(group, effects);
        }
        return effects.answer(null);
    }

    CoordinatorResult<Void> expirePending(String groupId, String memberId) {
        Effects effects = new Effects();
        ClassicRebalance soft = live.rebalanceOf(groupId);
        if (soft != null && soft.pendingMembers.remove(memberId)) {
            tryCompleteJoin(live.classic(groupId), effects);
            live.tidy(groupId);
        }
        return effects.answer(null);
    }

    private void afterMembershipChange(ClassicGroupView group, Effects effects) {
        ClassicGroupState now = group.state();
        if (now == ClassicGroupState.STABLE || now == ClassicGroupState.COMPLETING_REBALANCE) {
            joinPhase(group, effects);
        }
        ClassicRebalance soft = live.rebalanceOf(group.groupId);
        if (soft != null && soft.join != null) {
            armJoinDeadline(group.groupId, soft.join);
            tryCompleteJoin(group, effects);
        }
        live.tidy(group.groupId);
    }

    /**
     * Takes a member out of the coming generation (a rebalance starts if none runs), answering what it had waiting.
     * Soft state: the group's record lists the member until the next generation is recorded.
     */
    private void removeMember(ClassicGroupView group, String memberId, Effects effects) {
        cancelSession(group.groupId, memberId);
        ClassicRebalance soft = live.rebalance(group.groupId);
        effects.answerLater(soft.awaitingSync.remove(memberId), ClassicResponses.syncError(Errors.UNKNOWN_MEMBER_ID));
        ClassicRebalance.JoinPhase phase = joinPhase(group, effects);
        effects.answerLater(
                phase.awaitingJoin.remove(memberId), ClassicResponses.joinError(Errors.UNKNOWN_MEMBER_ID, memberId));
        ClassicMember removed = phase.members.remove(memberId);
        if (removed != null && removed.instanceId() != null) {
            phase.staticMembers.remove(removed.instanceId());
        }
    }

    private void scheduleSession(String groupId, ClassicMember member) {
        String memberId = member.memberId();
        timers.schedule(
                sessionKey(groupId, memberId), member.sessionTimeoutMs(), () -> expireSession(groupId, memberId));
    }

    private void cancelSession(String groupId, String memberId) {
        timers.cancel(sessionKey(groupId, memberId));
    }

    /** After a load, every member gets a fresh session: one that never heartbeats again is removed. */
    void startSessions(ClassicGroup group) {
        group.members.values().forEach(member -> scheduleSession(group.groupId, member));
    }

    /**
     * The group's record was deleted (replayed tombstone): what was under way in it ends and its timers stop. A
     * group is deleted only without members, so no request of a member waits in it.
     */
    void forget(String groupId) {
        ClassicRebalance soft = live.forget(groupId);
        timers.cancel(joinKey(groupId));
        if (soft != null) {
            soft.pendingMembers.forEach(id -> timers.cancel(pendingKey(groupId, id)));
        }
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
