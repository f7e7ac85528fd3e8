package io.wharf.storage.journal;

/**
 * Where recovery found one entry of the journal; its payload is read again when it is replayed.
 *
 * @param lsn where the entry starts
 * @param type {@link JournalFormat#APPEND} or {@link JournalFormat#TRUNCATE}
 * @param logId the partition's log id
 * @param offset the first batch's base offset (APPEND) or the log end after the cut (TRUNCATE)
 * @param length the entry's length, header included
 */
public record JournalEntryRef(long lsn, short type, long logId, long offset, int length) {

    public boolean isAppend() {
        return type == JournalFormat.APPEND;
    }
}
