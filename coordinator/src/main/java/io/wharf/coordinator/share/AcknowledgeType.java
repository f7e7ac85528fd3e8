package io.wharf.coordinator.share;

/** What a consumer says about a record it acquired, with the ids of ShareFetch and ShareAcknowledge (KIP-932). */
public enum AcknowledgeType {
    /** No record at the offset (a control record or a compacted one): archived. */
    GAP(0),
    /** Processed: acknowledged, never delivered again. */
    ACCEPT(1),
    /** Not processed, try again: available at once (archived at the delivery limit). */
    RELEASE(2),
    /** Cannot be processed: archived (and dead-lettered when the group has a dead-letter topic). */
    REJECT(3),
    /** Still being processed: the lock is extended by the lock duration (KIP-1222). */
    RENEW(4);

    private static final AcknowledgeType[] VALUES = values();

    private final byte id;

    AcknowledgeType(int id) {
        this.id = (byte) id;
    }

    /** The type's id in ShareFetch and ShareAcknowledge requests. */
    public byte id() {
        return id;
    }

    /** The type with wire id {@code id}, or null when there is none. */
    public static AcknowledgeType of(int id) {
        for (AcknowledgeType type : VALUES) {
            if (type.id == id) {
                return type;
            }
        }
        return null;
    }
}
