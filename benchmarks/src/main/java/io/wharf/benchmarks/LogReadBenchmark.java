package io.wharf.benchmarks;

import io.wharf.storage.AppendOrigin;
import io.wharf.storage.LogConfig;
import io.wharf.storage.LogRuntime;
import io.wharf.storage.LogSlice;
import io.wharf.storage.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Sequential reads of 1 MiB (a consumer's fetch) from a 256 MiB log in the page cache: the log's read (index lookup,
 * header scan for whole batches) plus copying the slice out, against copying the same bytes straight from the file.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LogReadBenchmark {

    static final int FETCH_BYTES = 1 << 20;
    private static final long LOG_BYTES = 256L << 20;

    private Path dir;
    private LogRuntime runtime;
    private PartitionLog log;
    private FileChannel raw;
    private ByteBuffer into;
    private long offset;
    private long rawPosition;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = BenchFiles.newScratchDir("read");
        runtime = BenchFiles.runtime();
        log = PartitionLog.open(dir, LogConfig.parse(Map.of("wharf.flush.policy", "os")), runtime);
        ByteBuffer batch = BenchFiles.batch();
        while (log.sizeInBytes() < LOG_BYTES) {
            log.append(batch.duplicate(), AppendOrigin.CLIENT, 0);
        }
        raw = FileChannel.open(dir.resolve("00000000000000000000.log"), StandardOpenOption.READ);
        into = ByteBuffer.allocateDirect(FETCH_BYTES + (64 << 10));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        raw.close();
        log.close();
        BenchFiles.shutdown(runtime);
        BenchFiles.deleteRecursively(dir);
    }

    /** One fetch of up to 1 MiB of whole batches, copied out. */
    @Benchmark
    public int logRead() throws IOException {
        if (offset >= log.logEndOffset()) {
            offset = 0;
        }
        LogSlice slice = log.read(offset, FETCH_BYTES, Long.MAX_VALUE, true);
        into.clear().limit(slice.sizeInBytes());
        long position = slice.position();
        while (into.hasRemaining()) {
            position += slice.channel().read(into, position);
        }
        offset += (long) (slice.sizeInBytes() / batchSize()) * BenchFiles.RECORDS_PER_BATCH;
        return slice.sizeInBytes();
    }

    private int batchSize;

    private int batchSize() {
        if (batchSize == 0) {
            batchSize = log.read(0, 1, Long.MAX_VALUE, true).sizeInBytes();
        }
        return batchSize;
    }

    /** 1 MiB copied straight from the segment file. */
    @Benchmark
    public int rawRead() throws IOException {
        if (rawPosition + FETCH_BYTES > LOG_BYTES) {
            rawPosition = 0;
        }
        into.clear().limit(FETCH_BYTES);
        while (into.hasRemaining()) {
            rawPosition += raw.read(into, rawPosition);
        }
        return FETCH_BYTES;
    }
}
