package io.wharf.coordinator.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The groups of one shard as requests see them: the recorded groups of {@link GroupState} with the classic rebalances
 * under way laid over them. It owns those rebalances (soft state); only {@link ClassicGroupOps} changes them, and
 * every operation class reads classic groups through here, so all of them see a rebalance the same way.
 *
 * <p>Owned by the shard's thread.
 */
final class LiveGroups {

    private final GroupState state;
    private final Map<String, ClassicRebalance> rebalances = new HashMap<>();

    LiveGroups(GroupState state) {
        this.state = state;
    }

    /** The classic group {@code groupId} as requests see it; {@link ClassicGroupView#exists()} says if there is one. */
    ClassicGroupView classic(String groupId) {
        return new ClassicGroupView(groupId, state.classicGroup(groupId), this);
    }

    /** Every classic group that exists: recorded, or forming its first generation. */
    List<ClassicGroupView> classicGroups() {
        Set<String> ids = new LinkedHashSet<>();
        state.classicGroups().forEach(group -> ids.add(group.groupId));
        rebalances.forEach((groupId, rebalance) -> {
            if (rebalance.join != null) {
                ids.add(groupId);
            }
        });
        List<ClassicGroupView> groups = new ArrayList<>(ids.size());
        ids.forEach(id -> groups.add(classic(id)));
        return groups;
    }

    /** Whether the group {@code groupId}, of whichever kind, has members now; a rebalance under way counts. */
    boolean hasMembers(String groupId) {
        return !classic(groupId).isEmpty()
                || state.consumerGroupHasMembers(groupId)
                || state.shareGroupHasMembers(groupId);
    }

    /** What is under way in {@code groupId}, or null when nothing is. */
    ClassicRebalance rebalanceOf(String groupId) {
        return rebalances.get(groupId);
    }

    /** What is under way in {@code groupId}, made empty when nothing was. For {@link ClassicGroupOps} only. */
    ClassicRebalance rebalance(String groupId) {
        return rebalances.computeIfAbsent(groupId, id -> new ClassicRebalance());
    }

    /** Drops the group's soft state once nothing is under way in it any more. */
    void tidy(String groupId) {
        ClassicRebalance rebalance = rebalances.get(groupId);
        if (rebalance != null && rebalance.isIdle()) {
            rebalances.remove(groupId);
        }
    }

    /** Drops the group's soft state, whatever it holds, and returns it (null when there was none). */
    ClassicRebalance forget(String groupId) {
        return rebalances.remove(groupId);
    }
}
