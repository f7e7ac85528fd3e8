package io.wharf.storage;

/**
 * Every situation opening a partition log, or the journal of its data directory, can find on disk, and what it does
 * about it. This enum is the recovery table: each constant is logged when it applies, is reported by {@link
 * PartitionLog#recoveryCases()} (or, for the journal's own, {@link LogManager#journalRecoveryCases()}), and has a test
 * of its own in {@code RecoveryTest} or, for the journal's, {@code JournalRecoveryTest}.
 */
public enum RecoveryCase {
    /** {@code partition.state} says the log was closed cleanly: no batch is re-validated. */
    CLEAN_SHUTDOWN("closed cleanly: segments trusted, indexes checked for consistency"),
    /** No readable {@code partition.state}: every segment is validated from the first. */
    MISSING_STATE("no partition state: every segment validated from the first"),
    /** An unclean stop: the segments from the one holding the recovery point on are validated batch by batch. */
    UNCLEAN_SHUTDOWN("unclean shutdown: segments from the recovery point validated, CRCs checked"),
    /** The last batch of a segment is cut short (a crash during a write): cut from its start. */
    TORN_TAIL("torn batch at the end of a segment: cut"),
    /** Zeros where batches should be (preallocated or lost blocks after a power loss): cut from there. */
    ZERO_FILLED_TAIL("zero-filled bytes where a batch should be: cut"),
    /** A batch whose CRC does not match (a flipped byte): it and everything after it are cut. */
    CORRUPT_BATCH("batch with a bad CRC or impossible header: it and everything after it cut"),
    /**
     * Segments after a cut cannot follow a hole in the log: they are deleted. So are the segments after one that ends
     * before the next begins (a power loss took its tail, but not the next segment's file, created durably at the
     * roll).
     */
    SEGMENTS_AFTER_CUT("segments after a cut deleted"),
    /** An index file is missing: rebuilt from the batch headers. */
    MISSING_INDEX("missing index rebuilt from the log"),
    /**
     * A segment's aborted-transaction index is missing or does not decode: every one is rebuilt from the log start,
     * since an entry needs its transaction's first offset, which an earlier segment may hold.
     */
    MISSING_TRANSACTION_INDEX("missing or unreadable aborted-transaction index rebuilt from the log"),
    /** An index is not consistent with its segment (entries out of order or past the end): rebuilt. */
    CORRUPT_INDEX("inconsistent index rebuilt from the log"),
    /** Files a crash left behind half-done ({@code .tmp}, {@code .deleted}, indexes without a log): removed. */
    LEFTOVER_FILES("leftover temporary, deleted or orphaned files removed"),
    /**
     * Cleaned segments ({@code *.cleaned}) without a swap manifest: the cleaner stopped before the swap was decided.
     * They are deleted and the old segments stay.
     */
    CLEANER_SWAP_ROLLED_BACK("cleaned segments of an undecided swap deleted; the old segments stay"),
    /**
     * A swap manifest: the cleaner stopped after deciding a swap. The old segments it names go and the cleaned ones
     * take their place.
     */
    CLEANER_SWAP_COMPLETED("an interrupted swap of cleaned segments finished"),
    /** No producer snapshot at or below the log end: producer state replayed from the start of the log. */
    MISSING_PRODUCER_SNAPSHOT("producer state rebuilt from the log"),
    /** The leader-epoch checkpoint is missing or unreadable: rebuilt from the batches' leader epochs. */
    MISSING_EPOCH_CHECKPOINT("leader-epoch cache rebuilt from the log"),
    /**
     * The journal's last entry is partly written (a crash during a journal write): the scan stops there. Nothing at or
     * after it was acknowledged, since a sync covers every byte before the point it makes durable. Reported by {@link
     * LogManager#journalRecoveryCases()}.
     */
    JOURNAL_TORN_TAIL("torn entry at the end of the journal: replay stops there"),
    /** The journal holds batches past the segment's end (the segment lost what was never forced): appended again. */
    JOURNAL_AHEAD_OF_SEGMENT("batches from the journal appended past the segment's end, then forced"),
    /**
     * The segment holds whole batches past everything the journal knows of (written, never made durable): kept, as
     * any intact tail after an unclean stop, and forced.
     */
    SEGMENT_AHEAD_OF_JOURNAL("batches past the journal's last entry kept and forced"),
    /** A truncation in the journal: the log is cut there, so the entries before it bring nothing back. */
    JOURNAL_TRUNCATION("truncation replayed from the journal"),
    /**
     * Journal entries of a log id that no partition directory has (the partition was deleted): skipped. Reported by
     * {@link LogManager#journalRecoveryCases()}.
     */
    JOURNAL_ENTRIES_OF_DELETED_PARTITION("journal entries of deleted partitions skipped");

    private final String description;

    RecoveryCase(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
