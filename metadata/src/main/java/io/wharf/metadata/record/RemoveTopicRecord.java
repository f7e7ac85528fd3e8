package io.wharf.metadata.record;

import io.wharf.common.TopicId;

/** A topic was deleted, with its partitions and configs. */
public record RemoveTopicRecord(TopicId topicId) implements MetadataRecord {}
