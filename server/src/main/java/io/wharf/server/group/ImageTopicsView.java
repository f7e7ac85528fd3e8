package io.wharf.server.group;

import io.wharf.common.TopicId;
import io.wharf.coordinator.group.TopicsView;
import io.wharf.metadata.image.TopicImage;
import io.wharf.server.handler.Topics;
import io.wharf.server.partition.ReplicaManager;
import java.util.Collection;
import java.util.Optional;

/** The coordinator's view of topics: the current metadata image, without the internal topics. */
final class ImageTopicsView implements TopicsView {

    private final ReplicaManager replicas;

    ImageTopicsView(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    private static TopicInfo info(TopicImage topic) {
        return new TopicInfo(topic.name(), topic.id(), topic.partitionCount());
    }

    @Override
    public Optional<TopicInfo> topic(String name) {
        return replicas.image().topic(name).map(ImageTopicsView::info);
    }

    @Override
    public Optional<TopicInfo> topic(TopicId id) {
        return replicas.image().topic(id).map(ImageTopicsView::info);
    }

    @Override
    public Collection<TopicInfo> all() {
        return replicas.image().topics().values().stream()
                .filter(t -> !Topics.isInternal(t.name()))
                .map(ImageTopicsView::info)
                .toList();
    }
}
