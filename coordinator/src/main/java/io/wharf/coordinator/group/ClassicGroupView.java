package io.wharf.coordinator.group;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;

/**
 * One classic group as requests see it: its record, with the rebalance under way laid over it. While a join phase
 * runs the group is PreparingRebalance and its members are those of the coming generation; otherwise they are the
 * recorded ones. A group exists once it has a record or is forming its first generation.
 *
 * <p>Read-only. It looks up the soft state on every call, so it stays current while an operation changes that.
 */
final class ClassicGroupView {

    final String groupId;
    private final ClassicGroup recorded;
    private final LiveGroups live;

    ClassicGroupView(String groupId, ClassicGroup recorded, LiveGroups live) {
        this.groupId = groupId;
        this.recorded = recorded;
        this.live = live;
    }

    /** The group's record, or null when it has none yet. */
    ClassicGroup recorded() {
        return recorded;
    }

    private ClassicRebalance soft() {
        return live.rebalanceOf(groupId);
    }

    private ClassicRebalance.JoinPhase join() {
        ClassicRebalance soft = soft();
        return soft == null ? null : soft.join;
    }

    boolean exists() {
        return recorded != null || join() != null;
    }

    ClassicGroupState state() {
        if (join() != null) {
            return ClassicGroupState.PREPARING_REBALANCE;
        }
        return recorded == null ? ClassicGroupState.EMPTY : recorded.state;
    }

    int generationId() {
        return recorded == null ? 0 : recorded.generationId;
    }

    String protocolType() {
        ClassicRebalance.JoinPhase join = join();
        if (join != null) {
            return join.protocolType;
        }
        return recorded == null ? null : recorded.protocolType;
    }

    /** The protocol of the current generation (a rebalance under way has not chosen the next one yet). */
    String protocolName() {
        return recorded == null ? null : recorded.protocolName;
    }

    String leaderId() {
        ClassicRebalance.JoinPhase join = join();
        if (join != null) {
            return join.leaderId;
        }
        return recorded == null ? null : recorded.leaderId;
    }

    /** When the recorded generation reached its state, or -1 when there is no record. */
    long stateTimestamp() {
        return recorded == null ? -1 : recorded.stateTimestamp;
    }

    Map<String, ClassicMember> members() {
        ClassicRebalance.JoinPhase join = join();
        if (join != null) {
            return Collections.unmodifiableMap(join.members);
        }
        return recorded == null ? Map.of() : recorded.members;
    }

    ClassicMember member(String memberId) {
        return members().get(memberId);
    }

    boolean isEmpty() {
        return members().isEmpty();
    }

    /** The member id of static member {@code instanceId}, or null. */
    String staticMemberId(String instanceId) {
        ClassicRebalance.JoinPhase join = join();
        if (join != null) {
            return join.staticMembers.get(instanceId);
        }
        return recorded == null ? null : recorded.staticMembers.get(instanceId);
    }

    boolean isPending(String memberId) {
        ClassicRebalance soft = soft();
        return soft != null && soft.pendingMembers.contains(memberId);
    }

    int pendingCount() {
        ClassicRebalance soft = soft();
        return soft == null ? 0 : soft.pendingMembers.size();
    }

    /** Whether {@code memberId} has rejoined in the join phase under way. */
    boolean hasRejoined(String memberId) {
        ClassicRebalance.JoinPhase join = join();
        return join != null && join.awaitingJoin.containsKey(memberId);
    }

    /** Whether a member offering {@code type} and {@code protocols} may join (a group without members takes any). */
    boolean supports(String type, List<GroupRecords.Protocol> protocols) {
        Map<String, ClassicMember> members = members();
        if (members.isEmpty()) {
            return true;
        }
        if (!type.equals(protocolType())) {
            return false;
        }
        for (GroupRecords.Protocol offered : protocols) {
            if (members.values().stream().allMatch(m -> m.metadata(offered.name()) != null)) {
                return true;
            }
        }
        return false;
    }

    /** The checks every request of a member makes: known, not fenced, in the current generation. */
    Errors checkMember(String memberId, String instanceId, int generation) {
        if (instanceId != null) {
            String current = staticMemberId(instanceId);
            if (current != null && !current.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        if (member(memberId) == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (generation != generationId()) {
            return Errors.ILLEGAL_GENERATION;
        }
        return Errors.NONE;
    }

    /** Checks an offset commit from a member; NONE also for an "assign()" commit to a group without members. */
    Errors checkCommit(String memberId, String instanceId, int generation) {
        if (generation < 0 && memberId.isEmpty()) {
            return isEmpty() ? Errors.NONE : Errors.ILLEGAL_GENERATION;
        }
        Errors error = checkMember(memberId, instanceId, generation);
        if (error == Errors.NONE && state() == ClassicGroupState.COMPLETING_REBALANCE) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        return error;
    }
}
