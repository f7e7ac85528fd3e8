package io.wharf.coordinator.share;

import io.wharf.common.Clock;
import io.wharf.coordinator.runtime.CoordinatorTimer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share-partitions whose data partitions this broker leads, each run by its {@link SharePartitionLeader}: the
 * protocol-neutral API of queues (acquire and acknowledge in a fetch, release, renew, a member's records given back)
 * that the Kafka handlers use and another front end can use too. A share-partition is taken on when it is first used
 * here (its state read from the share coordinator) and let go when this broker stops leading its data partition, or
 * when it holds nothing and is evicted.
 *
 * <p>Callers may also watch a share-partition to learn when records become available again (released, a lock ran
 * out, a delay is over). Thread-safe.
 */
public final class SharePartitionManager implements AutoCloseable {

    private final SharePersister persister;
    private final ShareLog log;
    private final ShareConfigs configs;
    private final DeadLetters deadLetters;
    private final Executor pool;
    private final CoordinatorTimer timer;
    private final Clock clock;
    private final Map<SharePartitionKey, SharePartitionLeader> leaders = new ConcurrentHashMap<>();
    private final Map<SharePartitionKey, Set<Runnable>> watchers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param persister where the share-partitions' state is kept (the share coordinators)
     * @param log the data partitions this broker leads
     * @param pool runs the leaders' serial executors
     * @param timer the leaders' lock and delay timers
     */
    public SharePartitionManager(
            SharePersister persister,
            ShareLog log,
            ShareConfigs configs,
            DeadLetters deadLetters,
            Executor pool,
            CoordinatorTimer timer,
            Clock clock) {
        this.persister = persister;
        this.log = log;
        this.configs = configs;
        this.deadLetters = deadLetters;
        this.pool = pool;
        this.timer = timer;
        this.clock = clock;
    }

    /**
     * Applies a member's acknowledgements to one share-partition and acquires records for it, creating the
     * share-partition first when it is consumed for the first time. Fails with a {@link ShareStateException}
     * (NOT_LEADER_OR_FOLLOWER when this broker does not lead the data partition).
     */
    public CompletableFuture<FetchOutcome> fetch(FetchCommand command) {
        return submit(command.key(), ShareOperation.fetch(command));
    }

    /**
     * Gives back every record {@code memberId} holds in the share-partitions of its group led here: when it leaves,
     * is removed, or closes its share session. A graceful give-back does not count the records as delivered.
     */
    public CompletableFuture<Void> releaseMember(String groupId, String memberId, boolean graceful) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (SharePartitionLeader leader : leaders.values()) {
            if (leader.key().groupId().equals(groupId)) {
                done.add(submit(leader.key(), ShareOperation.release(memberId, graceful))
                        .exceptionally(failure -> null));
            }
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /**
     * Lets go of every share-partition whose data partition this broker no longer leads in the epoch it took it on
     * in; call when leadership may have moved.
     */
    public void leadershipChanged() {
        leaders.values().forEach(SharePartitionLeader::checkLeadership);
    }

    /**
     * Lets go of the share-partitions of {@code groupId} that hold no records, so that their next use reads their
     * state from the share coordinator again: what administration changed meanwhile (a reset, a delete) is seen.
     */
    public void evictIdle(String groupId) {
        leaders.values().stream()
                .filter(l -> l.key().groupId().equals(groupId))
                .forEach(SharePartitionLeader::evictIfIdle);
    }

    /** The groups that have share-partitions here, each with the members that hold records of them. */
    public Map<String, Set<String>> holdersByGroup() {
        Map<String, Set<String>> holders = new HashMap<>();
        for (SharePartitionLeader leader : leaders.values()) {
            holders.computeIfAbsent(leader.key().groupId(), g -> new HashSet<>())
                    .addAll(leader.holders());
        }
        return holders;
    }

    /** Runs {@code watcher} whenever records of {@code key} may have become available, until unwatched. */
    public void watch(SharePartitionKey key, Runnable watcher) {
        watchers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(watcher);
    }

    public void unwatch(SharePartitionKey key, Runnable watcher) {
        watchers.computeIfPresent(key, (k, set) -> {
            set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
    }

    /** Lets go of every share-partition; what waits is answered NOT_LEADER_OR_FOLLOWER. */
    @Override
    public void close() {
        closed = true;
        leaders.values().forEach(SharePartitionLeader::shutDown);
    }

    // ---- for the leaders

    private <T> CompletableFuture<T> submit(SharePartitionKey key, ShareOperation<T> operation) {
        SharePartitionLeader.Pending<T> pending =
                new SharePartitionLeader.Pending<>(operation, new CompletableFuture<>());
        resubmit(key, pending);
        return pending.answer();
    }

    /** Hands an operation to the key's current leader, taking the share-partition on when it has none. */
    <T> void resubmit(SharePartitionKey key, SharePartitionLeader.Pending<T> pending) {
        if (closed) {
            pending.fail(new ShareStateException(Errors.NOT_LEADER_OR_FOLLOWER, "the broker is stopping"));
            return;
        }
        SharePartitionLeader leader = leaders.get(key);
        if (leader != null) {
            leader.submit(pending);
            return;
        }
        SharePartitionLeader created = new SharePartitionLeader(key, this);
        leader = leaders.putIfAbsent(key, created);
        if (leader != null) {
            leader.submit(pending);
            return;
        }
        // Queued before the load starts, so the load sees it (and knows whether to create the share-partition).
        created.submit(pending);
        created.start();
    }

    /** A closed leader leaves; a later operation of its key starts a fresh one. */
    void remove(SharePartitionLeader leader) {
        leaders.remove(leader.key(), leader);
    }

    void wake(SharePartitionKey key) {
        Set<Runnable> set = watchers.get(key);
        if (set != null) {
            set.forEach(Runnable::run);
        }
    }

    /** The current leader of {@code key}, for tests. */
    SharePartitionLeader leader(SharePartitionKey key) {
        return leaders.get(key);
    }

    SharePersister persister() {
        return persister;
    }

    ShareLog log() {
        return log;
    }

    ShareConfigs configs() {
        return configs;
    }

    DeadLetters deadLetters() {
        return deadLetters;
    }

    Executor pool() {
        return pool;
    }

    CoordinatorTimer timer() {
        return timer;
    }

    Clock clock() {
        return clock;
    }
}
