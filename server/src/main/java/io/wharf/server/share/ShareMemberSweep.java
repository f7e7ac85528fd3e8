package io.wharf.server.share;

import io.wharf.common.Clock;
import io.wharf.coordinator.share.ShareConfigs;
import io.wharf.coordinator.share.SharePartitionManager;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives back, on this broker, the records of share group members their group coordinator no longer knows, and ends
 * their share sessions here. When the group coordinator is this broker it says so itself as it removes a member; on
 * every other broker that leads partitions the member consumed, this sweep finds out: about once per heartbeat
 * interval of each group with records held or sessions open here, it asks the coordinator for the members (after
 * noting who holds what, so that a member that joined since is never taken for one that left). A group it cannot ask
 * is left alone until the next time; the records of a member that is gone are released as a lock running out would
 * release them, counted as a delivery. Share-partitions of groups with neither are let go, to be read again on their
 * next use.
 *
 * <p>Run from the broker's scheduler; thread-safe.
 */
public final class ShareMemberSweep implements Runnable {

    private final SharePartitionManager partitions;
    private final ShareSessions sessions;
    private final ShareMembership membership;
    private final ShareConfigs configs;
    private final Clock clock;
    private final Map<String, Long> lastSweptMs = new ConcurrentHashMap<>();
    private final Set<String> asking = ConcurrentHashMap.newKeySet();

    public ShareMemberSweep(
            SharePartitionManager partitions,
            ShareSessions sessions,
            ShareMembership membership,
            ShareConfigs configs,
            Clock clock) {
        this.partitions = partitions;
        this.sessions = sessions;
        this.membership = membership;
        this.configs = configs;
        this.clock = clock;
    }

    @Override
    public void run() {
        Map<String, Set<String>> holders = partitions.holdersByGroup();
        Set<String> groups = new HashSet<>(holders.keySet());
        groups.addAll(sessions.groups());
        long now = clock.nowMs();
        for (String groupId : groups) {
            Set<String> held = holders.getOrDefault(groupId, Set.of());
            Set<String> withSessions = sessions.members(groupId);
            if (held.isEmpty() && withSessions.isEmpty()) {
                partitions.evictIdle(groupId);
                continue;
            }
            long last = lastSweptMs.getOrDefault(groupId, Long.MIN_VALUE / 2);
            if (now - last < configs.of(groupId).heartbeatIntervalMs() || !asking.add(groupId)) {
                continue;
            }
            lastSweptMs.put(groupId, now);
            membership.members(groupId).whenComplete((members, failure) -> {
                asking.remove(groupId);
                if (failure == null) {
                    settle(groupId, held, withSessions, members);
                }
            });
        }
        lastSweptMs.keySet().retainAll(groups);
    }

    private void settle(String groupId, Set<String> held, Set<String> withSessions, Optional<Set<String>> members) {
        if (members.isEmpty()) {
            return;
        }
        for (String memberId : held) {
            if (!members.get().contains(memberId)) {
                partitions.releaseMember(groupId, memberId, false);
            }
        }
        for (String memberId : withSessions) {
            if (!members.get().contains(memberId)) {
                sessions.memberRemoved(groupId, memberId);
            }
        }
    }
}
