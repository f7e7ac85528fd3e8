package io.wharf.metadata.image;

import io.wharf.common.TopicId;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** One topic: name, id and partitions by index. Immutable. */
public record TopicImage(String name, TopicId id, SortedMap<Integer, PartitionImage> partitions) {

    public TopicImage {
        partitions = Collections.unmodifiableSortedMap(new TreeMap<>(partitions));
    }

    public int partitionCount() {
        return partitions.size();
    }

    TopicImage withPartition(PartitionImage partition) {
        TreeMap<Integer, PartitionImage> updated = new TreeMap<>(partitions);
        updated.put(partition.partition(), partition);
        return new TopicImage(name, id, updated);
    }
}
