package io.wharf.metadata.record;

import io.wharf.common.TopicId;

/** A topic was created: its name and id. Its partitions follow as {@link PartitionRecord}s. */
public record TopicRecord(String name, TopicId topicId) implements MetadataRecord {}
