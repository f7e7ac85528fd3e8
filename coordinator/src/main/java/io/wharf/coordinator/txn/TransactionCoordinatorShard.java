package io.wharf.coordinator.txn;

import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import io.wharf.coordinator.runtime.CoordinatorResult;
import io.wharf.coordinator.runtime.CoordinatorRuntime.ShardContext;
import io.wharf.coordinator.runtime.CoordinatorShard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.apache.kafka.common.protocol.Errors;

/**
 * The transactional ids of one {@code __transaction_state} partition. Every operation computes its records and answer
 * from the current state and changes nothing; {@link #replay} is the only mutation. Markers are written once the
 * record that moved a transaction to PREPARE_* is durable (after commit), and a write of COMPLETE_* follows when
 * every marker is in; a shard loaded with transactions still preparing writes their markers again.
 *
 * <p>Soft state: only the periodic timer that aborts timed-out transactions and expires idle ids. Every method runs
 * on the shard's thread.
 */
final class TransactionCoordinatorShard implements CoordinatorShard {

    static final String TIMEOUT_TIMER = "transaction-timeouts";

    /** InitProducerId's answer. */
    record InitResult(Errors error, long producerId, short producerEpoch) {
        static InitResult failed(Errors error) {
            return new InitResult(error, -1, (short) -1);
        }
    }

    private final Map<String, TransactionMetadata> transactions = new HashMap<>();
    private final ShardContext<TransactionCoordinatorShard> context;
    private final TransactionConfig config;
    private final Clock clock;
    private final TransactionMarkerWriter markers;
    private final IntSupplier coordinatorEpoch;

    TransactionCoordinatorShard(
            ShardContext<TransactionCoordinatorShard> context,
            TransactionConfig config,
            Clock clock,
            TransactionMarkerWriter markers,
            IntSupplier coordinatorEpoch) {
        this.context = context;
        this.config = config;
        this.clock = clock;
        this.markers = markers;
        this.coordinatorEpoch = coordinatorEpoch;
    }

    // ---- replay

    @Override
    public void replay(CoordinatorRecord record) {
        String id = TransactionRecords.transactionalId(record.key());
        if (record.isTombstone()) {
            transactions.remove(id);
        } else {
            transactions.put(id, TransactionRecords.metadata(id, record.value()));
        }
    }

    @Override
    public List<CoordinatorRecord> snapshot() {
        return transactions.values().stream().map(TransactionRecords::record).toList();
    }

    @Override
    public void onLoaded() {
        for (TransactionMetadata metadata : transactions.values()) {
            if (metadata.state().isPreparing()) {
                sendMarkers(metadata);
            }
        }
        scheduleTimeouts();
    }

    // ---- reads

    Optional<TransactionMetadata> transaction(String transactionalId) {
        return Optional.ofNullable(transactions.get(transactionalId));
    }

    List<TransactionMetadata> transactions(Predicate<TransactionMetadata> filter) {
        return transactions.values().stream().filter(filter).toList();
    }

    // ---- InitProducerId

    /**
     * Gives the transactional id its producer id and a new epoch, which fences every earlier producer of the id. An
     * open transaction is aborted first (the producer retries on CONCURRENT_TRANSACTIONS until the markers are in).
     *
     * @param freshProducerId a producer id to use if the id is new, or its epoch is exhausted
     * @param expectedProducerId with {@code expectedEpoch}, the producer's current id and epoch when it re-initializes
     *     itself after an error (KIP-360), else -1
     */
    CoordinatorResult<InitResult> initProducerId(
            String transactionalId, int timeoutMs, long freshProducerId, long expectedProducerId, short expectedEpoch) {
        if (timeoutMs <= 0 || timeoutMs > config.maxTimeoutMs()) {
            return CoordinatorResult.answer(InitResult.failed(Errors.INVALID_TRANSACTION_TIMEOUT));
        }
        long now = clock.nowMs();
        TransactionMetadata current = transactions.get(transactionalId);
        if (current == null) {
            TransactionMetadata created = new TransactionMetadata(
                    transactionalId, freshProducerId, (short) 0, timeoutMs, TransactionState.EMPTY, Set.of(), -1, now);
            return CoordinatorResult.of(
                    List.of(TransactionRecords.record(created)),
                    new InitResult(Errors.NONE, freshProducerId, (short) 0));
        }
        if (current.state().isPreparing()) {
            return CoordinatorResult.answer(InitResult.failed(Errors.CONCURRENT_TRANSACTIONS));
        }
        if (expectedProducerId >= 0
                && (expectedProducerId != current.producerId() || expectedEpoch != current.producerEpoch())) {
            return CoordinatorResult.answer(InitResult.failed(Errors.PRODUCER_FENCED));
        }
        if (current.state() == TransactionState.ONGOING) {
            return abort(current, now, InitResult.failed(Errors.CONCURRENT_TRANSACTIONS));
        }
        boolean exhausted = current.producerEpoch() >= Short.MAX_VALUE - 1;
        long producerId = exhausted ? freshProducerId : current.producerId();
        short epoch = exhausted ? 0 : (short) (current.producerEpoch() + 1);
        TransactionMetadata next =
                current.withProducer(producerId, epoch, timeoutMs).moveTo(TransactionState.EMPTY, Set.of(), now);
        return CoordinatorResult.of(
                List.of(TransactionRecords.record(next)), new InitResult(Errors.NONE, producerId, epoch));
    }

    // ---- AddPartitionsToTxn, AddOffsetsToTxn

    /**
     * Adds partitions to the producer's transaction, starting one when none is open.
     *
     * @param verifyOnly a partition leader asks whether the partitions are in the open transaction (KIP-890): nothing
     *     is written, and INVALID_TXN_STATE says they are not
     */
    CoordinatorResult<Errors> addPartitions(
            String transactionalId, long producerId, short epoch, Set<TopicPartition> partitions, boolean verifyOnly) {
        TransactionMetadata current = transactions.get(transactionalId);
        Errors refused = checkProducer(current, producerId, epoch);
        if (refused != Errors.NONE) {
            return CoordinatorResult.answer(refused);
        }
        if (current.state().isPreparing()) {
            return CoordinatorResult.answer(Errors.CONCURRENT_TRANSACTIONS);
        }
        boolean allIn = current.state() == TransactionState.ONGOING
                && current.partitions().containsAll(partitions);
        if (verifyOnly || allIn) {
            return CoordinatorResult.answer(allIn ? Errors.NONE : Errors.INVALID_TXN_STATE);
        }
        Set<TopicPartition> union =
                new HashSet<>(current.state() == TransactionState.ONGOING ? current.partitions() : Set.of());
        union.addAll(partitions);
        TransactionMetadata next = current.moveTo(TransactionState.ONGOING, union, clock.nowMs());
        return CoordinatorResult.of(List.of(TransactionRecords.record(next)), Errors.NONE);
    }

    // ---- EndTxn

    /** Ends the producer's transaction: PREPARE_COMMIT or PREPARE_ABORT now, markers once that is durable. */
    CoordinatorResult<Errors> endTransaction(String transactionalId, long producerId, short epoch, boolean commit) {
        TransactionMetadata current = transactions.get(transactionalId);
        Errors refused = checkProducer(current, producerId, epoch);
        if (refused != Errors.NONE) {
            return CoordinatorResult.answer(refused);
        }
        TransactionState state = current.state();
        if (state == TransactionState.ONGOING) {
            return commit
                    ? prepare(current, TransactionState.PREPARE_COMMIT, clock.nowMs(), Errors.NONE)
                    : abort(current, clock.nowMs(), Errors.NONE);
        }
        // A retry of an EndTxn already taken: the same answer while its markers are written and after.
        TransactionState prepared = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
        TransactionState completed = commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        if (state == prepared) {
            return CoordinatorResult.answer(Errors.CONCURRENT_TRANSACTIONS);
        }
        if (state == completed) {
            return CoordinatorResult.answer(Errors.NONE);
        }
        return CoordinatorResult.answer(Errors.INVALID_TXN_STATE);
    }

    /** Every marker of the prepared transaction is written: it is complete. */
    CoordinatorResult<Void> markersWritten(String transactionalId, long producerId, short epoch) {
        TransactionMetadata current = transactions.get(transactionalId);
        if (current == null
                || !current.state().isPreparing()
                || current.producerId() != producerId
                || current.producerEpoch() != epoch) {
            return CoordinatorResult.answer(null);
        }
        TransactionState done = current.state() == TransactionState.PREPARE_COMMIT
                ? TransactionState.COMPLETE_COMMIT
                : TransactionState.COMPLETE_ABORT;
        TransactionMetadata next = current.moveTo(done, Set.of(), clock.nowMs());
        return CoordinatorResult.of(List.of(TransactionRecords.record(next)), null);
    }

    // ---- timeouts and expiry

    /** Aborts transactions open longer than their timeout (fencing their producer) and forgets idle ids. */
    CoordinatorResult<Void> expire() {
        long now = clock.nowMs();
        List<CoordinatorRecord> records = new ArrayList<>();
        List<Runnable> afterCommit = new ArrayList<>();
        for (TransactionMetadata metadata : transactions.values()) {
            if (metadata.state() == TransactionState.ONGOING && now - metadata.startMs() > metadata.timeoutMs()) {
                // The epoch moves, so a producer that is still alive learns it was fenced instead of writing on.
                TransactionMetadata bumped = metadata.withProducer(
                        metadata.producerId(), (short) (metadata.producerEpoch() + 1), metadata.timeoutMs());
                TransactionMetadata aborting =
                        bumped.moveTo(TransactionState.PREPARE_ABORT, metadata.partitions(), now);
                records.add(TransactionRecords.record(aborting));
                afterCommit.add(() -> sendMarkers(aborting));
            } else if (metadata.state().isIdle() && now - metadata.lastUpdateMs() > config.idExpirationMs()) {
                records.add(TransactionRecords.tombstone(metadata.transactionalId()));
            }
        }
        scheduleTimeouts();
        return new CoordinatorResult<>(
                records, java.util.concurrent.CompletableFuture.completedFuture(null), afterCommit);
    }

    private void scheduleTimeouts() {
        context.schedule(TIMEOUT_TIMER, config.abortCheckIntervalMs(), TransactionCoordinatorShard::expire);
    }

    // ---- helpers

    private static Errors checkProducer(TransactionMetadata current, long producerId, short epoch) {
        if (current == null || current.producerId() != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (epoch < current.producerEpoch()) {
            return Errors.PRODUCER_FENCED;
        }
        if (epoch > current.producerEpoch()) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        return Errors.NONE;
    }

    private <T> CoordinatorResult<T> abort(TransactionMetadata current, long now, T answer) {
        return prepare(current, TransactionState.PREPARE_ABORT, now, answer);
    }

    private <T> CoordinatorResult<T> prepare(TransactionMetadata current, TransactionState next, long now, T answer) {
        TransactionMetadata prepared = current.moveTo(next, current.partitions(), now);
        return new CoordinatorResult<>(
                List.of(TransactionRecords.record(prepared)),
                java.util.concurrent.CompletableFuture.completedFuture(answer),
                List.of(() -> sendMarkers(prepared)));
    }

    /** Has the markers written, then records the transaction complete. On the shard's thread. */
    private void sendMarkers(TransactionMetadata prepared) {
        boolean commit = prepared.state() == TransactionState.PREPARE_COMMIT;
        markers.write(
                        prepared.producerId(),
                        prepared.producerEpoch(),
                        commit,
                        coordinatorEpoch.getAsInt(),
                        prepared.partitions())
                .thenRun(() -> context.submit(shard -> shard.markersWritten(
                        prepared.transactionalId(), prepared.producerId(), prepared.producerEpoch())));
    }
}
