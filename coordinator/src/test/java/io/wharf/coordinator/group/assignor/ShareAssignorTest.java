package io.wharf.coordinator.group.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.TopicId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ShareAssignorTest {

    private final TopicId jobs = new TopicId(1, 1);
    private final TopicId mail = new TopicId(2, 2);

    @Test
    void fewerMembersThanPartitionsSplitThem() {
        SortedMap<String, Set<TopicId>> members = new TreeMap<>(Map.of("a", Set.of(jobs), "b", Set.of(jobs)));
        Map<String, Map<TopicId, List<Integer>>> result = ShareAssignor.assign(members, Map.of(jobs, 4));
        assertThat(result.get("a").get(jobs)).containsExactly(0, 2);
        assertThat(result.get("b").get(jobs)).containsExactly(1, 3);
    }

    @Test
    void moreMembersThanPartitionsShareThem() {
        SortedMap<String, Set<TopicId>> members = new TreeMap<>();
        for (String m : List.of("a", "b", "c", "d", "e")) {
            members.put(m, Set.of(jobs));
        }
        Map<String, Map<TopicId, List<Integer>>> result = ShareAssignor.assign(members, Map.of(jobs, 2));
        Map<Integer, Integer> holders = new HashMap<>();
        result.values().forEach(a -> a.get(jobs).forEach(p -> holders.merge(p, 1, Integer::sum)));
        assertThat(holders).containsEntry(0, 3).containsEntry(1, 2);
    }

    @Property
    void everyPartitionAndEverySubscriberIsCovered(
            @ForAll @IntRange(min = 1, max = 12) int memberCount,
            @ForAll @IntRange(min = 1, max = 9) int jobsPartitions,
            @ForAll @IntRange(min = 0, max = 5) int mailPartitions) {
        SortedMap<String, Set<TopicId>> members = new TreeMap<>();
        for (int i = 0; i < memberCount; i++) {
            members.put("m" + i, i % 3 == 0 ? Set.of(jobs, mail) : i % 3 == 1 ? Set.of(jobs) : Set.of(mail));
        }
        Map<TopicId, Integer> counts = new HashMap<>(Map.of(jobs, jobsPartitions));
        if (mailPartitions > 0) {
            counts.put(mail, mailPartitions);
        }
        Map<String, Map<TopicId, List<Integer>>> result = ShareAssignor.assign(members, counts);
        Map<TopicId, Set<Integer>> covered = new HashMap<>();
        members.forEach((member, topics) -> {
            Map<TopicId, List<Integer>> assigned = result.get(member);
            assertThat(assigned.keySet()).isSubsetOf(topics);
            boolean canWork = topics.stream().anyMatch(counts::containsKey);
            if (canWork) {
                assertThat(assigned).as("%s gets work", member).isNotEmpty();
            }
            assigned.forEach((t, ps) ->
                    covered.computeIfAbsent(t, k -> new java.util.HashSet<>()).addAll(ps));
        });
        counts.forEach((topic, count) -> {
            boolean subscribed = members.values().stream().anyMatch(s -> s.contains(topic));
            if (subscribed) {
                assertThat(covered.get(topic)).hasSize(count);
            }
        });
    }
}
