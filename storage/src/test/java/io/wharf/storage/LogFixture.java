package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wharf.common.ManualClock;
import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.Record;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.protocol.record.RecordReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Opens logs on a manual clock with real flush and scheduler threads, and builds and reads batches for tests. */
final class LogFixture implements AutoCloseable {

    static final long START_MS = 1_700_000_000_000L;

    final ManualClock clock = new ManualClock(START_MS);
    final ExecutorService flushExecutor = Executors.newFixedThreadPool(2);
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final LogRuntime runtime;
    private final List<PartitionLog> opened = new ArrayList<>();

    LogFixture() {
        this(LogRuntime.DEFAULT_PREALLOCATE_BYTES);
    }

    /** Logs whose busy active segments keep {@code preallocateBytes} of zeros ahead of their appends. */
    LogFixture(int preallocateBytes) {
        runtime = new LogRuntime(clock, flushExecutor, scheduler, preallocateBytes);
    }

    PartitionLog open(Path dir, LogConfig config) throws IOException {
        PartitionLog log = PartitionLog.open(dir, config, runtime);
        opened.add(log);
        return log;
    }

    /**
     * Forgets a log without closing it, as a crash would: no flush, no snapshot, no clean-shutdown mark. Its files
     * stay as they are on disk for the next open.
     */
    void abandon(PartitionLog log) {
        opened.remove(log);
    }

    /** A config with small segments and indexes, so tests roll and index often; deletion without delay. */
    static LogConfig smallSegments(int segmentBytes) {
        return LogConfig.parse(Map.of(
                "segment.bytes", String.valueOf(segmentBytes),
                "index.interval.bytes", "128",
                "file.delete.delay.ms", "0"));
    }

    /** One batch of records with the given values, keyed "k<value>", timestamped now. */
    ByteBuffer batch(String... values) {
        RecordBatchBuilder builder = RecordBatchBuilder.create();
        for (String value : values) {
            builder.add(clock.nowMs(), ("k" + value).getBytes(UTF_8), value.getBytes(UTF_8));
        }
        return builder.build();
    }

    static ByteBuffer idempotentBatch(long producerId, short epoch, int sequence, long timestamp, String... values) {
        RecordBatchBuilder builder = RecordBatchBuilder.create().producer(producerId, epoch, sequence);
        for (String value : values) {
            builder.add(timestamp, null, value.getBytes(UTF_8));
        }
        return builder.build();
    }

    /** Every record the log serves from its start to its end, read in small pieces to exercise the read path. */
    static List<Record> readAll(PartitionLog log) {
        List<Record> records = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            LogSlice slice = log.read(offset, 300, Long.MAX_VALUE, true);
            if (slice.isEmpty()) {
                throw new AssertionError("empty read at " + offset + " below the log end " + log.logEndOffset());
            }
            ByteBuffer bytes = slice.readFully();
            for (Record record : RecordReader.records(bytes)) {
                if (record.offset() >= offset) {
                    records.add(record);
                }
            }
            offset = lastOffset(bytes) + 1;
        }
        return records;
    }

    static List<String> values(List<Record> records) {
        return records.stream().map(r -> new String(r.value(), UTF_8)).toList();
    }

    /** The last offset of the last batch in {@code bytes}. */
    static long lastOffset(ByteBuffer bytes) {
        BatchView view = new BatchView();
        int position = bytes.position();
        long last = -1;
        while (position < bytes.limit()) {
            view.wrap(bytes, position);
            last = view.lastOffset();
            position += view.sizeInBytes();
        }
        return last;
    }

    @Override
    public void close() throws IOException {
        for (PartitionLog log : opened) {
            try {
                log.close();
            } catch (IOException | RuntimeException e) {
                // already closed or deliberately abandoned by the test
            }
        }
        flushExecutor.shutdownNow();
        scheduler.shutdownNow();
    }
}
