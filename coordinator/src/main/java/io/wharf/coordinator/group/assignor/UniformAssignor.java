package io.wharf.coordinator.group.assignor;

import io.wharf.common.TopicId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Spreads all subscribed partitions as evenly as the subscriptions allow, moving as few as possible:
 *
 * <ol>
 *   <li>every member keeps the partitions of its previous assignment that still exist and it still subscribes to,
 *       unless another member already kept them;
 *   <li>each partition left over goes to the subscriber that has the fewest partitions;
 *   <li>while a member has two or more partitions more than another member that could take one of them, one moves.
 * </ol>
 *
 * <p>Ties are broken by member id, so the result is deterministic.
 */
public final class UniformAssignor implements Assignor {

    /** One partition of one topic. */
    private record Slot(TopicId topic, int partition) {}

    private static final Comparator<Slot> SLOT_ORDER =
            Comparator.comparing(Slot::topic, TopicIds.ORDER).thenComparingInt(Slot::partition);

    @Override
    public String name() {
        return "uniform";
    }

    @Override
    public Map<String, Map<TopicId, List<Integer>>> assign(
            List<Member> members, Map<TopicId, Integer> partitionCounts) {
        Map<String, List<Slot>> owned = new TreeMap<>();
        Map<String, Member> byId = new HashMap<>();
        members.forEach(m -> {
            owned.put(m.memberId(), new ArrayList<>());
            byId.put(m.memberId(), m);
        });
        Set<Slot> taken = new HashSet<>();
        for (Member member : members) {
            member.previous().forEach((topic, partitions) -> {
                Integer count = partitionCounts.get(topic);
                if (count == null || !member.subscribedTopics().contains(topic)) {
                    return;
                }
                for (int partition : partitions) {
                    Slot slot = new Slot(topic, partition);
                    if (partition < count && taken.add(slot)) {
                        owned.get(member.memberId()).add(slot);
                    }
                }
            });
        }
        List<Slot> unassigned = new ArrayList<>();
        for (Map.Entry<TopicId, Integer> topic : partitionCounts.entrySet()) {
            for (int p = 0; p < topic.getValue(); p++) {
                Slot slot = new Slot(topic.getKey(), p);
                if (!taken.contains(slot)) {
                    unassigned.add(slot);
                }
            }
        }
        unassigned.sort(SLOT_ORDER);
        for (Slot slot : unassigned) {
            String least = leastLoaded(owned, byId, slot.topic());
            if (least != null) {
                owned.get(least).add(slot);
            }
        }
        balance(owned, byId);
        Map<String, Map<TopicId, List<Integer>>> result = new HashMap<>();
        owned.forEach((memberId, slots) -> {
            Map<TopicId, List<Integer>> assignment = new TreeMap<>(TopicIds.ORDER);
            slots.stream()
                    .sorted(SLOT_ORDER)
                    .forEach(s -> assignment
                            .computeIfAbsent(s.topic(), t -> new ArrayList<>())
                            .add(s.partition()));
            assignment.replaceAll((t, p) -> List.copyOf(p));
            result.put(memberId, assignment);
        });
        return result;
    }

    private static String leastLoaded(Map<String, List<Slot>> owned, Map<String, Member> byId, TopicId topic) {
        String best = null;
        for (Map.Entry<String, List<Slot>> entry : owned.entrySet()) {
            if (!byId.get(entry.getKey()).subscribedTopics().contains(topic)) {
                continue;
            }
            if (best == null || entry.getValue().size() < owned.get(best).size()) {
                best = entry.getKey();
            }
        }
        return best;
    }

    /** Moves partitions from the most loaded to the least loaded member that can take them, until even. */
    private static void balance(Map<String, List<Slot>> owned, Map<String, Member> byId) {
        boolean moved = true;
        int guard = owned.values().stream().mapToInt(List::size).sum() * Math.max(1, owned.size());
        while (moved && guard-- > 0) {
            moved = false;
            List<String> bySize = new ArrayList<>(owned.keySet());
            bySize.sort(
                    Comparator.comparingInt((String m) -> owned.get(m).size()).thenComparing(m -> m));
            outer:
            for (int hi = bySize.size() - 1; hi > 0; hi--) {
                String donor = bySize.get(hi);
                for (int lo = 0; lo < hi; lo++) {
                    String taker = bySize.get(lo);
                    if (owned.get(donor).size() - owned.get(taker).size() < 2) {
                        break;
                    }
                    List<Slot> candidates = new ArrayList<>(owned.get(donor));
                    candidates.sort(SLOT_ORDER.reversed());
                    for (Slot slot : candidates) {
                        if (byId.get(taker).subscribedTopics().contains(slot.topic())) {
                            owned.get(donor).remove(slot);
                            owned.get(taker).add(slot);
                            moved = true;
                            break outer;
                        }
                    }
                }
            }
        }
    }
}
