package io.wharf.server;

import io.wharf.common.Clock;
import io.wharf.common.timer.DelayTimer;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.coordinator.share.SharePartitionManager;
import io.wharf.coordinator.txn.TransactionCoordinator;
import io.wharf.metadata.controller.Controller;
import io.wharf.server.cluster.BrokerLifecycle;
import io.wharf.server.cluster.MetadataNode;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.group.CoordinatorManager;
import io.wharf.server.partition.ReplicaManager;
import io.wharf.server.share.ShareGroupStates;
import io.wharf.server.share.ShareMembership;
import io.wharf.server.share.ShareSessions;
import io.wharf.server.txn.MarkerAppender;
import io.wharf.server.txn.TransactionVerifier;
import io.wharf.storage.LogManager;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What request handlers work with: the broker's settings and identity, the metadata controller, the hosted partitions
 * and logs, and a scheduler for delayed work.
 *
 * @param localClusterId the cluster id this node's data directory records (null before a new node of a cluster has
 *     learnt it)
 * @param controller the active controller, wherever it runs; answers once this node's metadata has caught up
 * @param metadata this node's metadata log and quorum
 * @param lifecycle this broker's registration with the controller
 * @param scheduler runs periodic background work
 * @param timer runs the timeouts of delayed operations (long-poll fetches, produce waits) on the broker's clock
 * @param groups the group coordinator, brought up when the first group needs it
 * @param shares the share coordinator (share-partition state), brought up when the first share group needs it
 * @param shareSessions the share sessions of share consumers fetching from this broker
 * @param sharePartitions the share-partitions of the data partitions this broker leads
 * @param shareMembership what the group coordinators say of share group members
 * @param shareGroupStates what the group coordinator does to its share groups' share-partitions
 * @param transactions the transaction coordinator, brought up when the first transactional producer needs it
 * @param transactionVerifier asks the transaction coordinator whether a transactional produce is in its transaction
 * @param markers writes transaction markers into the partitions this broker leads
 */
public record BrokerServices(
        BrokerConfig config,
        String localClusterId,
        Clock clock,
        Controller controller,
        MetadataNode metadata,
        BrokerLifecycle lifecycle,
        ReplicaManager replicas,
        LogManager logManager,
        ProducerIdManager producerIds,
        ScheduledExecutorService scheduler,
        DelayTimer timer,
        CoordinatorManager<GroupCoordinator> groups,
        CoordinatorManager<ShareCoordinator> shares,
        ShareSessions shareSessions,
        SharePartitionManager sharePartitions,
        ShareMembership shareMembership,
        ShareGroupStates shareGroupStates,
        CoordinatorManager<TransactionCoordinator> transactions,
        TransactionVerifier transactionVerifier,
        MarkerAppender markers) {

    public int nodeId() {
        return config.nodeId();
    }

    /** The cluster's id as the metadata says, else as the data directory records it. */
    public String clusterId() {
        return replicas.image().clusterId().orElse(localClusterId);
    }

    /**
     * The node to name as the controller in Metadata and DescribeCluster responses: clients send admin requests
     * there, so it must be a broker they can reach. The quorum's leader when it is an active broker, else this one
     * (which forwards).
     */
    public int controllerId() {
        int leader = metadata.log().leader().leaderId();
        return replicas.image().isActive(leader) ? leader : nodeId();
    }
}
