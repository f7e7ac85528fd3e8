package io.wharf.server.share;

import io.wharf.common.TopicId;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.server.group.CoordinatorManager;
import io.wharf.server.partition.ReplicaManager;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Forgets the share-partitions of deleted topics: when a new image no longer has a topic the one before had, every
 * share coordinator shard on this broker deletes that topic's share-partitions. Every {@code __share_group_state}
 * partition is served by its leader, which sees the same images, so every shard forgets them; a topic created again
 * under the same name has a new id, so its share groups start afresh either way. Images arrive on the replica
 * manager's thread, one at a time.
 */
public final class ShareStateCleaner implements ReplicaManager.Listener {

    private final CoordinatorManager<ShareCoordinator> shares;
    private Set<TopicId> known;

    public ShareStateCleaner(CoordinatorManager<ShareCoordinator> shares) {
        this.shares = shares;
    }

    @Override
    public void onReplicasChanged(MetadataImage image) {
        Set<TopicId> now = image.topics().values().stream().map(TopicImage::id).collect(Collectors.toSet());
        Set<TopicId> deleted = new HashSet<>();
        if (known != null) {
            deleted.addAll(known);
            deleted.removeAll(now);
        }
        known = now;
        if (!deleted.isEmpty()) {
            shares.loaded().ifPresent(coordinator -> coordinator.forgetTopics(deleted::contains));
        }
    }
}
