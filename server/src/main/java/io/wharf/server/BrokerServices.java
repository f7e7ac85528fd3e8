package io.wharf.server;

import io.wharf.common.Clock;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.metadata.MetadataController;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.group.CoordinatorManager;
import io.wharf.server.partition.ReplicaManager;
import io.wharf.server.share.ShareSessions;
import io.wharf.storage.LogManager;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What request handlers work with: the broker's settings and identity, the metadata controller, the hosted partitions
 * and logs, and a scheduler for delayed work.
 *
 * @param scheduler runs timeouts of delayed operations (long-poll fetches, produce waits)
 * @param groups the group coordinator, brought up when the first group needs it
 * @param shares the share coordinator (share-partition state), brought up when the first share group needs it
 * @param shareSessions the share sessions of share consumers fetching from this broker
 */
public record BrokerServices(
        BrokerConfig config,
        String clusterId,
        Clock clock,
        MetadataController controller,
        ReplicaManager replicas,
        LogManager logManager,
        ProducerIdManager producerIds,
        ScheduledExecutorService scheduler,
        CoordinatorManager<GroupCoordinator> groups,
        CoordinatorManager<ShareCoordinator> shares,
        ShareSessions shareSessions) {

    public int nodeId() {
        return config.nodeId();
    }
}
