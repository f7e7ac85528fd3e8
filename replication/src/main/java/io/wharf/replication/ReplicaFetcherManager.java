package io.wharf.replication;

import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The replica fetchers of this broker: one per broker it follows partitions of, each with one thread, so the number
 * of fetcher threads is bounded by the cluster's size. A follower is moved to the fetcher of its new leader when the
 * leader changes, and stops being fetched when it becomes leader or is removed.
 *
 * <p>Threads: called from the metadata publisher's thread; thread-safe.
 */
public final class ReplicaFetcherManager implements AutoCloseable {

    /**
     * How followers fetch.
     *
     * @param maxWaitMs how long a leader may hold a fetch with nothing new ({@code replica.fetch.wait.max.ms})
     * @param minBytes the bytes a leader waits for ({@code replica.fetch.min.bytes})
     * @param maxBytes the most bytes one fetch returns ({@code replica.fetch.response.max.bytes})
     * @param partitionMaxBytes the most bytes per partition ({@code replica.fetch.max.bytes})
     * @param backoffMs how long a partition the leader refused, or a leader that cannot be reached, waits
     *     ({@code replica.fetch.backoff.ms})
     * @param requestTimeoutMs how long a fetch may take beyond its wait
     */
    public record Settings(
            int maxWaitMs, int minBytes, int maxBytes, int partitionMaxBytes, long backoffMs, long requestTimeoutMs) {

        public static Settings defaults() {
            return new Settings(500, 1, 10 << 20, 1 << 20, 1_000, 30_000);
        }
    }

    private final int brokerId;
    private final LongSupplier brokerEpoch;
    private final LeaderClient client;
    private final Settings settings;
    private final Clock clock;
    private final ReplicationThrottle throttle;
    private final Map<Integer, ReplicaFetcher> fetchers = new HashMap<>();
    private boolean closed;

    public ReplicaFetcherManager(
            int brokerId, LongSupplier brokerEpoch, LeaderClient client, Settings settings, Clock clock) {
        this(brokerId, brokerEpoch, client, settings, clock, ReplicationThrottle.NONE);
    }

    /** @param throttle the follower side's throttle of moving replicas ({@code follower.replication.throttled.*}) */
    public ReplicaFetcherManager(
            int brokerId,
            LongSupplier brokerEpoch,
            LeaderClient client,
            Settings settings,
            Clock clock,
            ReplicationThrottle throttle) {
        this.brokerId = brokerId;
        this.brokerEpoch = brokerEpoch;
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.throttle = throttle;
    }

    /**
     * Fetches {@code replica} from its leader, as its assignment names it; stops fetching it when it has no leader
     * or is not a follower.
     */
    public synchronized void follow(PartitionReplica replica) {
        TopicPartition tp = replica.topicPartition();
        int leader = replica.assignment().leader();
        if (closed || !replica.isFollower() || leader < 0 || leader == brokerId) {
            unfollow(tp);
            return;
        }
        for (ReplicaFetcher fetcher : fetchers.values()) {
            if (fetcher.leaderId() != leader) {
                fetcher.remove(tp);
            }
        }
        fetchers.computeIfAbsent(leader, id -> {
                    ReplicaFetcher fetcher =
                            new ReplicaFetcher(id, brokerId, brokerEpoch, client, settings, clock, throttle);
                    fetcher.start();
                    return fetcher;
                })
                .add(replica);
        stopIdleFetchers();
    }

    /** Stops fetching {@code tp}. */
    public synchronized void unfollow(TopicPartition tp) {
        for (ReplicaFetcher fetcher : fetchers.values()) {
            fetcher.remove(tp);
        }
        stopIdleFetchers();
    }

    private void stopIdleFetchers() {
        Set<Integer> idle = new HashSet<>();
        fetchers.forEach((leader, fetcher) -> {
            if (fetcher.isEmpty()) {
                idle.add(leader);
            }
        });
        for (int leader : idle) {
            fetchers.remove(leader).close();
        }
    }

    /** The leaders fetched from now; for tests and tools. */
    public synchronized Set<Integer> leaders() {
        return Set.copyOf(fetchers.keySet());
    }

    /** Whether {@code tp} is being fetched. */
    public synchronized boolean isFetching(TopicPartition tp) {
        return fetchers.values().stream().anyMatch(f -> f.contains(tp));
    }

    @Override
    public synchronized void close() {
        closed = true;
        fetchers.values().forEach(ReplicaFetcher::close);
        fetchers.clear();
    }
}
