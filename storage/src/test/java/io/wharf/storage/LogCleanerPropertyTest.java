package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.protocol.record.Compression;
import io.wharf.protocol.record.Record;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.storage.cleaner.OffsetMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Random keyed appends (tombstones, compressed batches, an idempotent producer's batches), cleaning passes with random
 * offset-map budgets, clock advances and reopenings (clean and crashed) against a model of everything appended. After
 * every step: each record served is the one appended at its offset, offsets increase, every record at or past the end
 * of the last cleanable range is there, a record is gone only when a later record of its key replaced it or it is a
 * tombstone older than {@code delete.retention.ms} at a pass, so the latest value of every key survives.
 */
class LogCleanerPropertyTest {

    private static final long DELETE_RETENTION_MS = 10_000;
    private static final LogConfig CONFIG = LogConfig.parse(Map.of(
            "segment.bytes", "1024",
            "index.interval.bytes", "128",
            "file.delete.delay.ms", "0",
            "cleanup.policy", "compact",
            "delete.retention.ms", String.valueOf(DELETE_RETENTION_MS)));

    sealed interface Op permits Append, Clean, Advance, Reopen {}

    /** A batch of {@code keys} (indexes into a small key space; negative for a tombstone). */
    record Append(List<Integer> keys, boolean compressed, boolean idempotent) implements Op {}

    record Clean(int mapKeys) implements Op {}

    record Advance(int ms) implements Op {}

    record Reopen(boolean clean) implements Op {}

    /** An appended record as the model knows it. */
    record Appended(String key, String value, long timestamp) {}

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

    private static void run(LogFixture fixture, Path dir, List<Op> operations) throws Exception {
        PartitionLog log = fixture.open(dir, CONFIG);
        TreeMap<Long, Appended> model = new TreeMap<>();
        long tombstoneHorizon = Long.MIN_VALUE;
        long untouchableFrom = 0;
        int sequence = 0;
        int counter = 0;
        for (Op op : operations) {
            if (op instanceof Append append) {
                RecordBatchBuilder builder =
                        RecordBatchBuilder.create(append.compressed() ? Compression.LZ4 : Compression.NONE);
                if (append.idempotent()) {
                    builder.producer(42L, (short) 0, sequence);
                    sequence += append.keys().size();
                }
                long now = fixture.clock.nowMs();
                long offset = log.logEndOffset();
                for (int key : append.keys()) {
                    String name = "k" + Math.abs(key);
                    String value = key < 0 ? null : "v" + counter++;
                    builder.add(now, name.getBytes(UTF_8), value == null ? null : value.getBytes(UTF_8));
                    model.put(offset++, new Appended(name, value, now));
                }
                log.append(builder.build(), AppendOrigin.CLIENT, 0);
            } else if (op instanceof Clean clean) {
                CleanerFixture.commitAll(log);
                CleanableRange range = log.cleanableRange(fixture.clock.nowMs());
                new io.wharf.storage.cleaner.CleaningPass(
                                new OffsetMap((long) clean.mapKeys() * OffsetMap.BYTES_PER_ENTRY * 2),
                                new io.wharf.storage.cleaner.Throttler(fixture.clock, Double.MAX_VALUE),
                                fixture.clock)
                        .clean(log, range);
                tombstoneHorizon = fixture.clock.nowMs() - DELETE_RETENTION_MS;
                untouchableFrom = Math.max(untouchableFrom, range.endOffset());
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
            check(log, model, tombstoneHorizon, untouchableFrom, op);
        }
    }

    private static void check(
            PartitionLog log, TreeMap<Long, Appended> model, long tombstoneHorizon, long untouchableFrom, Op op) {
        assertThat(log.logEndOffset()).as("log end after %s", op).isEqualTo(model.isEmpty() ? 0 : model.lastKey() + 1);
        Map<Long, Record> served = new HashMap<>();
        long previous = -1;
        for (Record record : LogFixture.readAll(log)) {
            assertThat(record.offset()).as("offsets increase after %s", op).isGreaterThan(previous);
            previous = record.offset();
            Appended appended = model.get(record.offset());
            assertThat(appended).as("offset %d was appended", record.offset()).isNotNull();
            assertThat(new String(record.key(), UTF_8)).isEqualTo(appended.key());
            assertThat(record.value() == null ? null : new String(record.value(), UTF_8))
                    .isEqualTo(appended.value());
            served.put(record.offset(), record);
        }
        Map<String, Long> latestAppended = new HashMap<>();
        model.forEach((offset, appended) -> latestAppended.put(appended.key(), offset));
        for (Map.Entry<Long, Appended> entry : model.entrySet()) {
            long offset = entry.getKey();
            Appended appended = entry.getValue();
            if (served.containsKey(offset)) {
                continue;
            }
            assertThat(offset)
                    .as("offset %d removed though past the cleanable range, after %s", offset, op)
                    .isLessThan(untouchableFrom);
            boolean replaced = latestAppended.get(appended.key()) > offset;
            boolean expiredTombstone = appended.value() == null && appended.timestamp() < tombstoneHorizon;
            assertThat(replaced || expiredTombstone)
                    .as(
                            "offset %d (%s=%s) removed without a later record of its key, after %s",
                            offset, appended.key(), appended.value(), op)
                    .isTrue();
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> append = Combinators.combine(
                        Arbitraries.integers()
                                .between(-7, 7)
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(6),
                        Arbitraries.of(false, false, true),
                        Arbitraries.of(false, false, false, true))
                .as(Append::new);
        Arbitrary<Op> clean = Arbitraries.integers().between(8, 40).map(Clean::new);
        Arbitrary<Op> advance = Arbitraries.integers().between(0, 15_000).map(Advance::new);
        Arbitrary<Op> reopen = Arbitraries.of(true, false).map(Reopen::new);
        return Arbitraries.frequencyOf(
                        Tuple.of(14, append), Tuple.of(3, clean), Tuple.of(2, advance), Tuple.of(1, reopen))
                .list()
                .ofMinSize(1)
                .ofMaxSize(80);
    }
}
