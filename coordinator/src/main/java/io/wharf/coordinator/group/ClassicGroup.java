package io.wharf.coordinator.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A group under the classic protocol. Its generation, protocol, leader and members change only by replaying its
 * record; its state in the rebalance and the members' waiting requests are soft state, changed by the operations.
 */
final class ClassicGroup {

    final String groupId;
    ClassicGroupState state = ClassicGroupState.EMPTY;
    int generationId;
    String protocolType;
    String protocolName;
    String leaderId;
    long stateTimestamp;
    final LinkedHashMap<String, ClassicMember> members = new LinkedHashMap<>();
    final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED whose owners have not joined with them yet. */
    final Set<String> pendingMembers = new HashSet<>();
    /** Whether the current rebalance is the first one after the group was empty (it waits for more members). */
    boolean initialDelayRunning;

    ClassicGroup(String groupId) {
        this.groupId = groupId;
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    /** Whether every member has rejoined and no handed-out member id is still to come. */
    boolean allMembersJoined() {
        return pendingMembers.isEmpty() && members.values().stream().allMatch(m -> m.awaitingJoin != null);
    }

    /** The longest rebalance timeout of the members: how long a rebalance waits for everyone to rejoin. */
    int rebalanceTimeoutMs() {
        return members.values().stream()
                .mapToInt(m -> m.rebalanceTimeoutMs)
                .max()
                .orElse(0);
    }

    /**
     * The protocol every member supports that most members prefer (each votes for its first supported candidate),
     * or null when they have none in common.
     */
    String selectProtocol() {
        Set<String> candidates = null;
        for (ClassicMember member : members.values()) {
            Set<String> names = new HashSet<>();
            member.protocols.forEach(p -> names.add(p.name()));
            if (candidates == null) {
                candidates = names;
            } else {
                candidates.retainAll(names);
            }
        }
        if (candidates == null || candidates.isEmpty()) {
            return null;
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (ClassicMember member : members.values()) {
            for (GroupRecords.Protocol protocol : member.protocols) {
                if (candidates.contains(protocol.name())) {
                    votes.merge(protocol.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        return votes.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    /** Whether a member offering {@code type} and {@code protocols} may join (empty groups accept anything). */
    boolean supports(String type, List<GroupRecords.Protocol> protocols) {
        if (members.isEmpty()) {
            return true;
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        for (GroupRecords.Protocol offered : protocols) {
            boolean everyone = members.values().stream().allMatch(m -> m.metadata(offered.name()) != null);
            if (everyone) {
                return true;
            }
        }
        return false;
    }

    /** The group as its record would hold it, in {@code nextState}. */
    GroupRecords.ClassicGroupValue toValue(ClassicGroupState nextState, long now) {
        List<GroupRecords.ClassicMemberValue> values = new ArrayList<>();
        members.values().forEach(m -> values.add(m.toValue()));
        return new GroupRecords.ClassicGroupValue(
                protocolType, generationId, protocolName, leaderId, now, nextState, values);
    }
}
