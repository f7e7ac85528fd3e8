package io.wharf.coordinator.group;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A member of a classic group as it last joined: its ids, timeouts and protocols, and the assignment its leader gave
 * it. Immutable, and written as is in the group's record; a member that joins again, or gets a new assignment, is a
 * new value.
 *
 * @param memberId the id the coordinator handed out
 * @param instanceId the group instance id of a static member (KIP-345), or null
 * @param rebalanceTimeoutMs how long a rebalance waits for this member to rejoin
 * @param sessionTimeoutMs how long the member may go without a heartbeat
 * @param protocols the protocols it supports with its metadata for each, in its order of preference
 * @param assignment what the leader assigned it in the current generation; empty until the leader's SyncGroup
 */
record ClassicMember(
        String memberId,
        String instanceId,
        String clientId,
        String clientHost,
        int rebalanceTimeoutMs,
        int sessionTimeoutMs,
        List<GroupRecords.Protocol> protocols,
        byte[] assignment) {

    ClassicMember {
        protocols = List.copyOf(protocols);
        assignment = assignment == null ? new byte[0] : assignment;
    }

    ClassicMember withId(String newId) {
        return new ClassicMember(
                newId, instanceId, clientId, clientHost, rebalanceTimeoutMs, sessionTimeoutMs, protocols, assignment);
    }

    ClassicMember withAssignment(byte[] newAssignment) {
        return new ClassicMember(
                memberId,
                instanceId,
                clientId,
                clientHost,
                rebalanceTimeoutMs,
                sessionTimeoutMs,
                protocols,
                newAssignment);
    }

    /** This member as it joins again with what {@code request} says: same ids, same assignment, the rest new. */
    ClassicMember rejoined(ClassicMember request) {
        return new ClassicMember(
                memberId,
                instanceId,
                request.clientId,
                request.clientHost,
                request.rebalanceTimeoutMs,
                request.sessionTimeoutMs,
                request.protocols,
                assignment);
    }

    /** The metadata this member gave for {@code protocol}, or null when it does not support it. */
    byte[] metadata(String protocol) {
        for (GroupRecords.Protocol candidate : protocols) {
            if (candidate.name().equals(protocol)) {
                return candidate.metadata();
            }
        }
        return null;
    }

    boolean sameProtocols(List<GroupRecords.Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!other.get(i).name().equals(protocols.get(i).name())
                    || !Arrays.equals(other.get(i).metadata(), protocols.get(i).metadata())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The protocol every one of {@code members} supports that most of them prefer (each votes for its first supported
     * candidate), or null when they have none in common.
     */
    static String selectProtocol(Collection<ClassicMember> members) {
        Set<String> candidates = null;
        for (ClassicMember member : members) {
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
        for (ClassicMember member : members) {
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

    /** The longest rebalance timeout of {@code members}: how long a rebalance waits for all of them to rejoin. */
    static int rebalanceTimeoutMs(Collection<ClassicMember> members) {
        return members.stream()
                .mapToInt(ClassicMember::rebalanceTimeoutMs)
                .max()
                .orElse(0);
    }
}
