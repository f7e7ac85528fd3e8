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

    /** EndTxn's answer: with transaction version 2, the producer id and epoch of the producer's next transaction. */
    record EndResult(Errors error, long producerId, short producerEpoch) {
        static EndResult of(Errors error) {
            return new EndResult(error, -1, (short) -1);
        }
    }

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
            TransactionMetadata created = TransactionMetadata.created(
                    transactionalId, freshProducerId, timeoutMs, TransactionState.EMPTY, now);
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

    /**
     * Ends the producer's transaction: PREPARE_COMMIT or PREPARE_ABORT now, markers once that is durable.
     *
     * @param bumpEpoch transaction version 2 (EndTxn v5, KIP-890 part 2): the prepare gives the producer a new epoch,
     *     which the markers carry and the answer returns, so a late write of this transaction is fenced by the
     *     partition itself; an abort is allowed with no transaction open, to fence such a write
     * @param freshProducerId with {@code bumpEpoch}, a producer id for the next transaction when the epoch is about to
     *     run out (it is at least {@code Short.MAX_VALUE - 1}); else -1
     */
    CoordinatorResult<EndResult> endTransaction(
            String transactionalId,
            long producerId,
            short epoch,
            boolean commit,
            boolean bumpEpoch,
            long freshProducerId) {
        TransactionMetadata current = transactions.get(transactionalId);
        if (bumpEpoch && current != null && isRetryOfBumpingEnd(current, producerId, epoch)) {
            return CoordinatorResult.answer(retriedEnd(current, commit));
        }
        Errors refused = checkProducer(current, producerId, epoch);
        if (refused != Errors.NONE) {
            return CoordinatorResult.answer(EndResult.of(refused));
        }
        TransactionState state = current.state();
        if (bumpEpoch) {
            return endBumpingEpoch(current, commit, freshProducerId);
        }
        if (state == TransactionState.ONGOING) {
            return commit
                    ? prepare(current, TransactionState.PREPARE_COMMIT, clock.nowMs(), EndResult.of(Errors.NONE))
                    : abort(current, clock.nowMs(), EndResult.of(Errors.NONE));
        }
        // A retry of an EndTxn already taken: the same answer while its markers are written and after.
        TransactionState prepared = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
        TransactionState completed = commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        if (state == prepared) {
            return CoordinatorResult.answer(EndResult.of(Errors.CONCURRENT_TRANSACTIONS));
        }
        if (state == completed) {
            return CoordinatorResult.answer(EndResult.of(Errors.NONE));
        }
        return CoordinatorResult.answer(EndResult.of(Errors.INVALID_TXN_STATE));
    }

    /**
     * Whether a version 2 EndTxn is the client's retry of the one that already gave it a new epoch: it carries the
     * epoch before that one, of the same producer id, or of the id replaced when the epoch ran out. An epoch moved by
     * InitProducerId or a timeout leaves no last epoch, so a request from before it is a fenced producer's.
     */
    private static boolean isRetryOfBumpingEnd(TransactionMetadata current, long producerId, short epoch) {
        if (current.lastProducerEpoch() < 0 || epoch != current.lastProducerEpoch()) {
            return false;
        }
        // Until the markers are in the id is the same; after them, when the epoch ran out, the old id is the previous.
        return current.producerId() == producerId
                || (current.previousProducerId() == producerId && current.nextProducerId() < 0);
    }

    /** The answer to a retried version 2 EndTxn: what the first one was answered, while its markers go and after. */
    private static EndResult retriedEnd(TransactionMetadata current, boolean commit) {
        TransactionState prepared = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
        TransactionState completed = commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        if (current.state() == prepared) {
            return EndResult.of(Errors.CONCURRENT_TRANSACTIONS);
        }
        if (current.state() == completed) {
            return new EndResult(Errors.NONE, current.producerId(), current.producerEpoch());
        }
        return EndResult.of(Errors.INVALID_TXN_STATE);
    }

    /** A version 2 EndTxn from the producer's current epoch. */
    private CoordinatorResult<EndResult> endBumpingEpoch(
            TransactionMetadata current, boolean commit, long freshProducerId) {
        TransactionState state = current.state();
        if (state.isPreparing()) {
            return CoordinatorResult.answer(EndResult.of(Errors.CONCURRENT_TRANSACTIONS));
        }
        if (state == TransactionState.ONGOING) {
            return prepareBumped(
                    current,
                    commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT,
                    freshProducerId);
        }
        if (!commit) {
            // Nothing is open, but the producer may have a write in flight it wants fenced: a new epoch, no markers.
            return prepareBumped(current, TransactionState.PREPARE_ABORT, freshProducerId);
        }
        return CoordinatorResult.answer(EndResult.of(Errors.INVALID_TXN_STATE));
    }

    /**
     * Moves to PREPARE_* with the next epoch, which the markers carry. When the epoch is about to run out the markers
     * still carry the old id (at most {@code Short.MAX_VALUE}), and the producer gets a fresh id, at epoch 0, for its
     * next transaction; the id changes once the markers are in.
     */
    private CoordinatorResult<EndResult> prepareBumped(
            TransactionMetadata current, TransactionState next, long freshProducerId) {
        boolean exhausted = current.producerEpoch() >= Short.MAX_VALUE - 1;
        if (exhausted && freshProducerId < 0) {
            return CoordinatorResult.answer(EndResult.of(Errors.CONCURRENT_TRANSACTIONS));
        }
        short markerEpoch = (short) Math.min(Short.MAX_VALUE, current.producerEpoch() + 1);
        TransactionMetadata bumped = current.withProducer(current.producerId(), markerEpoch, current.timeoutMs())
                .withProducerIds(-1, exhausted ? freshProducerId : -1, current.producerEpoch());
        Set<TopicPartition> marked = current.state() == TransactionState.ONGOING ? current.partitions() : Set.of();
        TransactionMetadata prepared = bumped.moveTo(next, marked, clock.nowMs());
        EndResult answer = exhausted
                ? new EndResult(Errors.NONE, freshProducerId, (short) 0)
                : new EndResult(Errors.NONE, current.producerId(), markerEpoch);
        return new CoordinatorResult<>(
                List.of(TransactionRecords.record(prepared)),
                java.util.concurrent.CompletableFuture.completedFuture(answer),
                List.of(() -> sendMarkers(prepared)));
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
        if (current.nextProducerId() >= 0) {
            // The epoch ran out: the producer goes on under the id it was given with the EndTxn answer.
            next = next.withProducer(current.nextProducerId(), (short) 0, current.timeoutMs())
                    .withProducerIds(current.producerId(), -1, current.lastProducerEpoch());
        }
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
                        metadata.producerId(),
                        (short) Math.min(Short.MAX_VALUE, metadata.producerEpoch() + 1),
                        metadata.timeoutMs());
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
        if (current != null
                && current.nextProducerId() == producerId
                && current.state().isPreparing()) {
            return Errors
                    .CONCURRENT_TRANSACTIONS; // its new id is in use once the markers of its last transaction are in
        }
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
