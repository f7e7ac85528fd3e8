package io.wharf.coordinator.share;

/**
 * Where one record of a share-partition stands. Every record from the share-partition start offset on begins
 * {@code AVAILABLE}; the allowed transitions are:
 *
 * <pre>
 * AVAILABLE ──acquired by a member (delivery count + 1)──▶ ACQUIRED
 * AVAILABLE ──TTL expired (dead-letter topic set)────────▶ ARCHIVING
 * AVAILABLE ──TTL expired, gap, or over the limit────────▶ ARCHIVED
 * ACQUIRED  ──ACCEPT─────────────────────────────────────▶ ACKNOWLEDGED
 * ACQUIRED  ──RELEASE, lock expiry, member gone──────────▶ AVAILABLE   (ARCHIVING / ARCHIVED at the delivery limit)
 * ACQUIRED  ──REJECT─────────────────────────────────────▶ ARCHIVING   (dead-letter topic set) or ARCHIVED
 * ACQUIRED  ──RENEW──────────────────────────────────────▶ ACQUIRED    (a new lock deadline)
 * ACQUIRED  ──GAP (no record at the offset)──────────────▶ ARCHIVED
 * ARCHIVING ──copy written to the dead-letter topic──────▶ ARCHIVED
 * </pre>
 *
 * <p>ACKNOWLEDGED and ARCHIVED are final. Resetting the start offset (AlterShareGroupOffsets) is not a transition:
 * it replaces the whole state.
 *
 * <p>Each state has a fixed code, its byte in share-state records; a new state takes a new code and a code is never
 * reused.
 */
public enum RecordState {
    AVAILABLE(0),
    ACQUIRED(1),
    ACKNOWLEDGED(2),
    ARCHIVING(3),
    ARCHIVED(4);

    private static final RecordState[] VALUES = values();

    private final int code;

    RecordState(int code) {
        this.code = code;
    }

    /** The state's code in share-state records. */
    public int code() {
        return code;
    }

    /** Whether the record is done with: the start offset may move past it. */
    public boolean isTerminal() {
        return this == ACKNOWLEDGED || this == ARCHIVED;
    }

    /** Whether the state may move to {@code next}. */
    public boolean canMoveTo(RecordState next) {
        return switch (this) {
            case AVAILABLE -> next == ACQUIRED || next == ARCHIVING || next == ARCHIVED;
            case ACQUIRED -> true;
            case ARCHIVING -> next == ARCHIVED;
            case ACKNOWLEDGED, ARCHIVED -> false;
        };
    }

    /**
     * Checks a transition computed by Wharf itself.
     *
     * @throws IllegalStateException when it is not allowed: a bug, never a client's mistake
     */
    public RecordState moveTo(RecordState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("A record cannot move from " + this + " to " + next);
        }
        return next;
    }

    /**
     * The state with {@code code}.
     *
     * @throws IllegalArgumentException when no state has it
     */
    public static RecordState ofCode(int code) {
        for (RecordState state : VALUES) {
            if (state.code == code) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown record state code " + code);
    }
}
