package io.wharf.metadata.controller;

import io.wharf.common.Clock;
import io.wharf.common.TopicId;
import io.wharf.metadata.MetadataLog;
import io.wharf.metadata.NotLeaderException;
import io.wharf.metadata.image.BrokerImage;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.ClusterRecord;
import io.wharf.metadata.record.ProducerIdsRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata controller of this node, active while the node leads the metadata log. Each change runs on the
 * controller's one thread: it reads the committed image, computes the change's records and answer with a planner
 * (changing nothing), appends the records in the current epoch, and answers once they are committed and applied. The
 * next change starts only then, so every change is computed against an image that holds all the changes before it.
 *
 * <p>Soft state, lost on failover and rebuilt by the next active controller: when each broker was last heard from. A
 * newly active controller gives every registered broker a whole session before it may fence it.
 *
 * <p>Threads: every public method may be called from any thread. While the node does not lead, changes fail with
 * {@link NotLeaderException} naming the leader it knows of.
 */
public final class QuorumController implements Controller, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QuorumController.class);

    /** How long a change waits for its records to commit before the controller gives up leading. */
    static final long APPEND_TIMEOUT_MS = 30_000;

    private final MetadataLog metadataLog;
    private final ControllerSettings settings;
    private final Clock clock;
    private final Supplier<String> proposedClusterId;
    private final TopicPlanner topics;
    private final ConfigPlanner configs;
    private final BrokerPlanner brokers;
    private final ScheduledExecutorService thread;
    /** Owned by the controller thread. */
    private final Map<Integer, Long> lastContactMs = new HashMap<>();
    /** Owned by the controller thread: brokers whose listeners are being probed now. */
    private final Set<Integer> probing = new HashSet<>();
    /** Null when {@link ControllerSettings#probeAfterMs()} is 0. */
    private final ListenerProbe probe;
    /** Owned by the controller thread: the epoch this node leads in, -1 while it does not. */
    private int activeEpoch = -1;

    private final AtomicLong isrWrites = new AtomicLong();

    private ScheduledFuture<?> sessionCheck;
    private ScheduledFuture<?> rebalance;
    private volatile boolean active;

    /**
     * @param proposedClusterId the cluster id to write when a controller first finds none
     */
    public QuorumController(
            MetadataLog metadataLog,
            ControllerSettings settings,
            ConfigRules rules,
            Clock clock,
            Supplier<String> proposedClusterId) {
        this.metadataLog = metadataLog;
        this.settings = settings;
        this.clock = clock;
        this.proposedClusterId = proposedClusterId;
        this.topics = new TopicPlanner(settings, TopicId::random);
        this.configs = new ConfigPlanner(rules);
        this.brokers = new BrokerPlanner(settings.uncleanLeaderElection());
        this.probe =
                settings.probeAfterMs() > 0 ? new ListenerProbe((int) Math.min(1_000, settings.probeAfterMs())) : null;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wharf-controller-" + metadataLog.nodeId());
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether this node is the active controller now. */
    public boolean isActive() {
        return active;
    }

    /**
     * Told by the metadata log who leads: becomes active when this node does (the log has applied every earlier
     * batch by then), steps down otherwise.
     */
    public void onLeader(MetadataLog.LeaderAndEpoch leader) {
        thread.execute(() -> {
            if (leader.leaderId() == metadataLog.nodeId()) {
                activate(leader.epoch());
            } else {
                deactivate("node " + leader.leaderId() + " leads epoch " + leader.epoch());
            }
        });
    }

    private void activate(int epoch) {
        if (activeEpoch == epoch) {
            return;
        }
        activeEpoch = epoch;
        active = true;
        long now = clock.nowMs();
        lastContactMs.clear();
        metadataLog.image().brokers().keySet().forEach(id -> lastContactMs.put(id, now));
        long interval = Math.max(50, Math.min(1_000, settings.sessionTimeoutMs() / 4));
        if (probe != null) {
            interval = Math.max(50, Math.min(interval, settings.probeAfterMs() / 3));
        }
        sessionCheck = thread.scheduleWithFixedDelay(this::expireSessions, interval, interval, TimeUnit.MILLISECONDS);
        if (settings.leaderRebalanceIntervalMs() > 0) {
            rebalance = thread.scheduleWithFixedDelay(
                    () -> runChange(
                            image -> new Change<Void>(
                                    Reassignments.rebalance(image, settings.leaderImbalancePercentage()), null),
                            change -> {},
                            new CompletableFuture<>()),
                    settings.leaderRebalanceIntervalMs(),
                    settings.leaderRebalanceIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
        log.info("Node {} is the active controller in epoch {}", metadataLog.nodeId(), epoch);
        if (metadataLog.image().clusterId().isEmpty()) {
            write(image -> image.clusterId().isPresent()
                    ? Change.of(null)
                    : new Change<Void>(List.of(new ClusterRecord(proposedClusterId.get())), null));
        }
    }

    private void deactivate(String why) {
        if (activeEpoch < 0) {
            return;
        }
        log.info("Node {} is no longer the active controller: {}", metadataLog.nodeId(), why);
        activeEpoch = -1;
        active = false;
        if (sessionCheck != null) {
            sessionCheck.cancel(false);
            sessionCheck = null;
        }
        if (rebalance != null) {
            rebalance.cancel(false);
            rebalance = null;
        }
        lastContactMs.clear();
        probing.clear();
    }

    /** Fences every broker whose session ran out; on the controller thread. */
    private void expireSessions() {
        long now = clock.nowMs();
        for (BrokerImage broker : metadataLog.image().brokers().values()) {
            if (broker.isFenced()) {
                continue;
            }
            long last = lastContactMs.computeIfAbsent(broker.brokerId(), id -> now);
            if (now - last > settings.sessionTimeoutMs()) {
                log.info(
                        "Fencing broker {} (epoch {}): no heartbeat for {} ms",
                        broker.brokerId(),
                        broker.epoch(),
                        now - last);
                fence(broker);
            } else if (probe != null && now - last > settings.probeAfterMs() && probing.add(broker.brokerId())) {
                probe.allRefused(broker)
                        .whenComplete((refused, failure) -> onProbed(broker, Boolean.TRUE.equals(refused)));
            }
        }
    }

    private void fence(BrokerImage broker) {
        runChange(
                image -> brokers.expire(image, broker.brokerId(), broker.epoch()),
                change -> {},
                new CompletableFuture<>());
    }

    /**
     * A late broker's listeners were probed (on the probe's thread): when they all refused a connection its process is
     * gone, and it is fenced now rather than when its session runs out, provided this node still leads and the broker
     * is still silent in the same registration.
     */
    private void onProbed(BrokerImage probed, boolean refused) {
        try {
            thread.execute(() -> {
                probing.remove(probed.brokerId());
                BrokerImage now = metadataLog.image().brokers().get(probed.brokerId());
                Long last = lastContactMs.get(probed.brokerId());
                if (!refused
                        || !active
                        || now == null
                        || now.isFenced()
                        || now.epoch() != probed.epoch()
                        || last == null) {
                    return;
                }
                long silentMs = clock.nowMs() - last;
                if (silentMs > settings.probeAfterMs()) {
                    log.info(
                            "Fencing broker {} (epoch {}): no heartbeat for {} ms and its listeners refuse connections",
                            probed.brokerId(),
                            probed.epoch(),
                            silentMs);
                    fence(now);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private boolean sessionAlive(int brokerId) {
        Long last = lastContactMs.get(brokerId);
        return last != null && clock.nowMs() - last <= settings.sessionTimeoutMs();
    }

    /** Runs {@code compute} on the controller thread, then appends the records it returned and waits for them. */
    private <T> CompletableFuture<Committed<T>> write(Function<MetadataImage, Change<T>> compute) {
        return write(compute, change -> {});
    }

    /**
     * {@link #write(Function)}, with {@code soft} told of the computed change before its records are appended: where
     * the controller's soft state (last contact) follows a change, outside compute, which stays pure.
     */
    private <T> CompletableFuture<Committed<T>> write(
            Function<MetadataImage, Change<T>> compute, Consumer<Change<T>> soft) {
        CompletableFuture<Committed<T>> result = new CompletableFuture<>();
        try {
            thread.execute(() -> runChange(compute, soft, result));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new NotLeaderException("the controller is closed", -1));
        }
        return result;
    }

    private <T> void runChange(
            Function<MetadataImage, Change<T>> compute,
            Consumer<Change<T>> soft,
            CompletableFuture<Committed<T>> result) {
        if (activeEpoch < 0) {
            result.completeExceptionally(new NotLeaderException(
                    "node " + metadataLog.nodeId() + " is not the active controller",
                    metadataLog.leader().leaderId()));
            return;
        }
        MetadataImage image = metadataLog.image();
        Change<T> change;
        try {
            change = compute.apply(image);
        } catch (RuntimeException e) {
            log.error("A metadata change failed to compute", e);
            result.completeExceptionally(e);
            return;
        }
        soft.accept(change);
        if (change.records().isEmpty()) {
            result.complete(new Committed<>(change.result(), image.offset()));
            return;
        }
        try {
            long offset =
                    metadataLog.append(activeEpoch, change.records()).get(APPEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            result.complete(new Committed<>(change.result(), offset));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NotLeaderException) {
                deactivate(cause.getMessage());
            }
            result.completeExceptionally(cause);
        } catch (TimeoutException e) {
            // Whether the batch commits is unknown: computing the next change without it could contradict it, so
            // stop leading until the log says otherwise.
            deactivate("a batch did not commit within " + APPEND_TIMEOUT_MS + " ms");
            result.completeExceptionally(new NotLeaderException("the metadata quorum did not commit in time", -1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(e);
        }
    }

    @Override
    public CompletableFuture<Committed<List<TopicResult>>> createTopics(
            List<NewTopic> newTopics, boolean validateOnly) {
        return write(image -> topics.createTopics(image, newTopics, validateOnly));
    }

    @Override
    public CompletableFuture<Committed<List<TopicResult>>> deleteTopics(List<TopicRef> refs) {
        return write(image -> topics.deleteTopics(image, refs));
    }

    @Override
    public CompletableFuture<Committed<List<TopicResult>>> createPartitions(
            List<NewPartitions> requests, boolean validateOnly) {
        return write(image -> topics.createPartitions(image, requests, validateOnly));
    }

    @Override
    public CompletableFuture<Committed<List<ChangeResult>>> alterConfigs(
            List<ConfigChange> changes, boolean validateOnly) {
        return write(image -> configs.alterConfigs(image, changes, validateOnly));
    }

    @Override
    public CompletableFuture<Committed<Long>> allocateProducerIds(int brokerId, int count) {
        return write(image -> {
            long first = image.nextProducerId();
            return new Change<>(List.of(new ProducerIdsRecord(brokerId, first + count)), first);
        });
    }

    @Override
    public CompletableFuture<Committed<RegistrationResult>> registerBroker(BrokerRegistration registration) {
        return write(image -> brokers.register(image, registration, sessionAlive(registration.brokerId())), change -> {
            if (change.result().error() == null) {
                lastContactMs.put(registration.brokerId(), clock.nowMs());
            }
        });
    }

    @Override
    public CompletableFuture<Committed<HeartbeatResult>> heartbeat(BrokerHeartbeat heartbeat) {
        return write(image -> brokers.heartbeat(image, heartbeat), change -> {
            if (change.result().error() == null) {
                lastContactMs.put(heartbeat.brokerId(), clock.nowMs());
            }
        });
    }

    @Override
    public CompletableFuture<Committed<List<IsrResult>>> alterIsrs(List<IsrChange> changes) {
        return write(image -> PartitionChanges.alterIsrs(image, changes), change -> {
            if (!change.records().isEmpty()) {
                isrWrites.incrementAndGet();
            }
        });
    }

    /**
     * How many writes of ISR changes this controller has made (each one batch of records, however many partitions
     * it changed): what shows that brokers batch their changes rather than sending one per partition.
     */
    public long isrWrites() {
        return isrWrites.get();
    }

    @Override
    public CompletableFuture<Committed<MetadataLog.QuorumState>> describeQuorum() {
        return write(image -> Change.of(metadataLog.quorum()));
    }

    @Override
    public CompletableFuture<Committed<List<PartitionResult>>> alterReassignments(List<Reassignment> reassignments) {
        return write(image -> Reassignments.alter(image, reassignments));
    }

    @Override
    public CompletableFuture<Committed<List<PartitionResult>>> electLeaders(
            LeaderElection election, List<PartitionRef> partitions) {
        return write(image -> Reassignments.elect(image, election, partitions));
    }

    @Override
    public void close() {
        if (probe != null) {
            probe.close();
        }
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
