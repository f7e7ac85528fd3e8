package io.wharf.coordinator.group.assignor;

import io.wharf.common.TopicId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * For each topic, splits its partitions into contiguous ranges over the members subscribed to it, in member id
 * order: with 7 partitions and 3 members, 0-2, 3-4, 5-6. Members with the same subscriptions get the same partition
 * numbers of every topic, which co-partitioned joins need.
 */
public final class RangeAssignor implements Assignor {

    @Override
    public String name() {
        return "range";
    }

    @Override
    public Map<String, Map<TopicId, List<Integer>>> assign(
            List<Member> members, Map<TopicId, Integer> partitionCounts) {
        Map<String, Map<TopicId, List<Integer>>> result = new HashMap<>();
        members.forEach(m -> result.put(m.memberId(), new TreeMap<>(TopicIds.ORDER)));
        for (Map.Entry<TopicId, Integer> topic : new TreeMap<>(partitionCounts).entrySet()) {
            List<String> subscribers = members.stream()
                    .filter(m -> m.subscribedTopics().contains(topic.getKey()))
                    .map(Member::memberId)
                    .sorted()
                    .toList();
            if (subscribers.isEmpty()) {
                continue;
            }
            int partitions = topic.getValue();
            int each = partitions / subscribers.size();
            int extra = partitions % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int count = each + (i < extra ? 1 : 0);
                List<Integer> range = new ArrayList<>(count);
                for (int p = 0; p < count; p++) {
                    range.add(next++);
                }
                if (!range.isEmpty()) {
                    result.get(subscribers.get(i)).put(topic.getKey(), List.copyOf(range));
                }
            }
        }
        return result;
    }
}
