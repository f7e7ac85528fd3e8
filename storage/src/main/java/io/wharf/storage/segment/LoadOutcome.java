package io.wharf.storage.segment;

/** How loading a cleanly closed segment went. */
public enum LoadOutcome {
    /** Indexes consistent, tail whole. */
    TRUSTED,
    /** An index file was missing and was rebuilt from the batch headers. */
    REBUILT_MISSING_INDEX,
    /** An index was inconsistent with the log and was rebuilt from the batch headers. */
    REBUILT_CORRUPT_INDEX,
    /** The log itself is damaged; the segment needs recovery. */
    DAMAGED
}
