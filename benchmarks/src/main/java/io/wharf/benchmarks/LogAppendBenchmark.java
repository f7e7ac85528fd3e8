package io.wharf.benchmarks;

import io.wharf.storage.AppendOrigin;
import io.wharf.storage.AppendResult;
import io.wharf.storage.LogConfig;
import io.wharf.storage.LogRuntime;
import io.wharf.storage.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * Appends of 16 KiB batches (15 records of 1 KiB) to a partition log with 1 GiB segments.
 *
 * <ul>
 *   <li>{@code os}: no fsync, as Kafka runs by default: validation (CRC, record walk), offset patching, write, index.
 *   <li>{@code acks-all}: every append waits to be on disk, with up to {@code inFlightMax} appends in flight as a
 *       broker has from its producers, so group commit lets one fsync cover every append made during the last one.
 * </ul>
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

    private Path dir;
    private LogRuntime runtime;
    private PartitionLog log;
    private ByteBuffer batch;
    private final ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();

    @Setup(Level.Iteration)
    public void setUp() throws IOException {
        dir = BenchFiles.newScratchDir("log");
        runtime = BenchFiles.runtime();
        log = PartitionLog.open(
                dir, LogConfig.parse(Map.of("wharf.flush.policy", flushPolicy, "file.delete.delay.ms", "0")), runtime);
        batch = BenchFiles.batch();
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws Exception {
        for (CompletableFuture<Void> pending : inFlight) {
            pending.get();
        }
        inFlight.clear();
        log.close();
        BenchFiles.shutdown(runtime);
        BenchFiles.deleteRecursively(dir);
    }

    /** One batch appended (and, under acks-all, counted once its fsync has been requested in the window). */
    @Benchmark
    public long append() throws Exception {
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
