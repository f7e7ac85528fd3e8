package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.ManualClock;
import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.Compression;
import io.wharf.protocol.record.ControlBatches;
import io.wharf.protocol.record.Record;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.storage.cleaner.CleanerStats;
import io.wharf.storage.segment.AbortedTransaction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the cleaner does with transactions: committed data compacts, aborted data goes, markers and open ones stay. */
class TransactionCleaningTest {

    private static final long P1 = 7L;
    private static final long P2 = 8L;
    private static final long BIG_MAP = 1 << 20;

    @TempDir
    Path dir;

    private final LogFixture fixture = new LogFixture();
    private final ManualClock clock = fixture.clock;
    private final Map<Long, Integer> sequences = new HashMap<>();

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    /** Appends one transactional batch of (key, value) pairs for {@code producerId}; returns its base offset. */
    private long txn(PartitionLog log, long producerId, String... keyValues) {
        int sequence = sequences.getOrDefault(producerId, 0);
        RecordBatchBuilder builder = RecordBatchBuilder.create()
                .producer(producerId, (short) 0, sequence)
                .transactional();
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.add(clock.nowMs(), keyValues[i].getBytes(UTF_8), keyValues[i + 1].getBytes(UTF_8));
        }
        sequences.put(producerId, sequence + keyValues.length / 2);
        return log.append(builder.build(), AppendOrigin.CLIENT, 0).firstOffset();
    }

    private long marker(PartitionLog log, long producerId, boolean commit) {
        return log.append(
                        ControlBatches.marker(producerId, (short) 0, commit, 0, clock.nowMs()),
                        AppendOrigin.COORDINATOR,
                        0)
                .firstOffset();
    }

    private long plain(PartitionLog log, String... keyValues) {
        return log.append(CleanerFixture.keyed(clock.nowMs(), Compression.NONE, keyValues), AppendOrigin.CLIENT, 0)
                .firstOffset();
    }

    /** Rounds of updates of keys f0..f4, enough to roll several segments behind what came before. */
    private void fillers(PartitionLog log, int rounds) {
        for (int round = 0; round < rounds; round++) {
            plain(log, "f0", "r" + round, "f1", "r" + round, "f2", "r" + round, "f3", "r" + round);
        }
    }

    private PartitionLog open() throws IOException {
        return fixture.open(dir, CleanerFixture.compacted(1024));
    }

    @Test
    void committedTransactionalValuesAreCompactedByLaterValues() throws Exception {
        PartitionLog log = open();
        plain(log, "k3", "plain-old");
        txn(log, P1, "k1", "txn-1", "k2", "txn-2");
        marker(log, P1, true);
        plain(log, "k1", "plain-later");
        txn(log, P2, "k2", "txn-later");
        marker(log, P2, true);
        txn(log, P1, "k3", "txn-new");
        marker(log, P1, true);
        fillers(log, 30);
        CleanerFixture.commitAll(log);

        CleanerFixture.cleanFully(log, clock, BIG_MAP);

        List<Record> after = CleanerFixture.dataRecords(log);
        Map<String, Integer> counts = CleanerFixture.counts(after);
        assertThat(counts).containsEntry("k1", 1).containsEntry("k2", 1).containsEntry("k3", 1);
        Map<String, String> latest = CleanerFixture.latest(after);
        assertThat(latest)
                .containsEntry("k1", "plain-later")
                .containsEntry("k2", "txn-later")
                .containsEntry("k3", "txn-new");
        assertThat(CleanerFixture.latest(CleanerFixture.readCommitted(log))).isEqualTo(latest);
    }

    @Test
    void anAbortedTransactionsBatchesGoWhileItsMarkerStays() throws Exception {
        PartitionLog log = open();
        plain(log, "k1", "v0");
        long abortedFirst = txn(log, P1, "k1", "aborted-1", "k2", "aborted-2");
        fillers(log, 8);
        txn(log, P1, "k3", "aborted-3");
        long abortMarker = marker(log, P1, false);
        txn(log, P1, "k4", "committed-4");
        marker(log, P1, true);
        fillers(log, 30);
        CleanerFixture.commitAll(log);
        List<Record> committedBefore = CleanerFixture.readCommitted(log);
        List<AbortedTransaction> indexBefore = log.abortedTransactions(0, log.logEndOffset());
        assertThat(indexBefore).containsExactly(new AbortedTransaction(P1, abortedFirst, abortMarker, abortMarker + 1));

        CleanerFixture.cleanFully(log, clock, BIG_MAP);
        CleanerFixture.clean(log, clock, BIG_MAP);

        assertThat(LogFixture.values(CleanerFixture.dataRecords(log))).noneMatch(value -> value.startsWith("aborted"));
        assertThat(CleanerFixture.controlBatchOffsets(log))
                .as("a marker stays within delete.retention.ms, even with no data left")
                .contains(abortMarker);
        assertThat(log.abortedTransactions(0, log.logEndOffset())).isEqualTo(indexBefore);
        List<Record> committedAfter = CleanerFixture.readCommitted(log);
        assertThat(CleanerFixture.latest(committedAfter)).isEqualTo(CleanerFixture.latest(committedBefore));
        assertThat(CleanerFixture.latest(committedAfter))
                .containsEntry("k1", "v0")
                .containsEntry("k4", "committed-4");
        assertThat(offsetsAndValues(committedBefore)).containsAll(offsetsAndValues(committedAfter));

        log.close();
        PartitionLog reopened = open();
        reopened.updateHighWatermark(reopened.logEndOffset());
        assertThat(offsetsAndValues(CleanerFixture.readCommitted(reopened)))
                .isEqualTo(offsetsAndValues(committedAfter));
    }

    @Test
    void anAbortedValueNeverRemovesAnEarlierCommittedValueOfItsKey() throws Exception {
        PartitionLog log = open();
        plain(log, "k1", "plain-committed");
        txn(log, P1, "k2", "txn-committed");
        marker(log, P1, true);
        txn(log, P1, "k9", "p1-later");
        marker(log, P1, true);
        txn(log, P2, "k1", "aborted", "k2", "aborted");
        marker(log, P2, false);
        txn(log, P2, "k8", "p2-later");
        marker(log, P2, true);
        fillers(log, 30);
        CleanerFixture.commitAll(log);

        CleanerStats stats = CleanerFixture.clean(log, clock, BIG_MAP);
        CleanerFixture.cleanFully(log, clock, BIG_MAP);

        assertThat(stats.recordsRemoved())
                .as("the aborted records and older fillers")
                .isGreaterThan(2);
        Map<String, String> committed = CleanerFixture.latest(CleanerFixture.readCommitted(log));
        assertThat(committed).containsEntry("k1", "plain-committed").containsEntry("k2", "txn-committed");
        assertThat(LogFixture.values(CleanerFixture.dataRecords(log))).contains("plain-committed", "txn-committed");
        assertThat(LogFixture.values(CleanerFixture.dataRecords(log))).doesNotContain("aborted");
    }

    @Test
    void anOpenTransactionIsNotCleanedUntilItsMarker() throws Exception {
        PartitionLog log = open();
        plain(log, "k1", "before");
        fillers(log, 10);
        long open = txn(log, P1, "k1", "open");
        fillers(log, 10);
        plain(log, "k1", "after");
        fillers(log, 20);
        CleanerFixture.commitAll(log);
        assertThat(log.lastStableOffset()).isEqualTo(open);
        List<Record> fromOpen = recordsFrom(LogFixture.readAll(log), open);

        CleanableRange range = log.cleanableRange(clock.nowMs());
        assertThat(range.endOffset()).isLessThanOrEqualTo(open);
        CleanerFixture.cleanFully(log, clock, BIG_MAP);

        assertThat(offsetsAndValues(recordsFrom(LogFixture.readAll(log), open)))
                .as("nothing at or past the open transaction changed")
                .isEqualTo(offsetsAndValues(fromOpen));
        assertThat(LogFixture.values(CleanerFixture.dataRecords(log))).contains("before", "open");

        marker(log, P1, true);
        // Its producer's last batch stays whatever it holds, so the producer goes on.
        txn(log, P1, "k7", "p1-next");
        marker(log, P1, true);
        fillers(log, 20);
        CleanerFixture.commitAll(log);
        CleanerFixture.cleanFully(log, clock, BIG_MAP);

        assertThat(LogFixture.values(CleanerFixture.dataRecords(log))).doesNotContain("before", "open");
        assertThat(CleanerFixture.latest(CleanerFixture.readCommitted(log))).containsEntry("k1", "after");
    }

    @Test
    void markersOfTransactionsWithDataLeftAreKeptByteForByteAndTheProducersLastBatchWholly() throws Exception {
        PartitionLog log = open();
        txn(log, P1, "k1", "committed");
        long commit = marker(log, P1, true);
        txn(log, P2, "k1", "aborted-last");
        long abort = marker(log, P2, false);
        fillers(log, 30);
        CleanerFixture.commitAll(log);
        Map<Long, ByteBuffer> markersBefore = markers(log);
        assertThat(markersBefore).containsOnlyKeys(commit, abort);
        clock.advance(2, TimeUnit.HOURS);

        CleanerFixture.cleanFully(log, clock, BIG_MAP);
        CleanerFixture.clean(log, clock, BIG_MAP);

        assertThat(markers(log)).isEqualTo(markersBefore);
        assertThat(LogFixture.values(CleanerFixture.dataRecords(log)))
                .as("each producer's last batch, aborted or not, stays for its sequence")
                .contains("committed", "aborted-last");
        assertThat(CleanerFixture.latest(CleanerFixture.readCommitted(log))).containsEntry("k1", "committed");
    }

    @Test
    void aMarkerGoesWithItsIndexEntryInALaterPassOncePastDeleteRetention() throws Exception {
        PartitionLog log = open();
        long abortedFirst = txn(log, P1, "k1", "aborted");
        long abort = marker(log, P1, false);
        txn(log, P1, "k3", "replaced");
        long replacedCommit = marker(log, P1, true);
        plain(log, "k3", "newer");
        txn(log, P1, "k2", "p1-last");
        long lastCommit = marker(log, P1, true);
        fillers(log, 30);
        CleanerFixture.commitAll(log);
        List<Record> committedBefore = CleanerFixture.readCommitted(log);

        clock.advance(2, TimeUnit.HOURS);

        CleanerFixture.clean(log, clock, BIG_MAP);
        assertThat(LogFixture.values(CleanerFixture.dataRecords(log))).doesNotContain("aborted", "replaced");
        assertThat(CleanerFixture.controlBatchOffsets(log))
                .as("the pass that removes a transaction's last data keeps its marker")
                .contains(abort, replacedCommit, lastCommit);
        assertThat(log.abortedTransactions(0, log.logEndOffset()))
                .containsExactly(new AbortedTransaction(P1, abortedFirst, abort, abort + 1));

        CleanerFixture.clean(log, clock, BIG_MAP);
        assertThat(CleanerFixture.controlBatchOffsets(log))
                .as("a later pass removes the markers of transactions with no data left, not the producer's latest")
                .doesNotContain(abort, replacedCommit)
                .contains(lastCommit);
        assertThat(log.abortedTransactions(0, log.logEndOffset())).isEmpty();
        List<Record> committedAfter = CleanerFixture.readCommitted(log);
        assertThat(CleanerFixture.latest(committedAfter)).isEqualTo(CleanerFixture.latest(committedBefore));

        log.close();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".txnindex")).toList()) {
                Files.delete(file);
            }
        }
        PartitionLog reopened = open();
        reopened.updateHighWatermark(reopened.logEndOffset());
        assertThat(reopened.lastStableOffset())
                .as("replaying the cleaned log leaves no transaction open")
                .isEqualTo(reopened.logEndOffset());
        assertThat(reopened.abortedTransactions(0, reopened.logEndOffset())).isEmpty();
        assertThat(offsetsAndValues(CleanerFixture.readCommitted(reopened)))
                .isEqualTo(offsetsAndValues(committedAfter));
    }

    private static Map<Long, ByteBuffer> markers(PartitionLog log) {
        Map<Long, ByteBuffer> markers = new HashMap<>();
        for (ByteBuffer batch : CleanerFixture.batches(log, log.logEndOffset())) {
            BatchView view = new BatchView().wrap(batch, 0);
            if (view.isControl()) {
                markers.put(view.baseOffset(), batch);
            }
        }
        return markers;
    }

    private static List<Record> recordsFrom(List<Record> records, long offset) {
        return records.stream().filter(r -> r.offset() >= offset).toList();
    }

    private static List<String> offsetsAndValues(List<Record> records) {
        return records.stream()
                .map(r -> r.offset() + ":" + (r.value() == null ? null : new String(r.value(), UTF_8)))
                .toList();
    }
}
