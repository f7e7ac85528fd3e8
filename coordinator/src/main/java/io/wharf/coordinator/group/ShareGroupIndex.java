package io.wharf.coordinator.group;

import io.wharf.common.TopicId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which share groups exist, who their members are and what each was last assigned, kept up to date by replay on
 * every shard and read from any thread: share fetches acquire records only for a member's assigned partitions, and
 * new groups are counted against the limit.
 */
final class ShareGroupIndex {

    private final Map<String, Map<String, Map<TopicId, List<Integer>>>> groups = new ConcurrentHashMap<>();

    void addGroup(String groupId) {
        groups.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>());
    }

    void removeGroup(String groupId) {
        groups.remove(groupId);
    }

    void putMember(String groupId, String memberId, Map<TopicId, List<Integer>> assigned) {
        groups.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>()).put(memberId, Map.copyOf(assigned));
    }

    void removeMember(String groupId, String memberId) {
        Map<String, Map<TopicId, List<Integer>>> members = groups.get(groupId);
        if (members != null) {
            members.remove(memberId);
        }
    }

    /** The member's assignment, or null when it is not a member. */
    Map<TopicId, List<Integer>> assignment(String groupId, String memberId) {
        Map<String, Map<TopicId, List<Integer>>> members = groups.get(groupId);
        return members == null ? null : members.get(memberId);
    }

    /** The group's members, none when it does not exist. */
    Set<String> members(String groupId) {
        Map<String, Map<TopicId, List<Integer>>> members = groups.get(groupId);
        return members == null ? Set.of() : Set.copyOf(members.keySet());
    }

    int groupCount() {
        return groups.size();
    }
}
