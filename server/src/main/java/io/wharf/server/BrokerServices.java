package io.wharf.server;

import io.wharf.common.Clock;
import io.wharf.metadata.MetadataController;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.group.GroupCoordinatorManager;
import io.wharf.server.partition.ReplicaManager;
import io.wharf.storage.LogManager;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What request handlers work with: the broker's settings and identity, the metadata controller, the hosted partitions
 * and logs, and a scheduler for delayed work.
 *
 * @param scheduler runs timeouts of delayed operations (long-poll fetches, produce waits)
 * @param groups the group coordinator, brought up when the first group needs it
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
        GroupCoordinatorManager groups) {

    public int nodeId() {
        return config.nodeId();
    }
}
