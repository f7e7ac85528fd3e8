package io.wharf.server.cluster;

import io.wharf.common.Clock;
import io.wharf.common.Endpoint;
import io.wharf.common.TopicId;
import io.wharf.common.io.AtomicFiles;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.MetadataPublisher;
import io.wharf.metadata.controller.BrokerHeartbeat;
import io.wharf.metadata.controller.BrokerRegistration;
import io.wharf.metadata.controller.Controller;
import io.wharf.metadata.controller.HeartbeatResult;
import io.wharf.metadata.controller.RegistrationResult;
import io.wharf.metadata.image.BrokerImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's registration with the controller: it registers as a new incarnation, heartbeats, is unfenced once
 * its metadata has caught up, and on shutdown asks to be taken out of the cluster first.
 *
 * <pre>
 *   REGISTERING ──registered──▶ FENCED ◀──fenced / caught up──▶ ACTIVE ──shutDown()──▶ SHUTTING_DOWN ──▶ STOPPED
 *        ▲                        │ ▲                             │                      (told it may stop,
 *        └──registration lost─────┘ └─────────────────────────────┘                       or out of time)
 * </pre>
 *
 * <p>A registration names the incarnation that last held this data directory ({@value #INCARNATION_FILE}): the
 * controller takes that as proof the old process is dead (it held the directory's lock) and replaces its
 * registration at once instead of waiting out its session. While the broker cannot reach the controller it keeps
 * trying; {@link #hasLease()} says whether a heartbeat it sent within the session was answered and its metadata shows
 * this registration, which is what a leader checks before it may act as one.
 *
 * <p>Threads: the work runs on the lifecycle's own thread; the queries are thread-safe.
 */
public final class BrokerLifecycle implements AutoCloseable {

    /** Where the incarnation id of the process that holds the data directory is kept. */
    public static final String INCARNATION_FILE = "broker.incarnation";

    /** How often a fenced, registering or shutting-down broker tries the controller. */
    static final long FAST_INTERVAL_MS = 100;

    private static final Logger log = LoggerFactory.getLogger(BrokerLifecycle.class);

    private static final long NO_LEASE = Long.MIN_VALUE / 2;

    /** The lifecycle's states, drawn above. */
    public enum State {
        REGISTERING,
        FENCED,
        ACTIVE,
        SHUTTING_DOWN,
        STOPPED
    }

    private final int nodeId;
    private final Controller controller;
    private final MetadataPublisher publisher;
    private final Path dataDir;
    private final long sessionTimeoutMs;
    private final long heartbeatIntervalMs;
    private final Clock clock;
    private final Consumer<String> onFatal;
    private final boolean leaseMatters;
    private final ScheduledExecutorService thread;
    private final TopicId incarnationId = TopicId.random();
    private final CompletableFuture<Void> active = new CompletableFuture<>();
    private final CompletableFuture<Void> mayStop = new CompletableFuture<>();
    private List<Endpoint> endpoints;
    private String rack;
    private TopicId previousIncarnationId = TopicId.ZERO;
    private volatile State state = State.REGISTERING;
    private volatile long brokerEpoch = -1;
    /** When the newest heartbeat the controller answered "not fenced" was sent; the lease runs a session from it. */
    private volatile long unfencedSentMs = NO_LEASE;

    private long duplicateSinceMs = -1;

    /**
     * @param clustered whether other brokers could take over this one's leaderships (else the lease always holds)
     * @param onFatal told why, when this process must stop serving: another live process registered as this node
     */
    public BrokerLifecycle(
            int nodeId,
            Controller controller,
            MetadataPublisher publisher,
            Path dataDir,
            long sessionTimeoutMs,
            long heartbeatIntervalMs,
            Clock clock,
            boolean clustered,
            Consumer<String> onFatal) {
        this.nodeId = nodeId;
        this.controller = controller;
        this.publisher = publisher;
        this.dataDir = dataDir;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        this.clock = clock;
        this.onFatal = onFatal;
        this.leaseMatters = clustered;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wharf-broker-lifecycle");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Records this process as the data directory's incarnation and starts registering with {@code endpoints}.
     *
     * @throws IOException when the incarnation file cannot be written
     */
    public void start(List<Endpoint> advertised, String brokerRack) throws IOException {
        this.endpoints = List.copyOf(advertised);
        this.rack = brokerRack;
        Path file = dataDir.resolve(INCARNATION_FILE);
        if (Files.exists(file)) {
            try {
                previousIncarnationId = TopicId.parse(
                        Files.readString(file, StandardCharsets.UTF_8).trim());
            } catch (IllegalArgumentException e) {
                log.warn("Ignoring an unreadable {}", file);
            }
        }
        AtomicFiles.write(file, (incarnationId + "\n").getBytes(StandardCharsets.UTF_8));
        thread.execute(this::tick);
    }

    public State state() {
        return state;
    }

    public long brokerEpoch() {
        return brokerEpoch;
    }

    public TopicId incarnationId() {
        return incarnationId;
    }

    /** Completes the first time the controller unfences this broker. */
    public CompletableFuture<Void> awaitActive() {
        return active;
    }

    /**
     * Whether a heartbeat sent less than a session ago was answered "not fenced", and this broker's metadata has
     * reached its registration. A single node, its own controller, always has the lease.
     *
     * <p>An answer that says "fenced" gives no lease, and takes away the one there was: a broker that was cut off
     * from the quorum comes back with the metadata it had before the cut, which still names it leader of partitions
     * the controller has since moved; the controller unfences it only once its metadata has caught up with those
     * moves, so until then a leadership here is stale, and acting on it would answer ListOffsets and fetches from a
     * high watermark the new leader has long passed. Likewise a process that starts again may begin with the
     * metadata its previous process had, which can name this broker leader in an epoch that process led; the records
     * that move those leaderships come with the registration, so until the metadata shows it, a leadership here may
     * be the previous process's, whose log the crash may have cut: writing to it again in the same epoch would give
     * offsets two values that followers cannot tell apart.
     */
    public boolean hasLease() {
        if (!leaseMatters) {
            return true;
        }
        if (clock.nowMs() - unfencedSentMs >= sessionTimeoutMs) {
            return false;
        }
        BrokerImage registered = publisher.image().brokers().get(nodeId);
        return registered != null
                && registered.incarnationId().equals(incarnationId)
                && registered.epoch() == brokerEpoch;
    }

    /**
     * Asks the controller to move this broker's leaderships elsewhere and take it out of the cluster.
     *
     * @return completes when the controller says the broker may stop, or after {@code timeoutMs}
     */
    public CompletableFuture<Void> shutDown(long timeoutMs) {
        thread.execute(() -> {
            if (state == State.ACTIVE || state == State.FENCED) {
                state = State.SHUTTING_DOWN;
            } else if (state == State.REGISTERING) {
                mayStop.complete(null);
            }
        });
        return mayStop.completeOnTimeout(null, timeoutMs, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (state == State.STOPPED) {
            return;
        }
        if (state == State.REGISTERING) {
            register();
        } else {
            heartbeat();
        }
    }

    private void schedule(long delayMs) {
        if (state != State.STOPPED && !thread.isShutdown()) {
            thread.schedule(this::tick, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void register() {
        BrokerRegistration registration =
                new BrokerRegistration(nodeId, incarnationId, previousIncarnationId, endpoints, rack);
        controller
                .registerBroker(registration)
                .whenCompleteAsync(
                        (committed, failure) -> {
                            if (failure != null) {
                                log.debug("Registration failed; trying again", failure);
                                schedule(FAST_INTERVAL_MS * 5);
                                return;
                            }
                            RegistrationResult result = committed.result();
                            if (result.error() == MetadataError.DUPLICATE_BROKER_REGISTRATION) {
                                long now = clock.nowMs();
                                if (duplicateSinceMs < 0) {
                                    duplicateSinceMs = now;
                                    log.warn("{}; waiting for its session to expire", result.message());
                                } else if (now - duplicateSinceMs > 2 * sessionTimeoutMs) {
                                    fatal(result.message()
                                            + ", and stayed alive for two sessions: not starting a second broker "
                                            + nodeId);
                                    return;
                                }
                                schedule(FAST_INTERVAL_MS * 5);
                                return;
                            }
                            if (result.error() != null) {
                                log.warn("Registration refused: {} {}", result.error(), result.message());
                                schedule(FAST_INTERVAL_MS * 5);
                                return;
                            }
                            brokerEpoch = result.brokerEpoch();
                            duplicateSinceMs = -1;
                            if (state == State.REGISTERING) {
                                state = State.FENCED;
                            }
                            log.info("Registered as broker {} with epoch {}", nodeId, brokerEpoch);
                            schedule(0);
                        },
                        thread);
    }

    private void heartbeat() {
        long sentMs = clock.nowMs();
        boolean wantShutDown = state == State.SHUTTING_DOWN;
        BrokerHeartbeat heartbeat =
                new BrokerHeartbeat(nodeId, brokerEpoch, publisher.image().offset(), wantShutDown);
        controller
                .heartbeat(heartbeat)
                .whenCompleteAsync(
                        (committed, failure) -> {
                            if (failure != null) {
                                log.debug("Heartbeat failed", failure);
                                schedule(state == State.ACTIVE ? heartbeatIntervalMs : FAST_INTERVAL_MS);
                                return;
                            }
                            HeartbeatResult result = committed.result();
                            if (result.error() == MetadataError.STALE_BROKER_EPOCH) {
                                lostRegistration(result.message());
                                return;
                            }
                            unfencedSentMs = result.fenced() ? NO_LEASE : sentMs;
                            if (result.shouldShutDown() && state == State.SHUTTING_DOWN) {
                                state = State.STOPPED;
                                mayStop.complete(null);
                                return;
                            }
                            if (state != State.SHUTTING_DOWN) {
                                State next = result.fenced() ? State.FENCED : State.ACTIVE;
                                if (next != state) {
                                    log.info("Broker {} is {}", nodeId, next == State.ACTIVE ? "unfenced" : "fenced");
                                }
                                state = next;
                                if (next == State.ACTIVE) {
                                    active.complete(null);
                                }
                            }
                            schedule(state == State.ACTIVE ? heartbeatIntervalMs : FAST_INTERVAL_MS);
                        },
                        thread);
    }

    /** The controller no longer knows this registration: replaced by another process, or removed. */
    private void lostRegistration(String why) {
        BrokerImage registered = publisher.image().brokers().get(nodeId);
        if (registered != null
                && !registered.incarnationId().equals(incarnationId)
                && registered.epoch() > brokerEpoch) {
            fatal("another process registered as broker " + nodeId + " (incarnation " + registered.incarnationId()
                    + ")");
            return;
        }
        log.warn("The controller lost this broker's registration ({}); registering again", why);
        state = state == State.SHUTTING_DOWN ? State.SHUTTING_DOWN : State.REGISTERING;
        if (state == State.SHUTTING_DOWN) {
            mayStop.complete(null);
            return;
        }
        schedule(0);
    }

    private void fatal(String why) {
        log.error("Broker {} stops serving: {}", nodeId, why);
        state = State.STOPPED;
        mayStop.complete(null);
        onFatal.accept(why);
    }

    @Override
    public void close() {
        state = State.STOPPED;
        thread.shutdownNow();
    }
}
