package io.wharf.coordinator.share;

/**
 * Why a record was archived: what a dead-letter copy says in its {@code __dlq.errors.message} header. Each cause has
 * a fixed code, its byte in share-state records; a new cause takes a new code and a code is never reused.
 */
public enum ArchiveCause {
    NONE(0, ""),
    /** The consumer rejected it. */
    REJECTED(1, "Offset rejected by client."),
    /** It was delivered {@code share.delivery.count.limit} times without being accepted. */
    DELIVERY_LIMIT(2, "Offset delivery count exceeded the threshold."),
    /** Its {@code wharf.ttl.ms} ran out before it was delivered. */
    EXPIRED(3, "Offset expired before delivery (wharf.ttl.ms)."),
    /** There is no record at the offset; never dead-lettered. */
    GAP(4, "");

    private static final ArchiveCause[] VALUES = values();

    private final int code;
    private final String message;

    ArchiveCause(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The cause's code in share-state records. */
    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** Whether a record archived for this cause is copied to the group's dead-letter topic. */
    public boolean deadLetters() {
        return this == REJECTED || this == DELIVERY_LIMIT || this == EXPIRED;
    }

    /**
     * The cause with {@code code}.
     *
     * @throws IllegalArgumentException when no cause has it
     */
    public static ArchiveCause ofCode(int code) {
        for (ArchiveCause cause : VALUES) {
            if (cause.code == code) {
                return cause;
            }
        }
        throw new IllegalArgumentException("unknown archive cause code " + code);
    }
}
