package io.wharf.storage.cleaner;

import io.wharf.common.Clock;
import io.wharf.common.io.AtomicFiles;
import io.wharf.protocol.record.BatchCompaction;
import io.wharf.protocol.record.BatchView;
import io.wharf.storage.CleanableRange;
import io.wharf.storage.LogConfig;
import io.wharf.storage.PartitionLog;
import io.wharf.storage.segment.AbortedTransaction;
import io.wharf.storage.segment.LogSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass of the cleaner over one log, on the cleaner's thread. It reads only segments that no longer change and
 * hands each cleaned segment to the log, whose owner swaps it in ({@link PartitionLog#replaceSegments}).
 *
 * <ol>
 *   <li>Map: every key of the dirty section, from the first dirty offset on, to its last offset, until the offset
 *       map is full; the pass covers the dirty records up to {@code mapEnd}, the next pass the rest.
 *   <li>Group the segments from the start of the log up to the one holding {@code mapEnd - 1} into runs that fit in
 *       one segment ({@code segment.bytes}, index capacity, 32-bit relative offsets): small segments merge.
 *   <li>Rewrite each run into one {@code .cleaned} segment, keeping a record unless the map holds a later offset for
 *       its key, or it is a tombstone below {@code mapEnd} whose batch is older than {@code delete.retention.ms}.
 *       A committed transaction's records are mapped and filtered like any others; an aborted transaction's batches
 *       are not mapped and go whole ({@link AbortedRanges}); a marker is copied unchanged until a later pass finds
 *       no data of its transaction left and the marker past {@code delete.retention.ms} ({@link MarkerRetention}).
 *       Each producer's last batch is copied unchanged. The last batch of a run is always kept (as a bare header
 *       when all its records go), so a rewritten segment still ends where the original did.
 *   <li>Fsync it, swap it in, and move the cleaner checkpoint to {@code mapEnd} after the last run.
 * </ol>
 */
public final class CleaningPass {

    private final OffsetMap map;
    private final Throttler throttler;
    private final Pacer pacer;
    private final Clock clock;
    private final SegmentBatches reader = new SegmentBatches();

    public CleaningPass(OffsetMap map, Throttler throttler, Pacer pacer, Clock clock) {
        this.map = map;
        this.throttler = throttler;
        this.pacer = pacer;
        this.clock = clock;
    }

    /** A pass that never pauses for appends. */
    public CleaningPass(OffsetMap map, Throttler throttler, Clock clock) {
        this(map, throttler, Pacer.unhindered(), clock);
    }

    /**
     * Cleans {@code log} within {@code range}.
     *
     * @throws IOException when a segment cannot be read or the cleaned one written; the log is left as it was
     * @throws IllegalStateException when the offset map cannot hold the keys of even one batch
     */
    public CleanerStats clean(PartitionLog log, CleanableRange range) throws IOException, InterruptedException {
        long startNanos = clock.nanoTime();
        pacer.start();
        Transactions txns = new Transactions(new AbortedRanges(range.abortedTransactions()), new MarkerRetention());
        long mapEnd = buildMap(range, txns.aborted());
        long mapNanos = clock.nanoTime() - startNanos;
        int keys = map.size();
        List<List<LogSegment>> runs = group(range.segments(), mapEnd, range.config());
        long deleteHorizon = clock.nowMs() - range.config().deleteRetentionMs();
        Totals totals = new Totals();
        boolean swapped = true;
        for (int i = 0; i < runs.size() && swapped; i++) {
            List<LogSegment> run = runs.get(i);
            LogSegment cleaned = rewrite(log, run, mapEnd, deleteHorizon, range, txns, totals);
            long cleanedTo = i == runs.size() - 1 ? mapEnd : -1;
            swapped = log.replaceSegments(run, List.of(cleaned), cleanedTo);
            if (!swapped) {
                cleaned.deleteFiles();
            }
            totals.segmentsBefore += run.size();
            totals.segmentsAfter++;
        }
        return new CleanerStats(
                totals.bytesRead,
                totals.bytesWritten,
                keys,
                totals.recordsRemoved,
                totals.tombstonesRemoved,
                totals.segmentsBefore,
                totals.segmentsAfter,
                mapEnd,
                clock.nanoTime() - startNanos,
                mapNanos,
                totals.syncNanos,
                pacer.pausedNanos(),
                swapped);
    }

    private static final class Totals {
        long bytesRead;
        long bytesWritten;
        long recordsRemoved;
        long tombstonesRemoved;
        int segmentsBefore;
        int segmentsAfter;
        long syncNanos;
    }

    /** Maps the dirty section's keys; returns the offset the map covers up to. */
    private long buildMap(CleanableRange range, AbortedRanges aborted) throws IOException, InterruptedException {
        map.clear();
        long firstDirty = range.firstDirtyOffset();
        long mapEnd = firstDirty;
        boolean[] full = {false};
        for (LogSegment segment : range.segments()) {
            if (segment.nextOffset() <= firstDirty) {
                continue;
            }
            reader.open(segment);
            long before = reader.bytesRead();
            BatchView batch;
            while ((batch = reader.next()) != null) {
                pacer.check();
                if (batch.lastOffset() < firstDirty) {
                    continue;
                }
                // An aborted value must never make an older committed one of its key go.
                if (!batch.isControl() && !aborted.isAborted(batch)) {
                    BatchCompaction.forEachKey(batch, (offset, key, tombstone, timestamp) -> {
                        if (key != null && offset >= firstDirty && !map.put(key, offset)) {
                            full[0] = true;
                        }
                    });
                }
                if (full[0]) {
                    if (mapEnd == firstDirty) {
                        throw new IllegalStateException("log.cleaner.dedupe.buffer.size holds " + map.maxEntries()
                                + " keys, fewer than the batch at offset " + batch.baseOffset() + " has");
                    }
                    throttler.acquire(reader.bytesRead() - before);
                    return mapEnd;
                }
                mapEnd = batch.lastOffset() + 1;
            }
            throttler.acquire(reader.bytesRead() - before);
        }
        return range.endOffset();
    }

    /** The runs of segments to rewrite, each small enough to become one segment. */
    static List<List<LogSegment>> group(List<LogSegment> segments, long mapEnd, LogConfig config) {
        List<List<LogSegment>> runs = new ArrayList<>();
        List<LogSegment> run = new ArrayList<>();
        long runBytes = 0;
        long runIndexEntries = 0;
        int maxIndexEntries = config.segmentIndexBytes() / 8;
        for (LogSegment segment : segments) {
            if (segment.baseOffset() >= mapEnd) {
                break;
            }
            boolean fits = !run.isEmpty()
                    && runBytes + segment.size() <= config.segmentBytes()
                    && runIndexEntries + segment.indexEntries() + 1 <= maxIndexEntries
                    && segment.nextOffset() - run.get(0).baseOffset() <= Integer.MAX_VALUE;
            if (!run.isEmpty() && !fits) {
                runs.add(run);
                run = new ArrayList<>();
                runBytes = 0;
                runIndexEntries = 0;
            }
            run.add(segment);
            runBytes += segment.size();
            runIndexEntries += segment.indexEntries() + 1;
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    /** Writes one run into a fsynced {@code .cleaned} segment. */
    private LogSegment rewrite(
            PartitionLog log,
            List<LogSegment> run,
            long mapEnd,
            long deleteHorizon,
            CleanableRange range,
            Transactions txns,
            Totals totals)
            throws IOException, InterruptedException {
        LogSegment cleaned = LogSegment.createCleaned(log.dir(), run.get(0).baseOffset(), range.config());
        try {
            long now = clock.nowMs();
            LogSegment last = run.get(run.size() - 1);
            for (LogSegment segment : run) {
                reader.open(segment);
                long read = reader.bytesRead();
                long written = 0;
                BatchView batch;
                while ((batch = reader.next()) != null) {
                    pacer.check();
                    boolean lastBatch = segment == last && batch.lastOffset() + 1 >= segment.nextOffset();
                    ByteBuffer kept = filterBatch(batch, mapEnd, deleteHorizon, range, txns, lastBatch, totals);
                    if (kept != null) {
                        BatchView out = new BatchView().wrap(kept, kept.position());
                        cleaned.append(
                                kept, out.baseOffset(), out.lastOffset(), out.maxTimestamp(), out.baseOffset(), now);
                        written += kept.remaining();
                    }
                }
                totals.bytesRead += reader.bytesRead() - read;
                totals.bytesWritten += written;
                throttler.acquire(reader.bytesRead() - read + written);
            }
            // An aborted transaction loses batches but never gains any, so each entry of the run's indexes still
            // spans whatever is left of its transaction, up to its marker: the cleaned segment's index lists them
            // in marker order, but for those whose marker went with the last of their data.
            for (LogSegment segment : run) {
                for (AbortedTransaction entry : segment.txnIndex().entries()) {
                    if (!txns.markers().removedMarkerOf(entry)) {
                        cleaned.txnIndex().append(entry);
                    }
                }
            }
            cleaned.onBecomeInactive();
            long syncStart = clock.nanoTime();
            cleaned.flushAll();
            AtomicFiles.fsyncDirectory(log.dir());
            totals.syncNanos += clock.nanoTime() - syncStart;
            return cleaned;
        } catch (IOException | RuntimeException | InterruptedException e) {
            cleaned.deleteFiles();
            throw e;
        }
    }

    /** The bytes to keep of one batch (the original's, or a filtered copy), or null to leave it out. */
    private ByteBuffer filterBatch(
            BatchView batch,
            long mapEnd,
            long deleteHorizon,
            CleanableRange range,
            Transactions txns,
            boolean lastBatch,
            Totals totals) {
        ByteBuffer original = batch.buffer().slice(batch.start(), batch.sizeInBytes());
        Long producerLast = batch.hasProducerId() ? range.producerLastOffsets().get(batch.producerId()) : null;
        boolean oldEnough = batch.maxTimestamp() < deleteHorizon;
        if (batch.isControl()) {
            boolean goes = txns.markers().onMarker(batch, oldEnough && batch.baseOffset() < mapEnd, producerLast);
            return goes ? removeAll(batch, original, lastBatch, totals) : original;
        }
        txns.markers().onData(batch);
        boolean producersLast = producerLast != null && producerLast == batch.lastOffset();
        if (producersLast || batch.baseOffset() >= mapEnd) {
            return original;
        }
        if (batch.recordCount() == 0) {
            // A header an earlier pass emptied is needed only where it ends a run.
            return lastBatch ? original : null;
        }
        boolean abortedBatch = txns.aborted().isAborted(batch);
        long[] tombstones = {0};
        BatchCompaction.Filtered filtered = BatchCompaction.filter(
                batch,
                (offset, key, tombstone, timestamp) -> {
                    if (abortedBatch) {
                        return false;
                    }
                    if (key == null) {
                        return true;
                    }
                    if (map.get(key) > offset) {
                        return false;
                    }
                    if (tombstone && oldEnough && offset < mapEnd) {
                        tombstones[0]++;
                        return false;
                    }
                    return true;
                },
                lastBatch);
        totals.recordsRemoved += batch.recordCount() - filtered.recordsKept();
        totals.tombstonesRemoved += tombstones[0];
        return switch (filtered.outcome()) {
            case UNCHANGED -> original;
            case REWRITTEN, EMPTIED -> filtered.bytes();
            case REMOVED -> null;
        };
    }

    /** Leaves out every record of {@code batch}: its bare header when it is a run's last batch, else nothing. */
    private static ByteBuffer removeAll(BatchView batch, ByteBuffer original, boolean lastBatch, Totals totals) {
        if (batch.recordCount() == 0) {
            return lastBatch ? original : null;
        }
        BatchCompaction.Filtered filtered =
                BatchCompaction.filter(batch, (offset, key, tombstone, timestamp) -> false, lastBatch);
        totals.recordsRemoved += batch.recordCount();
        return filtered.outcome() == BatchCompaction.Outcome.REMOVED ? null : filtered.bytes();
    }

    /** What a pass knows of the range's transactions: which were aborted, and which markers may go. */
    private record Transactions(AbortedRanges aborted, MarkerRetention markers) {}
}
