package io.wharf.storage.journal;

import io.wharf.common.Clock;
import io.wharf.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A journal read for recovery and not yet writing: what the partitions replay from ({@link #recovery()}), then
 * {@link #start()} once they all have.
 *
 * <p>Threads: the opening thread; the recovery it hands out is read by the partitions' recovery threads.
 */
public final class OpenedJournal {

    private static final Logger log = LoggerFactory.getLogger(OpenedJournal.class);

    private final Path dir;
    private final JournalSettings settings;
    private final Clock clock;
    private final Executor completions;
    private final ConcurrentSkipListMap<Long, JournalFile> files;
    private final JournalRecovery recovery;

    private OpenedJournal(
            Path dir,
            JournalSettings settings,
            Clock clock,
            Executor completions,
            ConcurrentSkipListMap<Long, JournalFile> files,
            JournalRecovery recovery) {
        this.dir = dir;
        this.settings = settings;
        this.clock = clock;
        this.completions = completions;
        this.files = files;
        this.recovery = recovery;
    }

    /** Reads the journal in {@code dir}, creating the directory when absent, from its checkpoint on. */
    static OpenedJournal read(Path dir, JournalSettings settings, Clock clock, Executor completions)
            throws IOException {
        Files.createDirectories(dir);
        ConcurrentSkipListMap<Long, JournalFile> files = openFiles(dir);
        Optional<JournalCheckpoint> checkpoint = JournalCheckpoint.read(dir);
        long from = checkpoint
                .map(JournalCheckpoint::replayFrom)
                .orElse(JournalFormat.lsn(files.isEmpty() ? 1 : files.firstKey(), JournalFormat.FILE_HEADER_BYTES));
        JournalReader.Scan scan = new JournalReader(files).scan(from);
        JournalRecovery recovery =
                new JournalRecovery(files, scan, checkpoint.orElse(new JournalCheckpoint(from, Map.of())));
        if (scan.entryCount() > 0 || recovery.tornTail()) {
            log.info(
                    "Journal {}: {} entries to replay from {} to {}{}",
                    dir,
                    scan.entryCount(),
                    describe(from),
                    describe(scan.endLsn()),
                    recovery.tornTail() ? ", then a torn entry" : "");
        }
        return new OpenedJournal(dir, settings, clock, completions, files, recovery);
    }

    private static ConcurrentSkipListMap<Long, JournalFile> openFiles(Path dir) throws IOException {
        ConcurrentSkipListMap<Long, JournalFile> files = new ConcurrentSkipListMap<>();
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path path : (Iterable<Path>) listing::iterator) {
                String name = path.getFileName().toString();
                if (name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
                    // A file that was being zeroed when the process stopped.
                    Files.delete(path);
                } else if (name.length() == 20 + JournalFormat.FILE_SUFFIX.length()
                        && name.endsWith(JournalFormat.FILE_SUFFIX)) {
                    long sequence = Long.parseLong(name.substring(0, 20));
                    files.put(sequence, JournalFile.open(path, sequence));
                }
            }
        }
        return files;
    }

    static String describe(long lsn) {
        return JournalFormat.fileSequence(lsn) + ":" + JournalFormat.position(lsn);
    }

    public JournalRecovery recovery() {
        return recovery;
    }

    /**
     * Starts writing after every partition replayed its entries and forced its segments: all that was read is no
     * longer needed, so writing continues in a new file, the checkpoint says so, and the old files are recycled.
     */
    public Journal start() throws IOException {
        long next = files.isEmpty() ? 1 : files.lastKey() + 1;
        List<JournalFile> old = new ArrayList<>(files.values());
        files.clear();
        // Every partition has forced what it replayed, so the old files may be reused at once.
        JournalFile first = old.isEmpty() || old.get(0).capacity() != settings.fileBytes()
                ? JournalFile.create(dir, next, settings.fileBytes())
                : JournalFile.recycle(old.remove(0), dir, next);
        files.put(next, first);
        JournalFilePool pool = new JournalFilePool(dir, settings);
        Journal journal = new Journal(dir, settings, clock, completions, files, first, pool);
        new JournalCheckpoint(journal.appendLsn(), Map.of()).write(dir);
        for (JournalFile file : old) {
            pool.release(file);
        }
        journal.begin();
        return journal;
    }

    /** Removes the files read, without writing: for a broker whose journal is turned off after the replay. */
    public void closeAndDelete() throws IOException {
        for (JournalFile file : files.values()) {
            file.delete();
        }
        Files.deleteIfExists(dir.resolve(JournalCheckpoint.FILE_NAME));
        Files.deleteIfExists(dir);
    }
}
