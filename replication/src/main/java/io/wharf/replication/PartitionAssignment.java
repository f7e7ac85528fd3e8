package io.wharf.replication;

import java.util.List;

/**
 * What the metadata says about a partition, as this broker's replica of it acts on it.
 *
 * @param leader the leading broker, or -1 while there is none
 * @param leaderEpoch increases with every change of leader
 * @param partitionEpoch increases with every change of the partition's metadata (an ISR change must name it)
 * @param replicas every replica, the preferred leader first
 * @param isr the in-sync replicas
 */
public record PartitionAssignment(
        int leader, int leaderEpoch, int partitionEpoch, List<Integer> replicas, List<Integer> isr) {

    public static final int NO_LEADER = -1;

    public PartitionAssignment {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }

    public boolean isLeader(int brokerId) {
        return leader == brokerId;
    }
}
