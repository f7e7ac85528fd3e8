package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.protocol.record.Compression;
import io.wharf.protocol.record.ControlBatches;
import io.wharf.protocol.record.Record;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.storage.cleaner.OffsetMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random keyed appends (tombstones, compressed batches, an idempotent producer's batches, two transactional producers'
 * batches and their COMMIT or ABORT markers), cleaning passes with random offset-map budgets, clock advances and
 * reopenings (clean and crashed) against a model of everything appended. After every step: each record served is the
 * one appended at its offset and each marker one written there, offsets increase, every record at or past the end of
 * the last cleanable range is there, no range reaches an open transaction, a record is gone only when it was aborted,
 * or a later committed or non-transactional record of its key replaced it, or it is a tombstone older than {@code
 * delete.retention.ms} at a pass, so the latest value of every key survives; a marker is gone only when its
 * transaction has no record left and it was older than {@code delete.retention.ms} at a pass; and a read_committed
 * read returns exactly the served committed and non-transactional records below the last stable offset.
 */
class LogCleanerPropertyTest {

    private static final long DELETE_RETENTION_MS = 10_000;
    private static final LogConfig CONFIG = LogConfig.parse(Map.of(
            "segment.bytes", "1024",
            "index.interval.bytes", "128",
            "file.delete.delay.ms", "0",
            "cleanup.policy", "compact",
            "delete.retention.ms", String.valueOf(DELETE_RETENTION_MS)));

    private static final long[] TRANSACTIONAL = {100L, 101L};

    sealed interface Op permits Append, TxnAppend, EndTxn, Clean, Advance, Reopen {}

    /** A batch of {@code keys} (indexes into a small key space; negative for a tombstone). */
    record Append(List<Integer> keys, boolean compressed, boolean idempotent) implements Op {}

    /** A batch of {@code keys} (as in {@link Append}) in transactional producer {@code producer}'s transaction. */
    record TxnAppend(int producer, List<Integer> keys) implements Op {}

    /** The coordinator's marker for {@code producer}'s open transaction, if it has one. */
    record EndTxn(int producer, boolean commit) implements Op {}

    record Clean(int mapKeys) implements Op {}

    record Advance(int ms) implements Op {}

    record Reopen(boolean clean) implements Op {}

    /** What became of a transaction. */
    enum Outcome {
        OPEN,
        COMMITTED,
        ABORTED
    }

    /** A transaction as the model knows it. */
    static final class Txn {
        Outcome outcome = Outcome.OPEN;
        final long firstOffset;

        Txn(long firstOffset) {
            this.firstOffset = firstOffset;
        }
    }

    /** An appended record as the model knows it; {@code txn} is null outside transactions. */
    record Appended(String key, String value, long timestamp, Txn txn) {

        /** Whether a read_committed consumer gets it, and so whether it may replace an older record of its key. */
        boolean visible() {
            return txn == null || txn.outcome == Outcome.COMMITTED;
        }
    }

    /** A marker as the model knows it. */
    record Marker(Txn txn, long timestamp) {}

    /** Everything appended. */
    static final class Model {
        final TreeMap<Long, Appended> records = new TreeMap<>();
        final TreeMap<Long, Marker> markers = new TreeMap<>();
        final Map<Integer, Txn> open = new HashMap<>();
        final int[] sequences = new int[TRANSACTIONAL.length];
        long horizon = Long.MIN_VALUE;
        long untouchableFrom;

        long firstOpenOffset() {
            return open.values().stream().mapToLong(t -> t.firstOffset).min().orElse(Long.MAX_VALUE);
        }
    }

    @Property(tries = 60)
    void aCleanedLogKeepsTheLatestValueOfEveryKey(@ForAll("operations") List<Op> operations) throws Exception {
        Path dir = Files.createTempDirectory("wharf-cleaner-property");
        try (LogFixture fixture = new LogFixture()) {
            run(fixture, dir, operations);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    @Property(tries = 60)
    void aCleanedTransactionalLogKeepsCommittedDataAndDropsAbortedData(
            @ForAll("transactionalOperations") List<Op> operations) throws Exception {
        aCleanedLogKeepsTheLatestValueOfEveryKey(operations);
    }

    private static void run(LogFixture fixture, Path dir, List<Op> operations) throws Exception {
        PartitionLog log = fixture.open(dir, CONFIG);
        Model model = new Model();
        int sequence = 0;
        int counter = 0;
        for (Op op : operations) {
            long now = fixture.clock.nowMs();
            if (op instanceof Append append) {
                RecordBatchBuilder builder =
                        RecordBatchBuilder.create(append.compressed() ? Compression.LZ4 : Compression.NONE);
                if (append.idempotent()) {
                    builder.producer(42L, (short) 0, sequence);
                    sequence += append.keys().size();
                }
                counter = add(builder, append.keys(), log.logEndOffset(), now, null, model, counter);
                log.append(builder.build(), AppendOrigin.CLIENT, 0);
            } else if (op instanceof TxnAppend append) {
                long offset = log.logEndOffset();
                Txn txn = model.open.computeIfAbsent(append.producer(), p -> new Txn(offset));
                RecordBatchBuilder builder = RecordBatchBuilder.create()
                        .producer(TRANSACTIONAL[append.producer()], (short) 0, model.sequences[append.producer()])
                        .transactional();
                model.sequences[append.producer()] += append.keys().size();
                counter = add(builder, append.keys(), offset, now, txn, model, counter);
                log.append(builder.build(), AppendOrigin.CLIENT, 0);
            } else if (op instanceof EndTxn end) {
                Txn txn = model.open.remove(end.producer());
                if (txn != null) {
                    txn.outcome = end.commit() ? Outcome.COMMITTED : Outcome.ABORTED;
                    model.markers.put(log.logEndOffset(), new Marker(txn, now));
                    log.append(
                            ControlBatches.marker(TRANSACTIONAL[end.producer()], (short) 0, end.commit(), 0, now),
                            AppendOrigin.COORDINATOR,
                            0);
                }
            } else if (op instanceof Clean clean) {
                CleanerFixture.commitAll(log);
                CleanableRange range = log.cleanableRange(now);
                assertThat(range.endOffset())
                        .as("the cleanable range stops before every open transaction")
                        .isLessThanOrEqualTo(model.firstOpenOffset());
                new io.wharf.storage.cleaner.CleaningPass(
                                new OffsetMap((long) clean.mapKeys() * OffsetMap.BYTES_PER_ENTRY * 2),
                                new io.wharf.storage.cleaner.Throttler(fixture.clock, Double.MAX_VALUE),
                                fixture.clock)
                        .clean(log, range);
                model.horizon = now - DELETE_RETENTION_MS;
                model.untouchableFrom = Math.max(model.untouchableFrom, range.endOffset());
            } else if (op instanceof Advance advance) {
                fixture.clock.advanceMs(advance.ms());
            } else if (op instanceof Reopen reopen) {
                if (reopen.clean()) {
                    log.close();
                } else {
                    log.flush(log.logEndOffset()).get();
                    log.abandon();
                    fixture.abandon(log);
                }
                log = fixture.open(dir, CONFIG);
            }
            check(log, model, op);
        }
    }

    /** Adds {@code keys} to the batch and the model from {@code offset} on; returns the next value counter. */
    private static int add(
            RecordBatchBuilder builder, List<Integer> keys, long offset, long now, Txn txn, Model model, int counter) {
        for (int key : keys) {
            String name = "k" + Math.abs(key);
            String value = key < 0 ? null : "v" + counter++;
            builder.add(now, name.getBytes(UTF_8), value == null ? null : value.getBytes(UTF_8));
            model.records.put(offset++, new Appended(name, value, now, txn));
        }
        return counter;
    }

    private static void check(PartitionLog log, Model model, Op op) {
        long end = Math.max(
                model.records.isEmpty() ? 0 : model.records.lastKey() + 1,
                model.markers.isEmpty() ? 0 : model.markers.lastKey() + 1);
        assertThat(log.logEndOffset()).as("log end after %s", op).isEqualTo(end);
        Map<Long, Record> served = new HashMap<>();
        long previous = -1;
        for (Record record : CleanerFixture.dataRecords(log)) {
            assertThat(record.offset()).as("offsets increase after %s", op).isGreaterThan(previous);
            previous = record.offset();
            Appended appended = model.records.get(record.offset());
            assertThat(appended).as("offset %d was appended", record.offset()).isNotNull();
            assertThat(new String(record.key(), UTF_8)).isEqualTo(appended.key());
            assertThat(record.value() == null ? null : new String(record.value(), UTF_8))
                    .isEqualTo(appended.value());
            served.put(record.offset(), record);
        }
        Set<Long> markersServed = new HashSet<>(CleanerFixture.controlBatchOffsets(log));
        assertThat(model.markers.keySet()).as("markers served after %s", op).containsAll(markersServed);
        Map<String, Long> latestVisible = new HashMap<>();
        model.records.forEach((offset, appended) -> {
            if (appended.visible()) {
                latestVisible.put(appended.key(), offset);
            }
        });
        Set<Txn> withRecords = new HashSet<>();
        for (Map.Entry<Long, Appended> entry : model.records.entrySet()) {
            long offset = entry.getKey();
            Appended appended = entry.getValue();
            if (served.containsKey(offset)) {
                if (appended.txn() != null) {
                    withRecords.add(appended.txn());
                }
                continue;
            }
            assertThat(offset)
                    .as("offset %d removed though past the cleanable range, after %s", offset, op)
                    .isLessThan(model.untouchableFrom);
            boolean aborted = appended.txn() != null && appended.txn().outcome == Outcome.ABORTED;
            boolean replaced = latestVisible.getOrDefault(appended.key(), -1L) > offset;
            boolean expiredTombstone = appended.value() == null && appended.timestamp() < model.horizon;
            assertThat(aborted || replaced || expiredTombstone)
                    .as(
                            "offset %d (%s=%s) removed though not aborted nor replaced by a visible record, after %s",
                            offset, appended.key(), appended.value(), op)
                    .isTrue();
        }
        for (Map.Entry<Long, Marker> entry : model.markers.entrySet()) {
            if (!markersServed.contains(entry.getKey())) {
                assertThat(entry.getKey()).isLessThan(model.untouchableFrom);
                assertThat(withRecords)
                        .as("marker %d removed while its transaction has records, after %s", entry.getKey(), op)
                        .doesNotContain(entry.getValue().txn());
                assertThat(entry.getValue().timestamp())
                        .as("marker %d removed within delete.retention.ms, after %s", entry.getKey(), op)
                        .isLessThan(model.horizon);
            }
        }
        long stable = log.lastStableOffset();
        List<Long> expectedCommitted = served.keySet().stream()
                .filter(offset -> offset < stable && model.records.get(offset).visible())
                .sorted()
                .toList();
        assertThat(CleanerFixture.readCommitted(log).stream()
                        .map(Record::offset)
                        .toList())
                .as("read_committed after %s", op)
                .isEqualTo(expectedCommitted);
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        return operations(10, 4, 2, 80);
    }

    @Provide
    Arbitrary<List<Op>> transactionalOperations() {
        return operations(4, 8, 4, 150);
    }

    private static Arbitrary<List<Op>> operations(int appends, int txnAppends, int txnEnds, int maxSize) {
        Arbitrary<Op> append = Combinators.combine(
                        Arbitraries.integers()
                                .between(-7, 7)
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(6),
                        Arbitraries.of(false, false, true),
                        Arbitraries.of(false, false, false, true))
                .as(Append::new);
        Arbitrary<Op> txnAppend = Combinators.combine(
                        Arbitraries.integers().between(0, TRANSACTIONAL.length - 1),
                        Arbitraries.integers()
                                .between(-7, 7)
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(4))
                .as(TxnAppend::new);
        Arbitrary<Op> endTxn = Combinators.combine(
                        Arbitraries.integers().between(0, TRANSACTIONAL.length - 1), Arbitraries.of(true, false))
                .as(EndTxn::new);
        Arbitrary<Op> clean = Arbitraries.integers().between(8, 40).map(Clean::new);
        Arbitrary<Op> advance = Arbitraries.integers().between(0, 15_000).map(Advance::new);
        Arbitrary<Op> reopen = Arbitraries.of(true, false).map(Reopen::new);
        return Arbitraries.frequencyOf(
                        Tuple.of(appends, append),
                        Tuple.of(txnAppends, txnAppend),
                        Tuple.of(txnEnds, endTxn),
                        Tuple.of(3, clean),
                        Tuple.of(2, advance),
                        Tuple.of(1, reopen))
                .list()
                .ofMinSize(1)
                .ofMaxSize(maxSize);
    }
}
