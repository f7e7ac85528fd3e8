package io.wharf.server.handler;

import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.record.PartitionRecord;
import java.util.List;

/** How a partition's metadata is shown to clients; one place for what Metadata and DescribeTopicPartitions say. */
final class PartitionViews {

    private PartitionViews() {}

    /**
     * The leader clients should send to: the partition's leader while its broker is registered and not fenced, else
     * none (-1, LEADER_NOT_AVAILABLE), since a fenced broker answers nothing as leader.
     */
    static int servingLeader(MetadataImage image, PartitionImage partition) {
        int leader = partition.leader();
        if (leader == PartitionRecord.NO_LEADER) {
            return PartitionRecord.NO_LEADER;
        }
        return image.broker(leader).filter(b -> !b.isFenced()).isPresent() ? leader : PartitionRecord.NO_LEADER;
    }

    /** The replicas on brokers that are not active (fenced, shutting down, or not registered). */
    static List<Integer> offlineReplicas(MetadataImage image, PartitionImage partition) {
        return partition.replicas().stream().filter(r -> !image.isActive(r)).toList();
    }
}
