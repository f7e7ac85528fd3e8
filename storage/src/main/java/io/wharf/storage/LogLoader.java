package io.wharf.storage;

import io.wharf.common.io.AtomicFiles;
import io.wharf.storage.epoch.LeaderEpochCache;
import io.wharf.storage.producer.CompletedTransaction;
import io.wharf.storage.producer.ProducerStateManager;
import io.wharf.storage.segment.AbortedTransaction;
import io.wharf.storage.segment.LoadOutcome;
import io.wharf.storage.segment.LogSegment;
import io.wharf.storage.segment.ScanResult;
import io.wharf.storage.segment.TransactionIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory: removes what a crash left half-done, loads or recovers each segment, and rebuilds
 * the producer state and leader-epoch cache. Every case it meets is one of {@link RecoveryCase}, logged once.
 *
 * <p>On an unclean open, each segment from the one holding the recovery point onward is validated batch by batch
 * (header fields, increasing offsets, CRC); the first batch that fails is cut with everything after it, a segment
 * that ends before the next one starts is a hole that everything after it goes with, and the recovered segments are
 * fsynced before the log accepts appends, so what recovery kept is durable. Segments below the
 * recovery point were fsynced before the point moved past them and are trusted, as after a clean shutdown.
 */
final class LogLoader {

    private static final Logger log = LoggerFactory.getLogger(LogLoader.class);

    /** What was found on disk, ready to be served. */
    record Loaded(
            ConcurrentSkipListMap<Long, LogSegment> segments,
            long logStartOffset,
            long logEndOffset,
            long recoveryPoint,
            ProducerStateManager producers,
            LeaderEpochCache epochs,
            Set<RecoveryCase> cases,
            long logId,
            boolean clean,
            long requestedLogStart) {}

    private final Path dir;
    private final LogConfig config;
    private final Set<RecoveryCase> cases = EnumSet.noneOf(RecoveryCase.class);

    private LogLoader(Path dir, LogConfig config) {
        this.dir = dir;
        this.config = config;
    }

    static Loaded load(Path dir, LogConfig config) throws IOException {
        return new LogLoader(dir, config).load();
    }

    private Loaded load() throws IOException {
        Files.createDirectories(dir);
        CleanerSwap.recover(dir).ifPresent(cases::add);
        removeLeftovers();
        TreeSet<Long> bases = segmentBases();
        Optional<PartitionState> state = PartitionState.read(dir);
        boolean clean = state.map(PartitionState::cleanShutdown).orElse(false);
        if (!bases.isEmpty()) {
            cases.add(
                    state.isEmpty()
                            ? RecoveryCase.MISSING_STATE
                            : clean ? RecoveryCase.CLEAN_SHUTDOWN : RecoveryCase.UNCLEAN_SHUTDOWN);
        }
        long recoverFrom = Long.MAX_VALUE;
        if (!clean && !bases.isEmpty()) {
            long recoveryPoint = state.map(PartitionState::recoveryPoint).orElse(Long.MIN_VALUE);
            Long floor = bases.floor(recoveryPoint);
            recoverFrom = floor != null ? floor : bases.first();
        }

        ConcurrentSkipListMap<Long, LogSegment> segments = loadSegments(bases, recoverFrom);
        long requestedStart = state.map(PartitionState::logStartOffset).orElse(0L);
        // A log with no segment on disk is new (or was emptied): its first segment is empty, so there is nothing to
        // flush, and the state file that PartitionLog.open writes next fsyncs this directory, new files and all.
        boolean fresh = segments.isEmpty();
        if (fresh) {
            long base = Math.max(requestedStart, 0);
            segments.put(base, LogSegment.create(dir, base, config));
        }
        long logEndOffset = segments.lastEntry().getValue().nextOffset();
        long logStartOffset = Math.min(Math.max(requestedStart, segments.firstKey()), logEndOffset);

        LeaderEpochCache epochs = loadEpochs(segments, logStartOffset, logEndOffset);
        ProducerStateManager producers = loadProducers(segments, logStartOffset, logEndOffset, clean);
        if (!clean && !fresh) {
            for (LogSegment segment : segments.values()) {
                segment.flushAll();
            }
        }
        for (RecoveryCase applied : cases) {
            if (applied != RecoveryCase.CLEAN_SHUTDOWN) {
                log.info("{}: {}", dir.getFileName(), applied.description());
            }
        }
        long logId = state.map(PartitionState::logId).filter(id -> id != 0).orElseGet(PartitionState::newLogId);
        return new Loaded(
                segments,
                logStartOffset,
                logEndOffset,
                segments.lastKey(),
                producers,
                epochs,
                Set.copyOf(cases),
                logId,
                clean,
                requestedStart);
    }

    private ConcurrentSkipListMap<Long, LogSegment> loadSegments(TreeSet<Long> bases, long recoverFrom)
            throws IOException {
        ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
        List<Long> ordered = new ArrayList<>(bases);
        for (int i = 0; i < ordered.size(); i++) {
            long base = ordered.get(i);
            LogSegment segment = LogSegment.open(dir, base, config, true);
            segments.put(base, segment);
            boolean recovered = base >= recoverFrom;
            boolean cut = recovered ? recover(segment) : loadTrusted(segment);
            boolean last = i == ordered.size() - 1;
            if (recovered && !last && !cut && segment.nextOffset() < ordered.get(i + 1)) {
                // The segment ends before the next one starts: a power loss took its tail but not the next
                // segment's creation (made durable at the roll), and maybe kept some of that segment's later
                // writes. The log cannot go on past the hole.
                log.warn(
                        "{}: segment {} ends at offset {}, before the next segment's base {}",
                        dir.getFileName(),
                        base,
                        segment.nextOffset(),
                        ordered.get(i + 1));
                cut = true;
            }
            if (cut && !last) {
                deleteSegmentsAfter(ordered.subList(i + 1, ordered.size()));
                return segments;
            }
            if (!last) {
                segment.onBecomeInactive();
            }
        }
        return segments;
    }

    /** Loads a segment trusted to be whole; returns whether recovery had to cut it after all. */
    private boolean loadTrusted(LogSegment segment) throws IOException {
        LoadOutcome outcome = segment.loadTrusted();
        switch (outcome) {
            case TRUSTED -> {
                return false;
            }
            case REBUILT_MISSING_INDEX -> {
                cases.add(RecoveryCase.MISSING_INDEX);
                return false;
            }
            case REBUILT_CORRUPT_INDEX -> {
                cases.add(RecoveryCase.CORRUPT_INDEX);
                return false;
            }
            default -> {
                log.warn(
                        "{}: segment {} was closed cleanly but is damaged; validating it",
                        dir.getFileName(),
                        segment.baseOffset());
                return recover(segment);
            }
        }
    }

    /** Validates every batch of a segment; returns whether anything was cut. */
    private boolean recover(LogSegment segment) throws IOException {
        long sizeBefore = Files.size(segment.logFile());
        ScanResult result = segment.recover();
        if (result.isComplete()) {
            return false;
        }
        cases.add(
                switch (result.problem()) {
                    case TORN -> RecoveryCase.TORN_TAIL;
                    case ZEROS -> RecoveryCase.ZERO_FILLED_TAIL;
                    case CORRUPT -> RecoveryCase.CORRUPT_BATCH;
                });
        log.warn(
                "{}: cut segment {} at position {} ({} bytes removed, log now ends at offset {}): {}",
                dir.getFileName(),
                segment.baseOffset(),
                result.validBytes(),
                sizeBefore - result.validBytes(),
                result.nextOffset(),
                result.detail());
        return true;
    }

    private void deleteSegmentsAfter(List<Long> bases) throws IOException {
        for (long base : bases) {
            for (String suffix :
                    List.of(LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX)) {
                Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, suffix)));
            }
            log.warn("{}: deleted segment {}, which followed a cut", dir.getFileName(), base);
        }
        AtomicFiles.fsyncDirectory(dir);
        cases.add(RecoveryCase.SEGMENTS_AFTER_CUT);
    }

    private LeaderEpochCache loadEpochs(
            ConcurrentSkipListMap<Long, LogSegment> segments, long logStartOffset, long logEndOffset)
            throws IOException {
        Optional<LeaderEpochCache> loaded = LeaderEpochCache.load(dir);
        LeaderEpochCache epochs;
        if (loaded.isPresent()) {
            epochs = loaded.get();
        } else {
            epochs = LeaderEpochCache.empty(dir);
            if (logEndOffset > logStartOffset) {
                cases.add(RecoveryCase.MISSING_EPOCH_CHECKPOINT);
                for (LogSegment segment : segments.values()) {
                    segment.forEachBatch(
                            logStartOffset,
                            batch -> assignEpoch(epochs, batch.partitionLeaderEpoch(), batch.baseOffset()));
                }
            }
            if (logEndOffset > logStartOffset) {
                // An empty log has no epochs to keep; its first assignment writes the checkpoint.
                epochs.writeCheckpoint();
            }
        }
        epochs.truncateFromEnd(logEndOffset);
        epochs.truncateFromStart(logStartOffset);
        return epochs;
    }

    private static void assignEpoch(LeaderEpochCache epochs, int epoch, long offset) {
        try {
            epochs.assign(epoch, offset);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Loads the producer state from the newest snapshot and replays the batches after it. The aborted-transaction
     * indexes are caches: after an unclean stop their entries from the replay's start on are rebuilt by the replay;
     * when one is missing or unreadable, all are rebuilt from the log start.
     */
    private ProducerStateManager loadProducers(
            ConcurrentSkipListMap<Long, LogSegment> segments, long logStartOffset, long logEndOffset, boolean clean)
            throws IOException {
        ProducerStateManager producers = new ProducerStateManager(dir);
        long snapshot = producers.loadLatestSnapshot(logEndOffset);
        if (snapshot < 0 && logEndOffset > logStartOffset) {
            cases.add(RecoveryCase.MISSING_PRODUCER_SNAPSHOT);
        }
        long from = Math.max(snapshot, logStartOffset);
        boolean rebuildAll = segments.values().stream()
                .anyMatch(segment -> !segment.txnIndex().existedAtOpen()
                        || !segment.txnIndex().isValid());
        if (rebuildAll) {
            if (logEndOffset > logStartOffset) {
                cases.add(RecoveryCase.MISSING_TRANSACTION_INDEX);
            }
            for (LogSegment segment : segments.values()) {
                segment.txnIndex().reset();
            }
            replay(segments, new ProducerStateManager(dir), logStartOffset, logEndOffset, true);
        } else if (!clean) {
            for (LogSegment segment : segments.values()) {
                segment.txnIndex().truncateTo(from);
            }
        }
        replay(segments, producers, from, logEndOffset, !clean && !rebuildAll);
        producers.deleteSnapshotsBelow(logStartOffset);
        return producers;
    }

    /** Applies the batches in {@code [from, end)} to {@code producers}, indexing aborts when {@code indexAborts}. */
    static void replay(
            ConcurrentSkipListMap<Long, LogSegment> segments,
            ProducerStateManager producers,
            long from,
            long end,
            boolean indexAborts)
            throws IOException {
        if (from >= end) {
            return;
        }
        for (LogSegment segment :
                segments.tailMap(segments.floorKey(from), true).values()) {
            segment.forEachBatchWithMarkers(from, (batch, controlType) -> {
                if (batch.lastOffset() < from || batch.lastOffset() >= end) {
                    return;
                }
                Optional<CompletedTransaction> completed = producers.apply(batch, controlType);
                if (indexAborts && completed.isPresent() && completed.get().aborted()) {
                    indexAbort(segment, completed.get(), producers);
                }
            });
        }
    }

    /** Adds an aborted transaction to the index of the segment that holds its marker. */
    static void indexAbort(LogSegment segment, CompletedTransaction aborted, ProducerStateManager producers) {
        long stable = Math.min(producers.firstUnstableOffset(), aborted.markerOffset() + 1);
        try {
            segment.txnIndex()
                    .append(new AbortedTransaction(
                            aborted.producerId(), aborted.firstOffset(), aborted.markerOffset(), stable));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private TreeSet<Long> segmentBases() throws IOException {
        TreeSet<Long> bases = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(LogSegment.LOG_SUFFIX) && isOffsetName(name, LogSegment.LOG_SUFFIX))
                    .forEach(name -> bases.add(Long.parseLong(name.substring(0, 20))));
        }
        return bases;
    }

    private static boolean isOffsetName(String name, String suffix) {
        return name.length() == 20 + suffix.length() && name.chars().limit(20).allMatch(Character::isDigit);
    }

    /** Deletes temporary files, segments that were being deleted, and indexes whose log file is gone. */
    private void removeLeftovers() throws IOException {
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(AtomicFiles.TEMP_SUFFIX) || name.endsWith(LogSegment.DELETED_SUFFIX)) {
                    leftovers.add(file);
                } else if (isOrphanIndex(name)) {
                    leftovers.add(file);
                }
            }
        }
        for (Path file : leftovers) {
            Files.deleteIfExists(file);
        }
        if (!leftovers.isEmpty()) {
            cases.add(RecoveryCase.LEFTOVER_FILES);
        }
    }

    private boolean isOrphanIndex(String name) {
        for (String suffix : List.of(LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX, TransactionIndex.SUFFIX)) {
            if (name.endsWith(suffix) && isOffsetName(name, suffix)) {
                return !Files.exists(dir.resolve(name.substring(0, 20) + LogSegment.LOG_SUFFIX));
            }
        }
        return false;
    }
}
