package io.wharf.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.common.ManualClock;
import io.wharf.common.TopicPartition;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import io.wharf.coordinator.runtime.HexBytes;
import io.wharf.coordinator.runtime.ManualTimer;
import io.wharf.coordinator.runtime.MemoryWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** The transaction coordinator over an in-memory partition: its state machine, its records, its errors. */
class TransactionCoordinatorTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final TransactionConfig CONFIG = new TransactionConfig(900_000, 604_800_000L, 10_000);

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final ManualTimer timer = new ManualTimer(clock);
    private final MemoryWriter writer = new MemoryWriter();
    private final AtomicLong ids = new AtomicLong(1000);
    /** Markers asked for: producer id, epoch, commit; each completes when the test says so. */
    private final List<String> markers = new ArrayList<>();

    private final List<CompletableFuture<Void>> markerAnswers = new ArrayList<>();
    private TransactionCoordinator coordinator = start();

    private TransactionCoordinator start() {
        TransactionCoordinator started = new TransactionCoordinator(
                1,
                writer,
                Runnable::run,
                timer,
                clock,
                CONFIG,
                (pid, epoch, commit, coordinatorEpoch, partitions) -> {
                    markers.add(pid + "/" + epoch + "/" + (commit ? "COMMIT" : "ABORT") + "/" + partitions);
                    CompletableFuture<Void> answer = new CompletableFuture<>();
                    markerAnswers.add(answer);
                    return answer;
                },
                p -> 0,
                1L << 30);
        started.load(0).join();
        return started;
    }

    private TransactionCoordinator.ProducerIdAndEpoch init(String id, int timeoutMs) {
        return coordinator
                .initProducerId(id, timeoutMs, -1, (short) -1, ids::incrementAndGet)
                .join();
    }

    private TransactionState state(String id) {
        return coordinator.describe(id).join().orElseThrow().state();
    }

    @Test
    void aCommittedTransactionGoesThroughPrepareToComplete() {
        TransactionCoordinator.ProducerIdAndEpoch producer = init("t", 60_000);
        assertThat(producer.error()).isEqualTo(Errors.NONE);
        assertThat(producer.producerEpoch()).isZero();

        assertThat(coordinator
                        .addPartitions("t", producer.producerId(), (short) 0, Set.of(TP), false)
                        .join())
                .isEqualTo(Errors.NONE);
        assertThat(coordinator
                        .addPartitions("t", producer.producerId(), (short) 0, Set.of(TP), true)
                        .join())
                .as("verification of a partition in the transaction")
                .isEqualTo(Errors.NONE);
        assertThat(coordinator
                        .endTransaction("t", producer.producerId(), (short) 0, true, false, -1)
                        .join()
                        .error())
                .isEqualTo(Errors.NONE);
        assertThat(state("t")).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(markers).containsExactly(producer.producerId() + "/0/COMMIT/[orders-0]");
        assertThat(coordinator
                        .addPartitions("t", producer.producerId(), (short) 0, Set.of(TP), false)
                        .join())
                .as("a new transaction waits for the markers")
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

        markerAnswers.get(0).complete(null);

        assertThat(state("t")).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(coordinator
                        .addPartitions("t", producer.producerId(), (short) 0, Set.of(TP), true)
                        .join())
                .as("a late write of the finished transaction is refused")
                .isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void aNewProducerOfTheSameIdFencesTheOldOneAndAbortsItsTransaction() {
        TransactionCoordinator.ProducerIdAndEpoch first = init("t", 60_000);
        coordinator
                .addPartitions("t", first.producerId(), (short) 0, Set.of(TP), false)
                .join();

        assertThat(init("t", 60_000).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(markers).containsExactly(first.producerId() + "/0/ABORT/[orders-0]");
        markerAnswers.get(0).complete(null);
        TransactionCoordinator.ProducerIdAndEpoch second = init("t", 60_000);

        assertThat(second.producerId()).isEqualTo(first.producerId());
        assertThat(second.producerEpoch()).isEqualTo((short) 1);
        assertThat(coordinator
                        .addPartitions("t", first.producerId(), (short) 0, Set.of(TP), false)
                        .join())
                .isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(coordinator
                        .endTransaction("t", first.producerId(), (short) 0, true, false, -1)
                        .join()
                        .error())
                .isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void refusedRequestsWriteNothing() {
        TransactionCoordinator.ProducerIdAndEpoch producer = init("t", 60_000);
        int written = writer.records(0).size();

        assertThat(init("u", CONFIG.maxTimeoutMs() + 1).error()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
        assertThat(coordinator
                        .addPartitions("t", producer.producerId() + 1, (short) 0, Set.of(TP), false)
                        .join())
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(coordinator
                        .endTransaction("t", producer.producerId(), (short) 0, true, false, -1)
                        .join()
                        .error())
                .as("nothing to commit")
                .isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(coordinator
                        .addPartitions("t", producer.producerId(), (short) 0, Set.of(TP), true)
                        .join())
                .isEqualTo(Errors.INVALID_TXN_STATE);

        assertThat(writer.records(0)).hasSize(written);
        assertThat(coordinator.describe("u").join()).isEmpty();
    }

    @Test
    void aTransactionOpenPastItsTimeoutIsAbortedAndItsProducerFenced() {
        TransactionCoordinator.ProducerIdAndEpoch producer = init("t", 5_000);
        coordinator
                .addPartitions("t", producer.producerId(), (short) 0, Set.of(TP), false)
                .join();

        clock.advanceMs(CONFIG.abortCheckIntervalMs());
        timer.runDue(clock.nowMs());

        assertThat(state("t")).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(markers).containsExactly(producer.producerId() + "/1/ABORT/[orders-0]");
        markerAnswers.get(0).complete(null);
        assertThat(state("t")).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(coordinator
                        .endTransaction("t", producer.producerId(), (short) 0, true, false, -1)
                        .join()
                        .error())
                .isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void aCoordinatorLoadedWithATransactionPreparingWritesItsMarkersAgain() {
        TransactionCoordinator.ProducerIdAndEpoch producer = init("t", 60_000);
        coordinator
                .addPartitions("t", producer.producerId(), (short) 0, Set.of(TP), false)
                .join();
        coordinator
                .endTransaction("t", producer.producerId(), (short) 0, false, false, -1)
                .join();
        coordinator.close();

        coordinator = start();

        assertThat(markers).hasSize(2).allMatch(m -> m.endsWith("/ABORT/[orders-0]"));
        markerAnswers.get(1).complete(null);
        assertThat(state("t")).isEqualTo(TransactionState.COMPLETE_ABORT);
    }

    @Test
    void theStateMachineRefusesTransitionsItDoesNotList() {
        assertThat(TransactionState.ONGOING.moveTo(TransactionState.PREPARE_COMMIT))
                .isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThatThrownBy(() -> TransactionState.EMPTY.moveTo(TransactionState.PREPARE_COMMIT))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TransactionState.PREPARE_ABORT.moveTo(TransactionState.COMPLETE_COMMIT))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TransactionState.DEAD.moveTo(TransactionState.EMPTY))
                .isInstanceOf(IllegalStateException.class);
        for (TransactionState state : TransactionState.values()) {
            assertThat(TransactionState.ofCode(state.code())).isEqualTo(state);
        }
        assertThatThrownBy(() -> TransactionState.ofCode(99)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsHaveTheDrawnLayout() {
        TransactionMetadata metadata = new TransactionMetadata(
                "tx",
                0x1234L,
                (short) 3,
                0x1233L,
                -1,
                (short) 2,
                60_000,
                TransactionState.ONGOING,
                Set.of(TP),
                1000L,
                2000L);
        CoordinatorRecord record = TransactionRecords.record(metadata);

        assertThat(HexBytes.hex(record.key())).isEqualTo(HexBytes.hex(HexBytes.of("0000", "0001", "0002", "7478")));
        assertThat(HexBytes.hex(record.value()))
                .isEqualTo(HexBytes.hex(HexBytes.of(
                        "0001", // version
                        "0000000000001234", // producer id
                        "0003", // epoch
                        "0000ea60", // timeout 60000
                        "01", // ONGOING
                        "00000000000003e8", // start ms
                        "00000000000007d0", // last update ms
                        "00000001", // one partition
                        "0006",
                        "6f7264657273",
                        "00000000", // "orders" 0
                        "0000000000001233", // previous producer id
                        "ffffffffffffffff", // no next producer id
                        "0002"))); // last producer epoch
        assertThat(TransactionRecords.metadata("tx", record.value())).isEqualTo(metadata);
        assertThat(TransactionRecords.tombstone("tx").isTombstone()).isTrue();
    }

    @Test
    void aVersion0ValueIsStillRead() {
        byte[] version0 = HexBytes.of(
                "0000",
                "0000000000001234",
                "0003",
                "0000ea60",
                "04", // COMPLETE_COMMIT
                "ffffffffffffffff",
                "00000000000007d0",
                "00000000");

        assertThat(TransactionRecords.metadata("tx", version0))
                .isEqualTo(new TransactionMetadata(
                        "tx",
                        0x1234L,
                        (short) 3,
                        -1,
                        -1,
                        (short) -1,
                        60_000,
                        TransactionState.COMPLETE_COMMIT,
                        Set.of(),
                        -1,
                        2000L));
    }

    // ---- transaction version 2 (EndTxn v5)

    private TransactionCoordinator.EndTxnResult endBumping(
            String id, long pid, short epoch, boolean commit, long fresh) {
        return coordinator.endTransaction(id, pid, epoch, commit, true, fresh).join();
    }

    @Test
    void underVersion2EveryTransactionEndsWithANewEpochThatTheMarkersCarry() {
        TransactionCoordinator.ProducerIdAndEpoch producer = init("t", 60_000);
        long pid = producer.producerId();
        assertThat(coordinator
                        .addPartitions("t", pid, (short) 0, Set.of(TP), false)
                        .join())
                .isEqualTo(Errors.NONE);

        assertThat(endBumping("t", pid, (short) 0, true, -1))
                .isEqualTo(new TransactionCoordinator.EndTxnResult(Errors.NONE, pid, (short) 1));
        assertThat(markers).containsExactly(pid + "/1/COMMIT/[orders-0]");
        assertThat(endBumping("t", pid, (short) 0, true, -1).error())
                .as("a retry while the markers are written")
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(coordinator
                        .addPartitions("t", pid, (short) 1, Set.of(TP), false)
                        .join())
                .as("the next transaction waits for the markers")
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

        markerAnswers.get(0).complete(null);

        assertThat(state("t")).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(endBumping("t", pid, (short) 0, true, -1))
                .as("a retry after the markers gets the first answer")
                .isEqualTo(new TransactionCoordinator.EndTxnResult(Errors.NONE, pid, (short) 1));
        assertThat(endBumping("t", pid, (short) 0, false, -1).error())
                .as("a retry that asks for the other outcome")
                .isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(coordinator
                        .addPartitions("t", pid, (short) 0, Set.of(TP), true)
                        .join())
                .as("a late write of the old epoch")
                .isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(coordinator
                        .addPartitions("t", pid, (short) 1, Set.of(TP), false)
                        .join())
                .isEqualTo(Errors.NONE);
        assertThat(state("t")).isEqualTo(TransactionState.ONGOING);
    }

    @Test
    void underVersion2AnEndTxnFromBeforeAnotherProducerInitializedTheIdIsFenced() {
        TransactionCoordinator.ProducerIdAndEpoch zombie = init("t", 60_000);
        coordinator
                .addPartitions("t", zombie.producerId(), (short) 0, Set.of(TP), false)
                .join();
        assertThat(init("t", 60_000).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        markerAnswers.get(0).complete(null);
        assertThat(init("t", 60_000).producerEpoch()).isEqualTo((short) 1);

        assertThat(endBumping("t", zombie.producerId(), (short) 0, true, -1).error())
                .as("epoch 0 is one below the current one, but no EndTxn moved it")
                .isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void underVersion2AnAbortWithNothingOpenGivesANewEpochAndACommitIsRefused() {
        TransactionCoordinator.ProducerIdAndEpoch producer = init("t", 60_000);
        long pid = producer.producerId();
        int written = writer.records(0).size();

        assertThat(endBumping("t", pid, (short) 0, true, -1).error()).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(writer.records(0)).hasSize(written);

        assertThat(endBumping("t", pid, (short) 0, false, -1))
                .isEqualTo(new TransactionCoordinator.EndTxnResult(Errors.NONE, pid, (short) 1));
        assertThat(markers).containsExactly(pid + "/1/ABORT/[]");
        markerAnswers.get(0).complete(null);
        assertThat(state("t")).isEqualTo(TransactionState.COMPLETE_ABORT);
    }

    @Test
    void underVersion2AnEpochAboutToRunOutMovesTheProducerToTheFreshId() {
        long pid = 77;
        short last = Short.MAX_VALUE - 1;
        writer.append(
                0,
                List.of(TransactionRecords.record(new TransactionMetadata(
                        "t",
                        pid,
                        last,
                        -1,
                        -1,
                        (short) -1,
                        60_000,
                        TransactionState.ONGOING,
                        Set.of(TP),
                        1000L,
                        1000L))));
        coordinator.close();
        coordinator = start();

        assertThat(endBumping("t", pid, last, true, -1).error())
                .as("no fresh id given: the client asks again")
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(endBumping("t", pid, last, true, 5000))
                .isEqualTo(new TransactionCoordinator.EndTxnResult(Errors.NONE, 5000, (short) 0));
        assertThat(markers).containsExactly(pid + "/" + Short.MAX_VALUE + "/COMMIT/[orders-0]");
        assertThat(coordinator
                        .addPartitions("t", 5000, (short) 0, Set.of(TP), false)
                        .join())
                .as("the fresh id waits for the markers of the old one")
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

        markerAnswers.get(0).complete(null);

        TransactionMetadata moved = coordinator.describe("t").join().orElseThrow();
        assertThat(moved.producerId()).isEqualTo(5000);
        assertThat(moved.producerEpoch()).isZero();
        assertThat(moved.previousProducerId()).isEqualTo(pid);
        assertThat(endBumping("t", pid, last, true, -1))
                .as("a retry from the old id")
                .isEqualTo(new TransactionCoordinator.EndTxnResult(Errors.NONE, 5000, (short) 0));
        assertThat(coordinator
                        .addPartitions("t", 5000, (short) 0, Set.of(TP), false)
                        .join())
                .isEqualTo(Errors.NONE);
        assertThat(coordinator.addPartitions("t", pid, last, Set.of(TP), false).join())
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
    }
}
