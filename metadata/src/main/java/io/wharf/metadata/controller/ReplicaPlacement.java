package io.wharf.metadata.controller;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the replicas of new partitions go. Pure: the same brokers and seed give the same placement.
 *
 * <p>Without racks, partition {@code p}'s first replica (its preferred leader) is broker {@code (start + p) mod n}
 * of the brokers in id order, so leaders spread evenly; the others follow it at a distance that grows by one every
 * {@code n} partitions, so that the followers of one broker's leaders are spread too. With racks, brokers are first
 * ordered so that racks alternate, and each further replica of a partition is the next broker in that order on a rack
 * the partition has no replica on yet, until every rack has one; only then may a rack get a second. A broker without
 * a rack counts as a rack of its own.
 */
public final class ReplicaPlacement {

    private ReplicaPlacement() {}

    /**
     * @param racks the brokers to place on, by id, with their racks (null for none)
     * @param factor replicas per partition, at most the number of brokers
     * @param seed chooses where the first partition starts (callers use the topic's name and partition count)
     */
    public static List<List<Integer>> place(Map<Integer, String> racks, int partitions, int factor, int seed) {
        if (factor > racks.size() || factor <= 0) {
            throw new IllegalArgumentException(factor + " replicas do not fit on " + racks.size() + " brokers");
        }
        boolean rackAware = racks.values().stream().anyMatch(r -> r != null);
        List<Integer> order = rackAware ? rackAlternating(racks) : new ArrayList<>(new TreeMap<>(racks).keySet());
        int n = order.size();
        int start = Math.floorMod(seed, n);
        int shift = Math.floorMod(seed / Math.max(1, n), Math.max(1, n));
        List<List<Integer>> placed = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            if (p > 0 && p % n == 0) {
                shift++;
            }
            int first = (start + p) % n;
            placed.add(
                    rackAware
                            ? rackAwareReplicas(order, racks, first, factor)
                            : shiftedReplicas(order, first, shift, factor));
        }
        return placed;
    }

    private static List<Integer> shiftedReplicas(List<Integer> order, int first, int shift, int factor) {
        int n = order.size();
        List<Integer> replicas = new ArrayList<>(factor);
        replicas.add(order.get(first));
        for (int j = 0; j < factor - 1; j++) {
            replicas.add(order.get((first + 1 + (shift + j) % (n - 1)) % n));
        }
        return replicas;
    }

    private static List<Integer> rackAwareReplicas(
            List<Integer> order, Map<Integer, String> racks, int first, int factor) {
        int n = order.size();
        List<Integer> replicas = new ArrayList<>(factor);
        Set<String> racksUsed = new LinkedHashSet<>();
        replicas.add(order.get(first));
        racksUsed.add(rackOf(racks, order.get(first)));
        int distinctRacks =
                (int) order.stream().map(b -> rackOf(racks, b)).distinct().count();
        for (int step = 1; replicas.size() < factor && step < 2 * n; step++) {
            int broker = order.get((first + step) % n);
            if (replicas.contains(broker)) {
                continue;
            }
            String rack = rackOf(racks, broker);
            boolean everyRackUsed = racksUsed.size() == distinctRacks;
            if (everyRackUsed || !racksUsed.contains(rack)) {
                replicas.add(broker);
                racksUsed.add(rack);
            }
        }
        return replicas;
    }

    private static String rackOf(Map<Integer, String> racks, int broker) {
        String rack = racks.get(broker);
        return rack == null ? "\u0000broker-" + broker : rack;
    }

    /** Brokers ordered rack by rack in turn: the first broker of each rack (by id), then the second of each, ... */
    static List<Integer> rackAlternating(Map<Integer, String> racks) {
        Map<String, List<Integer>> byRack = new LinkedHashMap<>();
        new TreeMap<>(racks)
                .forEach((broker, rack) -> byRack.computeIfAbsent(rackOf(racks, broker), r -> new ArrayList<>())
                        .add(broker));
        Map<String, List<Integer>> sortedRacks = new TreeMap<>(byRack);
        List<Integer> order = new ArrayList<>();
        for (int round = 0; order.size() < racks.size(); round++) {
            for (List<Integer> brokers : sortedRacks.values()) {
                if (round < brokers.size()) {
                    order.add(brokers.get(round));
                }
            }
        }
        return order;
    }
}
