package io.wharf.storage.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What opening the journal found for the partitions to replay: each partition log takes its own entries by log id
 * while it opens, and reads their payloads from the journal files.
 *
 * <p>Threads: partitions open in parallel, so every method is thread-safe.
 */
public final class JournalRecovery {

    private final NavigableMap<Long, JournalFile> files;
    private final JournalReader.Scan scan;
    private final JournalCheckpoint checkpoint;
    private final Set<Long> claimed = ConcurrentHashMap.newKeySet();

    JournalRecovery(NavigableMap<Long, JournalFile> files, JournalReader.Scan scan, JournalCheckpoint checkpoint) {
        this.files = files;
        this.scan = scan;
        this.checkpoint = checkpoint;
    }

    /** The entries of partition {@code logId} since the checkpoint, in journal order (so in offset order). */
    public List<JournalEntryRef> entriesFor(long logId) {
        claimed.add(logId);
        return scan.entries().getOrDefault(logId, List.of());
    }

    /** How far the segments of {@code logId} were forced at the checkpoint; -1 when the checkpoint does not say. */
    public long flushedOffset(long logId) {
        return checkpoint.flushedOffsets().getOrDefault(logId, -1L);
    }

    /** The record batches of an APPEND entry, in a buffer of their own. */
    public ByteBuffer payload(JournalEntryRef ref) throws IOException {
        JournalFile file = files.get(JournalFormat.fileSequence(ref.lsn()));
        ByteBuffer payload = ByteBuffer.allocate(ref.length() - JournalFormat.ENTRY_HEADER_BYTES);
        file.read(payload, (long) JournalFormat.position(ref.lsn()) + JournalFormat.ENTRY_HEADER_BYTES);
        return payload.flip();
    }

    /** Whether the scan ended at a partly written entry. */
    public boolean tornTail() {
        return scan.stop() == JournalReader.Stop.TORN;
    }

    /** The log ids that have entries but that no partition claimed: partitions deleted since. */
    public Set<Long> unclaimedLogIds() {
        Set<Long> unclaimed = new HashSet<>(scan.entries().keySet());
        unclaimed.removeAll(claimed);
        return unclaimed;
    }

    public long entryCount() {
        return scan.entryCount();
    }

    Map<Long, List<JournalEntryRef>> entries() {
        return scan.entries();
    }
}
