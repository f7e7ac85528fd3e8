package io.wharf.coordinator.share;

import io.wharf.common.TopicId;
import io.wharf.coordinator.runtime.CoordinatorResult;
import io.wharf.coordinator.runtime.CoordinatorRuntime;
import io.wharf.coordinator.runtime.CoordinatorTimer;
import io.wharf.coordinator.runtime.NotCoordinatorException;
import io.wharf.coordinator.runtime.PartitionWriter;
import io.wharf.coordinator.runtime.ShardedCoordinator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share coordinator (KIP-932): the durable state of every share-partition, in the shard of the
 * {@code __share_group_state} partition that {@code "group:topicId:partition"} hashes to, on the broker that leads
 * that partition. Share-partition leaders (the leaders of the data partitions, {@link SharePartitionManager}) read
 * the state when they take a share-partition on and write what each of their operations changed; administration
 * initializes, resets, deletes and summarizes it. Every answer is given once its records are durable, so a leader
 * that was told its write is stored can answer its client.
 *
 * <p>Failures are {@link ShareStateException}s with the Kafka error code the share-group state APIs answer.
 * Thread-safe.
 */
public final class ShareCoordinator implements ShardedCoordinator, ShareStateStore {

    /** The internal topic that holds share-partition state. */
    public static final String TOPIC = "__share_group_state";

    private final CoordinatorRuntime<ShareCoordinatorShard> runtime;
    private final int partitions;

    /** Kafka's default of {@code share.coordinator.snapshot.update.records.per.snapshot}. */
    public static final int DEFAULT_UPDATES_PER_SNAPSHOT = 500;

    public ShareCoordinator(
            int partitions, PartitionWriter writer, Executor pool, CoordinatorTimer timer, long snapshotBytes) {
        this(partitions, writer, pool, timer, snapshotBytes, DEFAULT_UPDATES_PER_SNAPSHOT);
    }

    /**
     * @param snapshotBytes the size past which the runtime rewrites a partition as a snapshot of its states
     * @param updatesPerSnapshot the update records a share-partition takes after a state record of it before its
     *     next write is a state record again; bounds what a compacted partition keeps of each share-partition
     */
    public ShareCoordinator(
            int partitions,
            PartitionWriter writer,
            Executor pool,
            CoordinatorTimer timer,
            long snapshotBytes,
            int updatesPerSnapshot) {
        this.partitions = partitions;
        this.runtime = new CoordinatorRuntime<>(
                "share coordinator",
                writer,
                context -> new ShareCoordinatorShard(updatesPerSnapshot),
                pool,
                timer,
                snapshotBytes);
    }

    public int partitions() {
        return partitions;
    }

    /** The partition of {@code __share_group_state} that holds {@code key}. */
    public int partitionFor(SharePartitionKey key) {
        return partitionFor(key, partitions);
    }

    /** The partition of a {@code __share_group_state} of {@code partitions} partitions that holds {@code key}. */
    public static int partitionFor(SharePartitionKey key, int partitions) {
        return (key.toString().hashCode() & 0x7fffffff) % partitions;
    }

    /** Loads (replays) every partition. */
    public CompletableFuture<Void> loadAll() {
        return runtime.loadAll(partitions);
    }

    /**
     * Loads one partition: replays it into a new shard, which then serves its share-partitions. Call when this broker
     * becomes the partition's leader; requests meanwhile are refused COORDINATOR_LOAD_IN_PROGRESS.
     */
    @Override
    public CompletableFuture<Void> load(int partition) {
        return runtime.load(partition);
    }

    /** Unloads one partition: its waiting and queued requests are refused NOT_COORDINATOR. */
    @Override
    public CompletableFuture<Void> unload(int partition) {
        return runtime.unload(partition);
    }

    /** Whether this broker serves the partition now. */
    public boolean isActive(int partition) {
        return runtime.isActive(partition);
    }

    /** The error a share-state request gets when the coordinator could not serve it. */
    public static Errors errorFor(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ShareStateException refused) {
            return refused.error();
        }
        return NotCoordinatorException.errorFor(cause);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Runs a write on the key's shard; a partition not served here fails with a {@link ShareStateException}. */
    private <T> CompletableFuture<T> write(
            SharePartitionKey key, Function<ShareCoordinatorShard, CoordinatorResult<T>> op) {
        return runtime.write(partitionFor(key), op).exceptionallyCompose(failure -> {
            Throwable cause = unwrap(failure);
            if (cause instanceof NotCoordinatorException) {
                return CompletableFuture.failedFuture(new ShareStateException(errorFor(cause), cause.getMessage()));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    @Override
    public CompletableFuture<Void> initialize(SharePartitionKey key, int stateEpoch, long startOffset) {
        return write(key, shard -> shard.initialize(key, stateEpoch, startOffset));
    }

    @Override
    public CompletableFuture<Optional<PersistedShareState>> read(SharePartitionKey key, int leaderEpoch) {
        return write(key, shard -> shard.read(key, leaderEpoch));
    }

    @Override
    public CompletableFuture<Void> write(SharePartitionKey key, ShareStateWrite write) {
        return write(key, shard -> shard.write(key, write));
    }

    @Override
    public CompletableFuture<Void> delete(SharePartitionKey key) {
        return write(key, shard -> shard.delete(key::equals));
    }

    @Override
    public CompletableFuture<Optional<ShareStateSummary>> summary(SharePartitionKey key) {
        return write(key, shard -> CoordinatorResult.answer(shard.summary(key)));
    }

    /**
     * Deletes, in every partition served here, the share-partitions of the topics {@code topics} selects: what is
     * left of a deleted topic. Every partition is served by its leader, which sees the same deletions.
     */
    public CompletableFuture<Void> forgetTopics(Predicate<TopicId> topics) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            if (runtime.isActive(p)) {
                done.add(runtime.write(p, shard -> shard.delete(k -> topics.test(k.topicId()))));
            }
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        runtime.close();
    }
}
