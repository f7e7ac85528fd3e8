package io.wharf.metadata.image;

import io.wharf.metadata.record.PartitionRecord;
import java.util.List;

/**
 * One partition as the metadata says it is.
 *
 * @param replicas every replica, the preferred leader first
 * @param leader the leading broker, or {@link PartitionRecord#NO_LEADER}
 * @param addingReplicas replicas a reassignment in progress is adding
 * @param removingReplicas replicas a reassignment in progress removes
 */
public record PartitionImage(
        int partition,
        List<Integer> replicas,
        List<Integer> isr,
        int leader,
        int leaderEpoch,
        int partitionEpoch,
        List<Integer> addingReplicas,
        List<Integer> removingReplicas) {

    public PartitionImage {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
    }

    /** A partition with no reassignment in progress. */
    public PartitionImage(
            int partition, List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch, int partitionEpoch) {
        this(partition, replicas, isr, leader, leaderEpoch, partitionEpoch, List.of(), List.of());
    }

    public static PartitionImage of(PartitionRecord r) {
        return new PartitionImage(
                r.partition(),
                r.replicas(),
                r.isr(),
                r.leader(),
                r.leaderEpoch(),
                r.partitionEpoch(),
                r.addingReplicas(),
                r.removingReplicas());
    }

    public boolean hasLeader() {
        return leader != PartitionRecord.NO_LEADER;
    }

    public boolean isReassigning() {
        return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
    }

    /** The replicas a reassignment in progress ends with; the replicas themselves when none is. */
    public List<Integer> targetReplicas() {
        return replicas.stream().filter(r -> !removingReplicas.contains(r)).toList();
    }

    /** The preferred leader: the first replica. */
    public int preferredLeader() {
        return replicas.get(0);
    }
}
