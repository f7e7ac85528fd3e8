package io.wharf.metadata.record;

import io.wharf.common.TopicId;
import java.util.List;

/**
 * The full state of one partition, replacing whatever was known before: its replicas, in-sync replicas, leader and
 * epochs, and a reassignment in progress.
 *
 * @param replicas every replica, the preferred leader first; during a reassignment the union of the old and the new
 *     replicas
 * @param leader the leading broker, or {@link #NO_LEADER}
 * @param leaderEpoch increases whenever the leader changes
 * @param partitionEpoch increases on every change of this partition's record
 * @param addingReplicas replicas a reassignment is adding (not yet in the ISR of the target)
 * @param removingReplicas replicas a reassignment removes once the adding ones are in sync
 */
public record PartitionRecord(
        TopicId topicId,
        int partition,
        List<Integer> replicas,
        List<Integer> isr,
        int leader,
        int leaderEpoch,
        int partitionEpoch,
        List<Integer> addingReplicas,
        List<Integer> removingReplicas)
        implements MetadataRecord {

    /** The leader of a partition that has none (no in-sync replica is alive). */
    public static final int NO_LEADER = -1;

    public PartitionRecord {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
    }

    /** A partition with no reassignment in progress. */
    public PartitionRecord(
            TopicId topicId,
            int partition,
            List<Integer> replicas,
            List<Integer> isr,
            int leader,
            int leaderEpoch,
            int partitionEpoch) {
        this(topicId, partition, replicas, isr, leader, leaderEpoch, partitionEpoch, List.of(), List.of());
    }
}
