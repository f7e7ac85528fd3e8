package io.wharf.benchmarks;

import io.wharf.common.Clock;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.storage.LogRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/** What the storage benchmarks share: the batch they write, scratch directories, and log threads. */
final class BenchFiles {

    /** Records per batch: 15 records of 1 KiB fill a producer's default 16 KiB batch. */
    static final int RECORDS_PER_BATCH = 15;

    static final int RECORD_BYTES = 1024;

    /** Where scratch files go; override with -Dwharf.bench.dir to measure another disk. */
    static Path scratchRoot() {
        return Path.of(System.getProperty("wharf.bench.dir", System.getProperty("java.io.tmpdir")));
    }

    private BenchFiles() {}

    /** A producer-style batch: 15 records of 1 KiB, uncompressed, timestamped now. */
    static ByteBuffer batch() {
        RecordBatchBuilder builder = RecordBatchBuilder.create();
        byte[] value = new byte[RECORD_BYTES];
        new java.util.Random(1).nextBytes(value);
        long now = System.currentTimeMillis();
        for (int i = 0; i < RECORDS_PER_BATCH; i++) {
            builder.add(now, null, value);
        }
        ByteBuffer heap = builder.build();
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining());
        direct.put(heap).flip();
        return direct;
    }

    static Path newScratchDir(String prefix) {
        try {
            Files.createDirectories(scratchRoot());
            return Files.createTempDirectory(scratchRoot(), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Threads for a log: two flushers and a scheduler; close with {@link #shutdown(LogRuntime)}. The zeroed tail is
     * the broker's default unless {@code -Dwharf.bench.preallocate.bytes} says otherwise (0 turns it off).
     */
    static LogRuntime runtime() {
        ExecutorService flush = Executors.newFixedThreadPool(2);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        int preallocate = Integer.getInteger("wharf.bench.preallocate.bytes", LogRuntime.DEFAULT_PREALLOCATE_BYTES);
        return new LogRuntime(Clock.system(), flush, scheduler, preallocate);
    }

    static void shutdown(LogRuntime runtime) {
        ((ExecutorService) runtime.flushExecutor()).shutdownNow();
        runtime.scheduler().shutdownNow();
    }
}
