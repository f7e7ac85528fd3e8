package io.wharf.metadata.controller;

import io.wharf.common.TopicId;
import io.wharf.metadata.MetadataError;

/** The outcome for one topic; {@code error} is null on success. */
public record TopicResult(
        String name, TopicId topicId, int numPartitions, int replicationFactor, MetadataError error, String message) {

    static TopicResult failed(String name, MetadataError error, String message) {
        return new TopicResult(name, TopicId.ZERO, -1, -1, error, message);
    }

    public boolean isSuccess() {
        return error == null;
    }
}
