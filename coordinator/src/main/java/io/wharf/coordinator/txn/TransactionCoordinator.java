package io.wharf.coordinator.txn;

import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import io.wharf.coordinator.runtime.CoordinatorRuntime;
import io.wharf.coordinator.runtime.CoordinatorTimer;
import io.wharf.coordinator.runtime.NotCoordinatorException;
import io.wharf.coordinator.runtime.PartitionWriter;
import io.wharf.coordinator.runtime.ShardedCoordinator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.kafka.common.protocol.Errors;

/**
 * The transaction coordinator: every transactional id lives in the {@code __transaction_state} partition its id
 * hashes to (Kafka's rule, so FindCoordinator and Kafka's tools agree), on the broker that leads that partition.
 *
 * <p>Answers carry Kafka error codes: NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS when the id's partition is not
 * served here, the transaction errors otherwise. A refused request writes nothing. Thread-safe.
 */
public final class TransactionCoordinator implements ShardedCoordinator {

    /** The internal topic that holds transaction state. */
    public static final String TOPIC = "__transaction_state";

    /** InitProducerId's answer: a producer id and epoch, or the error. */
    public record ProducerIdAndEpoch(Errors error, long producerId, short producerEpoch) {}

    private final CoordinatorRuntime<TransactionCoordinatorShard> runtime;
    private final int partitions;

    /**
     * @param coordinatorEpoch the leader epoch of a {@code __transaction_state} partition, carried by its markers
     */
    public TransactionCoordinator(
            int partitions,
            PartitionWriter writer,
            Executor pool,
            CoordinatorTimer timer,
            Clock clock,
            TransactionConfig config,
            TransactionMarkerWriter markers,
            IntUnaryOperator coordinatorEpoch,
            long snapshotBytes) {
        this.partitions = partitions;
        this.runtime = new CoordinatorRuntime<>(
                "transaction coordinator",
                writer,
                context -> new TransactionCoordinatorShard(
                        context, config, clock, markers, () -> coordinatorEpoch.applyAsInt(context.partition())),
                pool,
                timer,
                snapshotBytes);
    }

    public int partitions() {
        return partitions;
    }

    /** The partition of {@code __transaction_state} that holds {@code transactionalId}. */
    public static int partitionFor(String transactionalId, int partitions) {
        return (transactionalId.hashCode() & 0x7fffffff) % partitions;
    }

    public int partitionFor(String transactionalId) {
        return partitionFor(transactionalId, partitions);
    }

    @Override
    public CompletableFuture<Void> load(int partition) {
        return runtime.load(partition);
    }

    @Override
    public CompletableFuture<Void> unload(int partition) {
        return runtime.unload(partition);
    }

    /** Whether the transactional id's partition is served here now. */
    public boolean serves(String transactionalId) {
        return runtime.isActive(partitionFor(transactionalId));
    }

    /** The error a request gets when the coordinator could not serve it. */
    public static Errors errorFor(Throwable failure) {
        return NotCoordinatorException.errorFor(failure);
    }

    /**
     * InitProducerId for a transactional id.
     *
     * @param freshProducerId hands out a new producer id; used only when the id needs one
     */
    public CompletableFuture<ProducerIdAndEpoch> initProducerId(
            String transactionalId,
            int timeoutMs,
            long expectedProducerId,
            short expectedEpoch,
            LongSupplier freshProducerId) {
        int partition = partitionFor(transactionalId);
        return runtime.write(
                        partition,
                        shard -> shard.initProducerId(
                                transactionalId,
                                timeoutMs,
                                freshProducerId.getAsLong(),
                                expectedProducerId,
                                expectedEpoch))
                .thenApply(r -> new ProducerIdAndEpoch(r.error(), r.producerId(), r.producerEpoch()))
                .exceptionally(failure -> new ProducerIdAndEpoch(errorFor(failure), -1, (short) -1));
    }

    /** AddPartitionsToTxn (and AddOffsetsToTxn, with the group's offsets partition); one error for them all. */
    public CompletableFuture<Errors> addPartitions(
            String transactionalId, long producerId, short epoch, Set<TopicPartition> added, boolean verifyOnly) {
        return runtime.write(
                        partitionFor(transactionalId),
                        shard -> shard.addPartitions(transactionalId, producerId, epoch, added, verifyOnly))
                .exceptionally(TransactionCoordinator::errorFor);
    }

    /** EndTxn's answer: with transaction version 2, the producer id and epoch for the next transaction, else -1. */
    public record EndTxnResult(Errors error, long producerId, short producerEpoch) {}

    /**
     * EndTxn.
     *
     * @param bumpEpoch transaction version 2 (EndTxn v5): the producer gets a new epoch with every transaction
     * @param freshProducerId with {@code bumpEpoch}, a producer id for when the epoch runs out, or -1
     */
    public CompletableFuture<EndTxnResult> endTransaction(
            String transactionalId,
            long producerId,
            short epoch,
            boolean commit,
            boolean bumpEpoch,
            long freshProducerId) {
        return runtime.write(
                        partitionFor(transactionalId),
                        shard -> shard.endTransaction(
                                transactionalId, producerId, epoch, commit, bumpEpoch, freshProducerId))
                .thenApply(r -> new EndTxnResult(r.error(), r.producerId(), r.producerEpoch()))
                .exceptionally(failure -> new EndTxnResult(errorFor(failure), -1, (short) -1));
    }

    /**
     * The state of one transactional id (DescribeTransactions).
     *
     * @return empty when the id is unknown; fails with NOT_COORDINATOR when its partition is not served here
     */
    public CompletableFuture<Optional<TransactionMetadata>> describe(String transactionalId) {
        return runtime.read(partitionFor(transactionalId), shard -> shard.transaction(transactionalId));
    }

    /** Every transactional id served here that {@code filter} accepts (ListTransactions). */
    public CompletableFuture<List<TransactionMetadata>> list(Predicate<TransactionMetadata> filter) {
        return runtime.readAll(shard -> shard.transactions(filter))
                .thenApply(lists -> lists.stream().flatMap(List::stream).toList());
    }

    /** Runs the timeout check of every loaded partition now, rather than at its next interval (tests, tools). */
    public CompletableFuture<Void> expireNow(int partition) {
        return runtime.write(partition, TransactionCoordinatorShard::expire);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
