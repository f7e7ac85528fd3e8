package io.wharf.benchmarks;

import io.wharf.common.Clock;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.storage.AppendOrigin;
import io.wharf.storage.LogConfig;
import io.wharf.storage.LogRuntime;
import io.wharf.storage.PartitionLog;
import io.wharf.storage.cleaner.CleanerStats;
import io.wharf.storage.cleaner.CleaningPass;
import io.wharf.storage.cleaner.OffsetMap;
import io.wharf.storage.cleaner.Throttler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The cleaner's throughput next to the raw disk write rate, in one run: a compacted log of {@code megabytes} MB of
 * 1 KiB records (batches of 15, uncompressed) is written, once with 10% and once with 90% of its records repeating an
 * earlier key, then cleaned in one pass; the rate is the dirty bytes read per second of the pass (which reads the log
 * and writes and fsyncs the cleaned segments). The raw rate writes the same number of bytes to a file in 1 MiB writes
 * and forces it. Last, the append rate of one thread into a fresh log, alone and while another log is being cleaned,
 * shows what a pass takes from produce on this machine.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.wharf.benchmarks.CleanerReport [megabytes]</pre>
 */
public final class CleanerReport {

    private static final int RECORD_BYTES = 1024;
    private static final int RECORDS_PER_BATCH = 15;

    private CleanerReport() {}

    public static void main(String[] args) throws Exception {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        long bytes = (long) megabytes << 20;
        double raw = rawWriteMbPerSecond(bytes);
        System.out.printf("%nCleaner, %d MB of %d B records, one pass with a 128 MiB map:%n", megabytes, RECORD_BYTES);
        System.out.printf("%-34s %10s %8s%n", "", "MB/s", "ratio");
        System.out.printf("%-34s %10.0f %8.2f%n", "raw write + fsync", raw, 1.0);
        for (double duplicates : new double[] {0.1, 0.9}) {
            CleanerStats stats = clean(bytes, duplicates);
            double rate = stats.readMbPerSecond();
            System.out.printf(
                    "%-34s %10.0f %8.2f   (%d MB -> %d MB, %d keys, %d ms)%n",
                    String.format("clean, %.0f%% duplicate keys", duplicates * 100),
                    rate,
                    rate / raw,
                    stats.bytesRead() >> 20,
                    stats.bytesWritten() >> 20,
                    stats.keys(),
                    stats.elapsedNanos() / 1_000_000);
        }
        double alone = appendMbPerSecond(bytes, false);
        double during = appendMbPerSecond(bytes, true);
        System.out.printf("%-34s %10.0f %8.2f%n", "append (os policy), alone", alone, alone / raw);
        System.out.printf(
                "%-34s %10.0f %8.2f   (%.2f of alone)%n",
                "append while another log cleans", during, during / raw, during / alone);
    }

    /**
     * Appends {@code bytes} to a fresh log as fast as one thread can, while (if {@code cleanWhile}) another log of the
     * same size with 90% duplicate keys is being cleaned; returns the append rate in MB/s.
     */
    private static double appendMbPerSecond(long bytes, boolean cleanWhile) throws Exception {
        Path dir = BenchFiles.newScratchDir("wharf-cleaner-produce");
        Path dirtyDir = BenchFiles.newScratchDir("wharf-cleaner-dirty");
        LogRuntime runtime = BenchFiles.runtime();
        try (PartitionLog target = PartitionLog.open(dir, config(), runtime);
                PartitionLog dirty = PartitionLog.open(dirtyDir, config(), runtime)) {
            Thread cleaner = null;
            if (cleanWhile) {
                fill(dirty, bytes, 0.9);
                Clock clock = Clock.system();
                cleaner = new Thread(() -> {
                    try {
                        new CleaningPass(new OffsetMap(128L << 20), new Throttler(clock, Double.MAX_VALUE), clock)
                                .clean(dirty, dirty.cleanableRange(clock.nowMs()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                cleaner.start();
            }
            long start = System.nanoTime();
            fillOnly(target, bytes, 0.1);
            double rate = bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
            if (cleaner != null) {
                boolean stillCleaning = cleaner.isAlive();
                cleaner.join();
                if (!stillCleaning) {
                    System.out.println("(the pass ended before the appends did)");
                }
            }
            return rate;
        } finally {
            BenchFiles.shutdown(runtime);
            BenchFiles.deleteRecursively(dir);
            BenchFiles.deleteRecursively(dirtyDir);
        }
    }

    private static double rawWriteMbPerSecond(long bytes) throws IOException {
        Path dir = BenchFiles.newScratchDir("wharf-cleaner-raw");
        try (FileChannel channel =
                FileChannel.open(dir.resolve("raw"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
            new Random(1).ints(chunk.capacity(), 0, 256).forEach(b -> chunk.put((byte) b));
            long start = System.nanoTime();
            for (long written = 0; written < bytes; written += chunk.capacity()) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
            }
            channel.force(true);
            return bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
        } finally {
            BenchFiles.deleteRecursively(dir);
        }
    }

    private static LogConfig config() {
        return LogConfig.parse(Map.of(
                "cleanup.policy", "compact",
                "segment.bytes", String.valueOf(64 << 20),
                "wharf.flush.policy", "os",
                "file.delete.delay.ms", "0"));
    }

    /** Appends {@code bytes} of 1 KiB keyed records, {@code duplicates} of them repeating an earlier key. */
    private static void fillOnly(PartitionLog log, long bytes, double duplicates) {
        long records = bytes / RECORD_BYTES;
        long uniqueKeys = Math.max(1, (long) (records * (1 - duplicates)));
        byte[] value = new byte[RECORD_BYTES - 40];
        new Random(2).nextBytes(value);
        long now = System.currentTimeMillis();
        for (long i = 0; i < records; ) {
            RecordBatchBuilder builder = RecordBatchBuilder.create();
            for (int r = 0; r < RECORDS_PER_BATCH; r++, i++) {
                String key = String.format("key-%012d", i % uniqueKeys);
                builder.add(now, key.getBytes(StandardCharsets.UTF_8), value);
            }
            log.append(builder.build(), AppendOrigin.CLIENT, 0);
        }
    }

    /** {@link #fillOnly}, then a roll past everything, made durable, so that the cleaner may have all of it. */
    private static void fill(PartitionLog log, long bytes, double duplicates) throws Exception {
        fillOnly(log, bytes, duplicates);
        log.updateConfig(LogConfig.parse(Map.of(
                "cleanup.policy", "compact",
                "segment.bytes", String.valueOf(64 << 20),
                "segment.ms", "1",
                "wharf.flush.policy", "os",
                "file.delete.delay.ms", "0")));
        Thread.sleep(5);
        log.append(
                RecordBatchBuilder.create()
                        .add(System.currentTimeMillis(), "last".getBytes(StandardCharsets.UTF_8), new byte[16])
                        .build(),
                AppendOrigin.CLIENT,
                0);
        log.flush(log.logEndOffset()).get(5, TimeUnit.MINUTES);
        log.flushSegments();
        log.updateHighWatermark(log.logEndOffset());
    }

    private static CleanerStats clean(long bytes, double duplicates) throws Exception {
        Path dir = BenchFiles.newScratchDir("wharf-cleaner");
        LogRuntime runtime = BenchFiles.runtime();
        try (PartitionLog log = PartitionLog.open(dir, config(), runtime)) {
            fill(log, bytes, duplicates);
            Clock clock = Clock.system();
            CleaningPass pass =
                    new CleaningPass(new OffsetMap(128L << 20), new Throttler(clock, Double.MAX_VALUE), clock);
            return pass.clean(log, log.cleanableRange(clock.nowMs()));
        } finally {
            BenchFiles.shutdown(runtime);
            BenchFiles.deleteRecursively(dir);
        }
    }
}
