package io.wharf.coordinator.group;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * What is under way in one classic group beside its record: member ids handed out and not yet joined with (KIP-394),
 * the join phase of a rebalance, and SyncGroup requests waiting for the leader's assignments.
 *
 * <p>All of it is soft state: {@link ClassicGroupOps} changes it as it computes, and it is lost when the shard is
 * unloaded (the clients join again). It never stands for the group's record: a rebalance ends by writing the next
 * generation as a record, and the group changes when that record is replayed.
 */
final class ClassicRebalance {

    /** Member ids handed out with MEMBER_ID_REQUIRED whose owners have not joined with them yet. */
    final Set<String> pendingMembers = new HashSet<>();

    /** SyncGroup requests of the generation waiting for the leader's assignments, by member id. */
    final Map<String, CompletableFuture<SyncGroupResponseData>> awaitingSync = new LinkedHashMap<>();

    /** The join phase of a rebalance, or null: while there is one the group is PreparingRebalance. */
    JoinPhase join;

    /** Whether nothing is under way, so the group is exactly its record. */
    boolean isIdle() {
        return pendingMembers.isEmpty() && awaitingSync.isEmpty() && join == null;
    }

    /** Whether every member of the coming generation has rejoined and no handed-out member id is still to come. */
    boolean allJoined() {
        return join != null
                && pendingMembers.isEmpty()
                && join.awaitingJoin.keySet().containsAll(join.members.keySet());
    }

    /**
     * The join phase of a rebalance: who will be in the next generation, as each last joined, and the JoinGroup
     * requests waiting for it to end. It starts from the recorded members; members join, rejoin, leave and time out
     * here, and the generation it ends with is written as a record.
     */
    static final class JoinPhase {

        /** Whether the group had no members: its first rebalance waits {@code group.initial.rebalance.delay.ms}. */
        final boolean fromEmpty;

        final LinkedHashMap<String, ClassicMember> members;
        final Map<String, String> staticMembers;
        final Map<String, CompletableFuture<JoinGroupResponseData>> awaitingJoin = new HashMap<>();
        String protocolType;
        String leaderId;
        /** Whether the phase's deadline is set (once its first membership change is made). */
        boolean timerArmed;
        /** Whether the deadline set is the initial delay, after which it waits for the stragglers. */
        boolean initialDelayRunning;

        /** A phase starting from {@code recorded}, or from nothing when the group has no record yet. */
        JoinPhase(ClassicGroup recorded) {
            fromEmpty = recorded == null || recorded.state == ClassicGroupState.EMPTY;
            members = recorded == null ? new LinkedHashMap<>() : new LinkedHashMap<>(recorded.members);
            staticMembers = recorded == null ? new HashMap<>() : new HashMap<>(recorded.staticMembers);
            protocolType = recorded == null ? null : recorded.protocolType;
            leaderId = recorded == null ? null : recorded.leaderId;
        }

        int rebalanceTimeoutMs() {
            return ClassicMember.rebalanceTimeoutMs(members.values());
        }
    }
}
