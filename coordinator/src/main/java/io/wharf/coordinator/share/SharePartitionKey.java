package io.wharf.coordinator.share;

import io.wharf.common.TopicId;

/** One share-partition: a topic partition as one share group consumes it. */
public record SharePartitionKey(String groupId, TopicId topicId, int partition) {

    @Override
    public String toString() {
        return groupId + ":" + topicId + ":" + partition;
    }
}
