package io.wharf.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Placement spreads leaders evenly, never puts two replicas of a partition on one broker, and spreads racks. */
class ReplicaPlacementTest {

    private static Map<Integer, String> brokers(int count, int racks) {
        Map<Integer, String> brokers = new LinkedHashMap<>();
        for (int id = 1; id <= count; id++) {
            brokers.put(id, racks == 0 ? null : "rack-" + (id % racks));
        }
        return brokers;
    }

    @Property(tries = 300)
    void replicasAreDistinctAndLeadersEven(
            @ForAll @IntRange(min = 1, max = 9) int brokerCount,
            @ForAll @IntRange(min = 1, max = 60) int partitions,
            @ForAll @IntRange(min = 1, max = 9) int factorWanted,
            @ForAll @IntRange(min = 0, max = 3) int racks,
            @ForAll int seed) {
        int factor = Math.min(factorWanted, brokerCount);
        List<List<Integer>> placed = ReplicaPlacement.place(brokers(brokerCount, racks), partitions, factor, seed);
        assertThat(placed).hasSize(partitions);
        Map<Integer, Integer> leaders = new HashMap<>();
        for (List<Integer> replicas : placed) {
            assertThat(replicas).hasSize(factor).doesNotHaveDuplicates();
            assertThat(replicas).allMatch(b -> b >= 1 && b <= brokerCount);
            leaders.merge(replicas.get(0), 1, Integer::sum);
        }
        int most = leaders.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int least = brokerCount > partitions
                ? 0
                : leaders.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        assertThat(most - least).as("leaders per broker %s", leaders).isLessThanOrEqualTo(1);
    }

    @Property(tries = 200)
    void everyPartitionSpansAsManyRacksAsItCan(
            @ForAll @IntRange(min = 2, max = 9) int brokerCount,
            @ForAll @IntRange(min = 2, max = 3) int racks,
            @ForAll @IntRange(min = 1, max = 4) int factorWanted,
            @ForAll int seed) {
        int factor = Math.min(factorWanted, brokerCount);
        Map<Integer, String> brokers = brokers(brokerCount, racks);
        int distinctRacks = (int) brokers.values().stream().distinct().count();
        for (List<Integer> replicas : ReplicaPlacement.place(brokers, 30, factor, seed)) {
            Set<String> used = new HashSet<>();
            replicas.forEach(b -> used.add(brokers.get(b)));
            assertThat(used).hasSize(Math.min(factor, distinctRacks));
        }
    }

    @Test
    void threeBrokersThreeReplicasPutEveryBrokerInEveryPartition() {
        List<List<Integer>> placed = ReplicaPlacement.place(brokers(3, 0), 6, 3, 0);
        assertThat(placed).allMatch(r -> new HashSet<>(r).equals(Set.of(1, 2, 3)));
        assertThat(placed.stream().map(r -> r.get(0)).toList()).containsExactly(1, 2, 3, 1, 2, 3);
    }
}
