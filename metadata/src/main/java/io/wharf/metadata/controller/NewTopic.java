package io.wharf.metadata.controller;

import java.util.List;
import java.util.Map;

/**
 * A topic to create. -1 for partitions or replication factor means the default.
 *
 * @param assignments replicas per partition index, when the caller places them itself; empty otherwise
 */
public record NewTopic(
        String name,
        int numPartitions,
        short replicationFactor,
        Map<Integer, List<Integer>> assignments,
        Map<String, String> configs) {

    public NewTopic {
        assignments = assignments == null ? Map.of() : Map.copyOf(assignments);
        configs = configs == null ? Map.of() : Map.copyOf(configs);
    }
}
