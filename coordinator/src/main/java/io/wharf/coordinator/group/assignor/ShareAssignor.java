package io.wharf.coordinator.group.assignor;

import io.wharf.common.TopicId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The assignment of a share group, where partitions may be shared: every partition of a subscribed topic goes to at
 * least one subscriber, and every member that subscribes to a topic with partitions gets at least one.
 *
 * <ol>
 *   <li>each partition, in topic id and partition order, goes to its least loaded subscriber (ties by member id), so
 *       with fewer members than partitions the partitions are spread evenly;
 *   <li>each member still without a partition then joins the subscribed partition that has the fewest holders (ties
 *       by topic id and partition), so with more members than partitions they share them evenly.
 * </ol>
 *
 * <p>Deterministic: the same members, subscriptions and partition counts give the same assignment. It is not
 * sticky, and need not be: a share group member holds records, not partitions, so a moved partition costs nothing.
 */
public final class ShareAssignor {

    private record Slot(TopicId topic, int partition) {}

    private ShareAssignor() {}

    /**
     * @param subscriptions each member's subscribed topics (existing ones only), by member id
     * @param partitionCounts the partition count of every subscribed topic
     * @return each member's partitions, every member present
     */
    public static Map<String, Map<TopicId, List<Integer>>> assign(
            SortedMap<String, Set<TopicId>> subscriptions, Map<TopicId, Integer> partitionCounts) {
        Map<String, List<Slot>> owned = new TreeMap<>();
        subscriptions.keySet().forEach(m -> owned.put(m, new ArrayList<>()));
        Map<Slot, Integer> holders = new HashMap<>();
        List<Slot> slots = new ArrayList<>();
        Map<TopicId, Integer> topics = new TreeMap<>(TopicIds.ORDER);
        topics.putAll(partitionCounts);
        for (Map.Entry<TopicId, Integer> topic : topics.entrySet()) {
            for (int p = 0; p < topic.getValue(); p++) {
                Slot slot = new Slot(topic.getKey(), p);
                slots.add(slot);
                String least = null;
                for (Map.Entry<String, Set<TopicId>> member : subscriptions.entrySet()) {
                    if (member.getValue().contains(slot.topic())
                            && (least == null
                                    || owned.get(member.getKey()).size()
                                            < owned.get(least).size())) {
                        least = member.getKey();
                    }
                }
                if (least != null) {
                    owned.get(least).add(slot);
                    holders.merge(slot, 1, Integer::sum);
                }
            }
        }
        for (Map.Entry<String, List<Slot>> member : owned.entrySet()) {
            if (!member.getValue().isEmpty()) {
                continue;
            }
            Set<TopicId> subscribed = subscriptions.get(member.getKey());
            Slot best = null;
            for (Slot slot : slots) {
                if (subscribed.contains(slot.topic())
                        && (best == null || holders.getOrDefault(slot, 0) < holders.getOrDefault(best, 0))) {
                    best = slot;
                }
            }
            if (best != null) {
                member.getValue().add(best);
                holders.merge(best, 1, Integer::sum);
            }
        }
        Map<String, Map<TopicId, List<Integer>>> result = new TreeMap<>();
        owned.forEach((memberId, memberSlots) -> {
            Map<TopicId, List<Integer>> assignment = new TreeMap<>(TopicIds.ORDER);
            memberSlots.forEach(s -> assignment
                    .computeIfAbsent(s.topic(), t -> new ArrayList<>())
                    .add(s.partition()));
            assignment.replaceAll((t, p) -> List.copyOf(p));
            result.put(memberId, assignment);
        });
        return result;
    }
}
