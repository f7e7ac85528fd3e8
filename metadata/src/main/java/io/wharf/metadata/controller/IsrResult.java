package io.wharf.metadata.controller;

import io.wharf.common.TopicId;
import io.wharf.metadata.MetadataError;

/**
 * The controller's answer to one partition's ISR change in a batch: taken, with the partition epoch the partition has
 * now (the one the leader's next change must start from), or refused on its own with {@code error} (null on success).
 */
public record IsrResult(TopicId topicId, int partition, int partitionEpoch, MetadataError error, String message) {

    static IsrResult accepted(IsrChange change, int partitionEpoch) {
        return new IsrResult(change.topicId(), change.partition(), partitionEpoch, null, null);
    }

    static IsrResult refused(IsrChange change, MetadataError error, String message) {
        return new IsrResult(change.topicId(), change.partition(), -1, error, message);
    }

    public boolean isSuccess() {
        return error == null;
    }
}
