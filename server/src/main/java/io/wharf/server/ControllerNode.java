package io.wharf.server;

import io.wharf.common.Clock;
import io.wharf.common.TopicId;
import io.wharf.server.cluster.MetadataNode;
import io.wharf.server.config.BrokerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node with the controller role only ({@code process.roles=controller}): a voter of the metadata quorum, the active
 * controller while it leads, serving the brokers' forwarded changes and image fetches on its CONTROLLER listener. It
 * hosts no partitions and has no client listener.
 */
public final class ControllerNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControllerNode.class);

    private final DataDirLock lock;
    private final MetadataNode metadata;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    private ControllerNode(DataDirLock lock, MetadataNode metadata) {
        this.lock = lock;
        this.metadata = metadata;
    }

    /** Starts the node's member of the quorum. */
    public static ControllerNode start(BrokerConfig config) throws IOException {
        Files.createDirectories(config.dataDir());
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        MetadataNode metadata = null;
        try {
            MetaProperties meta = MetaProperties.load(config.dataDir(), config.nodeId());
            String proposed = meta.clusterId() != null
                    ? meta.clusterId()
                    : TopicId.random().toString();
            metadata = MetadataNode.open(config, Clock.system(), () -> proposed);
            metadata.start();
            ControllerNode node = new ControllerNode(lock, metadata);
            metadata.publisher()
                    .subscribe((previous, current) -> current.clusterId().ifPresent(id -> {
                        if (meta.clusterId() == null && previous.clusterId().isEmpty()) {
                            try {
                                MetaProperties.store(config.dataDir(), new MetaProperties(id, config.nodeId()));
                            } catch (IOException e) {
                                log.error("Cannot record the cluster id in {}", config.dataDir(), e);
                            }
                        } else if (meta.clusterId() != null && !meta.clusterId().equals(id)) {
                            log.error(
                                    "The data directory {} belongs to cluster {}, but the quorum is cluster {}; stopping",
                                    config.dataDir(),
                                    meta.clusterId(),
                                    id);
                            new Thread(node::close, "wharf-fatal-stop").start();
                        }
                    }));
            log.info(
                    "Wharf {} controller {} started (voters {})",
                    Version.current(),
                    config.nodeId(),
                    config.cluster().voters());
            return node;
        } catch (IOException | RuntimeException e) {
            if (metadata != null) {
                metadata.close();
            }
            lock.close();
            throw e;
        }
    }

    public MetadataNode metadata() {
        return metadata;
    }

    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    @Override
    public synchronized void close() {
        if (stopped.isDone()) {
            return;
        }
        metadata.close();
        try {
            lock.close();
        } catch (IOException e) {
            log.warn("Releasing the lock on the data directory failed", e);
        }
        stopped.complete(null);
    }
}
