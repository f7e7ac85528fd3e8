package io.wharf.replication;

import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import io.wharf.storage.LogException;
import io.wharf.storage.PartitionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the partitions this broker follows from one leader: one thread, one fetch at a time for all of them.
 *
 * <pre>
 * loop: fetch every partition from its log end (with its last epoch and the leader epoch it knows)
 *       per partition: truncate where the leader says the logs diverged, or append what came
 *       wait until what was appended is durable (the data directory's journal makes it one fsync for all the
 *       partitions), then take the leaders' high watermarks
 * </pre>
 *
 * <p>A partition that is being moved here and is throttled ({@link ReplicationThrottle}) sits out a round while the
 * throttled bytes are over their rate; it is fetched again once the rate falls.
 *
 * <p>Under {@code wharf.flush.policy=acks-all} the next fetch starts only once what this one appended is on disk, and
 * a partition whose log end is not on disk yet (it came from another fetcher, or from leading) is fsynced before it
 * is fetched, so the fetch offset a follower reports, which the leader counts as its position, is always durable. A
 * partition whose
 * leader refuses it (the leader moved, or the epochs disagree) waits {@code backoffMs} before it is fetched again;
 * the metadata will move it to another fetcher or give it a new epoch.
 *
 * <p>Threads: its own; partitions are added and removed from any thread.
 */
final class ReplicaFetcher implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaFetcher.class);

    /** A partition being fetched, and until when it waits after an error. */
    private static final class Fetching {
        final PartitionReplica replica;
        final int leaderEpoch;
        volatile long delayedUntilMs;

        Fetching(PartitionReplica replica) {
            this.replica = replica;
            this.leaderEpoch = replica.leaderEpoch();
        }
    }

    private final int leaderId;
    private final int brokerId;
    private final LongSupplier brokerEpoch;
    private final LeaderClient client;
    private final ReplicaFetcherManager.Settings settings;
    private final Clock clock;
    private final ReplicationThrottle throttle;
    private final Map<TopicPartition, Fetching> partitions = new ConcurrentHashMap<>();
    private final Object wakeUp = new Object();
    private final Thread thread;
    private volatile boolean running = true;

    ReplicaFetcher(
            int leaderId,
            int brokerId,
            LongSupplier brokerEpoch,
            LeaderClient client,
            ReplicaFetcherManager.Settings settings,
            Clock clock,
            ReplicationThrottle throttle) {
        this.leaderId = leaderId;
        this.brokerId = brokerId;
        this.brokerEpoch = brokerEpoch;
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.throttle = throttle;
        this.thread = new Thread(this, "wharf-replica-fetcher-" + leaderId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    int leaderId() {
        return leaderId;
    }

    void add(PartitionReplica replica) {
        partitions.put(replica.topicPartition(), new Fetching(replica));
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    boolean remove(TopicPartition tp) {
        return partitions.remove(tp) != null;
    }

    boolean isEmpty() {
        return partitions.isEmpty();
    }

    boolean contains(TopicPartition tp) {
        return partitions.containsKey(tp);
    }

    @Override
    public void run() {
        while (running) {
            try {
                if (!fetchOnce()) {
                    idle(settings.backoffMs());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Fetching from broker {} failed", leaderId, e);
                try {
                    idle(settings.backoffMs());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void idle(long ms) throws InterruptedException {
        synchronized (wakeUp) {
            if (running) {
                wakeUp.wait(Math.max(1, ms));
            }
        }
    }

    /** One fetch round; false when there was nothing to fetch or the leader could not be reached. */
    private boolean fetchOnce() throws InterruptedException {
        long now = clock.nowMs();
        List<Fetching> round = new ArrayList<>();
        List<LeaderClient.Wanted> wanted = new ArrayList<>();
        List<CompletableFuture<Void>> unsynced = new ArrayList<>();
        for (Fetching fetching : partitions.values()) {
            PartitionReplica replica = fetching.replica;
            if (fetching.delayedUntilMs > now || !replica.isFollower()) {
                continue;
            }
            if (!durableToEnd(replica)) {
                unsynced.add(replica.log().flush(replica.log().logEndOffset()));
                continue;
            }
            boolean inSync = replica.assignment().isr().contains(brokerId);
            if (throttle.holdsBack(replica.topicPartition(), brokerId, inSync)) {
                continue;
            }
            round.add(fetching);
            wanted.add(new LeaderClient.Wanted(
                    replica.topicPartition(),
                    replica.topicId(),
                    replica.log().logEndOffset(),
                    replica.lastEpoch(),
                    fetching.leaderEpoch,
                    replica.log().logStartOffset(),
                    settings.partitionMaxBytes()));
        }
        if (wanted.isEmpty()) {
            return !unsynced.isEmpty() && synced(unsynced);
        }
        LeaderClient.Request request = new LeaderClient.Request(
                brokerId,
                brokerEpoch.getAsLong(),
                settings.maxWaitMs(),
                settings.minBytes(),
                settings.maxBytes(),
                wanted);
        List<LeaderClient.Fetched> answers;
        try {
            answers = client.fetch(leaderId, request)
                    .get(settings.maxWaitMs() + settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("Fetch from broker {} failed: {}", leaderId, e.toString());
            return false;
        }
        List<CompletableFuture<Void>> flushes = new ArrayList<>();
        List<LeaderClient.Fetched> appended = new ArrayList<>();
        for (LeaderClient.Fetched answer : answers) {
            Fetching fetching = partitions.get(answer.topicPartition());
            if (fetching == null || !round.contains(fetching) || !fetching.replica.isFollower()) {
                continue;
            }
            if (handle(fetching, answer, flushes)) {
                appended.add(answer);
            }
        }
        try {
            CompletableFuture.allOf(flushes.toArray(CompletableFuture[]::new))
                    .get(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("An fsync of fetched records failed or took too long: {}", e.toString());
        }
        for (LeaderClient.Fetched answer : appended) {
            Fetching fetching = partitions.get(answer.topicPartition());
            if (fetching != null) {
                fetching.replica.followLeaderHighWatermark(answer.highWatermark());
            }
        }
        return true;
    }

    /**
     * Whether the follower's position, its log end, is on its disk (or need not be, under the other flush policies).
     * The leader counts the position in the high watermark as this follower having everything below it, so under
     * acks-all a fetch is only sent from a durable end. The round that appended waits for its fsync, but the end may
     * not be durable when a partition comes to this fetcher: its leader changed while the previous leader's fetcher
     * was still waiting for that fsync, or it led the partition until now and had not synced all it wrote.
     */
    private static boolean durableToEnd(PartitionReplica replica) {
        PartitionLog partitionLog = replica.log();
        return partitionLog.config().exposesUnflushed() || partitionLog.durableOffset() >= partitionLog.logEndOffset();
    }

    /** Waits for the fsyncs of partitions not yet durable to their end; false when one failed or took too long. */
    private boolean synced(List<CompletableFuture<Void>> flushes) throws InterruptedException {
        try {
            CompletableFuture.allOf(flushes.toArray(CompletableFuture[]::new))
                    .get(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("An fsync of a followed partition failed or took too long: {}", e.toString());
            return false;
        }
    }

    /** Applies one partition's answer; true when it may take the leader's watermark after the round's fsyncs. */
    private boolean handle(Fetching fetching, LeaderClient.Fetched answer, List<CompletableFuture<Void>> flushes) {
        PartitionReplica replica = fetching.replica;
        switch (answer.error()) {
            case NONE -> {
                if (answer.divergingEpoch() >= 0) {
                    replica.truncateToDivergence(answer.divergingEpoch(), answer.divergingEndOffset());
                    return false;
                }
                if (answer.records() != null && answer.records().hasRemaining()) {
                    throttle.record(
                            replica.topicPartition(), brokerId, answer.records().remaining());
                    try {
                        replica.appendAsFollower(answer.records());
                    } catch (LogException | ReplicaException e) {
                        log.warn(
                                "{}: cannot append what broker {} sent: {}",
                                replica.topicPartition(),
                                leaderId,
                                e.getMessage());
                        delay(fetching);
                        return false;
                    }
                }
                if (!replica.log().config().exposesUnflushed()) {
                    flushes.add(replica.log().flush(replica.log().logEndOffset()));
                }
                return true;
            }
            case OFFSET_OUT_OF_RANGE -> {
                outOfRange(fetching, answer);
                return false;
            }
            default -> {
                log.debug("{}: broker {} answered {}", replica.topicPartition(), leaderId, answer.error());
                delay(fetching);
                return false;
            }
        }
    }

    /**
     * The leader has no records at this follower's log end: its log is shorter (keep what the leader has committed)
     * or starts later (retention deleted what this follower never got).
     */
    private void outOfRange(Fetching fetching, LeaderClient.Fetched answer) {
        PartitionReplica replica = fetching.replica;
        long end = replica.log().logEndOffset();
        if (answer.highWatermark() >= 0 && end > answer.highWatermark()) {
            replica.truncateTo(answer.highWatermark());
        } else if (answer.logStartOffset() > end) {
            log.warn(
                    "{}: the leader's log starts at {}, past this follower's end {}; starting over there",
                    replica.topicPartition(),
                    answer.logStartOffset(),
                    end);
            replica.startOver(answer.logStartOffset());
            delay(fetching);
        } else {
            delay(fetching);
        }
    }

    private void delay(Fetching fetching) {
        fetching.delayedUntilMs = clock.nowMs() + settings.backoffMs();
    }

    void close() {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
