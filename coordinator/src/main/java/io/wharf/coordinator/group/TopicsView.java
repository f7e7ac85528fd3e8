package io.wharf.coordinator.group;

import io.wharf.common.TopicId;
import java.util.Collection;
import java.util.Optional;

/**
 * The topics the cluster has, as the group coordinator needs them (KIP-848 assignment works on topic ids and
 * partition counts). The broker implements it over its metadata image.
 */
public interface TopicsView {

    /** A topic's name, id and partition count. */
    record TopicInfo(String name, TopicId id, int partitions) {}

    Optional<TopicInfo> topic(String name);

    Optional<TopicInfo> topic(TopicId id);

    /** Every topic that clients may subscribe to (internal topics excluded). */
    Collection<TopicInfo> all();
}
