package io.wharf.storage.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Scans the journal at open, from the checkpoint's {@code replay-from} on, and collects where each partition's
 * entries are. The scan follows FILE_END entries from file to file and stops at the first entry that does not check
 * out: zeros (never written), an older file sequence (a recycled file's earlier life), a length that runs past the
 * file, a CRC that does not match, or an unknown type. Nothing after that point was acknowledged, since a sync covers
 * every byte before the LSN it makes durable; whatever the stop found besides zeros or stale bytes is a torn tail.
 *
 * <p>Threads: the opening thread only.
 */
final class JournalReader {

    /** Why a scan stopped. */
    enum Stop {
        /** Zeros or a recycled file's older entries: nothing more was ever written. */
        CLEAN,
        /** A partly written entry: its length runs past the file or its CRC does not match. */
        TORN,
        /** The file the journal continues in is missing, or its header is not its own. */
        MISSING_FILE
    }

    /**
     * What the scan found.
     *
     * @param entries per log id, its entries in journal order
     * @param endLsn where the scan stopped: the first byte not replayed
     * @param stop why it stopped
     * @param entryCount how many APPEND and TRUNCATE entries were found
     */
    record Scan(Map<Long, List<JournalEntryRef>> entries, long endLsn, Stop stop, long entryCount) {}

    private final NavigableMap<Long, JournalFile> files;
    private final ByteBuffer header = ByteBuffer.allocate(JournalFormat.ENTRY_HEADER_BYTES);
    private ByteBuffer entry = ByteBuffer.allocate(64 * 1024);

    JournalReader(NavigableMap<Long, JournalFile> files) {
        this.files = files;
    }

    Scan scan(long fromLsn) throws IOException {
        Map<Long, List<JournalEntryRef>> entries = new HashMap<>();
        long sequence = JournalFormat.fileSequence(fromLsn);
        int position = JournalFormat.position(fromLsn);
        long count = 0;
        while (true) {
            JournalFile file = files.get(sequence);
            if (file == null || !hasOwnHeader(file)) {
                return new Scan(entries, JournalFormat.lsn(sequence, position), Stop.MISSING_FILE, count);
            }
            Stop stop = null;
            while (stop == null) {
                JournalEntryRef ref;
                try {
                    ref = readEntry(file, position);
                } catch (StopException e) {
                    stop = e.stop;
                    break;
                }
                if (ref.type() == JournalFormat.FILE_END) {
                    break;
                }
                entries.computeIfAbsent(ref.logId(), id -> new ArrayList<>()).add(ref);
                count++;
                position += ref.length();
            }
            if (stop != null) {
                return new Scan(entries, JournalFormat.lsn(sequence, position), stop, count);
            }
            sequence++;
            position = JournalFormat.FILE_HEADER_BYTES;
        }
    }

    private static boolean hasOwnHeader(JournalFile file) throws IOException {
        ByteBuffer fileHeader = ByteBuffer.allocate(JournalFormat.FILE_HEADER_BYTES);
        file.read(fileHeader, 0);
        return JournalFormat.isFileHeader(fileHeader.flip(), file.sequence());
    }

    private JournalEntryRef readEntry(JournalFile file, int position) throws IOException, StopException {
        header.clear();
        if (position + JournalFormat.ENTRY_HEADER_BYTES > file.capacity()
                || file.read(header, position) < JournalFormat.ENTRY_HEADER_BYTES) {
            throw new StopException(Stop.TORN);
        }
        header.flip();
        int length = header.getInt(JournalFormat.LENGTH_OFFSET);
        long sequence = header.getLong(JournalFormat.SEQUENCE_OFFSET);
        if (length == 0 && header.getInt(JournalFormat.CRC_OFFSET) == 0 && sequence == 0) {
            throw new StopException(Stop.CLEAN);
        }
        if (sequence != file.sequence()) {
            // A recycled file's earlier life, or a header torn across it: either way nothing newer follows.
            throw new StopException(sequence < file.sequence() && sequence > 0 ? Stop.CLEAN : Stop.TORN);
        }
        if (length < JournalFormat.ENTRY_HEADER_BYTES || (long) position + length > file.capacity()) {
            throw new StopException(Stop.TORN);
        }
        if (entry.capacity() < length) {
            entry = ByteBuffer.allocate(Math.max(length, entry.capacity() * 2));
        }
        entry.clear().limit(length);
        if (file.read(entry, position) < length) {
            throw new StopException(Stop.TORN);
        }
        entry.flip();
        if (JournalFormat.computeCrc(entry) != entry.getInt(JournalFormat.CRC_OFFSET)) {
            throw new StopException(Stop.TORN);
        }
        short type = entry.getShort(JournalFormat.TYPE_OFFSET);
        if (type != JournalFormat.APPEND && type != JournalFormat.TRUNCATE && type != JournalFormat.FILE_END) {
            throw new StopException(Stop.TORN);
        }
        return new JournalEntryRef(
                JournalFormat.lsn(file.sequence(), position),
                type,
                entry.getLong(JournalFormat.LOG_ID_OFFSET),
                entry.getLong(JournalFormat.OFFSET_OFFSET),
                length);
    }

    /** Ends the scan of a file; checked, so that every way out of {@link #readEntry} is explicit. */
    private static final class StopException extends Exception {
        private final Stop stop;

        StopException(Stop stop) {
            super(null, null, false, false);
            this.stop = stop;
        }
    }
}
