package io.wharf.server.cluster;

import io.wharf.common.Clock;
import io.wharf.metadata.LocalMetadataLog;
import io.wharf.metadata.MetadataLog;
import io.wharf.metadata.MetadataPublisher;
import io.wharf.metadata.RemoteMetadataLog;
import io.wharf.metadata.controller.Controller;
import io.wharf.metadata.controller.ControllerService;
import io.wharf.metadata.controller.ControllerSettings;
import io.wharf.metadata.controller.ControllerTransport;
import io.wharf.metadata.controller.LocalViewController;
import io.wharf.metadata.controller.QuorumController;
import io.wharf.metadata.controller.RemoteController;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.raft.QuorumClient;
import io.wharf.metadata.raft.QuorumConfig;
import io.wharf.metadata.raft.RaftMetadataLog;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.ClusterConfigs;
import io.wharf.server.config.ClusterSettings;
import io.wharf.server.config.TopicConfigs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in the cluster's metadata: the metadata log (a local file for a single node, this controller's
 * member of the Ratis quorum in a cluster), the controller that runs here while this node leads the log, the
 * publisher that hands images to the broker's side, and the {@link Controller} the broker asks for changes, which
 * reaches whichever node is the active controller and answers once this node's image has caught up.
 *
 * <p>Threads: the log applies records on its own thread and hands the images to the publisher; everything else is
 * thread-safe.
 */
public final class MetadataNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetadataNode.class);

    private final MetadataLog metadataLog;
    private final QuorumController controller;
    private final MetadataPublisher publisher;
    private final Controller client;
    private final Controller lifecycleClient;
    private final Deque<AutoCloseable> closeables;

    private MetadataNode(
            MetadataLog metadataLog,
            QuorumController controller,
            MetadataPublisher publisher,
            Controller client,
            Controller lifecycleClient,
            Deque<AutoCloseable> closeables) {
        this.metadataLog = metadataLog;
        this.controller = controller;
        this.publisher = publisher;
        this.client = client;
        this.lifecycleClient = lifecycleClient;
        this.closeables = closeables;
    }

    /**
     * Opens the metadata log this node's settings call for, without starting it.
     *
     * @param proposedClusterId the cluster id to write if this node is the first controller to find none
     */
    public static MetadataNode open(BrokerConfig config, Clock clock, Supplier<String> proposedClusterId)
            throws IOException {
        ClusterSettings cluster = config.cluster();
        Deque<AutoCloseable> closeables = new ArrayDeque<>();
        try {
            MetadataPublisher publisher = new MetadataPublisher("wharf-metadata-publisher");
            closeables.push(publisher);
            MetadataLog metadataLog;
            ControllerTransport transport;
            QuorumController controller = null;
            ControllerSettings settings = controllerSettings(config);
            if (!cluster.clustered()) {
                LocalMetadataLog local = LocalMetadataLog.open(
                        config.metadataDir(), config.nodeId(), config.get(ClusterConfigs.METADATA_SNAPSHOT_BYTES));
                closeables.push(local);
                metadataLog = local;
                controller =
                        new QuorumController(local, settings, new ServerConfigRules(config), clock, proposedClusterId);
                closeables.push(controller);
                ControllerService service = new ControllerService(controller, local);
                closeables.push(service::close);
                transport = (request, node) -> service.handle(ByteBuffer.wrap(request));
            } else if (!cluster.controller()) {
                // A broker that is not a controller follows the quorum's image from its leader.
                QuorumClient quorumClient = new QuorumClient(quorumConfig(config, cluster));
                closeables.push(quorumClient);
                transport = quorumClient::ask;
                RemoteMetadataLog remoteLog = new RemoteMetadataLog(config.nodeId(), transport);
                closeables.push(remoteLog);
                metadataLog = remoteLog;
            } else {
                QuorumConfig quorum = quorumConfig(config, cluster);
                QuorumClient quorumClient = new QuorumClient(quorum);
                closeables.push(quorumClient);
                RaftMetadataLog raft = RaftMetadataLog.open(quorum);
                closeables.push(raft);
                metadataLog = raft;
                controller =
                        new QuorumController(raft, settings, new ServerConfigRules(config), clock, proposedClusterId);
                closeables.push(controller);
                ControllerService service = new ControllerService(controller, raft);
                closeables.push(service::close);
                raft.setQueryHandler(service.asHandler());
                // A controller knows who leads the quorum: send there rather than wherever the client last saw one.
                transport = (request, node) -> quorumClient.ask(
                        request, node >= 0 ? node : raft.leader().leaderId());
            }
            RemoteController remote =
                    new RemoteController(transport, config.get(ClusterConfigs.CONTROLLER_REQUEST_TIMEOUT_MS));
            closeables.push(remote);
            Controller client = new LocalViewController(
                    remote, publisher, config.get(ClusterConfigs.CONTROLLER_REQUEST_TIMEOUT_MS));
            // Registrations and heartbeats are tried again by the lifecycle, so one attempt must not outlast a
            // third of a session.
            RemoteController lifecycle =
                    new RemoteController(transport, config.get(ClusterConfigs.BROKER_SESSION_TIMEOUT_MS) / 3);
            closeables.push(lifecycle);
            return new MetadataNode(metadataLog, controller, publisher, client, lifecycle, closeables);
        } catch (IOException | RuntimeException e) {
            closeAll(closeables, e);
            throw e;
        }
    }

    static QuorumConfig quorumConfig(BrokerConfig config, ClusterSettings cluster) {
        return new QuorumConfig(
                cluster.voters(),
                config.nodeId(),
                config.metadataDir(),
                config.get(ClusterConfigs.CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS),
                config.get(ClusterConfigs.CONTROLLER_QUORUM_REQUEST_TIMEOUT_MS),
                config.get(ClusterConfigs.METADATA_SNAPSHOT_BYTES),
                config.get(ClusterConfigs.METADATA_LOG_SEGMENT_BYTES));
    }

    private static ControllerSettings controllerSettings(BrokerConfig config) {
        return new ControllerSettings(
                config.get(BrokerConfig.NUM_PARTITIONS),
                config.get(BrokerConfig.DEFAULT_REPLICATION_FACTOR).shortValue(),
                config.get(BrokerConfig.DELETE_TOPIC_ENABLE),
                config.get(BrokerConfig.PARTITIONS_PER_TOPIC_MAX),
                config.get(BrokerConfig.PARTITIONS_MAX),
                config.get(ClusterConfigs.BROKER_SESSION_TIMEOUT_MS),
                config.get(ClusterConfigs.AUTO_LEADER_REBALANCE_ENABLE)
                        ? config.get(ClusterConfigs.LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS) * 1000
                        : 0,
                config.get(ClusterConfigs.LEADER_IMBALANCE_PER_BROKER_PERCENTAGE),
                config.get(TopicConfigs.BROKER_UNCLEAN_LEADER_ELECTION_ENABLE),
                config.get(ClusterConfigs.BROKER_PROBE_AFTER_MS));
    }

    /** Starts the log: replays what it holds, and from then on publishes every image and leadership change. */
    public void start() throws IOException {
        metadataLog.start(new MetadataLog.Listener() {
            @Override
            public void onImage(MetadataImage previous, MetadataImage current) {
                publisher.publish(current);
            }

            @Override
            public void onLeader(MetadataLog.LeaderAndEpoch leader) {
                if (controller != null) {
                    controller.onLeader(leader);
                }
            }
        });
    }

    /** Completes once this node's image has caught up with the log as it was at start (a replayed local log). */
    public CompletableFuture<Void> awaitReplayed() {
        return publisher.awaitOffset(metadataLog.image().offset());
    }

    public MetadataLog log() {
        return metadataLog;
    }

    public MetadataPublisher publisher() {
        return publisher;
    }

    /** What the broker asks for changes: the active controller, wherever it runs. */
    public Controller controller() {
        return client;
    }

    /** The controller as registrations and heartbeats reach it: each attempt short, since they are repeated. */
    public Controller lifecycleController() {
        return lifecycleClient;
    }

    /** The controller of this node, when it has the controller role. */
    public Optional<QuorumController> localController() {
        return Optional.ofNullable(controller);
    }

    @Override
    public void close() {
        closeAll(closeables, null);
    }

    private static void closeAll(Deque<AutoCloseable> closeables, Exception failure) {
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    log.warn("Closing the metadata node failed", e);
                }
            }
        }
    }
}
