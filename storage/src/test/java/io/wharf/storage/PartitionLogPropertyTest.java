package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of appends, reads, truncations, DeleteRecords, retention and reopenings (clean and after a crash)
 * against a list of batches in memory: after every step the log must hold exactly what the model holds. It runs twice:
 * for a partition log on its own, and for one of a {@link LogManager} whose appends go through the journal, where a
 * crash also loses every segment byte that was never forced (as a power loss does), so that only the journal can
 * bring the acknowledged records back.
 */
class PartitionLogPropertyTest {

    sealed interface Op permits Append, Read, Truncate, DeleteRecords, SizeRetention, Reopen, Flush, Checkpoint {}

    record Append(int records, int valueSize, int epoch) implements Op {}

    record Read(double at, int maxBytes) implements Op {}

    record Truncate(double at) implements Op {}

    record DeleteRecords(double at) implements Op {}

    record SizeRetention(int bytes) implements Op {}

    /** A clean close, or a crash that keeps {@code kept} of the segment bytes never forced. */
    record Reopen(boolean clean, double kept) implements Op {}

    record Flush() implements Op {}

    /** The journal's checkpoint: every segment forced (nothing for a log on its own). */
    record Checkpoint() implements Op {}

    /** The model: batches in order, each with its first offset and values, and the log start. */
    private static final class Model {
        final List<long[]> batches = new ArrayList<>(); // {firstOffset, count}
        final List<String> values = new ArrayList<>(); // values.get(offset)
        long logStart;
        int epoch;

        long end() {
            return values.size();
        }

        void append(List<String> batch, int batchEpoch) {
            batches.add(new long[] {values.size(), batch.size()});
            values.addAll(batch);
            epoch = Math.max(epoch, batchEpoch);
        }

        void truncateTo(long offset) {
            while (!batches.isEmpty()
                    && batches.get(batches.size() - 1)[0] + batches.get(batches.size() - 1)[1] > offset) {
                long[] last = batches.remove(batches.size() - 1);
                values.subList((int) last[0], values.size()).clear();
            }
            logStart = Math.min(logStart, end());
        }

        List<String> visible() {
            return values.subList((int) logStart, values.size());
        }
    }

    /** Where the log under test lives, and what a reopening or a checkpoint does to it. */
    private interface Host extends AutoCloseable {
        PartitionLog open() throws Exception;

        void reopenCleanly(PartitionLog log) throws Exception;

        void crash(PartitionLog log, double kept) throws Exception;

        void checkpoint();

        void truncated(long newEnd);

        ByteBuffer batch(String... values);

        long nowMs();
    }

    /** A partition log on its own, forcing its own segments: a crash loses nothing that was flushed. */
    private static final class StandaloneHost implements Host {
        final LogFixture fixture = new LogFixture();
        final Path dir;
        final LogConfig config;

        StandaloneHost(Path dir, LogConfig config) {
            this.dir = dir;
            this.config = config;
        }

        @Override
        public PartitionLog open() throws IOException {
            return fixture.open(dir, config);
        }

        @Override
        public void reopenCleanly(PartitionLog log) throws IOException {
            log.close();
        }

        @Override
        public void crash(PartitionLog log, double kept) {
            fixture.abandon(log);
        }

        @Override
        public void checkpoint() {}

        @Override
        public void truncated(long newEnd) {}

        @Override
        public ByteBuffer batch(String... values) {
            return fixture.batch(values);
        }

        @Override
        public long nowMs() {
            return fixture.clock.nowMs();
        }

        @Override
        public void close() throws IOException {
            fixture.close();
        }
    }

    /**
     * A partition of a {@link LogManager} with a journal. A crash halts the manager and then cuts the active segment
     * anywhere after the last byte known to be forced (by a checkpoint, a clean close or a recovery).
     */
    private static final class JournalHost implements Host {
        final JournalFixture fixture;
        long forcedEnd;

        JournalHost(Path dir, LogConfig config) {
            fixture = new JournalFixture(dir, config);
        }

        @Override
        public PartitionLog open() throws IOException {
            PartitionLog log = fixture.open().getOrCreate(JournalFixture.TP, fixture.config);
            forcedEnd = log.logEndOffset();
            return log;
        }

        @Override
        public void reopenCleanly(PartitionLog log) throws IOException {
            fixture.close();
        }

        @Override
        public void crash(PartitionLog log, double kept) throws IOException {
            fixture.crash();
            Path segment = fixture.activeSegment(JournalFixture.TP);
            long size = Files.size(segment);
            long firstUnforced = size;
            for (long[] batch : JournalFixture.batchesIn(segment)) {
                if (batch[1] >= forcedEnd) {
                    firstUnforced = batch[0];
                    break;
                }
            }
            JournalFixture.cut(segment, firstUnforced + (long) (kept * (size - firstUnforced)));
        }

        @Override
        public void checkpoint() {
            PartitionLog log = fixture.log();
            fixture.manager().checkpointJournal();
            forcedEnd = log.logEndOffset();
        }

        @Override
        public void truncated(long newEnd) {
            forcedEnd = Math.min(forcedEnd, newEnd);
        }

        @Override
        public ByteBuffer batch(String... values) {
            return fixture.batch(values);
        }

        @Override
        public long nowMs() {
            return fixture.clock.nowMs();
        }

        @Override
        public void close() throws IOException {
            fixture.close();
        }
    }

    @Property(tries = 100)
    void theLogAlwaysHoldsWhatTheModelHolds(@ForAll("operations") List<Op> operations) throws Exception {
        Path dir = Files.createTempDirectory("wharf-property");
        LogConfig config = LogFixture.smallSegments(2048);
        try (Host host = new StandaloneHost(dir, config)) {
            run(host, config, operations);
        } finally {
            deleteRecursively(dir);
        }
    }

    @Property(tries = 100)
    void theJournaledLogAlwaysHoldsWhatTheModelHolds(@ForAll("operations") List<Op> operations) throws Exception {
        Path dir = Files.createTempDirectory("wharf-property-journal");
        LogConfig config = LogFixture.smallSegments(2048);
        try (Host host = new JournalHost(dir, config)) {
            run(host, config, operations);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void run(Host host, LogConfig config, List<Op> operations) throws Exception {
        {
            PartitionLog log = host.open();
            Model model = new Model();
            int counter = 0;
            for (Op op : operations) {
                if (op instanceof Append append) {
                    List<String> batch = new ArrayList<>();
                    for (int i = 0; i < append.records(); i++) {
                        batch.add(counter++ + "-" + "x".repeat(append.valueSize()));
                    }
                    int epoch = Math.max(model.epoch, append.epoch());
                    log.append(host.batch(batch.toArray(String[]::new)), AppendOrigin.CLIENT, epoch);
                    model.append(batch, epoch);
                } else if (op instanceof Read read) {
                    long offset = model.logStart + (long) (read.at() * (model.end() - model.logStart));
                    LogSlice slice = log.read(offset, read.maxBytes(), Long.MAX_VALUE, true);
                    if (offset < model.end()) {
                        assertThat(slice.isEmpty()).isFalse();
                        assertThat(slice.firstOffset()).isLessThanOrEqualTo(offset);
                    } else {
                        assertThat(slice.isEmpty()).isTrue();
                    }
                } else if (op instanceof Truncate truncate) {
                    long offset = model.logStart + (long) (truncate.at() * (model.end() - model.logStart));
                    log.truncateTo(offset);
                    model.truncateTo(offset);
                    host.truncated(log.logEndOffset());
                } else if (op instanceof DeleteRecords delete) {
                    long offset = model.logStart + (long) (delete.at() * (model.end() - model.logStart));
                    log.deleteRecordsBefore(offset);
                    model.logStart = Math.max(model.logStart, offset);
                } else if (op instanceof SizeRetention retention) {
                    log.updateConfig(LogConfig.parse(java.util.Map.of(
                            "segment.bytes", "2048",
                            "index.interval.bytes", "128",
                            "file.delete.delay.ms", "0",
                            "retention.bytes", String.valueOf(retention.bytes()))));
                    log.applyRetention(host.nowMs());
                    assertThat(log.logStartOffset()).isGreaterThanOrEqualTo(model.logStart);
                    model.logStart = log.logStartOffset();
                    log.updateConfig(config);
                } else if (op instanceof Reopen reopen) {
                    if (reopen.clean()) {
                        host.reopenCleanly(log);
                    } else {
                        log.flush(log.logEndOffset()).get(10, TimeUnit.SECONDS);
                        host.crash(log, reopen.kept());
                    }
                    log = host.open();
                } else if (op instanceof Checkpoint) {
                    host.checkpoint();
                } else if (op instanceof Flush flush) {
                    log.flush(log.logEndOffset()).get(10, TimeUnit.SECONDS);
                    assertThat(log.durableOffset()).isEqualTo(model.end());
                }
                assertThat(log.logEndOffset()).as("log end after %s", op).isEqualTo(model.end());
                assertThat(log.logStartOffset()).as("log start after %s", op).isEqualTo(model.logStart);
            }
            assertThat(LogFixture.values(LogFixture.readAll(log))).isEqualTo(model.visible());
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> append = net.jqwik.api.Combinators.combine(
                        Arbitraries.integers().between(1, 5),
                        Arbitraries.integers().between(0, 120),
                        Arbitraries.integers().between(0, 5))
                .as(Append::new);
        Arbitrary<Op> read = net.jqwik.api.Combinators.combine(
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.integers().between(1, 2000))
                .as(Read::new);
        Arbitrary<Op> truncate = Arbitraries.doubles().between(0, 1).map(Truncate::new);
        Arbitrary<Op> delete = Arbitraries.doubles().between(0, 1).map(DeleteRecords::new);
        Arbitrary<Op> retention = Arbitraries.integers().between(0, 4000).map(SizeRetention::new);
        Arbitrary<Op> reopen = net.jqwik.api.Combinators.combine(
                        Arbitraries.of(true, false), Arbitraries.doubles().between(0, 1))
                .as(Reopen::new);
        Arbitrary<Op> flush = Arbitraries.just(new Flush());
        Arbitrary<Op> checkpoint = Arbitraries.just(new Checkpoint());
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(12, append),
                        net.jqwik.api.Tuple.of(3, read),
                        net.jqwik.api.Tuple.of(1, truncate),
                        net.jqwik.api.Tuple.of(1, delete),
                        net.jqwik.api.Tuple.of(1, retention),
                        net.jqwik.api.Tuple.of(1, reopen),
                        net.jqwik.api.Tuple.of(1, flush),
                        net.jqwik.api.Tuple.of(1, checkpoint))
                .list()
                .ofMinSize(1)
                .ofMaxSize(60);
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
