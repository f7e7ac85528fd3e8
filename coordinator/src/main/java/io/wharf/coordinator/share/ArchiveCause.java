package io.wharf.coordinator.share;

/** Why a record was archived: what a dead-letter copy says in its {@code __dlq.errors.message} header. */
public enum ArchiveCause {
    NONE(""),
    /** The consumer rejected it. */
    REJECTED("Offset rejected by client."),
    /** It was delivered {@code share.delivery.count.limit} times without being accepted. */
    DELIVERY_LIMIT("Offset delivery count exceeded the threshold."),
    /** Its {@code wharf.ttl.ms} ran out before it was delivered. */
    EXPIRED("Offset expired before delivery (wharf.ttl.ms)."),
    /** There is no record at the offset; never dead-lettered. */
    GAP("");

    private static final ArchiveCause[] VALUES = values();

    private final String message;

    ArchiveCause(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }

    /** Whether a record archived for this cause is copied to the group's dead-letter topic. */
    public boolean deadLetters() {
        return this == REJECTED || this == DELIVERY_LIMIT || this == EXPIRED;
    }

    static ArchiveCause of(int ordinal) {
        if (ordinal < 0 || ordinal >= VALUES.length) {
            throw new IllegalArgumentException("unknown archive cause " + ordinal);
        }
        return VALUES[ordinal];
    }
}
