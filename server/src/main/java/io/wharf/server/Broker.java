package io.wharf.server;

import io.wharf.amqp.AmqpBroker;
import io.wharf.amqp.AmqpConfig;
import io.wharf.common.Clock;
import io.wharf.common.Endpoint;
import io.wharf.common.TopicId;
import io.wharf.common.timer.ClockTimer;
import io.wharf.coordinator.group.GroupCoordinator;
import io.wharf.coordinator.group.ShareGroupSettings;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.coordinator.share.SharePartitionManager;
import io.wharf.coordinator.txn.TransactionCoordinator;
import io.wharf.metadata.LocalMetadataLog;
import io.wharf.metadata.controller.Controller;
import io.wharf.network.NetworkClient;
import io.wharf.network.NetworkConfig;
import io.wharf.network.NetworkServer;
import io.wharf.replication.ReplicaFetcherManager;
import io.wharf.server.amqp.AmqpRecovery;
import io.wharf.server.amqp.LogDurableStore;
import io.wharf.server.cluster.BrokerLifecycle;
import io.wharf.server.cluster.MetadataNode;
import io.wharf.server.config.AmqpConfigs;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.ClusterConfigs;
import io.wharf.server.config.ClusterSettings;
import io.wharf.server.config.ConfigResolver;
import io.wharf.server.group.CoordinatorManager;
import io.wharf.server.group.Coordinators;
import io.wharf.server.group.ScheduledCoordinatorTimer;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.HandlerRegistry;
import io.wharf.server.handler.Handlers;
import io.wharf.server.handler.RequestDispatcher;
import io.wharf.server.partition.ReplicaClient;
import io.wharf.server.partition.ReplicaManager;
import io.wharf.server.partition.ReplicationThrottles;
import io.wharf.server.share.DeadLetterWriter;
import io.wharf.server.share.ImageShareConfigs;
import io.wharf.server.share.InterBrokerClient;
import io.wharf.server.share.PartitionOffsets;
import io.wharf.server.share.PartitionShareLog;
import io.wharf.server.share.ShareGroupStates;
import io.wharf.server.share.ShareMemberSweep;
import io.wharf.server.share.ShareMembership;
import io.wharf.server.share.ShareSessions;
import io.wharf.server.share.ShareStateCleaner;
import io.wharf.server.share.ShareStatePersister;
import io.wharf.server.txn.MarkerAppender;
import io.wharf.server.txn.TransactionMarkerSender;
import io.wharf.server.txn.TransactionVerifier;
import io.wharf.storage.LogManager;
import io.wharf.storage.cleaner.LogCleaner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Wharf node: its metadata (log, controller), storage, the hosted partitions, the request handlers and the
 * network server, started in that order and stopped in reverse; then it registers with the active controller.
 *
 * <pre>
 * data directory
 *   meta.properties                     cluster id and node id ({@link MetaProperties})
 *   broker.incarnation                  the process that holds the directory ({@link BrokerLifecycle})
 *   __cluster_metadata/                 the metadata log ({@link LocalMetadataLog} alone, Ratis's files in a cluster)
 *   topic-0/ …                          partition logs ({@link LogManager})
 * </pre>
 *
 * <p>Stopping is graceful: a broker in a cluster first asks the controller to move its leaderships and take it out
 * of the cluster ({@code controlled.shutdown.enable}); then the listeners close, requests already read are answered
 * (up to {@code wharf.shutdown.timeout.ms}), and every log is flushed and marked cleanly closed.
 */
public final class Broker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    /** How long a start-up step that should take milliseconds (replaying the local metadata log) may take. */
    private static final long START_STEP_TIMEOUT_MS = 60_000;

    private final BrokerConfig config;
    private final MetadataNode metadata;
    private final LogManager logManager;
    private final ExecutorService requestThreads;
    private final ScheduledExecutorService scheduler;
    private final NetworkServer network;
    private final DataDirLock dirLock;
    private final BrokerServices services;
    private final List<Endpoint> advertised;
    /** What stops between the network and the logs: the replica fetchers and their connections. */
    private final List<AutoCloseable> replication;
    /** The AMQP 0-9-1 front end, or null when no listener speaks AMQP. */
    private final AmqpBroker amqp;

    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean closed;

    private Broker(
            BrokerConfig config,
            DataDirLock dirLock,
            MetadataNode metadata,
            LogManager logManager,
            ExecutorService requestThreads,
            ScheduledExecutorService scheduler,
            NetworkServer network,
            BrokerServices services,
            List<Endpoint> advertised,
            List<AutoCloseable> replication,
            AmqpBroker amqp) {
        this.config = config;
        this.dirLock = dirLock;
        this.metadata = metadata;
        this.logManager = logManager;
        this.requestThreads = requestThreads;
        this.scheduler = scheduler;
        this.network = network;
        this.services = services;
        this.advertised = advertised;
        this.replication = replication;
        this.amqp = amqp;
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
            MetaProperties meta = config.cluster().clustered()
                    ? MetaProperties.load(dataDir, config.nodeId())
                    : MetaProperties.loadOrCreate(dataDir, config.nodeId());
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
        ClusterSettings cluster = config.cluster();
        if (!config.ignored().isEmpty()) {
            log.warn("Ignoring Kafka settings Wharf does not use: {}", String.join(", ", config.ignored()));
        }
        String proposedClusterId =
                meta.clusterId() != null ? meta.clusterId() : TopicId.random().toString();
        MetadataNode metadata = MetadataNode.open(config, clock, () -> proposedClusterId);
        opened.push(metadata);
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
                tp -> new ConfigResolver(config, metadata.publisher().image()).logConfig(tp.topic()));
        opened.push(logManager);
        logManager.startCleaner(new LogCleaner.Settings(
                config.get(BrokerConfig.LOG_CLEANER_ENABLE),
                config.get(BrokerConfig.LOG_CLEANER_THREADS),
                config.get(BrokerConfig.LOG_CLEANER_DEDUPE_BUFFER_SIZE),
                config.get(BrokerConfig.LOG_CLEANER_IO_MAX_BYTES_PER_SECOND),
                config.get(BrokerConfig.LOG_CLEANER_BACKOFF_MS),
                config.get(BrokerConfig.LOG_CLEANER_BUSY_SHARE)));
        Broker[] self = new Broker[1];
        BrokerLifecycle lifecycle = new BrokerLifecycle(
                config.nodeId(),
                metadata.lifecycleController(),
                metadata.publisher(),
                dataDir,
                config.get(ClusterConfigs.BROKER_SESSION_TIMEOUT_MS),
                config.get(ClusterConfigs.BROKER_HEARTBEAT_INTERVAL_MS),
                clock,
                cluster.clustered(),
                why -> {
                    Broker broker = self[0];
                    if (broker != null) {
                        new Thread(broker::close, "wharf-fatal-stop").start();
                    }
                });
        opened.push(lifecycle);
        NetworkClient interBroker = new NetworkClient(
                "wharf-inter-broker",
                config.get(BrokerConfig.SOCKET_REQUEST_MAX_BYTES),
                config.get(ClusterConfigs.REPLICA_SOCKET_TIMEOUT_MS));
        opened.push(interBroker);
        ReplicationThrottles throttles = new ReplicationThrottles(config, clock);
        metadata.publisher().subscribe(throttles).join();
        ReplicaFetcherManager fetchers = new ReplicaFetcherManager(
                config.nodeId(),
                lifecycle::brokerEpoch,
                new ReplicaClient(
                        interBroker,
                        () -> metadata.publisher().image(),
                        cluster.interBrokerListener(),
                        config.get(ClusterConfigs.REPLICA_SOCKET_TIMEOUT_MS)),
                new ReplicaFetcherManager.Settings(
                        config.get(ClusterConfigs.REPLICA_FETCH_WAIT_MAX_MS),
                        config.get(ClusterConfigs.REPLICA_FETCH_MIN_BYTES),
                        config.get(ClusterConfigs.REPLICA_FETCH_RESPONSE_MAX_BYTES),
                        config.get(ClusterConfigs.REPLICA_FETCH_MAX_BYTES),
                        config.get(ClusterConfigs.REPLICA_FETCH_BACKOFF_MS),
                        config.get(ClusterConfigs.REPLICA_SOCKET_TIMEOUT_MS)),
                clock,
                throttles.follower());
        opened.push(fetchers);
        ClockTimer timer = new ClockTimer("wharf-delayed-operations", clock, 10);
        opened.push(timer);
        ReplicaManager replicas = new ReplicaManager(
                config, logManager, metadata.controller(), lifecycle::brokerEpoch, fetchers, throttles, timer);
        opened.push(replicas);
        metadata.publisher().subscribe(replicas).join();
        metadata.start();
        if (!cluster.clustered()) {
            // A single node has its whole metadata once the local log is replayed.
            join(metadata.awaitReplayed(), "replay the metadata log");
            replicas.deleteUnknownLogs();
        }

        ExecutorService requestThreads =
                Executors.newFixedThreadPool(config.get(BrokerConfig.NUM_IO_THREADS), daemon("wharf-request"));
        opened.push(requestThreads::shutdownNow);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("wharf-delayed"));
        opened.push(scheduler::shutdownNow);
        long lagMaxMs = config.get(ClusterConfigs.REPLICA_LAG_TIME_MAX_MS);
        scheduler.scheduleWithFixedDelay(
                () -> replicas.shrinkIsrs(lagMaxMs), lagMaxMs / 2, lagMaxMs / 2, TimeUnit.MILLISECONDS);
        Controller controller = metadata.controller();
        Coordinators coordinators = new Coordinators(config, controller, replicas, requestThreads, scheduler, clock);
        ShareSessions shareSessions = new ShareSessions(config.get(BrokerConfig.SHARE_MAX_SHARE_SESSIONS));
        ImageShareConfigs shareConfigs = new ImageShareConfigs(config, replicas);
        CoordinatorManager<ShareCoordinator> shares = coordinators.shares();
        ScheduledCoordinatorTimer shareTimer = new ScheduledCoordinatorTimer(scheduler);
        // Connections of their own: a broker serves one connection's requests in order, and a share-state write waits
        // for its records to reach the followers, whose replica fetches must not queue behind it.
        NetworkClient shareNetwork = new NetworkClient(
                "wharf-share-inter-broker",
                config.get(BrokerConfig.SOCKET_REQUEST_MAX_BYTES),
                config.get(ClusterConfigs.REPLICA_SOCKET_TIMEOUT_MS));
        opened.push(shareNetwork);
        InterBrokerClient brokerClient = new InterBrokerClient(
                shareNetwork,
                () -> metadata.publisher().image(),
                cluster.interBrokerListener(),
                config.nodeId(),
                config.get(ClusterConfigs.REPLICA_SOCKET_TIMEOUT_MS));
        ShareStatePersister sharePersister = new ShareStatePersister(
                config.nodeId(),
                replicas::image,
                shares,
                brokerClient,
                shareTimer,
                clock,
                config.get(BrokerConfig.SHARE_PERSISTER_TIMEOUT_MS));
        PartitionShareLog shareLog = new PartitionShareLog(replicas, config.nodeId());
        SharePartitionManager sharePartitions = new SharePartitionManager(
                sharePersister,
                shareLog,
                shareConfigs,
                new DeadLetterWriter(config, controller, replicas, brokerClient, requestThreads, clock),
                requestThreads,
                shareTimer,
                clock);
        replicas.addListener(image -> sharePartitions.leadershipChanged());
        replicas.addListener(new ShareStateCleaner(shares));
        CoordinatorManager<GroupCoordinator> groups = coordinators.groups(new ShareGroupSettings(
                shareConfigs,
                config.get(BrokerConfig.SHARE_MAX_SIZE),
                config.get(BrokerConfig.SHARE_GROUPS_MAX),
                (groupId, memberId, graceful) -> {
                    shareSessions.memberRemoved(groupId, memberId);
                    sharePartitions.releaseMember(groupId, memberId, graceful);
                }));
        opened.push(groups);
        opened.push(shares);
        opened.push(sharePartitions);
        ShareMembership shareMembership =
                new ShareMembership(config.nodeId(), replicas::image, groups, brokerClient, shareConfigs, clock);
        long sweepMs = config.get(BrokerConfig.SHARE_MIN_HEARTBEAT_INTERVAL_MS);
        scheduler.scheduleWithFixedDelay(
                new ShareMemberSweep(sharePartitions, shareSessions, shareMembership, shareConfigs, clock),
                sweepMs,
                sweepMs,
                TimeUnit.MILLISECONDS);
        ShareGroupStates shareGroupStates = new ShareGroupStates(
                sharePersister,
                new PartitionOffsets(config.nodeId(), shareLog, replicas::image, brokerClient, clock),
                shareConfigs,
                replicas::image);
        MarkerAppender markers = new MarkerAppender(replicas, groups, clock);
        CoordinatorManager<TransactionCoordinator> transactions = coordinators.transactions(new TransactionMarkerSender(
                config.nodeId(), replicas::image, markers, brokerClient, timer, requestThreads));
        opened.push(transactions);
        groups.startIfPresent();
        shares.startIfPresent();
        transactions.startIfPresent();
        BrokerServices services = new BrokerServices(
                config,
                meta.clusterId(),
                clock,
                controller,
                metadata,
                lifecycle,
                replicas,
                logManager,
                new ProducerIdManager(controller, config.nodeId()),
                scheduler,
                timer,
                groups,
                shares,
                shareSessions,
                sharePartitions,
                shareMembership,
                shareGroupStates,
                transactions,
                new TransactionVerifier(config.nodeId(), replicas::image, transactions, brokerClient, timer),
                markers);
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
        AmqpBroker amqp = null;
        LogDurableStore amqpStore = new LogDurableStore(controller, replicas, clock);
        if (!config.amqpListeners().isEmpty()) {
            AmqpConfig amqpConfig = AmqpConfigs.of(config);
            amqp = new AmqpBroker(amqpConfig, clock, Version.current(), amqpStore);
            opened.push(amqp);
            network.addAmqpListeners(config.amqpListeners(), amqpConfig.frameMaxBytes(), amqp);
        }
        network.start();

        List<Endpoint> advertised = advertisedEndpoints(config, network);
        lifecycle.start(advertised, cluster.rack());
        Broker broker = new Broker(
                config,
                dirLock,
                metadata,
                logManager,
                requestThreads,
                scheduler,
                network,
                services,
                advertised,
                amqp == null
                        ? List.of(replicas, fetchers, interBroker, shareNetwork, timer)
                        : List.of(amqp, replicas, fetchers, interBroker, shareNetwork, timer),
                amqp);
        self[0] = broker;
        lifecycle.awaitActive().thenRun(() -> {
            replicas.deleteUnknownLogs();
            checkClusterId(
                    config, meta, metadata.publisher().image().clusterId().orElse(null), broker);
        });
        if (!cluster.clustered()) {
            join(lifecycle.awaitActive(), "register with the local controller");
        }
        if (amqp != null) {
            AmqpBroker front = amqp;
            lifecycle.awaitActive().thenRunAsync(() -> {
                try {
                    front.runAndWait(host -> new AmqpRecovery(amqpStore).recover(host, clock.nowMs()));
                } catch (RuntimeException e) {
                    log.error("Recovering the AMQP front end's durable state failed", e);
                }
                front.ready();
            });
            if (!cluster.clustered()) {
                join(front.readyFuture(), "recover the AMQP front end's durable state");
            }
        }
        log.info(
                "Wharf {} started in {} ms: node {}, {}, listeners {}, data {}",
                Version.current(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos),
                config.nodeId(),
                cluster.clustered() ? "cluster of controllers " + cluster.voters() : "cluster " + meta.clusterId(),
                advertised,
                dataDir.toAbsolutePath());
        return broker;
    }

    /** Waits for a step of start-up that takes milliseconds unless something is wrong. */
    private static void join(CompletableFuture<?> step, String what) throws IOException {
        try {
            step.get(START_STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("could not " + what + " within " + START_STEP_TIMEOUT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to " + what);
        }
    }

    /**
     * Stores the cluster's id in a new data directory, and stops a broker whose data directory belongs to another
     * cluster.
     */
    private static void checkClusterId(BrokerConfig config, MetaProperties meta, String clusterId, Broker broker) {
        if (clusterId == null) {
            return;
        }
        if (meta.clusterId() == null) {
            try {
                MetaProperties.store(config.dataDir(), new MetaProperties(clusterId, config.nodeId()));
            } catch (IOException e) {
                log.error("Cannot record the cluster id in {}", config.dataDir(), e);
            }
        } else if (!meta.clusterId().equals(clusterId)) {
            log.error(
                    "The data directory {} belongs to cluster {}, but the metadata quorum is cluster {}; stopping",
                    config.dataDir().toAbsolutePath(),
                    meta.clusterId(),
                    clusterId);
            new Thread(broker::close, "wharf-fatal-stop").start();
        }
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

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            log.warn("Closing {} failed", part, e);
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

    /** The port of the AMQP listener (the real one when the config said 0). */
    public int amqpPort() {
        return network.boundPort(config.amqpListeners().get(0).listenerName());
    }

    /** The AMQP 0-9-1 front end, or null when no listener speaks AMQP. */
    public AmqpBroker amqp() {
        return amqp;
    }

    /** This node's metadata: its log, its controller, the images the broker works from. */
    public MetadataNode metadata() {
        return metadata;
    }

    /** Completes once the broker has stopped, whether by {@link #close()} or because it had to. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** The cluster's id, once known (a new node of a cluster learns it from the metadata quorum). */
    public String clusterId() {
        return services.clusterId();
    }

    /**
     * Stops: a broker in a cluster first has the controller move its leaderships and take it out of the cluster
     * ({@code controlled.shutdown.enable}); then it stops accepting, answers the requests already read, and flushes
     * and closes every log cleanly.
     */
    @Override
    public void close() {
        stop(true);
    }

    /**
     * Stops at once, as a crash would as far as the cluster can tell: no controlled shutdown (the controller learns
     * of it when the broker's session expires, or when it registers again), no waiting for requests in flight. The
     * logs are still closed, so this is not a test of recovery; killing the process is.
     */
    public void halt() {
        stop(false);
    }

    private void stop(boolean graceful) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long started = System.nanoTime();
        BrokerLifecycle lifecycle = services.lifecycle();
        if (graceful
                && config.cluster().clustered()
                && config.get(ClusterConfigs.CONTROLLED_SHUTDOWN_ENABLE)
                && lifecycle.state() == BrokerLifecycle.State.ACTIVE) {
            lifecycle
                    .shutDown(config.get(ClusterConfigs.CONTROLLED_SHUTDOWN_TIMEOUT_MS))
                    .join();
        }
        lifecycle.close();
        network.stopAccepting();
        try {
            if (graceful && !network.awaitInFlight(config.get(BrokerConfig.SHUTDOWN_TIMEOUT_MS))) {
                log.warn("{} requests were still in flight at shutdown", network.inFlightRequests());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        network.close();
        replication.forEach(Broker::closeQuietly);
        closeQuietly(services.groups());
        closeQuietly(services.sharePartitions());
        closeQuietly(services.shares());
        closeQuietly(services.transactions());
        requestThreads.shutdownNow();
        scheduler.shutdownNow();
        try {
            logManager.close();
        } catch (IOException e) {
            log.error("Closing the logs failed; the next start will recover them", e);
        }
        metadata.close();
        try {
            dirLock.close();
        } catch (IOException e) {
            log.warn("Releasing the lock on the data directory failed", e);
        }
        log.info("Wharf stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        stopped.complete(null);
    }
}
