package io.wharf.tests.simulation;

import io.wharf.common.TopicId;
import io.wharf.common.TopicPartition;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.image.PartitionImage;
import io.wharf.metadata.image.TopicImage;
import io.wharf.replication.LeaderClient;
import io.wharf.replication.PartitionAssignment;
import io.wharf.replication.PartitionReplica;
import io.wharf.storage.LogRuntime;
import io.wharf.storage.PartitionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One broker process (an id in one incarnation) around real {@link PartitionReplica}s over real {@link PartitionLog}s:
 * what {@code ReplicaManager} and the broker's scheduled ISR shrinking and watermark checkpoints do, step for step,
 * with the network, the fetch loop ({@link FollowerFetcher}) and the threads simulated. Its logs' fsyncs and
 * deletions run on {@link SimulatedExecutor}s, so they complete when the simulation says and die with the process.
 *
 * <p>Its registration is in {@link SimulatedLifecycle}, its ISR changes go through {@link SimulatedIsrChannel}, and
 * the data-plane requests it serves are in {@link BrokerRequests}.
 */
final class SimulatedBroker implements ReplicationChecker.Broker {

    /** What a broker leaves for its next incarnation: its disk, its watermark checkpoint, its metadata. */
    record Remains(Path dataDir, Map<TopicPartition, Long> checkpoint, MetadataImage image, TopicId incarnation) {}

    private final ReplicationSimulation cluster;
    private final int id;
    private final int generation;
    private final Path dataDir;
    private final SimulatedExecutor flushes;
    private final SimulatedExecutor scheduler;
    private final LogRuntime runtime;
    private final Map<TopicPartition, Long> checkpoint;
    private final Map<TopicPartition, PartitionLog> logs = new TreeMap<>();
    private final Map<TopicPartition, PartitionReplica> replicas = new TreeMap<>();
    private final Map<TopicPartition, FollowerFetcher> fetchers = new TreeMap<>();
    private final BrokerRequests requests;
    private final SimulatedLifecycle lifecycle;
    private final SimulatedIsrChannel isrChannel;
    private MetadataImage image;
    private boolean alive = true;
    private boolean deleteUnknown;

    SimulatedBroker(ReplicationSimulation cluster, int id, int generation, Remains remains) {
        this.cluster = cluster;
        this.id = id;
        this.generation = generation;
        this.dataDir = remains.dataDir();
        this.checkpoint = new TreeMap<>(remains.checkpoint());
        this.image = remains.image();
        Simulation sim = cluster.sim();
        int fsyncMaxMs = cluster.settings().fsyncMaxMs();
        this.flushes = new SimulatedExecutor(
                sim, name() + " fsync", () -> sim.chance(0.02) ? sim.between(100, 1_000) : sim.between(0, fsyncMaxMs));
        this.scheduler = new SimulatedExecutor(sim, name() + " scheduler", () -> 0);
        this.runtime =
                new LogRuntime(sim.clock, flushes, scheduler, cluster.settings().preallocateBytes());
        this.requests = new BrokerRequests(this);
        TopicId incarnation = new TopicId(sim.random.nextLong(), sim.random.nextLong());
        this.lifecycle = new SimulatedLifecycle(this, incarnation, remains.incarnation());
        this.isrChannel = new SimulatedIsrChannel(this);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String name() {
        return "broker " + id + "." + generation;
    }

    @Override
    public boolean alive() {
        return alive;
    }

    @Override
    public Map<TopicPartition, PartitionReplica> replicas() {
        return replicas;
    }

    @Override
    public PartitionLog log(TopicPartition tp) {
        return logs.get(tp);
    }

    Simulation sim() {
        return cluster.sim();
    }

    ReplicationSimulation cluster() {
        return cluster;
    }

    MetadataImage image() {
        return image;
    }

    SimulatedLifecycle lifecycle() {
        return lifecycle;
    }

    BrokerRequests requests() {
        return requests;
    }

    /** What a leader must have to act as one: see {@link SimulatedLifecycle#hasLease}. */
    @Override
    public boolean hasLease() {
        return lifecycle.hasLease();
    }

    @Override
    public long brokerEpoch() {
        return lifecycle.brokerEpoch();
    }

    @Override
    public boolean shuttingDown() {
        return lifecycle.shuttingDown();
    }

    /** Opens the logs on disk, applies the metadata it starts with, and starts registering. */
    void start() {
        try (Stream<Path> dirs = Files.list(dataDir)) {
            for (Path dir : dirs.sorted().toList()) {
                TopicPartition tp = TopicPartition.parse(dir.getFileName().toString());
                PartitionLog log = PartitionLog.open(dir, cluster.settings().logConfig(), runtime);
                log.updateHighWatermark(checkpoint.getOrDefault(tp, 0L));
                logs.put(tp, log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MetadataImage replayed = image;
        if (replayed.offset() >= 0) {
            sim().count("restarts with the previous process's metadata");
        }
        image = MetadataImage.EMPTY;
        onImage(replayed);
        lifecycle.start();
        every(SimulationSettings.METADATA_POLL_MS, "metadata poll", this::pollMetadata);
        every(SimulationSettings.REPLICA_LAG_TIME_MAX_MS / 2, "ISR shrink check", this::shrinkIsrs);
        every(SimulationSettings.HIGH_WATERMARK_CHECKPOINT_MS, "watermark checkpoint", this::checkpointWatermarks);
    }

    private void every(long intervalMs, String what, Runnable action) {
        sim().after(intervalMs, name() + " " + what, () -> {
            if (alive) {
                action.run();
                every(intervalMs, what, action);
            }
        });
    }

    // ---- metadata, as ReplicaManager.onImage

    /** Applies a newer image: creates the replicas assigned here and gives each the role the image says. */
    void onImage(MetadataImage next) {
        if (!alive || next.offset() <= image.offset()) {
            return;
        }
        image = next;
        Set<TopicPartition> hosted = new HashSet<>();
        for (TopicImage topic : next.topics().values()) {
            for (PartitionImage state : topic.partitions().values()) {
                if (state.replicas().contains(id)) {
                    TopicPartition tp = new TopicPartition(topic.name(), state.partition());
                    hosted.add(tp);
                    host(tp, topic.id(), state);
                }
            }
        }
        for (TopicPartition tp : List.copyOf(replicas.keySet())) {
            if (!hosted.contains(tp)) {
                remove(tp);
            }
        }
        if (deleteUnknown) {
            deleteLogsNotHosted();
        }
        isrChannel.caughtUp(next.offset());
    }

    private void host(TopicPartition tp, TopicId topicId, PartitionImage state) {
        PartitionAssignment assignment = new PartitionAssignment(
                state.leader(), state.leaderEpoch(), state.partitionEpoch(), state.replicas(), state.isr());
        PartitionReplica existing = replicas.get(tp);
        int minInsync = cluster.settings().minInsyncReplicas();
        if (existing == null) {
            PartitionReplica created = new PartitionReplica(tp, topicId, openLog(tp), id, assignment, isrChannel);
            replicas.put(tp, created);
            created.setMinInsyncReplicas(minInsync);
            created.update(assignment);
            follow(created);
            sim().note(name() + " hosts " + created);
        } else {
            existing.setMinInsyncReplicas(minInsync);
            if (!existing.assignment().equals(assignment)) {
                existing.update(assignment);
                follow(existing);
                sim().note(name() + " now " + existing);
            }
        }
    }

    private PartitionLog openLog(TopicPartition tp) {
        return logs.computeIfAbsent(tp, t -> {
            try {
                return PartitionLog.open(
                        dataDir.resolve(t.toString()), cluster.settings().logConfig(), runtime);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void remove(TopicPartition tp) {
        unfollow(tp);
        replicas.remove(tp).remove();
        deleteLog(tp);
    }

    private void deleteLog(TopicPartition tp) {
        PartitionLog log = logs.remove(tp);
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CrashedDisk.delete(log.dir());
    }

    /**
     * From now on deletes the logs on disk that the metadata does not assign here (a partition moved away while this
     * broker was down), as {@code ReplicaManager.deleteUnknownLogs} once the broker is first unfenced.
     */
    void deleteUnknownLogs() {
        deleteUnknown = true;
        deleteLogsNotHosted();
    }

    private void deleteLogsNotHosted() {
        for (TopicPartition tp : List.copyOf(logs.keySet())) {
            if (!replicas.containsKey(tp)) {
                sim().note(name() + " deletes its log of " + tp + ", which is not assigned here");
                deleteLog(tp);
            }
        }
    }

    /** As {@code ReplicaFetcherManager.follow}: fetch a follower from its leader, stop fetching anything else. */
    private void follow(PartitionReplica replica) {
        TopicPartition tp = replica.topicPartition();
        int leader = replica.assignment().leader();
        if (!replica.isFollower() || leader < 0 || leader == id) {
            unfollow(tp);
            return;
        }
        FollowerFetcher existing = fetchers.get(tp);
        if (existing != null && existing.leaderId != leader) {
            unfollow(tp);
            existing = null;
        }
        if (existing == null) {
            fetchers.put(tp, new FollowerFetcher(this, replica));
        } else {
            existing.add(replica);
        }
    }

    private void unfollow(TopicPartition tp) {
        FollowerFetcher fetcher = fetchers.remove(tp);
        if (fetcher != null) {
            fetcher.stop();
        }
    }

    private void pollMetadata() {
        cluster.network()
                .<MetadataImage>request(
                        id,
                        SimulatedNetwork.CONTROLLER,
                        "metadata fetch",
                        SimulationSettings.CONTROLLER_REQUEST_TIMEOUT_MS,
                        reply -> reply.accept(cluster.controller().image()),
                        this::onImage,
                        () -> {});
    }

    private void shrinkIsrs() {
        for (PartitionReplica replica : replicas.values()) {
            if (replica.isLeader()) {
                replica.maybeShrinkIsr(SimulationSettings.REPLICA_LAG_TIME_MAX_MS);
            }
        }
    }

    private void checkpointWatermarks() {
        for (Map.Entry<TopicPartition, PartitionLog> e : logs.entrySet()) {
            checkpoint.put(e.getKey(), e.getValue().highWatermark());
        }
    }

    /** A controlled shutdown: see {@link SimulatedLifecycle#shutDown}; the broker then stops cleanly. */
    void shutDown() {
        if (alive) {
            lifecycle.shutDown();
        }
    }

    /** Ends the process after a controlled shutdown: its logs are closed cleanly, losing nothing. */
    void stopCleanly(String why) {
        sim().note(name() + " stops: " + why);
        alive = false;
        flushes.kill();
        scheduler.kill();
        fetchers.values().forEach(FollowerFetcher::stop);
        checkpointWatermarks();
        closeLogs();
        cluster.stopped(id, new Remains(dataDir, Map.copyOf(checkpoint), image, lifecycle.incarnationId()));
    }

    // ---- the follower side's requests

    /** Sends a follower's fetch of one partition to {@code leaderId}; {@code onAnswer} gets null for a refusal. */
    void fetchFrom(
            int leaderId, LeaderClient.Wanted wanted, Consumer<LeaderClient.Fetched> onAnswer, Runnable onTimeout) {
        if (image.broker(leaderId).isEmpty()) {
            // ReplicaClient finds no address for a leader its metadata does not know, and the fetch fails at once.
            onTimeout.run();
            return;
        }
        cluster.network()
                .<LeaderClient.Fetched>request(
                        id,
                        leaderId,
                        "fetch " + wanted.topicPartition() + "@" + wanted.fetchOffset(),
                        SimulationSettings.FETCH_WAIT_MAX_MS + SimulationSettings.FETCH_REQUEST_TIMEOUT_MS,
                        reply -> cluster.serve(
                                leaderId,
                                leader -> leader.requests()
                                        .serveFollowerFetch(id, lifecycle.brokerEpoch(), wanted, reply)),
                        onAnswer,
                        onTimeout);
    }

    /** The fetch loop cut a replica's log. */
    void truncated(PartitionReplica replica) {
        sim().count("follower truncations");
        cluster.checker().truncated(replica);
    }

    // ---- crash

    /**
     * The process dies now: nothing it queued runs again, and its disk is left as {@link CrashedDisk} says, in
     * {@code next}, for the next incarnation.
     */
    Remains crash(Path next) {
        alive = false;
        flushes.kill();
        scheduler.kill();
        fetchers.values().forEach(FollowerFetcher::stop);
        CrashedDisk.copy(sim(), dataDir, next, logs, cluster.settings().powerLoss());
        closeLogs();
        CrashedDisk.delete(dataDir);
        return new Remains(next, Map.copyOf(checkpoint), image, lifecycle.incarnationId());
    }

    /** Closes every log; the simulation ended, or the process died and its disk was copied. */
    void closeLogs() {
        for (PartitionLog log : logs.values()) {
            try {
                log.close();
            } catch (IOException | RuntimeException e) {
                // A log the disk failed under is closed as far as it can be; nothing here is checked any more.
            }
        }
    }

    void stop() {
        alive = false;
        flushes.kill();
        scheduler.kill();
        closeLogs();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(name() + " " + lifecycle.state()
                + (hasLease() ? " with lease" : " without lease") + ", image " + image.offset());
        for (PartitionReplica replica : replicas.values()) {
            PartitionLog log = replica.log();
            text.append("\n    ")
                    .append(replica)
                    .append(": log end ")
                    .append(log.logEndOffset())
                    .append(", durable ")
                    .append(log.durableOffset())
                    .append(", high watermark ")
                    .append(replica.highWatermark())
                    .append(", epochs ")
                    .append(log.leaderEpochs().entries().stream()
                            .map(e -> e.epoch() + "@" + e.startOffset())
                            .toList());
        }
        return text.toString();
    }
}
