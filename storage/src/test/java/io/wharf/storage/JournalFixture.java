package io.wharf.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wharf.common.ManualClock;
import io.wharf.common.TopicPartition;
import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.storage.journal.JournalFormat;
import io.wharf.storage.journal.JournalSettings;
import io.wharf.storage.segment.LogSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@link LogManager} with a small journal over one data directory, on a manual clock, that a test can stop as a
 * crash would ({@link #crash()}) and whose files it can damage the way a power loss does.
 */
final class JournalFixture implements AutoCloseable {

    static final TopicPartition TP = new TopicPartition("orders", 0);
    static final int JOURNAL_FILE_BYTES = 64 * 1024;

    final Path dataDir;
    final ManualClock clock = new ManualClock(LogFixture.START_MS);
    final LogConfig config;
    private LogManager manager;

    JournalFixture(Path dataDir, LogConfig config) {
        this.dataDir = dataDir;
        this.config = config;
    }

    static LogManager.Settings settings() {
        return new LogManager.Settings(
                2, 2, 1_000_000, 1_000_000, 60_000, 0, JournalSettings.small(JOURNAL_FILE_BYTES));
    }

    LogManager open() throws IOException {
        manager = LogManager.open(dataDir, settings(), clock, tp -> config);
        return manager;
    }

    LogManager manager() {
        return manager;
    }

    PartitionLog log() {
        return manager.getOrCreate(TP, config);
    }

    /** Stops the manager as SIGKILL would; the files stay as the page cache has them. */
    void crash() throws IOException {
        manager.halt();
        manager = null;
    }

    ByteBuffer batch(String... values) {
        RecordBatchBuilder builder = RecordBatchBuilder.create();
        for (String value : values) {
            builder.add(clock.nowMs(), null, value.getBytes(UTF_8));
        }
        return builder.build();
    }

    /** Appends single-record batches with the given values and waits until they are durable. */
    void appendDurably(PartitionLog log, List<String> values) throws Exception {
        for (String value : values) {
            log.append(batch(value), AppendOrigin.CLIENT, 0);
        }
        log.flush(log.logEndOffset()).get(10, TimeUnit.SECONDS);
    }

    Path partitionDir(TopicPartition tp) {
        return dataDir.resolve(tp.toString());
    }

    /** The partition's last segment file. */
    Path activeSegment(TopicPartition tp) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir(tp))) {
            return files.filter(p -> p.getFileName().toString().endsWith(LogSegment.LOG_SUFFIX))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
    }

    /** Cuts a file to {@code length} bytes: what a power loss does to bytes that were never forced. */
    static void cut(Path file, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
    }

    /** The file position and base offset of every batch in a segment file. */
    static List<long[]> batchesIn(Path segment) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        BatchView view = new BatchView();
        List<long[]> batches = new ArrayList<>();
        int position = 0;
        while (position + BatchView.HEADER_SIZE <= bytes.limit()) {
            view.wrap(bytes, position);
            if (view.sizeInBytes() <= BatchView.LOG_OVERHEAD || position + view.sizeInBytes() > bytes.limit()) {
                break;
            }
            batches.add(new long[] {position, view.baseOffset()});
            position += view.sizeInBytes();
        }
        return batches;
    }

    /** The journal files, oldest first. */
    List<Path> journalFiles() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve(LogManager.JOURNAL_DIR))) {
            return files.filter(p -> p.getFileName().toString().endsWith(JournalFormat.FILE_SUFFIX))
                    .sorted()
                    .toList();
        }
    }

    /**
     * The positions of the entries in a journal file, as its own sequence number says: from the file header on, until
     * an entry that is not of this file's life.
     */
    static List<Integer> entryPositions(Path journalFile) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(journalFile));
        long sequence = bytes.getLong(8);
        List<Integer> positions = new ArrayList<>();
        int position = JournalFormat.FILE_HEADER_BYTES;
        while (position + JournalFormat.ENTRY_HEADER_BYTES <= bytes.limit()) {
            int length = bytes.getInt(position);
            if (length < JournalFormat.ENTRY_HEADER_BYTES || bytes.getLong(position + 8) != sequence) {
                break;
            }
            positions.add(position);
            position += length;
        }
        return positions;
    }

    @Override
    public void close() throws IOException {
        if (manager != null) {
            manager.close();
        }
    }
}
