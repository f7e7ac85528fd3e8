package io.wharf.replication;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The replicas of a topic whose replication is throttled, as the topic settings {@code
 * leader.replication.throttled.replicas} and {@code follower.replication.throttled.replicas} name them: {@code *} for
 * every replica, or {@code partition:broker} entries (what {@code kafka-reassign-partitions.sh --throttle} writes:
 * the current replicas of a moving partition on the leader side, the new ones on the follower side).
 */
public final class ThrottledReplicas {

    public static final ThrottledReplicas NONE = new ThrottledReplicas(false, Set.of());

    private final boolean all;
    /** partition in the high 32 bits, broker in the low. */
    private final Set<Long> replicas;

    private ThrottledReplicas(boolean all, Set<Long> replicas) {
        this.all = all;
        this.replicas = replicas;
    }

    /** Whether {@code entries} is a valid value: empty, {@code *} alone, or {@code partition:broker} entries. */
    public static boolean isValid(List<String> entries) {
        if (entries.size() == 1 && entries.get(0).trim().equals("*")) {
            return true;
        }
        for (String entry : entries) {
            if (!entry.trim().matches("\\d{1,9}:\\d{1,9}")) {
                return false;
            }
        }
        return true;
    }

    /**
     * @throws IllegalArgumentException when {@code entries} is not {@link #isValid valid}
     */
    public static ThrottledReplicas parse(List<String> entries) {
        if (!isValid(entries)) {
            throw new IllegalArgumentException("not '*' or partition:broker entries: " + entries);
        }
        if (entries.isEmpty()) {
            return NONE;
        }
        if (entries.get(0).trim().equals("*")) {
            return new ThrottledReplicas(true, Set.of());
        }
        Set<Long> replicas = new HashSet<>();
        for (String entry : entries) {
            String[] parts = entry.trim().split(":");
            replicas.add(key(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
        }
        return new ThrottledReplicas(false, Set.copyOf(replicas));
    }

    public boolean contains(int partition, int broker) {
        return all || replicas.contains(key(partition, broker));
    }

    public boolean isEmpty() {
        return !all && replicas.isEmpty();
    }

    private static long key(int partition, int broker) {
        return ((long) partition << 32) | (broker & 0xffffffffL);
    }
}
