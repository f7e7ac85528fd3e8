package io.wharf.metadata.record;

import io.wharf.common.TopicId;
import java.util.List;

/**
 * The full state of one partition, replacing whatever was known before: its replicas, in-sync replicas, leader and
 * epochs.
 *
 * @param leaderEpoch increases whenever the leader changes
 * @param partitionEpoch increases on every change of this partition's record
 */
public record PartitionRecord(
        TopicId topicId,
        int partition,
        List<Integer> replicas,
        List<Integer> isr,
        int leader,
        int leaderEpoch,
        int partitionEpoch)
        implements MetadataRecord {

    public PartitionRecord {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
