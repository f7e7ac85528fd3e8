package io.wharf.storage;

import io.wharf.common.Clock;
import io.wharf.common.TopicPartition;
import io.wharf.common.io.AtomicFiles;
import io.wharf.storage.journal.Journal;
import io.wharf.storage.journal.JournalRecovery;
import io.wharf.storage.journal.JournalSettings;
import io.wharf.storage.journal.OpenedJournal;
import io.wharf.storage.journal.SyncStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every partition log under one data directory: opens (and recovers) them at start in parallel, creates and
 * deletes them, and runs their background work on one scheduler thread: retention, interval flushes, producer-id
 * expiry, the high-watermark checkpoint and the journal's checkpoint.
 *
 * <pre>
 * data directory
 *   topic-0/ topic-1/ …                    one {@link PartitionLog} each
 *   topic-2.3f2a…-delete/                  a deleted partition, removed in the background
 *   high-watermark-checkpoint              "topic partition offset" per line, rewritten atomically
 *   journal/                               every log's appends, group-committed ({@link Journal})
 * </pre>
 *
 * <p>With the journal on (the default), opening reads the journal first, then each partition replays its own entries
 * while it recovers, and only then does the journal start writing, in a new file. The journal's checkpoint (every
 * {@code checkpointIntervalMs}, or sooner after {@code checkpointBytes}) forces every log's segments and then lets
 * the journal recycle what came before. With the journal off, a journal left by an earlier run is still replayed,
 * then deleted.
 *
 * <p>Threads: all methods are thread-safe.
 */
public final class LogManager implements AutoCloseable {

    public static final String HIGH_WATERMARK_CHECKPOINT = "high-watermark-checkpoint";
    static final String DELETE_SUFFIX = "-delete";

    private static final Logger log = LoggerFactory.getLogger(LogManager.class);

    /**
     * How a log manager runs.
     *
     * @param flushThreads threads that run group-commit fsyncs for all partitions
     * @param recoveryThreads threads that open partitions at start
     * @param retentionCheckIntervalMs how often retention runs
     * @param highWatermarkCheckpointIntervalMs how often the high watermarks are checkpointed
     * @param producerIdExpirationMs how long an idle producer id is remembered
     * @param preallocateBytes the zeroed tail of busy active segments ({@link LogRuntime#preallocateBytes()})
     * @param journal how the data directory's journal runs; null for no journal (each log forces its own segments)
     */
    public record Settings(
            int flushThreads,
            int recoveryThreads,
            long retentionCheckIntervalMs,
            long highWatermarkCheckpointIntervalMs,
            long producerIdExpirationMs,
            int preallocateBytes,
            JournalSettings journal) {

        /** The settings with the journal's defaults. */
        public Settings(
                int flushThreads,
                int recoveryThreads,
                long retentionCheckIntervalMs,
                long highWatermarkCheckpointIntervalMs,
                long producerIdExpirationMs,
                int preallocateBytes) {
            this(
                    flushThreads,
                    recoveryThreads,
                    retentionCheckIntervalMs,
                    highWatermarkCheckpointIntervalMs,
                    producerIdExpirationMs,
                    preallocateBytes,
                    JournalSettings.defaults());
        }

        public static Settings defaults() {
            return new Settings(4, 2, 300_000, 5_000, 86_400_000, LogRuntime.DEFAULT_PREALLOCATE_BYTES);
        }

        /** These settings with another journal; null for none. */
        public Settings withJournal(JournalSettings journalSettings) {
            return new Settings(
                    flushThreads,
                    recoveryThreads,
                    retentionCheckIntervalMs,
                    highWatermarkCheckpointIntervalMs,
                    producerIdExpirationMs,
                    preallocateBytes,
                    journalSettings);
        }
    }

    /** The journal's directory under the data directory. */
    public static final String JOURNAL_DIR = "journal";

    private final Path dataDir;
    private final Settings settings;
    private final LogRuntime runtime;
    private final ExecutorService flushPool;
    private final ScheduledExecutorService scheduler;
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final Set<RecoveryCase> journalCases = EnumSet.noneOf(RecoveryCase.class);
    private volatile Journal journal;
    private volatile io.wharf.storage.cleaner.LogCleaner cleaner;
    private long lastRetentionMs;
    private long lastCheckpointMs;
    private long lastJournalCheckpointMs;
    private long lastStatsLogMs;
    private SyncStats.Snapshot lastStats;
    private volatile boolean closed;

    private LogManager(Path dataDir, Settings settings, Clock clock) {
        this.dataDir = dataDir;
        this.settings = settings;
        this.flushPool = Executors.newFixedThreadPool(settings.flushThreads(), daemonThreads("wharf-log-flush"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("wharf-log-scheduler"));
        this.runtime = new LogRuntime(clock, flushPool, scheduler, settings.preallocateBytes());
        this.lastRetentionMs = clock.nowMs();
        this.lastCheckpointMs = clock.nowMs();
        this.lastJournalCheckpointMs = clock.nowMs();
        this.lastStatsLogMs = clock.nowMs();
    }

    /**
     * Opens every partition log in {@code dataDir} (recovering those not closed cleanly) and starts the background
     * work.
     *
     * @param configFor the settings of each partition found on disk
     */
    public static LogManager open(
            Path dataDir, Settings settings, Clock clock, Function<TopicPartition, LogConfig> configFor)
            throws IOException {
        Files.createDirectories(dataDir);
        LogManager manager = new LogManager(dataDir, settings, clock);
        try {
            manager.openWithJournal(configFor);
        } catch (IOException | RuntimeException e) {
            manager.closeLogsQuietly();
            manager.shutdownThreads();
            throw e;
        }
        manager.scheduler.scheduleWithFixedDelay(manager::maintenanceTick, 1, 1, TimeUnit.SECONDS);
        return manager;
    }

    /** Reads the journal, opens every log replaying its entries, then starts the journal (or removes it when off). */
    private void openWithJournal(Function<TopicPartition, LogConfig> configFor) throws IOException {
        Path journalDir = dataDir.resolve(JOURNAL_DIR);
        JournalSettings journalSettings = settings.journal();
        if (journalSettings == null && !Files.isDirectory(journalDir)) {
            loadAll(configFor, null);
            return;
        }
        OpenedJournal opened = Journal.open(
                journalDir,
                journalSettings == null ? JournalSettings.defaults() : journalSettings,
                runtime.clock(),
                flushPool);
        JournalRecovery recovery = opened.recovery();
        loadAll(configFor, recovery);
        if (recovery.tornTail()) {
            journalCases.add(RecoveryCase.JOURNAL_TORN_TAIL);
        }
        if (!recovery.unclaimedLogIds().isEmpty()) {
            journalCases.add(RecoveryCase.JOURNAL_ENTRIES_OF_DELETED_PARTITION);
        }
        for (RecoveryCase found : journalCases) {
            log.info("Journal {}: {}", journalDir, found.description());
        }
        if (journalSettings == null) {
            opened.closeAndDelete();
            return;
        }
        journal = opened.start();
        for (PartitionLog partitionLog : logs.values()) {
            partitionLog.attachJournal(journal);
        }
    }

    private void loadAll(Function<TopicPartition, LogConfig> configFor, JournalRecovery recovery) throws IOException {
        List<Path> partitionDirs = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dataDir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!Files.isDirectory(entry)) {
                    continue;
                }
                if (name.endsWith(DELETE_SUFFIX)) {
                    scheduler.execute(() -> deleteRecursively(entry));
                } else {
                    partitionDirs.add(entry);
                }
            }
        }
        Map<TopicPartition, Long> highWatermarks = readHighWatermarks();
        ExecutorService pool =
                Executors.newFixedThreadPool(settings.recoveryThreads(), daemonThreads("wharf-log-recovery"));
        try {
            Map<TopicPartition, Future<PartitionLog>> opening = new HashMap<>();
            for (Path partitionDir : partitionDirs) {
                TopicPartition tp;
                try {
                    tp = TopicPartition.parse(partitionDir.getFileName().toString());
                } catch (IllegalArgumentException e) {
                    // The data directory also holds the broker's own files (the metadata log, for one).
                    log.debug("Ignoring {}: not a partition directory", partitionDir);
                    continue;
                }
                opening.put(
                        tp, pool.submit(() -> PartitionLog.open(partitionDir, configFor.apply(tp), runtime, recovery)));
            }
            ExecutionException failed = null;
            for (Map.Entry<TopicPartition, Future<PartitionLog>> entry : opening.entrySet()) {
                try {
                    PartitionLog partitionLog = entry.getValue().get();
                    partitionLog.updateHighWatermark(highWatermarks.getOrDefault(entry.getKey(), 0L));
                    logs.put(entry.getKey(), partitionLog);
                } catch (ExecutionException e) {
                    failed = e;
                }
            }
            if (failed != null) {
                throw failed;
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("cannot open a partition", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening partitions", e);
        } finally {
            pool.shutdownNow();
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public LogRuntime runtime() {
        return runtime;
    }

    /**
     * Starts the log cleaner over this manager's logs (its threads only when {@code settings} enable it); it stops
     * before the logs close.
     */
    public synchronized io.wharf.storage.cleaner.LogCleaner startCleaner(
            io.wharf.storage.cleaner.LogCleaner.Settings cleanerSettings) {
        if (cleaner == null && !closed) {
            cleaner = new io.wharf.storage.cleaner.LogCleaner(cleanerSettings, runtime.clock(), () -> logs.values());
            cleaner.start();
        }
        return cleaner;
    }

    /** The log cleaner, once started. */
    public Optional<io.wharf.storage.cleaner.LogCleaner> cleaner() {
        return Optional.ofNullable(cleaner);
    }

    /** The journal every log's appends go to; empty when it is off. */
    public Optional<Journal> journal() {
        return Optional.ofNullable(journal);
    }

    /** What opening the journal found that belongs to no one partition: a torn tail, entries of deleted partitions. */
    public Set<RecoveryCase> journalRecoveryCases() {
        return Set.copyOf(journalCases);
    }

    public Optional<PartitionLog> log(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    public Map<TopicPartition, PartitionLog> logs() {
        return Map.copyOf(logs);
    }

    /** The partition's log, created empty with {@code config} when it does not exist yet. */
    public PartitionLog getOrCreate(TopicPartition tp, LogConfig config) {
        return logs.computeIfAbsent(tp, key -> {
            PartitionLog created = openNew(key, config);
            fsyncDataDir(key);
            return created;
        });
    }

    /**
     * {@link #getOrCreate} for many partitions at once, as a CreateTopics of hundreds of partitions asks of a broker:
     * the missing logs are opened on up to {@code recoveryThreads} threads and the data directory is synced once for
     * all of them. Throws the first failure once every open has ended; the logs that did open stay open.
     */
    public void createAll(Map<TopicPartition, LogConfig> wanted) {
        List<TopicPartition> missing =
                wanted.keySet().stream().filter(tp -> !logs.containsKey(tp)).toList();
        if (missing.size() < 2) {
            missing.forEach(tp -> getOrCreate(tp, wanted.get(tp)));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.min(settings.recoveryThreads(), missing.size()), daemonThreads("wharf-log-create"));
        try {
            List<Future<?>> opens = new ArrayList<>();
            for (TopicPartition tp : missing) {
                opens.add(pool.submit(() -> logs.computeIfAbsent(tp, key -> openNew(key, wanted.get(key)))));
            }
            RuntimeException failure = null;
            for (Future<?> open : opens) {
                try {
                    open.get();
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LogException(LogError.KAFKA_STORAGE_ERROR, "interrupted while creating logs", e);
                }
            }
            fsyncDataDir(missing.get(0));
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdown();
        }
    }

    private PartitionLog openNew(TopicPartition tp, LogConfig config) {
        try {
            PartitionLog created = PartitionLog.open(dataDir.resolve(tp.toString()), config, runtime);
            Journal current = journal;
            if (current != null) {
                created.attachJournal(current);
            }
            return created;
        } catch (IOException e) {
            throw new LogException(LogError.KAFKA_STORAGE_ERROR, "cannot create the log of " + tp, e);
        }
    }

    private void fsyncDataDir(TopicPartition created) {
        try {
            AtomicFiles.fsyncDirectory(dataDir);
        } catch (IOException e) {
            throw new LogException(LogError.KAFKA_STORAGE_ERROR, "cannot create the log of " + created, e);
        }
    }

    /**
     * Removes a partition: closes its log, renames its directory out of the way (durably, so it does not come back
     * after a crash) and deletes the files in the background.
     */
    public void delete(TopicPartition tp) throws IOException {
        PartitionLog removed = logs.remove(tp);
        if (removed == null) {
            return;
        }
        removed.close();
        Path doomed = dataDir.resolve(tp + "." + UUID.randomUUID().toString().replace("-", "") + DELETE_SUFFIX);
        AtomicFiles.moveDurably(removed.dir(), doomed);
        scheduler.execute(() -> deleteRecursively(doomed));
    }

    private void maintenanceTick() {
        try {
            runMaintenance(runtime.clock().nowMs());
        } catch (RuntimeException e) {
            log.error("Log maintenance failed", e);
        }
    }

    /**
     * One round of background work, due parts only: interval flushes always; retention and producer expiry every
     * {@code retentionCheckIntervalMs}; the high-watermark checkpoint every {@code highWatermarkCheckpointIntervalMs}.
     */
    public synchronized void runMaintenance(long nowMs) {
        if (closed) {
            return;
        }
        for (PartitionLog partitionLog : logs.values()) {
            partitionLog.maybeFlushOnInterval(nowMs);
        }
        if (nowMs - lastRetentionMs >= settings.retentionCheckIntervalMs()) {
            lastRetentionMs = nowMs;
            applyRetention(nowMs);
        }
        if (nowMs - lastCheckpointMs >= settings.highWatermarkCheckpointIntervalMs()) {
            lastCheckpointMs = nowMs;
            checkpointHighWatermarks();
        }
        Journal current = journal;
        if (current != null) {
            JournalSettings journalSettings = settings.journal();
            if (nowMs - lastJournalCheckpointMs >= journalSettings.checkpointIntervalMs()
                    || current.bytesSinceCheckpoint() >= journalSettings.checkpointBytes()) {
                lastJournalCheckpointMs = nowMs;
                checkpointJournal();
            }
            if (nowMs - lastStatsLogMs >= journalSettings.statsLogIntervalMs()) {
                lastStatsLogMs = nowMs;
                logJournalStats(current);
            }
        }
    }

    /**
     * Forces every log's segments, then tells the journal that replay may start where it stood before: every entry
     * before that point has its bytes in a segment that is now forced. A log whose segments cannot be forced keeps the
     * journal's checkpoint where it was, so its entries stay for recovery.
     */
    public synchronized void checkpointJournal() {
        Journal current = journal;
        if (current == null || current.isFailed()) {
            return;
        }
        long replayFrom = current.appendLsn();
        long bytes = current.bytesSinceCheckpoint();
        long startNanos = runtime.clock().nanoTime();
        Map<Long, Long> flushed = new HashMap<>();
        try {
            for (PartitionLog partitionLog : logs.values()) {
                long forced = partitionLog.flushSegments();
                if (forced >= 0) {
                    flushed.put(partitionLog.logId(), forced);
                }
            }
            current.checkpoint(replayFrom, flushed);
            log.info(
                    "Journal checkpoint: {} MiB of journal since the last one; {} logs' segments forced in {} ms",
                    bytes >> 20,
                    flushed.size(),
                    (runtime.clock().nanoTime() - startNanos) / 1_000_000);
        } catch (IOException | LogException e) {
            log.error("Journal checkpoint failed; the journal keeps its entries for recovery", e);
        }
    }

    private void logJournalStats(Journal current) {
        SyncStats.Snapshot now = current.stats().snapshot();
        if (log.isDebugEnabled() && lastStats != null) {
            log.debug("Journal: {}", now.since(lastStats));
        }
        lastStats = now;
    }

    /** Runs retention and producer expiry on every log now; returns how many segments were deleted. */
    public int applyRetention(long nowMs) {
        int deleted = 0;
        for (PartitionLog partitionLog : logs.values()) {
            try {
                deleted += partitionLog.applyRetention(nowMs);
                partitionLog.removeExpiredProducers(nowMs, settings.producerIdExpirationMs());
            } catch (LogException e) {
                log.error("Retention failed for {}", partitionLog, e);
            }
        }
        return deleted;
    }

    /** Writes every log's high watermark to {@value #HIGH_WATERMARK_CHECKPOINT}, atomically. */
    public void checkpointHighWatermarks() {
        StringBuilder text = new StringBuilder("0\n").append(logs.size()).append('\n');
        logs.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> text.append(e.getKey().topic())
                        .append(' ')
                        .append(e.getKey().partition())
                        .append(' ')
                        .append(e.getValue().highWatermark())
                        .append('\n'));
        try {
            AtomicFiles.write(
                    dataDir.resolve(HIGH_WATERMARK_CHECKPOINT), text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.error("Cannot write the high-watermark checkpoint", e);
        }
    }

    private Map<TopicPartition, Long> readHighWatermarks() throws IOException {
        Map<TopicPartition, Long> result = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDir.resolve(HIGH_WATERMARK_CHECKPOINT), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return result;
        }
        for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 3) {
                try {
                    result.put(new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
                } catch (RuntimeException e) {
                    log.warn("Ignoring a bad line in the high-watermark checkpoint: {}", line);
                }
            }
        }
        return result;
    }

    /** Closes every log cleanly (flushing it) and stops the background threads. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        io.wharf.storage.cleaner.LogCleaner running = cleaner;
        if (running != null) {
            running.close();
        }
        scheduler.shutdown();
        IOException failure = null;
        checkpointHighWatermarks();
        Journal current = journal;
        for (PartitionLog partitionLog : logs.values()) {
            try {
                partitionLog.close();
            } catch (IOException e) {
                failure = e;
                log.error("Cannot close {} cleanly", partitionLog, e);
            }
        }
        if (current != null) {
            try {
                if (failure == null && !current.isFailed()) {
                    // Every log forced everything at close: the next open has nothing to replay.
                    current.checkpoint(current.appendLsn(), Map.of());
                }
                current.close();
            } catch (IOException e) {
                failure = e;
                log.error("Cannot close the journal cleanly", e);
            }
        }
        shutdownThreads();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Stops as a crash would, for tests: no log is flushed or marked clean, the journal writes nothing more, and the
     * files stay as they are on disk (in the page cache) for the next open.
     */
    void halt() throws IOException {
        synchronized (this) {
            closed = true;
        }
        if (cleaner != null) {
            cleaner.close();
        }
        scheduler.shutdownNow();
        Journal current = journal;
        if (current != null) {
            current.halt();
        }
        shutdownThreads();
        for (PartitionLog partitionLog : logs.values()) {
            partitionLog.abandon();
        }
    }

    private void closeLogsQuietly() {
        for (PartitionLog partitionLog : logs.values()) {
            try {
                partitionLog.close();
            } catch (IOException | RuntimeException e) {
                log.warn("Cannot close {} after a failed start", partitionLog, e);
            }
        }
        Journal current = journal;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                log.warn("Cannot close the journal after a failed start", e);
            }
        }
    }

    private void shutdownThreads() {
        scheduler.shutdownNow();
        flushPool.shutdown();
        try {
            if (!flushPool.awaitTermination(10, TimeUnit.SECONDS)) {
                flushPool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
