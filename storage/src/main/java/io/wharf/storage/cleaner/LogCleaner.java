package io.wharf.storage.cleaner;

import io.wharf.common.Clock;
import io.wharf.storage.CleanableRange;
import io.wharf.storage.LogException;
import io.wharf.storage.PartitionLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log cleaner: {@code log.cleaner.threads} threads, each of which takes the dirtiest compacted log that no other
 * thread is cleaning, runs a {@link CleaningPass} over it with its own {@link OffsetMap} (an equal share of {@code
 * log.cleaner.dedupe.buffer.size}), and sleeps {@code log.cleaner.backoff.ms} when no log is dirty enough. A log is
 * dirty enough when the dirty share of its cleanable bytes reaches {@code min.cleanable.dirty.ratio}, or its oldest
 * dirty segment is older than {@code max.compaction.lag.ms} (those go first). All threads share one {@link
 * Throttler}. A log whose pass fails is left alone for a backoff and tried again.
 *
 * <p>Threads: {@link #cleanDirtiest} may be called from any thread (tests call it directly with no threads
 * started); the logs' segment maps change only in {@link PartitionLog#replaceSegments}, under each log's own lock.
 */
public final class LogCleaner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogCleaner.class);

    /**
     * How the cleaner runs.
     *
     * @param enabled whether {@link #start()} starts threads at all
     * @param threads cleaner threads
     * @param dedupeBufferBytes the memory of all threads' offset maps together
     * @param ioMaxBytesPerSecond the cleaners' read plus write rate, summed over the threads
     * @param backoffMs how long a thread sleeps when no log needs cleaning
     * @param busyShare the share of its time a thread works while appends come ({@link Pacer}), in (0, 1]
     */
    public record Settings(
            boolean enabled,
            int threads,
            long dedupeBufferBytes,
            double ioMaxBytesPerSecond,
            long backoffMs,
            double busyShare) {

        /** The default of {@code wharf.log.cleaner.busy.share}. */
        public static final double DEFAULT_BUSY_SHARE = 0.1;

        public static Settings defaults() {
            return new Settings(true, 1, 128L << 20, Double.MAX_VALUE, 15_000, DEFAULT_BUSY_SHARE);
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final Supplier<Collection<PartitionLog>> logs;
    private final Throttler throttler;
    private final Set<PartitionLog> inProgress = new HashSet<>();
    private final Map<PartitionLog, Long> failedUntilMs = new ConcurrentHashMap<>();
    private final Map<PartitionLog, CleanerStats> lastPasses = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public LogCleaner(Settings settings, Clock clock, Supplier<Collection<PartitionLog>> logs) {
        this.settings = settings;
        this.clock = clock;
        this.logs = logs;
        this.throttler = new Throttler(clock, settings.ioMaxBytesPerSecond());
    }

    /** Starts the cleaner threads, if enabled. */
    public synchronized void start() {
        if (!settings.enabled() || running) {
            return;
        }
        running = true;
        long mapBytes = settings.dedupeBufferBytes() / settings.threads();
        for (int i = 0; i < settings.threads(); i++) {
            Thread thread = new Thread(() -> runThread(mapBytes), "wharf-log-cleaner-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * A cleaner thread's loop. Its offset map (its share of {@code log.cleaner.dedupe.buffer.size}, zeroed memory the
     * process holds from then on) is allocated when the thread first finds a log to clean, so a broker whose
     * compacted logs never need cleaning does not carry it.
     */
    private void runThread(long mapBytes) {
        CleaningPass[] pass = {null};
        Supplier<CleaningPass> lazily = () -> {
            if (pass[0] == null) {
                pass[0] = new CleaningPass(
                        new OffsetMap(mapBytes),
                        throttler,
                        new Pacer(clock, settings.busyShare(), this::appendedSoFar),
                        clock);
            }
            return pass[0];
        };
        while (running) {
            try {
                if (cleanDirtiest(lazily).isEmpty()) {
                    synchronized (this) {
                        if (running) {
                            wait(settings.backoffMs());
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("Log cleaner pass failed", e);
            }
        }
    }

    /** A number that grows with every append to any log: the sum of their end offsets. */
    private long appendedSoFar() {
        long sum = 0;
        for (PartitionLog each : logs.get()) {
            sum += each.logEndOffset();
        }
        return sum;
    }

    /** A pass over the dirtiest log with a map of its own (tests). */
    public Optional<CleanerStats> cleanDirtiest() throws InterruptedException {
        return cleanDirtiest(() -> new CleaningPass(new OffsetMap(settings.dedupeBufferBytes()), throttler, clock));
    }

    /**
     * Runs a pass over the dirtiest log no other thread is cleaning; empty when none needs cleaning, and then {@code
     * pass} is not asked for one.
     */
    private Optional<CleanerStats> cleanDirtiest(Supplier<CleaningPass> pass) throws InterruptedException {
        Candidate chosen = choose();
        if (chosen == null) {
            return Optional.empty();
        }
        try {
            CleanerStats stats = pass.get().clean(chosen.log(), chosen.range());
            lastPasses.put(chosen.log(), stats);
            logPass(chosen, stats);
            return Optional.of(stats);
        } catch (IOException | LogException | IllegalStateException e) {
            failedUntilMs.put(chosen.log(), clock.nowMs() + settings.backoffMs());
            log.warn("Cleaning {} failed; trying again in {} ms", chosen.log(), settings.backoffMs(), e);
            return Optional.empty();
        } finally {
            synchronized (inProgress) {
                inProgress.remove(chosen.log());
            }
        }
    }

    /** The last pass over {@code partitionLog}, if any since start. */
    public Optional<CleanerStats> lastPass(PartitionLog partitionLog) {
        return Optional.ofNullable(lastPasses.get(partitionLog));
    }

    private record Candidate(PartitionLog log, CleanableRange range) {}

    private Candidate choose() {
        long now = clock.nowMs();
        Candidate best = null;
        synchronized (inProgress) {
            Collection<PartitionLog> current = logs.get();
            // Forget logs that were deleted, so that their closed segments are not kept reachable.
            Set<PartitionLog> live = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            live.addAll(current);
            lastPasses.keySet().retainAll(live);
            failedUntilMs.keySet().retainAll(live);
            for (PartitionLog candidate : current) {
                if (!candidate.config().compact()
                        || inProgress.contains(candidate)
                        || failedUntilMs.getOrDefault(candidate, Long.MIN_VALUE) > now) {
                    continue;
                }
                CleanableRange range;
                try {
                    range = candidate.cleanableRange(now);
                } catch (LogException e) {
                    continue;
                }
                boolean eligible = range.hasDirtyRecords()
                        && (range.overdue()
                                || range.dirtyRatio() >= range.config().minCleanableDirtyRatio());
                if (eligible && (best == null || ranksAbove(range, best.range()))) {
                    best = new Candidate(candidate, range);
                }
            }
            if (best != null) {
                inProgress.add(best.log());
            }
        }
        return best;
    }

    private static boolean ranksAbove(CleanableRange a, CleanableRange b) {
        if (a.overdue() != b.overdue()) {
            return a.overdue();
        }
        return a.dirtyRatio() > b.dirtyRatio();
    }

    private static void logPass(Candidate chosen, CleanerStats stats) {
        log.info(
                "Cleaned {}: {} read, {} written, {} keys, {} records removed ({} tombstones), {} -> {} segments,"
                        + " clean below offset {}, dirty ratio was {}, in {} ms (map {} ms, sync {} ms, paused {} ms)"
                        + " ({} MB/s){}",
                chosen.log().dir().getFileName(),
                stats.bytesRead(),
                stats.bytesWritten(),
                stats.keys(),
                stats.recordsRemoved(),
                stats.tombstonesRemoved(),
                stats.segmentsBefore(),
                stats.segmentsAfter(),
                stats.cleanedTo(),
                String.format("%.2f", chosen.range().dirtyRatio()),
                stats.elapsedNanos() / 1_000_000,
                stats.mapNanos() / 1_000_000,
                stats.syncNanos() / 1_000_000,
                stats.pausedNanos() / 1_000_000,
                String.format("%.1f", stats.readMbPerSecond()),
                stats.swapped() ? "" : "; the last swap lost a race with retention and was dropped");
    }

    /**
     * Stops the threads, waiting for each to finish its pass. They are woken, never interrupted: an interrupt during a
     * read would close the segment's file channel, which the log's readers share.
     */
    @Override
    public void close() {
        List<Thread> stopping;
        synchronized (this) {
            running = false;
            stopping = List.copyOf(threads);
            threads.clear();
            notifyAll();
        }
        for (Thread thread : stopping) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
