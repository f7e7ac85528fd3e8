package io.wharf.storage;

import io.wharf.storage.segment.AbortedTransaction;
import io.wharf.storage.segment.LogSegment;
import java.util.List;
import java.util.Map;

/**
 * The part of a compacted log the cleaner may rewrite, as the log's owner saw it at one moment: segments that no
 * longer change (below the active segment, the high watermark, the recovery point and the last stable offset, and older
 * than {@code min.compaction.lag.ms}), from the first segment up to {@link #endOffset()}. Since the range ends at or
 * below the last stable offset, every transaction with a batch in it has its marker in the log.
 *
 * @param segments the segments wholly below {@code endOffset}, in order, from the first of the log
 * @param firstDirtyOffset where the dirty section starts: the records before it are clean
 * @param endOffset the first offset the cleaner must not touch
 * @param dirtyBytes the bytes of the segments from the one holding {@code firstDirtyOffset} on
 * @param totalBytes the bytes of all of {@code segments}
 * @param overdue whether the oldest dirty segment is older than {@code max.compaction.lag.ms}
 * @param producerLastOffsets per producer the log knows, the last offset of its last data batch (-1 when it has none):
 *     those batches stay, so that a retried batch is still known as a duplicate, and so do its markers after it
 * @param abortedTransactions the aborted transactions with a batch in the range, whichever segment holds their marker
 * @param config the log's settings at that moment
 */
public record CleanableRange(
        List<LogSegment> segments,
        long firstDirtyOffset,
        long endOffset,
        long dirtyBytes,
        long totalBytes,
        boolean overdue,
        Map<Long, Long> producerLastOffsets,
        List<AbortedTransaction> abortedTransactions,
        LogConfig config) {

    /** The share of the cleanable bytes that is dirty. */
    public double dirtyRatio() {
        return totalBytes == 0 ? 0 : (double) dirtyBytes / totalBytes;
    }

    /** Whether a pass would have anything to do. */
    public boolean hasDirtyRecords() {
        return firstDirtyOffset < endOffset && !segments.isEmpty();
    }
}
