package io.wharf.coordinator.share;

import io.wharf.common.Clock;
import io.wharf.common.TopicId;
import io.wharf.coordinator.runtime.CoordinatorResult;
import io.wharf.coordinator.runtime.CoordinatorRuntime;
import io.wharf.coordinator.runtime.CoordinatorTimer;
import io.wharf.coordinator.runtime.NotCoordinatorException;
import io.wharf.coordinator.runtime.PartitionWriter;
import io.wharf.coordinator.runtime.ShardedCoordinator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share coordinator as the broker's handlers see it: each share-partition lives in the shard of the
 * {@code __share_group_state} partition that {@code "group:topicId:partition"} hashes to, and every acquisition and
 * acknowledgement is answered once its record there is durable. Handlers may also watch a share-partition to learn
 * when records become available again (released, lock expired, delay over).
 *
 * <p>Thread-safe.
 */
public final class ShareCoordinator implements ShardedCoordinator {

    /** The internal topic that holds share-partition state. */
    public static final String TOPIC = "__share_group_state";

    private final CoordinatorRuntime<ShareCoordinatorShard> runtime;
    private final int partitions;
    private final Map<SharePartitionKey, Set<Runnable>> watchers = new ConcurrentHashMap<>();

    public ShareCoordinator(
            int partitions,
            PartitionWriter writer,
            Executor pool,
            CoordinatorTimer timer,
            Clock clock,
            ShareLog shareLog,
            ShareConfigs configs,
            DeadLetters deadLetters,
            long snapshotBytes) {
        this.partitions = partitions;
        this.runtime = new CoordinatorRuntime<>(
                "share coordinator",
                writer,
                context -> new ShareCoordinatorShard(context, clock, shareLog, configs, deadLetters, this::wake),
                pool,
                timer,
                snapshotBytes);
    }

    public int partitions() {
        return partitions;
    }

    /** The partition of {@code __share_group_state} that holds {@code key}. */
    public int partitionFor(SharePartitionKey key) {
        return (key.toString().hashCode() & 0x7fffffff) % partitions;
    }

    /** Loads (replays) every partition. */
    public CompletableFuture<Void> loadAll() {
        return runtime.loadAll(partitions);
    }

    /**
     * Loads one partition: replays it into a new shard, which then serves its share-partitions. Call when this broker
     * becomes the partition's leader; requests meanwhile are answered COORDINATOR_LOAD_IN_PROGRESS.
     */
    @Override
    public CompletableFuture<Void> load(int partition) {
        return runtime.load(partition);
    }

    /**
     * Unloads one partition: its waiting and queued requests are answered NOT_COORDINATOR and its lock and delay
     * timers stop. Call when this broker stops leading the partition.
     */
    @Override
    public CompletableFuture<Void> unload(int partition) {
        return runtime.unload(partition);
    }

    /** The error a client gets when the coordinator could not serve its request. */
    public static Errors errorFor(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof NotCoordinatorException notCoordinator) {
            return notCoordinator.isLoading() ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NOT_COORDINATOR;
        }
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    private <T> CompletableFuture<T> write(
            SharePartitionKey key, Function<ShareCoordinatorShard, CoordinatorResult<T>> op) {
        return runtime.write(partitionFor(key), op);
    }

    /** Creates the share-partitions of a group's newly assigned partitions that do not exist yet. */
    public CompletableFuture<Void> initialize(String groupId, TopicId topicId, Collection<Integer> indexes) {
        List<CompletableFuture<Errors>> done = new ArrayList<>();
        for (int index : indexes) {
            SharePartitionKey key = new SharePartitionKey(groupId, topicId, index);
            done.add(write(key, shard -> shard.initialize(key)));
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /**
     * Applies a member's acknowledgements to one share-partition and acquires records for it, creating the
     * share-partition first when it is consumed for the first time.
     */
    public CompletableFuture<ShareCoordinatorShard.FetchOutcome> fetch(ShareCoordinatorShard.FetchCommand command) {
        SharePartitionKey key = command.key();
        return write(key, shard -> shard.fetch(command)).thenCompose(outcome -> {
            if (!outcome.notInitialized()) {
                return CompletableFuture.completedFuture(outcome);
            }
            ShareCoordinatorShard.FetchCommand acquireOnly = new ShareCoordinatorShard.FetchCommand(
                    key,
                    command.memberId(),
                    List.of(),
                    command.renewAllowed(),
                    command.maxRecords(),
                    command.maxBytes(),
                    command.alignToBatches());
            return write(key, shard -> shard.initialize(key))
                    .thenCompose(initialized -> write(key, shard -> shard.fetch(acquireOnly)))
                    .thenApply(acquired -> new ShareCoordinatorShard.FetchOutcome(
                            acquired.error(),
                            acquired.message(),
                            outcome.ackError(),
                            outcome.ackMessage(),
                            acquired.acquired(),
                            acquired.batches(),
                            false));
        });
    }

    /**
     * Gives back every record {@code memberId} holds in its group: when it leaves, is removed, or closes its share
     * session. A graceful give-back does not count the records as delivered.
     */
    public CompletableFuture<Void> releaseMember(String groupId, String memberId, boolean graceful) {
        return onEveryShard(shard -> shard.releaseMember(groupId, memberId, graceful))
                .thenApply(results -> null);
    }

    /** Sets a share-partition's start offset and forgets its record states. */
    public CompletableFuture<Errors> reset(SharePartitionKey key, long startOffset) {
        return write(key, shard -> shard.reset(key, startOffset));
    }

    /** Deletes every share-partition of {@code groupId} whose topic {@code topics} selects. */
    public CompletableFuture<List<SharePartitionKey>> delete(String groupId, Predicate<TopicId> topics) {
        return onEveryShard(shard -> shard.delete(k -> k.groupId().equals(groupId) && topics.test(k.topicId())))
                .thenApply(lists -> lists.stream().flatMap(List::stream).toList());
    }

    /** Deletes the share-partitions of every group on the topics {@code topics} selects (deleted topics). */
    public CompletableFuture<Void> forgetTopics(Predicate<TopicId> topics) {
        return onEveryShard(shard -> shard.delete(k -> topics.test(k.topicId())))
                .thenApply(lists -> null);
    }

    /** The share-partitions of {@code groupId} (of the topics {@code topics} selects) with start offsets and lag. */
    public CompletableFuture<List<ShareCoordinatorShard.Offsets>> describe(String groupId, Predicate<TopicId> topics) {
        return runtime.readAll(shard -> shard.describe(k -> k.groupId().equals(groupId) && topics.test(k.topicId())))
                .thenApply(lists -> lists.stream().flatMap(List::stream).toList());
    }

    private <T> CompletableFuture<List<T>> onEveryShard(Function<ShareCoordinatorShard, CoordinatorResult<T>> op) {
        List<CompletableFuture<T>> results = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            results.add(runtime.write(p, op));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(v -> results.stream().map(CompletableFuture::join).toList());
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

    private void wake(SharePartitionKey key) {
        Set<Runnable> set = watchers.get(key);
        if (set != null) {
            set.forEach(Runnable::run);
        }
    }

    @Override
    public void close() {
        runtime.close();
    }
}
