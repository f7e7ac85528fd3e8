package io.wharf.coordinator.share;

/** What a consumer says about a record it acquired, with the ids of ShareFetch and ShareAcknowledge (KIP-932). */
public enum AcknowledgeType {
    /** No record at the offset (a control record or a compacted one): archived. */
    GAP,
    /** Processed: acknowledged, never delivered again. */
    ACCEPT,
    /** Not processed, try again: available at once (archived at the delivery limit). */
    RELEASE,
    /** Cannot be processed: archived (and dead-lettered when the group has a dead-letter topic). */
    REJECT,
    /** Still being processed: the lock is extended by the lock duration (KIP-1222). */
    RENEW;

    private static final AcknowledgeType[] VALUES = values();

    /** The type with wire id {@code id}, or null when there is none. */
    public static AcknowledgeType of(int id) {
        return id >= 0 && id < VALUES.length ? VALUES[id] : null;
    }
}
