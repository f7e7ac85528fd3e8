package io.wharf.metadata.controller;

import java.util.List;

/**
 * A change of a partition's replicas (AlterPartitionReassignments): move it to {@code target}, or cancel the
 * reassignment in progress when {@code target} is null.
 */
public record Reassignment(String topic, int partition, List<Integer> target) {

    public Reassignment {
        target = target == null ? null : List.copyOf(target);
    }
}
