package io.wharf.storage;

import io.wharf.common.Clock;
import io.wharf.common.Invariants;
import io.wharf.common.io.AtomicFiles;
import io.wharf.protocol.record.BatchView;
import io.wharf.protocol.record.ControlBatches;
import io.wharf.storage.epoch.LeaderEpochCache;
import io.wharf.storage.journal.Journal;
import io.wharf.storage.journal.JournalFormat;
import io.wharf.storage.journal.JournalRecovery;
import io.wharf.storage.producer.BatchMetadata;
import io.wharf.storage.producer.CompletedTransaction;
import io.wharf.storage.producer.ProducerStateManager;
import io.wharf.storage.segment.AbortedTransaction;
import io.wharf.storage.segment.LogSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one partition: an ordered run of {@link LogSegment}s in one directory, appended to at the end, read
 * anywhere by offset, trimmed at the start by retention and DeleteRecords, and cut at the end by replication.
 *
 * <pre>
 * topic-0/
 *   00000000000000000000.log / .index / .timeindex   segments ({@link LogSegment})
 *   00000000000000052341.log / .index / .timeindex
 *   00000000000000052341.snapshot                     producer state ({@link ProducerStateManager})
 *   leader-epoch-checkpoint                           epoch → start offset ({@link LeaderEpochCache})
 *   partition.state                                   log start, recovery point, clean shutdown ({@link PartitionState})
 * </pre>
 *
 * <p>Threads: appends, truncation, retention and DeleteRecords hold the append lock, so there is one appender at a
 * time. Reads and lookups take no lock: they see the segments map and the volatile offsets, which the appender
 * publishes only after the bytes are written. Fsyncs run on the shared flush executor ({@link GroupCommit}) or on the
 * journal's sync thread.
 *
 * <p>Durability: {@link #flush(long)} completes once the records below an offset are on disk. A log on its own forces
 * its segment files for that ({@link GroupCommit}). A log of a {@link LogManager} also appends every batch to the data
 * directory's {@link Journal} and is durable once the journal is ({@link JournalDurability}); its segments are forced
 * only in the background ({@link #flushSegments()}: on roll and at the journal's checkpoints), and its open replays the
 * journal's entries past what the segments hold. A truncation is an entry of the journal too, made durable before
 * the segment is cut, so that replay never brings back what it removed. The recovery point in {@code
 * partition.state} advances when a rolled segment has been fsynced; an unclean open validates from there.
 *
 * <p>An append whose bytes cannot be written, or that the journal refuses (a full disk), fails with
 * KAFKA_STORAGE_ERROR and changes nothing: its bytes are taken back from the segment and the log stays online.
 */
public final class PartitionLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);
    /** Syncs of the active segment this close together make the log one that is fsynced often. */
    private static final long FREQUENT_SYNC_MS = 20;

    private final Path dir;
    private final LogRuntime runtime;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final ProducerStateManager producers;
    private final LeaderEpochCache epochs;
    private volatile Durability durability;
    private volatile Journal journal;
    /** Whether appends go to the journal: there is one and the flush policy is not {@code os}. Append lock. */
    private boolean journaling;

    private volatile long logId;
    /** The log start {@code partition.state} asked for at open; replay may bring the log end back above it. */
    private final long requestedLogStart;

    private final Set<RecoveryCase> recoveryCases;
    private final Object stateLock = new Object();
    private final Object segmentFlushLock = new Object();
    /** Every segment byte below this offset is forced. Guarded by segmentFlushLock. */
    private long segmentsForcedTo;

    private volatile LogConfig config;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile long highWatermark;
    private volatile boolean offline;
    private volatile boolean closed;
    private long persistedRecoveryPoint;
    /** Below this offset the log is clean ({@link CleanerCheckpoint}). Written under the append lock. */
    private volatile long cleanerCheckpoint;

    private CleanerSwap.Faults swapFaults = CleanerSwap.Faults.NONE;
    private long lastIntervalFlushMs;
    private long lastActiveSyncMs = Long.MIN_VALUE / 2;

    private PartitionLog(Path dir, LogConfig config, LogRuntime runtime, LogLoader.Loaded loaded) {
        this.dir = dir;
        this.config = config;
        this.runtime = runtime;
        this.segments = loaded.segments();
        this.producers = loaded.producers();
        this.epochs = loaded.epochs();
        this.recoveryCases = EnumSet.noneOf(RecoveryCase.class);
        this.recoveryCases.addAll(loaded.cases());
        this.logId = loaded.logId();
        this.requestedLogStart = loaded.requestedLogStart();
        this.segmentsForcedTo = loaded.logEndOffset();
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = loaded.logEndOffset();
        this.highWatermark = loaded.logStartOffset();
        this.persistedRecoveryPoint = loaded.recoveryPoint();
        this.cleanerCheckpoint =
                Math.min(Math.max(CleanerCheckpoint.read(dir), loaded.logStartOffset()), loaded.logEndOffset());
        this.durability =
                new GroupCommit(runtime.flushExecutor(), () -> logEndOffset, this::syncUpTo, loaded.logEndOffset());
        this.lastIntervalFlushMs = runtime.clock().nowMs();
    }

    /**
     * Opens the log in {@code dir}, creating it when absent and recovering it after an unclean stop.
     *
     * @throws IOException when the directory cannot be read or written
     */
    public static PartitionLog open(Path dir, LogConfig config, LogRuntime runtime) throws IOException {
        return open(dir, config, runtime, null);
    }

    /**
     * Opens the log in {@code dir} and replays its entries of the journal that {@code recovery} read, if any. The log
     * forces its segment files until {@link #attachJournal} hands it the journal that its appends go to from then on.
     */
    static PartitionLog open(Path dir, LogConfig config, LogRuntime runtime, JournalRecovery recovery)
            throws IOException {
        LogLoader.Loaded loaded = LogLoader.load(dir, config);
        PartitionLog partitionLog = new PartitionLog(dir, config, runtime, loaded);
        try {
            if (recovery != null) {
                new JournalReplay(partitionLog, recovery, loaded.clean()).run();
            }
            partitionLog.writeState(false);
        } catch (IOException | RuntimeException e) {
            partitionLog.closeQuietly();
            throw e;
        }
        return partitionLog;
    }

    /**
     * From now on this log's appends and truncations go to {@code journal}, and it is durable when they are there.
     * Everything it holds now is on disk already: open forced what recovery and replay kept.
     */
    void attachJournal(Journal target) {
        appendLock.lock();
        try {
            journal = target;
            applyDurabilityMode(config);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Sends appends to the journal, or not, as {@code current}'s flush policy asks: under {@code os} nothing waits for
     * durability, so the journal's copy would be pure cost. Before switching, the segments are forced, so that both
     * ways of knowing what is durable start from everything being so. Append lock held.
     */
    private void applyDurabilityMode(LogConfig current) {
        boolean wanted = journal != null && current.flushPolicy() != FlushPolicy.OS;
        if (wanted == journaling) {
            return;
        }
        try {
            syncUpTo(logEndOffset);
        } catch (IOException e) {
            throw goOffline("segment flush failed", e);
        }
        Durability previous = durability;
        durability = wanted
                ? new JournalDurability(journal, () -> logEndOffset, logEndOffset)
                : new GroupCommit(runtime.flushExecutor(), () -> logEndOffset, this::syncUpTo, logEndOffset);
        previous.markDurable(logEndOffset);
        journaling = wanted;
    }

    /** This incarnation's id in the journal ({@code partition.state}). */
    public long logId() {
        return logId;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Applies changed topic settings; they take effect from the next append, roll or retention pass. */
    public void updateConfig(LogConfig newConfig) {
        appendLock.lock();
        try {
            this.config = newConfig;
            if (journal != null && !closed) {
                applyDurabilityMode(newConfig);
            }
        } finally {
            appendLock.unlock();
        }
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    /** The offset the next appended record will get. */
    public long logEndOffset() {
        return logEndOffset;
    }

    /** Every record below this offset is on disk. */
    public long durableOffset() {
        return durability.durableOffset();
    }

    /** The high watermark the caller (the partition's leader or follower logic) keeps here to be checkpointed. */
    public long highWatermark() {
        return highWatermark;
    }

    /** Sets the high watermark, kept within {@code [logStartOffset, logEndOffset]}. */
    public void updateHighWatermark(long offset) {
        highWatermark = Math.max(logStartOffset, Math.min(offset, logEndOffset));
    }

    /**
     * The last stable offset: below it every transaction is decided, so read_committed consumers read up to it. It is
     * the high watermark, or the first record of the oldest ongoing transaction when that is lower, and never below
     * the log start (retention may have deleted the start of a transaction that is still open).
     */
    public long lastStableOffset() {
        long start = logStartOffset;
        return Math.max(start, Math.min(highWatermark, producers.firstUnstableOffset()));
    }

    /**
     * The aborted transactions that have records in {@code [fetchOffset, upperOffset)}: what a read_committed fetch
     * of that range tells the consumer to drop. Any thread.
     */
    public List<AbortedTransaction> abortedTransactions(long fetchOffset, long upperOffset) {
        List<AbortedTransaction> found = new ArrayList<>();
        Map.Entry<Long, LogSegment> from = segments.floorEntry(fetchOffset);
        Map<Long, LogSegment> range = from == null ? segments : segments.tailMap(from.getKey(), true);
        for (LogSegment segment : range.values()) {
            segment.txnIndex().collect(fetchOffset, upperOffset, found);
        }
        return found;
    }

    /** What opening this log found and did; {@link RecoveryCase#CLEAN_SHUTDOWN} after a clean stop. */
    public Set<RecoveryCase> recoveryCases() {
        return Set.copyOf(recoveryCases);
    }

    /** Notes what replaying the journal did. Opening thread, before the log is handed out. */
    void addRecoveryCase(RecoveryCase recoveryCase) {
        if (recoveryCases.add(recoveryCase)) {
            log.info("{}: {}", dir.getFileName(), recoveryCase.description());
        }
    }

    public ProducerStateManager producerState() {
        return producers;
    }

    public LeaderEpochCache leaderEpochs() {
        return epochs;
    }

    public int segmentCount() {
        return segments.size();
    }

    /** The base offsets of the segments, ascending. */
    public List<Long> segmentBaseOffsets() {
        return List.copyOf(segments.keySet());
    }

    /** The bytes of all segments. */
    public long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    /**
     * Validates and appends record batches. For {@link AppendOrigin#CLIENT} and {@link AppendOrigin#INTERNAL} the
     * batches get offsets from the log end and {@code leaderEpoch}, and LogAppendTime when the topic asks for it;
     * those fields are patched in {@code records} itself. A refused append changes nothing.
     *
     * @param records the batches, from position to limit; the buffer's position and limit are not moved
     * @throws LogException when the batches are refused or the disk failed
     */
    public AppendResult append(ByteBuffer records, AppendOrigin origin, int leaderEpoch) {
        return append(records, origin, leaderEpoch, null);
    }

    /**
     * Appends as {@link #append(ByteBuffer, AppendOrigin, int)} does; a client's transactional batch verified with
     * the transaction coordinator carries the token taken before ({@link ProducerStateManager#verificationGuard}),
     * and is refused INVALID_TXN_STATE when the producer's transaction ended since.
     */
    public AppendResult append(ByteBuffer records, AppendOrigin origin, int leaderEpoch, Object verificationGuard) {
        ensureOnline();
        LogConfig current = config;
        long now = runtime.clock().nowMs();
        List<LogValidator.CheckedBatch> batches = LogValidator.validate(records, current, origin, now);
        AppendResult result;
        appendLock.lock();
        try {
            ensureOnline();
            BatchView batch = new BatchView();
            if (origin == AppendOrigin.COORDINATOR) {
                for (LogValidator.CheckedBatch checked : batches) {
                    batch.wrap(records, checked.position());
                    producers.checkMarker(batch.producerId(), batch.producerEpoch());
                }
            }
            if (origin == AppendOrigin.CLIENT) {
                batch.wrap(records, batches.get(0).position());
                if (batch.hasProducerId()) {
                    if (batch.isTransactional()) {
                        producers.checkVerification(batch.producerId(), verificationGuard);
                    }
                    Optional<BatchMetadata> duplicate = producers.checkAppend(
                            batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.lastSequence());
                    if (duplicate.isPresent()) {
                        BatchMetadata original = duplicate.get();
                        return new AppendResult(
                                original.firstOffset(),
                                original.lastOffset(),
                                current.logAppendTime() ? original.timestamp() : -1,
                                logStartOffset,
                                0,
                                0,
                                true);
                    }
                }
            }
            result = appendChecked(records, batches, origin, leaderEpoch, current, now, batch, true);
        } finally {
            appendLock.unlock();
        }
        if (current.flushPolicy() == FlushPolicy.INTERVAL
                && logEndOffset - durability.durableOffset() >= current.flushMessages()) {
            flush(logEndOffset);
        }
        return result;
    }

    private AppendResult appendChecked(
            ByteBuffer records,
            List<LogValidator.CheckedBatch> batches,
            AppendOrigin origin,
            int leaderEpoch,
            LogConfig current,
            long now,
            BatchView batch,
            boolean journaled) {
        long firstOffset;
        if (origin == AppendOrigin.REPLICATION) {
            firstOffset = batch.wrap(records, batches.get(0).position()).baseOffset();
            if (firstOffset < logEndOffset) {
                throw new LogException(
                        LogError.INVALID_RECORD,
                        "Replicated batch at offset " + firstOffset + " is below the log end offset " + logEndOffset);
            }
        } else {
            firstOffset = logEndOffset;
        }
        long next = firstOffset;
        long maxTimestamp = BatchView.NO_TIMESTAMP;
        long batchOffsetOfMax = firstOffset;
        int recordCount = 0;
        for (LogValidator.CheckedBatch checked : batches) {
            batch.wrap(records, checked.position());
            if (origin != AppendOrigin.REPLICATION) {
                batch.setBaseOffset(next);
                batch.setPartitionLeaderEpoch(leaderEpoch);
                if (current.logAppendTime()) {
                    batch.setTimestamps(true, now);
                } else if (batch.isLogAppendTime() || batch.maxTimestamp() != checked.recordsMaxTimestamp()) {
                    batch.setTimestamps(false, checked.recordsMaxTimestamp());
                }
            }
            if (batch.maxTimestamp() > maxTimestamp) {
                maxTimestamp = batch.maxTimestamp();
                batchOffsetOfMax = batch.baseOffset();
            }
            recordCount += checked.recordCount();
            next = batch.lastOffset() + 1;
        }
        long lastOffset = next - 1;
        try {
            LogSegment active = maybeRoll(records.remaining(), lastOffset, now, current);
            writeDurably(active, records, firstOffset, lastOffset, journaled);
            active.publish(records.remaining(), firstOffset, lastOffset, maxTimestamp, batchOffsetOfMax, now);
            for (LogValidator.CheckedBatch checked : batches) {
                batch.wrap(records, checked.position());
                Optional<CompletedTransaction> completed = producers.apply(batch, ControlBatches.type(batch));
                if (completed.isPresent() && completed.get().aborted()) {
                    LogLoader.indexAbort(active, completed.get(), producers);
                }
                epochs.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
            }
        } catch (IOException e) {
            throw goOffline("append failed", e);
        }
        logEndOffset = lastOffset + 1;
        return new AppendResult(
                firstOffset,
                lastOffset,
                current.logAppendTime() ? now : -1,
                logStartOffset,
                recordCount,
                records.remaining(),
                false);
    }

    /**
     * Writes the batches to the active segment, unpublished, and to the journal when the log has one. When either
     * refuses, the segment's bytes are taken back and the append fails with nothing changed; the log stays online
     * unless even that fails.
     */
    private void writeDurably(
            LogSegment active, ByteBuffer records, long firstOffset, long lastOffset, boolean journaled)
            throws IOException {
        int bytes = records.remaining();
        try {
            active.write(records);
        } catch (IOException e) {
            takeBack(active, bytes, e);
            log.warn("{}: append of {} bytes refused: {}", dir.getFileName(), bytes, e.getMessage());
            throw new LogException(LogError.KAFKA_STORAGE_ERROR, "append failed: " + e.getMessage(), e);
        }
        Journal target = journaled && journaling ? journal : null;
        if (target == null) {
            return;
        }
        long lsn;
        try {
            lsn = target.append(JournalFormat.APPEND, logId, firstOffset, records);
        } catch (LogException e) {
            takeBack(active, bytes, e);
            throw e;
        }
        ((JournalDurability) durability).appended(lsn, lastOffset + 1);
    }

    private void takeBack(LogSegment active, int bytes, Exception cause) throws IOException {
        try {
            active.discardUnpublished(bytes);
        } catch (IOException second) {
            second.addSuppressed(cause);
            throw second;
        }
    }

    /** Returns the segment to append to, rolling a new one first when the active one must not grow. */
    private LogSegment maybeRoll(int bytes, long lastOffset, long now, LogConfig current) throws IOException {
        LogSegment active = segments.lastEntry().getValue();
        if (!active.shouldRoll(bytes, lastOffset, now, current)) {
            return active;
        }
        return roll();
    }

    /** Starts a new segment at the log end. Append lock held. */
    private LogSegment roll() throws IOException {
        assert appendLock.isHeldByCurrentThread();
        long base = logEndOffset;
        LogSegment previous = segments.lastEntry().getValue();
        Invariants.check(base > previous.baseOffset() || previous.isEmpty(), "roll at %d would not advance", base);
        previous.onBecomeInactive();
        LogSegment next = LogSegment.create(dir, base, config);
        AtomicFiles.fsyncDirectory(dir);
        segments.put(base, next);
        producers.takeSnapshot(base);
        // The rolled segment is forced in the background; once it is, the recovery point moves past it.
        if (!journaling) {
            flush(base);
        } else {
            runtime.flushExecutor().execute(() -> flushSegmentsQuietly(base));
        }
        return next;
    }

    /**
     * Reads whole batches starting with the one that holds {@code fetchOffset}.
     *
     * @param maxBytes the most bytes to return, unless the first batch alone is larger and {@code minOneBatch}
     * @param upperOffset no batch with an offset at or above this is returned (the high watermark, for consumers)
     * @throws OffsetOutOfRangeException when {@code fetchOffset} is below the log start or above the log end
     */
    public LogSlice read(long fetchOffset, int maxBytes, long upperOffset, boolean minOneBatch) {
        long end = logEndOffset;
        long start = logStartOffset;
        if (fetchOffset < start || fetchOffset > end) {
            throw new OffsetOutOfRangeException(fetchOffset, start, end);
        }
        long upper = Math.min(upperOffset, end);
        if (fetchOffset >= upper) {
            return LogSlice.EMPTY;
        }
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(fetchOffset);
        if (entry == null) {
            entry = segments.firstEntry();
        }
        try {
            for (LogSegment segment : segments.tailMap(entry.getKey(), true).values()) {
                LogSlice slice = segment.read(fetchOffset, maxBytes, upper, minOneBatch);
                if (slice != null) {
                    return slice;
                }
            }
        } catch (IOException e) {
            throw goOffline("read failed", e);
        }
        return LogSlice.EMPTY;
    }

    /** The first record at or after the log start whose timestamp is at least {@code timestamp}. */
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        long start = logStartOffset;
        try {
            for (LogSegment segment : segments.values()) {
                if (segment.nextOffset() <= start || segment.maxTimestamp() < timestamp) {
                    continue;
                }
                TimestampOffset found = segment.findByTimestamp(timestamp, start);
                if (found != null) {
                    return Optional.of(found);
                }
            }
        } catch (IOException e) {
            throw goOffline("timestamp lookup failed", e);
        }
        return Optional.empty();
    }

    /** The first record with the largest timestamp in the log (ListOffsets' MAX_TIMESTAMP). */
    public Optional<TimestampOffset> maxTimestampOffset() {
        long max = BatchView.NO_TIMESTAMP;
        for (LogSegment segment : segments.values()) {
            if (segment.nextOffset() > logStartOffset) {
                max = Math.max(max, segment.maxTimestamp());
            }
        }
        return max < 0 ? Optional.empty() : offsetForTimestamp(max);
    }

    /** The clock this log takes its time from. */
    public Clock clock() {
        return runtime.clock();
    }

    /**
     * Completes once every record below {@code offset} is on disk; many waiters share one fsync. Fails with
     * KAFKA_STORAGE_ERROR when the disk fails or the records are truncated away first.
     */
    public CompletableFuture<Void> flush(long offset) {
        return durability.awaitDurable(offset);
    }

    /**
     * Forces every segment byte written so far, and the indexes of rolled segments, moving the recovery point: what
     * the journal's checkpoint needs before it lets go of the entries before it. Any thread; a log that is closed or
     * offline forces nothing.
     *
     * @return the log end offset everything below which is now forced in the segments; -1 when nothing was forced
     */
    public long flushSegments() {
        long end = logEndOffset;
        if (offline) {
            return -1;
        }
        try {
            syncUpTo(end);
        } catch (IOException e) {
            if (closed) {
                return -1;
            }
            throw goOffline("segment flush failed", e);
        }
        return end;
    }

    private void flushSegmentsQuietly(long target) {
        try {
            if (!offline) {
                syncUpTo(target);
            }
        } catch (IOException e) {
            if (!closed) {
                goOffline("segment flush failed", e);
            }
        }
    }

    /** Forces the segments holding records below {@code target}; runs on the flush executor. */
    private void syncUpTo(long target) throws IOException {
        synchronized (segmentFlushLock) {
            forceSegmentsBelow(target);
            segmentsForcedTo = Math.max(segmentsForcedTo, target);
        }
    }

    private void forceSegmentsBelow(long target) throws IOException {
        long durable = Math.min(segmentsForcedTo, logEndOffset);
        long sealedFrom;
        synchronized (stateLock) {
            // A segment forced while it was still active, and rolled since, is sealed by this pass: start where the
            // recovery point stands, not where the data is durable, or the recovery point stays behind for good.
            sealedFrom = Math.min(durable, persistedRecoveryPoint);
        }
        Map.Entry<Long, LogSegment> from = segments.floorEntry(sealedFrom);
        Map<Long, LogSegment> range = from == null ? segments : segments.tailMap(from.getKey(), true);
        long activeBase = segments.lastKey();
        long sealedUpTo = -1;
        for (LogSegment segment : range.values()) {
            if (segment.baseOffset() >= target && segment.baseOffset() > durable) {
                break;
            }
            try {
                if (segment.baseOffset() < activeBase) {
                    segment.flushAll();
                    sealedUpTo = segment.nextOffset();
                } else {
                    segment.flush();
                    if (!journaling) {
                        keepTailAhead(segment);
                    }
                }
            } catch (java.nio.channels.ClosedChannelException | java.nio.file.NoSuchFileException e) {
                if (segments.get(segment.baseOffset()) == segment) {
                    throw e;
                }
                // Deleted by retention or replaced by the cleaner while this sync ran (the transaction index is
                // opened by name, so its file may be gone): nothing of it needs to be durable any more.
            }
        }
        if (sealedUpTo >= 0) {
            advanceRecoveryPoint(Math.min(sealedUpTo, target));
        }
    }

    /**
     * A log that is fsynced often (acks=all producers, or readers waiting for new records) keeps a zeroed tail on its
     * active segment, which makes each of those fsyncs cheaper; one fsynced rarely does not need it and does not pay
     * for writing the zeros. Flush thread, one sync of this log at a time.
     */
    private void keepTailAhead(LogSegment active) {
        long now = runtime.clock().nowMs();
        LogConfig current = config;
        if (current.flushPolicy() == FlushPolicy.ACKS_ALL && now - lastActiveSyncMs <= FREQUENT_SYNC_MS) {
            active.maybeExtendTail(runtime.preallocateBytes(), current.segmentBytes(), runtime.flushExecutor());
        }
        lastActiveSyncMs = now;
    }

    private void advanceRecoveryPoint(long offset) throws IOException {
        Map.Entry<Long, LogSegment> holding = segments.floorEntry(offset);
        if (holding == null) {
            return;
        }
        synchronized (stateLock) {
            if (holding.getKey() > persistedRecoveryPoint) {
                persistedRecoveryPoint = holding.getKey();
                new PartitionState(logStartOffset, persistedRecoveryPoint, false, logId).write(dir);
            }
        }
    }

    /** Under {@link FlushPolicy#INTERVAL}: starts a flush when {@code flush.ms} has passed since the last one. */
    public void maybeFlushOnInterval(long nowMs) {
        LogConfig current = config;
        if (current.flushPolicy() == FlushPolicy.INTERVAL && nowMs - lastIntervalFlushMs >= current.flushMs()) {
            lastIntervalFlushMs = nowMs;
            flush(logEndOffset);
        }
    }

    /**
     * Removes every record at or after {@code offset} (replication's truncation). The batch holding {@code offset}
     * goes whole, so the log may end below {@code offset}.
     */
    public void truncateTo(long offset) {
        appendLock.lock();
        try {
            if (offset >= logEndOffset) {
                return;
            }
            Invariants.check(
                    offset >= logStartOffset, "truncation to %d below the log start %d", offset, logStartOffset);
            journalTruncation(endAfterCut(offset));
            cut(offset);
        } catch (IOException e) {
            throw goOffline("truncation failed", e);
        } finally {
            appendLock.unlock();
        }
    }

    /** Where the log will end after {@link #cut}{@code (offset)}: the batch holding {@code offset} goes whole. */
    private long endAfterCut(long offset) throws IOException {
        // As cut does: the segments from offset on go, except the first, and the last one left is cut at offset.
        Map.Entry<Long, LogSegment> below = segments.lowerEntry(offset);
        LogSegment last = below == null ? segments.firstEntry().getValue() : below.getValue();
        return last.nextOffsetAfterCut(offset);
    }

    /**
     * Makes the truncation an entry of the journal, durable before the segment is cut: otherwise a crash after the cut
     * would replay the entries of the removed records back into the log. The entry holds the log end after the cut,
     * not the offset asked for: replay may see the log with a gap where records were cut and never replayed, and must
     * still end it exactly where this cut does. Append lock held.
     */
    private void journalTruncation(long newEnd) {
        Journal target = journal;
        if (target == null) {
            return;
        }
        long lsn = target.append(JournalFormat.TRUNCATE, logId, newEnd, ByteBuffer.allocate(0));
        try {
            target.awaitDurable(lsn).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof LogException failure ? failure : e;
        }
    }

    /** Replays a truncation found in the journal: the log ends at {@code newEnd} after it. Opening thread. */
    void replayTruncation(long newEnd) throws IOException {
        appendLock.lock();
        try {
            if (newEnd < logEndOffset) {
                cut(newEnd);
            }
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Empties the log and starts it again, empty, at {@code offset} (replication: a follower whose leader's log starts
     * past this log's end, because retention removed what it never fetched). The log takes a new log id, so that
     * replaying the journal never brings back an entry of the records it held. Durable before it returns.
     */
    public void truncateFullyAndStartAt(long offset) {
        appendLock.lock();
        try {
            List<LogSegment> removed = new ArrayList<>(segments.values());
            segments.lastEntry().getValue().onBecomeInactive();
            LogSegment fresh = LogSegment.create(dir, offset, config);
            AtomicFiles.fsyncDirectory(dir);
            long freshId = PartitionState.newLogId();
            synchronized (stateLock) {
                persistedRecoveryPoint = offset;
                new PartitionState(offset, offset, false, freshId).write(dir);
            }
            logId = freshId;
            segments.clear();
            segments.put(offset, fresh);
            logStartOffset = offset;
            logEndOffset = offset;
            highWatermark = offset;
            cleanerCheckpoint = offset;
            CleanerCheckpoint.write(dir, offset);
            durability.truncated(offset);
            durability.markDurable(offset);
            synchronized (segmentFlushLock) {
                segmentsForcedTo = offset;
            }
            epochs.truncateFromEnd(Long.MIN_VALUE);
            producers.clear();
            producers.deleteSnapshotsBelow(Long.MAX_VALUE);
            scheduleDeletion(removed);
            log.info("{}: emptied; the log now starts at {}", dir.getFileName(), offset);
        } catch (IOException e) {
            throw goOffline("starting over failed", e);
        } finally {
            appendLock.unlock();
        }
    }

    /** Replays batches found in the journal past the log end; they keep their offsets. Opening thread. */
    void replayAppend(ByteBuffer records) {
        appendLock.lock();
        try {
            LogConfig current = config;
            long now = runtime.clock().nowMs();
            List<LogValidator.CheckedBatch> batches =
                    LogValidator.validate(records, current, AppendOrigin.REPLICATION, now);
            appendChecked(records, batches, AppendOrigin.REPLICATION, 0, current, now, new BatchView(), false);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * After replay: a log start that recovery had to lower to a log end cut short (the records before it were deleted,
     * the segment lost its tail) goes back up as far as the replayed log now reaches. Opening thread.
     */
    void restoreLogStartAfterReplay() throws IOException {
        long restored = Math.min(requestedLogStart, logEndOffset);
        if (restored > logStartOffset) {
            logStartOffset = restored;
            highWatermark = Math.max(highWatermark, restored);
            epochs.truncateFromStart(restored);
        }
    }

    /** Forces every segment from the one holding {@code fromOffset} on, with its indexes. Opening thread. */
    void forceSegmentsFrom(long fromOffset) throws IOException {
        Long floor = segments.floorKey(fromOffset);
        for (LogSegment segment : segments.tailMap(floor == null ? segments.firstKey() : floor, true)
                .values()) {
            segment.flushAll();
        }
        durability.markDurable(logEndOffset);
    }

    /** Cuts the log at {@code offset}. Append lock held. */
    private void cut(long offset) throws IOException {
        List<LogSegment> removed = new ArrayList<>();
        for (LogSegment segment : segments.tailMap(offset, true).values()) {
            if (segment.baseOffset() > segments.firstKey()) {
                removed.add(segment);
            }
        }
        removed.forEach(segment -> segments.remove(segment.baseOffset()));
        LogSegment last = segments.lastEntry().getValue();
        long newEnd = last.truncateTo(offset);
        last.reopenForAppends(config);
        logEndOffset = newEnd;
        if (newEnd < logStartOffset) {
            // The batch holding the log start was cut whole: the log now starts, empty, where it ends.
            logStartOffset = newEnd;
        }
        highWatermark = Math.min(highWatermark, newEnd);
        cleanerCheckpoint = Math.min(cleanerCheckpoint, newEnd);
        durability.truncated(newEnd);
        epochs.truncateFromEnd(newEnd);
        producers.loadLatestSnapshot(newEnd);
        replayProducers(newEnd);
        synchronized (stateLock) {
            persistedRecoveryPoint = Math.min(persistedRecoveryPoint, last.baseOffset());
            new PartitionState(logStartOffset, persistedRecoveryPoint, false, logId).write(dir);
        }
        synchronized (segmentFlushLock) {
            segmentsForcedTo = Math.min(segmentsForcedTo, newEnd);
        }
        scheduleDeletion(removed);
        log.info("{}: truncated to offset {} (asked for {})", dir.getFileName(), newEnd, offset);
    }

    /** Replays the producer state from its newest snapshot to {@code end}; the abort indexes already hold those. */
    private void replayProducers(long end) throws IOException {
        List<Long> snapshots = producers.snapshotOffsets();
        long from =
                snapshots.isEmpty() ? logStartOffset : Math.max(snapshots.get(snapshots.size() - 1), logStartOffset);
        LogLoader.replay(segments, producers, from, end, false);
    }

    /**
     * Moves the log start up to {@code offset} (DeleteRecords) and deletes the segments wholly below it. Durable
     * before it returns: the records never come back, even after a crash.
     *
     * @return the new log start offset
     * @throws OffsetOutOfRangeException when {@code offset} is above the log end
     */
    public long deleteRecordsBefore(long offset) {
        appendLock.lock();
        try {
            if (offset > logEndOffset) {
                throw new OffsetOutOfRangeException(offset, logStartOffset, logEndOffset);
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
                highWatermark = Math.max(highWatermark, offset);
                writeState(false);
                epochs.truncateFromStart(offset);
                deleteSegments(segmentsBelowLogStart());
            }
            return logStartOffset;
        } catch (IOException e) {
            throw goOffline("DeleteRecords failed", e);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Deletes the oldest segments that retention no longer keeps: older than {@code retention.ms}, beyond
     * {@code retention.bytes}, or wholly below the log start. An expired active segment is rolled first.
     *
     * @return how many segments were deleted
     */
    public int applyRetention(long nowMs) {
        appendLock.lock();
        try {
            LogConfig current = config;
            List<LogSegment> doomed = new ArrayList<>(segmentsBelowLogStart());
            List<LogSegment> ordered = new ArrayList<>(segments.values());
            int index = doomed.size();
            long excess =
                    current.retentionBytes() < 0 || !current.delete() ? 0 : sizeInBytes() - current.retentionBytes();
            for (LogSegment segment : doomed) {
                excess -= segment.size();
            }
            while (index < ordered.size()) {
                LogSegment segment = ordered.get(index);
                boolean expired = current.delete()
                        && current.retentionMs() >= 0
                        && nowMs - segment.largestTimestamp() > current.retentionMs();
                boolean oversized = excess > 0 && segment.size() <= excess;
                if (!(expired || oversized) || segment.isEmpty()) {
                    break;
                }
                doomed.add(segment);
                excess -= segment.size();
                index++;
            }
            if (!doomed.isEmpty()
                    && doomed.get(doomed.size() - 1) == segments.lastEntry().getValue()) {
                roll();
            }
            deleteSegments(doomed);
            return doomed.size();
        } catch (IOException e) {
            throw goOffline("retention failed", e);
        } finally {
            appendLock.unlock();
        }
    }

    private List<LogSegment> segmentsBelowLogStart() {
        List<LogSegment> below = new ArrayList<>();
        for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
            Map.Entry<Long, LogSegment> next = segments.higherEntry(entry.getKey());
            if (next == null || next.getKey() > logStartOffset) {
                break;
            }
            below.add(entry.getValue());
        }
        return below;
    }

    /** Removes segments from the front of the log. Append lock held. */
    private void deleteSegments(List<LogSegment> doomed) throws IOException {
        if (doomed.isEmpty()) {
            return;
        }
        doomed.forEach(segment -> segments.remove(segment.baseOffset()));
        long firstBase = segments.firstKey();
        if (firstBase > logStartOffset) {
            logStartOffset = firstBase;
            highWatermark = Math.max(highWatermark, firstBase);
            epochs.truncateFromStart(firstBase);
        }
        writeState(false);
        producers.deleteSnapshotsBelow(firstBase);
        scheduleDeletion(doomed);
        log.info("{}: deleted {} segment(s); log now starts at {}", dir.getFileName(), doomed.size(), logStartOffset);
    }

    /** Renames segments out of the way now and deletes their files after {@code file.delete.delay.ms}. */
    private void scheduleDeletion(List<LogSegment> doomed) throws IOException {
        for (LogSegment segment : doomed) {
            segment.renameForDeletion();
        }
        scheduleFileDeletion(doomed);
    }

    /** Deletes the files of segments already renamed for deletion, after {@code file.delete.delay.ms}. */
    private void scheduleFileDeletion(List<LogSegment> doomed) {
        runtime.scheduler()
                .schedule(
                        () -> {
                            for (LogSegment segment : doomed) {
                                try {
                                    segment.deleteFiles();
                                } catch (IOException e) {
                                    log.warn("Cannot delete {}: {}", segment.logFile(), e.getMessage());
                                }
                            }
                        },
                        config.fileDeleteDelayMs(),
                        TimeUnit.MILLISECONDS);
    }

    /** Below this offset the log is clean: the cleaner has compared it with every key up to there. */
    public long cleanerCheckpoint() {
        return cleanerCheckpoint;
    }

    /**
     * What the cleaner may rewrite now ({@link CleanableRange}). Takes the append lock briefly, for a consistent view
     * of the segments, the offsets and the producers.
     */
    public CleanableRange cleanableRange(long nowMs) {
        appendLock.lock();
        try {
            LogConfig current = config;
            // An open transaction's records are not cleaned: whether they count is not decided yet.
            long end = Math.min(segments.lastKey(), lastStableOffset());
            synchronized (stateLock) {
                end = Math.min(end, persistedRecoveryPoint);
            }
            long firstDirty = Math.max(cleanerCheckpoint, logStartOffset);
            List<LogSegment> cleanable = new ArrayList<>();
            long dirtyBytes = 0;
            long totalBytes = 0;
            boolean overdue = false;
            for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
                Map.Entry<Long, LogSegment> next = segments.higherEntry(entry.getKey());
                LogSegment segment = entry.getValue();
                if (next == null || next.getKey() > end) {
                    break;
                }
                boolean dirty = next.getKey() > firstDirty;
                long age = nowMs - segment.largestTimestamp();
                if (dirty && age < current.minCompactionLagMs()) {
                    break;
                }
                if (dirty && dirtyBytes == 0 && age > current.maxCompactionLagMs()) {
                    overdue = true;
                }
                cleanable.add(segment);
                totalBytes += segment.size();
                dirtyBytes += dirty ? segment.size() : 0;
            }
            long cleanableEnd = cleanable.isEmpty()
                    ? firstDirty
                    : segments.higherKey(cleanable.get(cleanable.size() - 1).baseOffset());
            Map<Long, Long> producerLast = new java.util.HashMap<>();
            for (io.wharf.storage.producer.ProducerEntry producer : producers.entries()) {
                List<BatchMetadata> batches = producer.batches();
                producerLast.put(
                        producer.producerId(),
                        batches.isEmpty()
                                ? -1L
                                : batches.get(batches.size() - 1).lastOffset());
            }
            return new CleanableRange(
                    List.copyOf(cleanable),
                    Math.min(firstDirty, cleanableEnd),
                    cleanableEnd,
                    dirtyBytes,
                    totalBytes,
                    overdue,
                    Map.copyOf(producerLast),
                    cleanable.isEmpty()
                            ? List.of()
                            : List.copyOf(abortedTransactions(cleanable.get(0).baseOffset(), cleanableEnd)),
                    current);
        } catch (IOException e) {
            throw goOffline("reading segment times failed", e);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Swaps cleaned segments in for the segments they were written from, crash-safely ({@link CleanerSwap}), and
     * moves the cleaner checkpoint to {@code cleanedTo}. Runs under the append lock: the one owner of the segment map.
     * A reader that already holds a replaced segment reads on from its open file, which is deleted only after {@code
     * file.delete.delay.ms}; a reader that looks up the map sees either segment, and either holds every offset's
     * original record or none.
     *
     * @return false, with nothing changed, when one of the replaced segments is no longer in the log (retention or
     *     truncation removed it meanwhile); the caller then deletes the cleaned files
     */
    public boolean replaceSegments(List<LogSegment> replaced, List<LogSegment> cleaned, long cleanedTo) {
        appendLock.lock();
        try {
            ensureOnline();
            for (LogSegment segment : replaced) {
                if (segments.get(segment.baseOffset()) != segment || segment.baseOffset() == segments.lastKey()) {
                    return false;
                }
            }
            List<Long> oldBases = replaced.stream().map(LogSegment::baseOffset).toList();
            List<Long> newBases = cleaned.stream().map(LogSegment::baseOffset).toList();
            swapFaults.reached(CleanerSwap.Step.CLEANED_WRITTEN);
            CleanerSwap.writeManifest(dir, new CleanerSwap.Plan(oldBases, newBases));
            swapFaults.reached(CleanerSwap.Step.MANIFEST_WRITTEN);
            for (LogSegment segment : replaced) {
                segment.renameForDeletion();
                swapFaults.reached(CleanerSwap.Step.OLD_PARTLY_RENAMED);
            }
            AtomicFiles.fsyncDirectory(dir);
            swapFaults.reached(CleanerSwap.Step.OLD_RENAMED);
            for (LogSegment segment : cleaned) {
                segment.renameCleanedIntoPlace(() -> reachQuietly(CleanerSwap.Step.NEW_PARTLY_RENAMED));
            }
            AtomicFiles.fsyncDirectory(dir);
            swapFaults.reached(CleanerSwap.Step.NEW_RENAMED);
            for (LogSegment segment : cleaned) {
                segments.put(segment.baseOffset(), segment);
            }
            for (long base : oldBases) {
                if (!newBases.contains(base)) {
                    segments.remove(base);
                }
            }
            CleanerSwap.deleteManifest(dir);
            swapFaults.reached(CleanerSwap.Step.MANIFEST_DELETED);
            if (cleanedTo > cleanerCheckpoint) {
                cleanerCheckpoint = cleanedTo;
                CleanerCheckpoint.write(dir, cleanedTo);
            }
            scheduleFileDeletion(replaced);
            return true;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw goOffline(
                    "swapping in cleaned segments failed",
                    e instanceof IOException io ? io : ((java.io.UncheckedIOException) e).getCause());
        } finally {
            appendLock.unlock();
        }
    }

    private void reachQuietly(CleanerSwap.Step step) {
        try {
            swapFaults.reached(step);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Makes swaps fail after a step, as a crash there would (tests of recovery). */
    void injectSwapFaults(CleanerSwap.Faults faults) {
        appendLock.lock();
        try {
            swapFaults = faults;
        } finally {
            appendLock.unlock();
        }
    }

    /** Forgets producers idle for longer than {@code expirationMs}. */
    public int removeExpiredProducers(long nowMs, long expirationMs) {
        appendLock.lock();
        try {
            return producers.removeExpired(nowMs, expirationMs);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Flushes everything, snapshots the producer state and marks the log cleanly closed, so the next open recovers
     * nothing.
     */
    @Override
    public void close() throws IOException {
        appendLock.lock();
        try {
            if (closed) {
                return;
            }
            if (offline) {
                // After a disk failure nothing is trusted enough to be trimmed or marked clean: recovery will check.
                closed = true;
                for (LogSegment segment : segments.values()) {
                    segment.closeChannel();
                }
                return;
            }
            LogSegment active = segments.lastEntry().getValue();
            active.onBecomeInactive();
            for (LogSegment segment : segments.values()) {
                segment.flushAll();
            }
            durability.markDurable(logEndOffset);
            producers.takeSnapshot(logEndOffset);
            writeState(true);
            for (LogSegment segment : segments.values()) {
                segment.close();
            }
            closed = true;
            offline = true;
        } finally {
            appendLock.unlock();
        }
    }

    private void writeState(boolean clean) throws IOException {
        synchronized (stateLock) {
            if (clean) {
                persistedRecoveryPoint = logEndOffset;
            }
            new PartitionState(logStartOffset, persistedRecoveryPoint, clean, logId).write(dir);
        }
    }

    private void ensureOnline() {
        if (offline) {
            throw new LogException(
                    LogError.KAFKA_STORAGE_ERROR, "The log in " + dir + (closed ? " is closed" : " is offline"));
        }
    }

    private LogException goOffline(String what, IOException cause) {
        offline = true;
        log.error("{}: {}; the log is offline until restart", dir, what, cause);
        LogException failure = new LogException(LogError.KAFKA_STORAGE_ERROR, what + ": " + cause.getMessage(), cause);
        durability.fail(failure);
        return failure;
    }

    /** Closes the files as they are, as a crash would (for tests of recovery); the log refuses everything after. */
    void abandon() {
        appendLock.lock();
        try {
            closeQuietly();
        } finally {
            appendLock.unlock();
        }
    }

    /** Closes the files of a log whose open failed part-way. */
    private void closeQuietly() {
        closed = true;
        offline = true;
        for (LogSegment segment : segments.values()) {
            try {
                segment.closeChannel();
            } catch (IOException e) {
                // the open already failed; nothing more to save
            }
        }
    }

    @Override
    public String toString() {
        return "PartitionLog(" + dir.getFileName() + ", " + logStartOffset + ".." + logEndOffset + ")";
    }
}
