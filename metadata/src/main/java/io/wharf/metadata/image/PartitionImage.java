package io.wharf.metadata.image;

import java.util.List;

/** One partition as the metadata says it is. */
public record PartitionImage(
        int partition, List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch, int partitionEpoch) {}
