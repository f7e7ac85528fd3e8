package io.wharf.benchmarks;

import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import io.wharf.storage.AppendOrigin;
import io.wharf.storage.AppendResult;
import io.wharf.storage.LogConfig;
import io.wharf.storage.LogManager;
import io.wharf.storage.LogRuntime;
import io.wharf.storage.PartitionLog;
import io.wharf.storage.journal.JournalSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Appends of 16 KiB batches (15 records of 1 KiB) to the partition logs of a {@link LogManager}, 1 GiB segments,
 * spread round-robin over {@code partitions} logs.
 *
 * <ul>
 *   <li>{@code os}: no fsync, as Kafka runs by default: validation (CRC, record walk), offset patching, write, index.
 *   <li>{@code acks-all}: every append waits to be on disk, with up to {@code inFlightMax} appends in flight as a
 *       broker has from its producers, so group commit lets one fsync cover every append made during the last one.
 * </ul>
 *
 * <p>{@code journal=on} is the broker's default: appends go to the data directory's journal, one fdatasync for all
 * partitions. {@code journal=off} is the design it replaced: each log forces its own segment file.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LogAppendBenchmark {

    @Param({"os", "acks-all"})
    public String flushPolicy;

    /** Appends waiting for their fsync at once: a few producers with 5 requests in flight each. */
    @Param({"16", "64"})
    public int inFlightMax;

    /** Partitions written at once, in turn. */
    @Param({"1", "6", "60"})
    public int partitions;

    @Param({"on", "off"})
    public String journal;

    private Path dir;
    private LogManager manager;
    private PartitionLog[] logs;
    private int next;
    private ByteBuffer batch;
    private final ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();

    /** A fresh data directory per trial; its journal's files stay from one iteration to the next. */
    @Setup(Level.Trial)
    public void createDirectory() {
        dir = BenchFiles.newScratchDir("log");
    }

    /**
     * Fresh logs every iteration, as the raw-write baseline gets a fresh file, over the journal files the iterations
     * before left: a running broker's journal recycles its files, and zeroing new ones is not what is measured.
     */
    @Setup(Level.Iteration)
    public void setUp() throws IOException {
        LogConfig config = LogConfig.parse(Map.of("wharf.flush.policy", flushPolicy, "file.delete.delay.ms", "0"));
        int preallocate = Integer.getInteger("wharf.bench.preallocate.bytes", LogRuntime.DEFAULT_PREALLOCATE_BYTES);
        LogManager.Settings settings = new LogManager.Settings(2, 2, 3_600_000, 3_600_000, 86_400_000, preallocate)
                .withJournal("on".equals(journal) ? JournalSettings.defaults() : null);
        manager = LogManager.open(dir, settings, Clock.system(), tp -> config);
        logs = new PartitionLog[partitions];
        for (int i = 0; i < partitions; i++) {
            logs[i] = manager.getOrCreate(new TopicPartition("bench", i), config);
        }
        batch = BenchFiles.batch();
    }

    /** Closes the logs and deletes them, keeping the journal's files; prints the journal's sync figures on request. */
    @TearDown(Level.Iteration)
    public void tearDown() throws Exception {
        for (CompletableFuture<Void> pending : inFlight) {
            pending.get();
        }
        inFlight.clear();
        if (Boolean.getBoolean("wharf.bench.journal.stats")) {
            manager.journal()
                    .ifPresent(j -> System.out.println("\njournal: " + j.stats().snapshot()));
        }
        manager.close();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals(LogManager.JOURNAL_DIR)) {
                    BenchFiles.deleteRecursively(entry);
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void deleteDirectory() {
        BenchFiles.deleteRecursively(dir);
    }

    /** One batch appended (and, under acks-all, counted once its fsync has been requested in the window). */
    @Benchmark
    public long append() throws Exception {
        PartitionLog log = logs[next];
        next = next + 1 == logs.length ? 0 : next + 1;
        AppendResult result = log.append(batch.duplicate(), AppendOrigin.CLIENT, 0);
        if (!"os".equals(flushPolicy)) {
            if (inFlight.size() >= inFlightMax) {
                inFlight.removeFirst().get();
            }
            inFlight.addLast(log.flush(result.lastOffset() + 1));
        }
        return result.lastOffset();
    }
}
