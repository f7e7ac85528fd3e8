package io.wharf.storage;

import io.wharf.protocol.record.BatchView;
import io.wharf.storage.journal.JournalEntryRef;
import io.wharf.storage.journal.JournalRecovery;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Replays one partition's journal entries into its freshly recovered segments, in journal order (which is offset
 * order, since a log appends under its lock):
 *
 * <ul>
 *   <li>an APPEND's batches that end below the log end are already in the segment and skipped; those from the log end
 *       on were acknowledged (or could have been) and are appended again, with their offsets
 *       ({@link RecoveryCase#JOURNAL_AHEAD_OF_SEGMENT});
 *   <li>a TRUNCATE cuts the log where the truncation did, so that the entries before it bring back nothing it removed
 *       ({@link RecoveryCase#JOURNAL_TRUNCATION});
 *   <li>whole batches the segment holds past everything the journal and the checkpoint know of were written but never
 *       made durable; they passed the segment's own recovery and are kept, as after any unclean stop
 *       ({@link RecoveryCase#SEGMENT_AHEAD_OF_JOURNAL}).
 * </ul>
 *
 * Whatever replay changed is forced before the log takes appends. Opening thread only.
 */
final class JournalReplay {

    private final PartitionLog log;
    private final JournalRecovery recovery;
    private final boolean clean;

    JournalReplay(PartitionLog log, JournalRecovery recovery, boolean clean) {
        this.log = log;
        this.recovery = recovery;
        this.clean = clean;
    }

    void run() throws IOException {
        List<JournalEntryRef> entries = recovery.entriesFor(log.logId());
        long known = recovery.flushedOffset(log.logId());
        long touchedFrom = Long.MAX_VALUE;
        for (JournalEntryRef ref : entries) {
            if (ref.isAppend()) {
                ByteBuffer payload = recovery.payload(ref);
                known = Math.max(known, lastOffset(payload) + 1);
                ByteBuffer missing = from(payload, log.logEndOffset());
                if (missing.hasRemaining()) {
                    touchedFrom = Math.min(touchedFrom, log.logEndOffset());
                    log.replayAppend(missing);
                    log.addRecoveryCase(RecoveryCase.JOURNAL_AHEAD_OF_SEGMENT);
                }
            } else {
                known = ref.offset();
                if (ref.offset() < log.logEndOffset()) {
                    log.replayTruncation(ref.offset());
                    touchedFrom = Math.min(touchedFrom, log.logEndOffset());
                    log.addRecoveryCase(RecoveryCase.JOURNAL_TRUNCATION);
                }
            }
        }
        boolean knowsThisLog = !entries.isEmpty() || known >= 0;
        if (!clean && knowsThisLog && log.logEndOffset() > Math.max(known, log.logStartOffset())) {
            log.addRecoveryCase(RecoveryCase.SEGMENT_AHEAD_OF_JOURNAL);
        }
        if (touchedFrom != Long.MAX_VALUE) {
            log.restoreLogStartAfterReplay();
            log.forceSegmentsFrom(touchedFrom);
        }
    }

    /** The batches of {@code payload} from the first whose base offset is at least {@code offset}. */
    private static ByteBuffer from(ByteBuffer payload, long offset) {
        BatchView batch = new BatchView();
        int position = payload.position();
        while (position < payload.limit()) {
            batch.wrap(payload, position);
            if (batch.baseOffset() >= offset) {
                break;
            }
            position += batch.sizeInBytes();
        }
        return payload.duplicate().position(position);
    }

    private static long lastOffset(ByteBuffer payload) {
        BatchView batch = new BatchView();
        int position = payload.position();
        long last = -1;
        while (position < payload.limit()) {
            batch.wrap(payload, position);
            last = batch.lastOffset();
            position += batch.sizeInBytes();
        }
        return last;
    }
}
