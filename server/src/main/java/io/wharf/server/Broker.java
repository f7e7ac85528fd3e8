package io.wharf.server;

import io.wharf.common.Clock;
import io.wharf.common.Endpoint;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.coordinator.group.ShareGroupSettings;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.metadata.LocalMetadataLog;
import io.wharf.metadata.MetadataController;
import io.wharf.metadata.record.BrokerRecord;
import io.wharf.network.NetworkConfig;
import io.wharf.network.NetworkServer;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.ConfigResolver;
import io.wharf.server.group.CoordinatorManager;
import io.wharf.server.group.Coordinators;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.HandlerRegistry;
import io.wharf.server.handler.Handlers;
import io.wharf.server.handler.RequestDispatcher;
import io.wharf.server.partition.ReplicaManager;
import io.wharf.server.share.DeadLetterWriter;
import io.wharf.server.share.ImageShareConfigs;
import io.wharf.server.share.PartitionShareLog;
import io.wharf.server.share.ShareSessions;
import io.wharf.storage.LogManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Wharf broker: storage, the metadata controller, the hosted partitions, the request handlers and the network
 * server, started in that order and stopped in reverse.
 *
 * <pre>
 * data directory
 *   meta.properties                     cluster id and node id ({@link MetaProperties})
 *   __cluster_metadata/metadata.log     the metadata log ({@link LocalMetadataLog})
 *   topic-0/ …                          partition logs ({@link LogManager})
 * </pre>
 *
 * <p>Stopping is graceful: the listeners close first, requests already read are answered (up to
 * {@code wharf.shutdown.timeout.ms}), then every log is flushed and marked cleanly closed.
 */
public final class Broker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    /** The directory of the metadata log under the data directory. */
    public static final String METADATA_DIR = "__cluster_metadata";

    private final BrokerConfig config;
    private final MetadataController controller;
    private final LogManager logManager;
    private final ExecutorService requestThreads;
    private final ScheduledExecutorService scheduler;
    private final NetworkServer network;
    private final DataDirLock dirLock;
    private final BrokerServices services;
    private final List<Endpoint> advertised;
    private volatile boolean closed;

    private Broker(
            BrokerConfig config,
            DataDirLock dirLock,
            MetadataController controller,
            LogManager logManager,
            ExecutorService requestThreads,
            ScheduledExecutorService scheduler,
            NetworkServer network,
            BrokerServices services,
            List<Endpoint> advertised) {
        this.config = config;
        this.dirLock = dirLock;
        this.controller = controller;
        this.logManager = logManager;
        this.requestThreads = requestThreads;
        this.scheduler = scheduler;
        this.network = network;
        this.services = services;
        this.advertised = advertised;
    }

    /** Starts a broker and returns once it accepts connections. */
    public static Broker start(BrokerConfig config) throws IOException, InterruptedException {
        return start(config, Clock.system());
    }

    public static Broker start(BrokerConfig config, Clock clock) throws IOException, InterruptedException {
        long startedNanos = System.nanoTime();
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        // What is open so far, closed in reverse if a later step fails (a taken port, an unreadable log), so that a
        // failed start leaves no threads running and no files open.
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        DataDirLock dirLock = DataDirLock.acquire(dataDir);
        opened.push(dirLock);
        try {
            MetaProperties meta = MetaProperties.loadOrCreate(dataDir, config.nodeId());
            return start(config, clock, meta, dirLock, opened, startedNanos);
        } catch (IOException | InterruptedException | RuntimeException e) {
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static Broker start(
            BrokerConfig config,
            Clock clock,
            MetaProperties meta,
            DataDirLock dirLock,
            Deque<AutoCloseable> opened,
            long startedNanos)
            throws IOException, InterruptedException {
        Path dataDir = config.dataDir();
        MetadataController controller = MetadataController.start(
                LocalMetadataLog.open(dataDir.resolve(METADATA_DIR)),
                new MetadataController.Settings(
                        config.get(BrokerConfig.NUM_PARTITIONS),
                        config.get(BrokerConfig.DEFAULT_REPLICATION_FACTOR).shortValue(),
                        config.get(BrokerConfig.DELETE_TOPIC_ENABLE),
                        config.get(BrokerConfig.PARTITIONS_PER_TOPIC_MAX),
                        config.get(BrokerConfig.PARTITIONS_MAX)));
        opened.push(controller);
        LogManager logManager = LogManager.open(
                dataDir,
                new LogManager.Settings(
                        config.get(BrokerConfig.LOG_FLUSH_THREADS),
                        config.get(BrokerConfig.NUM_RECOVERY_THREADS),
                        config.get(BrokerConfig.LOG_RETENTION_CHECK_INTERVAL_MS),
                        config.get(BrokerConfig.HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS),
                        config.get(BrokerConfig.PRODUCER_ID_EXPIRATION_MS),
                        config.get(BrokerConfig.LOG_PREALLOCATE_BYTES),
                        config.journalSettings()),
                clock,
                tp -> new ConfigResolver(config, controller.image()).logConfig(tp.topic()));
        opened.push(logManager);
        ReplicaManager replicas = new ReplicaManager(config, logManager);
        controller.addListener(replicas).join();

        ExecutorService requestThreads =
                Executors.newFixedThreadPool(config.get(BrokerConfig.NUM_IO_THREADS), daemon("wharf-request"));
        opened.push(requestThreads::shutdownNow);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("wharf-delayed"));
        opened.push(scheduler::shutdownNow);
        Coordinators coordinators = new Coordinators(config, controller, replicas, requestThreads, scheduler, clock);
        ShareSessions shareSessions = new ShareSessions(config.get(BrokerConfig.SHARE_MAX_SHARE_SESSIONS));
        ImageShareConfigs shareConfigs = new ImageShareConfigs(config, replicas);
        CoordinatorManager<ShareCoordinator> shares = coordinators.shares(
                new PartitionShareLog(replicas, config.nodeId()),
                shareConfigs,
                new DeadLetterWriter(config, controller, replicas, requestThreads, clock));
        CoordinatorManager<GroupCoordinator> groups = coordinators.groups(new ShareGroupSettings(
                shareConfigs,
                config.get(BrokerConfig.SHARE_MAX_SIZE),
                config.get(BrokerConfig.SHARE_GROUPS_MAX),
                (groupId, memberId, graceful) -> {
                    shareSessions.memberRemoved(groupId, memberId);
                    shares.loaded().ifPresent(c -> c.releaseMember(groupId, memberId, graceful));
                }));
        opened.push(groups);
        opened.push(shares);
        groups.startIfPresent();
        shares.startIfPresent();
        BrokerServices services = new BrokerServices(
                config,
                meta.clusterId(),
                clock,
                controller,
                replicas,
                logManager,
                new ProducerIdManager(controller, config.nodeId()),
                scheduler,
                groups,
                shares,
                shareSessions);
        List<ApiHandler> handlers = Handlers.all(services, requestThreads);
        HandlerRegistry registry = new HandlerRegistry(handlers);
        NetworkServer network = new NetworkServer(
                new NetworkConfig(
                        config.listeners(),
                        config.get(BrokerConfig.SOCKET_REQUEST_MAX_BYTES),
                        config.get(BrokerConfig.CONNECTIONS_MAX_IDLE_MS),
                        config.get(BrokerConfig.MAX_IN_FLIGHT_REQUESTS),
                        config.get(BrokerConfig.QUEUED_MAX_REQUEST_BYTES),
                        config.get(BrokerConfig.NUM_NETWORK_THREADS)),
                new RequestDispatcher(
                        registry,
                        requestThreads,
                        clock,
                        connection -> shareSessions.connectionClosed(connection.id())));
        opened.push(network);
        network.start();

        List<Endpoint> advertised = advertisedEndpoints(config, network);
        controller
                .registerBroker(new BrokerRecord(config.nodeId(), advertised, null))
                .join();
        Broker broker = new Broker(
                config, dirLock, controller, logManager, requestThreads, scheduler, network, services, advertised);
        log.info(
                "Wharf {} started in {} ms: node {}, cluster {}, listeners {}, data {}",
                Version.current(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos),
                config.nodeId(),
                meta.clusterId(),
                advertised,
                dataDir.toAbsolutePath());
        return broker;
    }

    /** The advertised listeners, with the real port where the config said 0 and a host name where it said none. */
    private static List<Endpoint> advertisedEndpoints(BrokerConfig config, NetworkServer network) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Endpoint endpoint : config.advertisedListeners()) {
            Endpoint resolved = endpoint;
            if (resolved.port() == 0) {
                resolved = resolved.withPort(network.boundPort(resolved.listenerName()));
            }
            if (resolved.host().isEmpty()) {
                resolved = new Endpoint(resolved.listenerName(), localHostName(), resolved.port());
            }
            endpoints.add(resolved);
        }
        return endpoints;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static void closeQuietly(AutoCloseable coordinator) {
        try {
            coordinator.close();
        } catch (Exception e) {
            log.warn("Closing a coordinator failed", e);
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    public BrokerConfig config() {
        return config;
    }

    public BrokerServices services() {
        return services;
    }

    /** The advertised listeners with their real ports. */
    public List<Endpoint> advertisedListeners() {
        return advertised;
    }

    /** {@code host:port} of the first listener, for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        Endpoint first = advertised.get(0);
        return first.host() + ":" + first.port();
    }

    /** Stops accepting, answers the requests already read, flushes and closes every log cleanly. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        network.stopAccepting();
        try {
            if (!network.awaitInFlight(config.get(BrokerConfig.SHUTDOWN_TIMEOUT_MS))) {
                log.warn("{} requests were still in flight at shutdown", network.inFlightRequests());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        network.close();
        closeQuietly(services.groups());
        closeQuietly(services.shares());
        requestThreads.shutdownNow();
        scheduler.shutdownNow();
        try {
            logManager.close();
        } catch (IOException e) {
            log.error("Closing the logs failed; the next start will recover them", e);
        }
        try {
            controller.close();
        } catch (IOException e) {
            log.error("Closing the metadata log failed", e);
        }
        try {
            dirLock.close();
        } catch (IOException e) {
            log.warn("Releasing the lock on the data directory failed", e);
        }
        log.info("Wharf stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
