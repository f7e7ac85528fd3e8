package io.wharf.storage;

/** Where an append comes from, which decides how much the log checks and what it assigns. */
public enum AppendOrigin {
    /**
     * A producer's batch: fully validated, offsets and leader epoch assigned here, producer sequence checked (a
     * duplicate returns the original offsets without appending).
     */
    CLIENT,
    /** A batch written by the broker itself (a coordinator): validated and assigned like a client's, no sequences. */
    INTERNAL,
    /**
     * Transaction markers written by the transaction coordinator's WriteTxnMarkers: control batches, assigned like an
     * internal batch; a marker of an epoch older than its producer's is refused (INVALID_PRODUCER_EPOCH).
     */
    COORDINATOR,
    /**
     * Batches copied from the leader: offsets and epochs are kept as the leader assigned them; only the structure and
     * CRC are checked, and producer state is updated without sequence checks.
     */
    REPLICATION
}
