package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.protocol.record.Compression;
import io.wharf.protocol.record.ControlBatches;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.storage.segment.AbortedTransaction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions in one partition: markers, the last stable offset, the aborted-transaction index and recovery. */
class TransactionLogTest {

    private static final long P1 = 7L;
    private static final long P2 = 8L;

    @TempDir
    Path dir;

    private final LogFixture fixture = new LogFixture();

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    private ByteBuffer txnBatch(long producerId, int sequence, String... values) {
        RecordBatchBuilder builder = RecordBatchBuilder.create()
                .producer(producerId, (short) 0, sequence)
                .transactional();
        for (String value : values) {
            builder.add(fixture.clock.nowMs(), null, value.getBytes(UTF_8));
        }
        return builder.build();
    }

    private ByteBuffer keyedTxnBatch(long producerId, int sequence, String key, String value) {
        return RecordBatchBuilder.create()
                .producer(producerId, (short) 0, sequence)
                .transactional()
                .add(fixture.clock.nowMs(), key.getBytes(UTF_8), value.getBytes(UTF_8))
                .build();
    }

    private AppendResult marker(PartitionLog log, long producerId, boolean commit) {
        return marker(log, producerId, (short) 0, commit);
    }

    private AppendResult marker(PartitionLog log, long producerId, short epoch, boolean commit) {
        return log.append(
                ControlBatches.marker(producerId, epoch, commit, 0, fixture.clock.nowMs()),
                AppendOrigin.COORDINATOR,
                0);
    }

    private static void everythingCommitted(PartitionLog log) {
        log.updateHighWatermark(log.logEndOffset());
    }

    @Test
    void cleaningACompactedLogKeepsEveryAbortedTransactionInTheIndex() throws Exception {
        PartitionLog log = fixture.open(dir, CleanerFixture.compacted(1024));
        log.append(keyedTxnBatch(P1, 0, "k1", "aborted-1"), AppendOrigin.CLIENT, 0);
        marker(log, P1, false);
        for (int round = 0; round < 120; round++) {
            log.append(
                    CleanerFixture.keyed(fixture.clock.nowMs(), Compression.NONE, "k1", "v" + round, "k2", "w" + round),
                    AppendOrigin.CLIENT,
                    0);
            if (round == 60) {
                log.append(keyedTxnBatch(P2, 0, "k2", "aborted-2"), AppendOrigin.CLIENT, 0);
                marker(log, P2, false);
            }
        }
        CleanerFixture.commitAll(log);
        List<AbortedTransaction> before = log.abortedTransactions(0, log.logEndOffset());
        assertThat(before).hasSize(2);

        CleanerFixture.cleanFully(log, fixture.clock, 1 << 20);
        assertThat(log.abortedTransactions(0, log.logEndOffset())).isEqualTo(before);
        // A second pass merges the segments the first one shrank, each run into one segment.
        for (int round = 0; round < 40; round++) {
            log.append(
                    CleanerFixture.keyed(fixture.clock.nowMs(), Compression.NONE, "k1", "again" + round),
                    AppendOrigin.CLIENT,
                    0);
        }
        CleanerFixture.commitAll(log);
        int segments = log.segmentCount();
        CleanerFixture.cleanFully(log, fixture.clock, 1 << 20);

        assertThat(log.segmentCount()).as("segments were merged").isLessThan(segments);
        assertThat(log.abortedTransactions(0, log.logEndOffset())).isEqualTo(before);
        log.close();
        PartitionLog reopened = fixture.open(dir, CleanerFixture.compacted(1024));
        assertThat(reopened.abortedTransactions(0, reopened.logEndOffset())).isEqualTo(before);
    }

    @Test
    void theLastStableOffsetStopsAtTheOldestOpenTransactionUntilItsMarker() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(fixture.batch("plain"), AppendOrigin.CLIENT, 0); // 0
        log.append(txnBatch(P1, 0, "a", "b"), AppendOrigin.CLIENT, 0); // 1-2
        log.append(txnBatch(P2, 0, "x"), AppendOrigin.CLIENT, 0); // 3
        everythingCommitted(log);
        assertThat(log.lastStableOffset()).isEqualTo(1);

        marker(log, P1, true); // 4
        everythingCommitted(log);
        assertThat(log.lastStableOffset()).isEqualTo(3);

        marker(log, P2, false); // 5
        assertThat(log.lastStableOffset()).as("bounded by the high watermark").isEqualTo(5);
        everythingCommitted(log);
        assertThat(log.lastStableOffset()).isEqualTo(6);
        assertThat(log.abortedTransactions(0, 6)).containsExactly(new AbortedTransaction(P2, 3, 5, 6));
        assertThat(log.abortedTransactions(4, 6))
                .as("a fetch past the records, before the marker")
                .hasSize(1);
        assertThat(log.abortedTransactions(6, 10)).isEmpty();
        assertThat(log.abortedTransactions(0, 3))
                .as("a fetch that ends before the transaction")
                .isEmpty();
    }

    @Test
    void aMarkerOfAnOlderEpochIsRefusedAndChangesNothing() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(
                RecordBatchBuilder.create()
                        .producer(P1, (short) 3, 0)
                        .transactional()
                        .add(fixture.clock.nowMs(), null, "a".getBytes(UTF_8))
                        .build(),
                AppendOrigin.CLIENT,
                0);

        assertThatThrownBy(() -> marker(log, P1, (short) 2, false))
                .isInstanceOfSatisfying(
                        LogException.class, e -> assertThat(e.error()).isEqualTo(LogError.INVALID_PRODUCER_EPOCH));
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThat(log.producerState().firstUnstableOffset()).isZero();
    }

    @Test
    void clientsMayNotWriteMarkersAndTheCoordinatorWritesNothingElse() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        assertThatThrownBy(() -> log.append(ControlBatches.marker(P1, (short) 0, true, 0, 0), AppendOrigin.CLIENT, 0))
                .isInstanceOfSatisfying(
                        LogException.class, e -> assertThat(e.error()).isEqualTo(LogError.INVALID_RECORD));
        assertThatThrownBy(() -> log.append(txnBatch(P1, 0, "a"), AppendOrigin.COORDINATOR, 0))
                .isInstanceOfSatisfying(
                        LogException.class, e -> assertThat(e.error()).isEqualTo(LogError.INVALID_RECORD));
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void openTransactionsAndAbortsSurviveACleanRestartAcrossSegments() throws IOException {
        LogConfig small = LogFixture.smallSegments(400);
        PartitionLog log = fixture.open(dir, small);
        log.append(txnBatch(P1, 0, "aborted-1"), AppendOrigin.CLIENT, 0); // 0
        for (int i = 0; i < 8; i++) {
            log.append(fixture.batch("filler-" + i), AppendOrigin.CLIENT, 0);
        }
        marker(log, P1, false); // 9, in a later segment than its first record
        log.append(txnBatch(P2, 0, "open"), AppendOrigin.CLIENT, 0); // 10
        assertThat(log.segmentCount()).isGreaterThan(1);
        log.close();

        PartitionLog reopened = fixture.open(dir, small);
        everythingCommitted(reopened);
        assertThat(reopened.lastStableOffset()).isEqualTo(10);
        assertThat(reopened.abortedTransactions(0, 11)).containsExactly(new AbortedTransaction(P1, 0, 9, 10));
        assertThat(reopened.producerState().entry(P2).orElseThrow().transactionFirstOffset())
                .isEqualTo(10);
    }

    @Test
    void anUncleanStopRebuildsTheIndexWithoutDuplicates() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(txnBatch(P1, 0, "a"), AppendOrigin.CLIENT, 0);
        marker(log, P1, false);
        log.append(txnBatch(P2, 0, "b"), AppendOrigin.CLIENT, 0);
        log.flush(log.logEndOffset()).join();
        log.abandon();
        fixture.abandon(log);

        PartitionLog reopened = fixture.open(dir, LogConfig.defaults());
        everythingCommitted(reopened);
        assertThat(reopened.abortedTransactions(0, 3)).containsExactly(new AbortedTransaction(P1, 0, 1, 2));
        assertThat(reopened.lastStableOffset()).isEqualTo(2);
    }

    @Test
    void aDeletedIndexIsRebuiltFromTheLog() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(txnBatch(P1, 0, "a"), AppendOrigin.CLIENT, 0);
        marker(log, P1, false);
        log.close();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".txnindex")).toList()) {
                Files.delete(file);
            }
        }

        PartitionLog reopened = fixture.open(dir, LogConfig.defaults());
        assertThat(reopened.recoveryCases()).contains(RecoveryCase.MISSING_TRANSACTION_INDEX);
        assertThat(reopened.abortedTransactions(0, 2)).containsExactly(new AbortedTransaction(P1, 0, 1, 2));
    }

    @Test
    void theIndexFileHasKafkasLayout() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(txnBatch(P1, 0, "a", "b"), AppendOrigin.CLIENT, 0);
        marker(log, P1, false);

        byte[] bytes = Files.readAllBytes(dir.resolve("00000000000000000000.txnindex"));
        assertThat(HexFormat.of().formatHex(bytes))
                .isEqualTo(
                        "0000" // version
                                + "0000000000000007" // producer id
                                + "0000000000000000" // first offset
                                + "0000000000000002" // last offset (the marker)
                                + "0000000000000003"); // last stable offset after it
    }

    @Test
    void truncationRemovesAbortsPastTheCutAndReopensTheTransaction() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(txnBatch(P1, 0, "a"), AppendOrigin.CLIENT, 0); // 0
        marker(log, P1, false); // 1

        log.truncateTo(1);

        assertThat(log.abortedTransactions(0, 5)).isEmpty();
        assertThat(log.producerState().firstUnstableOffset()).isZero();
    }

    @Test
    void aFollowerRebuildsTheSameStateFromReplicatedBatches() throws IOException {
        PartitionLog leader = fixture.open(dir.resolve("leader"), LogConfig.defaults());
        leader.append(txnBatch(P1, 0, "a"), AppendOrigin.CLIENT, 0);
        marker(leader, P1, false);
        leader.append(txnBatch(P2, 0, "b"), AppendOrigin.CLIENT, 0);
        ByteBuffer copied =
                leader.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, true).readFully();

        PartitionLog follower = fixture.open(dir.resolve("follower"), LogConfig.defaults());
        follower.append(copied, AppendOrigin.REPLICATION, 0);
        everythingCommitted(follower);

        assertThat(follower.abortedTransactions(0, 3)).containsExactly(new AbortedTransaction(P1, 0, 1, 2));
        assertThat(follower.lastStableOffset()).isEqualTo(2);
    }

    @Test
    void theLastStableOffsetNeverPointsBelowTheLogStart() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(txnBatch(P1, 0, "open"), AppendOrigin.CLIENT, 0); // 0, never decided
        log.append(fixture.batch("a"), AppendOrigin.CLIENT, 0);
        log.append(fixture.batch("b"), AppendOrigin.CLIENT, 0);
        everythingCommitted(log);

        log.deleteRecordsBefore(2);

        assertThat(log.lastStableOffset()).isEqualTo(2);
    }

    @Test
    void aProduceVerifiedBeforeAMarkerIsRefusedAfterIt() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        Object first = log.producerState().verificationGuard(P1);
        log.append(txnBatch(P1, 0, "a"), AppendOrigin.CLIENT, 0, first);
        assertThat(log.producerState().verifiedGuard(P1, (short) 0)).isSameAs(first);
        Object late = log.producerState().verificationGuard(P1);

        marker(log, P1, false);

        assertThat(log.producerState().verifiedGuard(P1, (short) 0)).isNull();
        assertThatThrownBy(() -> log.append(txnBatch(P1, 1, "late"), AppendOrigin.CLIENT, 0, late))
                .isInstanceOfSatisfying(
                        LogException.class, e -> assertThat(e.error()).isEqualTo(LogError.INVALID_TXN_STATE));
        assertThat(log.logEndOffset()).isEqualTo(2);
        Object next = log.producerState().verificationGuard(P1);
        log.append(txnBatch(P1, 1, "next"), AppendOrigin.CLIENT, 0, next);
        assertThat(log.producerState().firstUnstableOffset()).isEqualTo(2);
    }

    @Test
    void aProducerInATransactionIsNotExpired() throws IOException {
        PartitionLog log = fixture.open(dir, LogConfig.defaults());
        log.append(txnBatch(P1, 0, "open"), AppendOrigin.CLIENT, 0);
        fixture.clock.advanceMs(1_000_000);

        assertThat(log.removeExpiredProducers(fixture.clock.nowMs(), 1)).isZero();
        assertThat(log.producerState().firstUnstableOffset()).isZero();
    }
}
