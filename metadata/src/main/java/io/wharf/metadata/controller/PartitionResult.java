package io.wharf.metadata.controller;

import io.wharf.metadata.MetadataError;

/** The outcome of a change to one partition; {@code error} is null on success. */
public record PartitionResult(String topic, int partition, MetadataError error, String message) {

    static PartitionResult ok(String topic, int partition) {
        return new PartitionResult(topic, partition, null, null);
    }

    public boolean isSuccess() {
        return error == null;
    }
}
